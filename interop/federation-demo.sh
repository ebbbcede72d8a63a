#!/usr/bin/env bash
# A real Communs federation on 127.0.0.1 read by the Digital Credentials
# Consortium's @digitalcredentials/issuer-registry-client (registry-client.mjs):
# `communs serve --federation-role anchor` and one partner node
# (`--federation-role partner --demo`), the partner attested with
# `communs federation anchor add-partner`; the partner vouches for its demo
# issuer, and the client, configured with the anchor's Entity Configuration URL
# as an `oidf` registry, finds that issuer with its name and reports an unknown
# DID as not found. A suspension then makes the anchor answer not found too.
#
# usage: interop/federation-demo.sh COMMUNS OUTDIR
#   COMMUNS  path of a built communs binary
#   OUTDIR   where the nodes' data and logs go (OUTDIR/federation is wiped first)
# Stops both nodes on exit. Prints "  ok   ..." / "  FAIL ..." lines; exit
# status 0 only when all passed.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
communs="$1"
out="$2/federation"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1" >&2; }

rm -rf "$out"
mkdir -p "$out"
export COMMUNS_TOKEN="cmt_interop$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

# Entity ids and did:web names carry the port: pick free ones first.
free_port() {
  node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
anchor_port="$(free_port)"
partner_port="$(free_port)"
while [[ "$partner_port" == "$anchor_port" ]]; do partner_port="$(free_port)"; done
anchor="http://127.0.0.1:$anchor_port"
partner="http://127.0.0.1:$partner_port"
issuer="did:web:127.0.0.1%3A$partner_port:issuers:demo"

pids=()
stop_nodes() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_nodes EXIT

wait_for() { # wait_for SECONDS COMMAND...: true once COMMAND succeeds
  local until=$((SECONDS + $1)); shift
  while ((SECONDS < until)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}
healthy() { [[ "$(curl -fsS "$1/healthz")" == ok ]]; }
recognized() { # recognized NODE DID: the node's issuer API says recognized: true
  curl -fsS "$1/api/v1/issuers/$2" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () =>
      process.exit(JSON.parse(s).recognized === true ? 0 : 1));'
}
not_recognized() { ! recognized "$@"; }

"$communs" federation anchor init --data "$out/anchor" --out "$out/anchor.jwks" 2>> "$out/anchor.log"
COMMUNS_ADMIN_TOKEN="$COMMUNS_TOKEN" "$communs" serve --data "$out/anchor" \
  --addr "127.0.0.1:$anchor_port" --log-format json --log-level warn \
  --federation-role anchor --federation-interval 300ms \
  --federation-org-name "Communs interop anchor" > /dev/null 2>> "$out/anchor.log" &
pids+=($!)
COMMUNS_ADMIN_TOKEN="$COMMUNS_TOKEN" "$communs" serve --demo --data "$out/partner" \
  --addr "127.0.0.1:$partner_port" --log-format json --log-level warn \
  --federation-role partner --federation-anchor "$anchor" \
  --federation-anchor-jwks "$out/anchor.jwks" --federation-interval 300ms \
  --federation-refresh-interval 500ms > "$out/partner.stdout" 2> "$out/partner.log" &
pids+=($!)

if wait_for 30 healthy "$anchor" && wait_for 30 healthy "$partner"; then
  pass "an anchor ($anchor) and a partner ($partner) answer /healthz"
else
  fail "the nodes did not start (see $out/*.log)"
  echo "federation-demo: $passed passed, $failed failed"
  exit 1
fi

if "$communs" federation anchor add-partner --node "$anchor" "$partner" \
  --scope "did:web:127.0.0.1%3A$partner_port:*" --name "Partenaire interop" > "$out/add-partner.txt"; then
  pass "communs federation anchor add-partner (keys read from the partner's Entity Configuration)"
else
  fail "communs federation anchor add-partner"
fi

if wait_for 20 recognized "$anchor" "$issuer"; then
  pass "the partner vouched for its demo issuer and the anchor replicated it: $issuer"
else
  fail "the anchor does not recognise $issuer (see $out/partner.log)"
fi

if node "$here/registry-client.mjs" --ec "$anchor/.well-known/openid-federation" \
  --did "$issuer" --name "Centre de démonstration" \
  --unknown "did:web:unknown.example" > "$out/registry-client.txt" 2>&1; then
  pass "issuer-registry-client 3.2.0-beta.5 (oidf) finds the vouched issuer by name and not the unknown one"
else
  fail "issuer-registry-client: $(grep -m1 FAIL "$out/registry-client.txt" || tail -n 1 "$out/registry-client.txt")"
fi
sed 's/^/       /' "$out/registry-client.txt"

if "$communs" federation suspend --node "$partner" "$issuer" --reason "interop check" > /dev/null &&
  wait_for 10 not_recognized "$anchor" "$issuer" &&
  ! node "$here/registry-client.mjs" --ec "$anchor/.well-known/openid-federation" \
    --did "$issuer" --name "Centre de démonstration" \
    --unknown "did:web:unknown.example" > "$out/registry-client-suspended.txt" 2>&1 &&
  grep -q "^FAIL vouched" "$out/registry-client-suspended.txt"; then
  pass "after communs federation suspend, the client no longer finds the issuer"
else
  fail "suspension (see $out/registry-client-suspended.txt)"
fi

echo "federation-demo: $passed passed, $failed failed"
((failed == 0))
