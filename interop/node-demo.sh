#!/usr/bin/env bash
# Badges issued by a running Communs node verify with both JavaScript
# verifiers, with did:web and the node's BitstringStatusList fetched over
# loopback; a badge revoked through the admin API becomes invalid for both; a
# third-party OpenID4VCI client (oid4vci-claim.mjs) claims a badge by its claim
# link and the credential it receives verifies with both.
#
# usage: interop/node-demo.sh COMMUNS OUTDIR
#   COMMUNS  path of a built communs binary
#   OUTDIR   where the node's data, its log and the downloaded badges go
#            (OUTDIR/node-data is wiped first)
# Starts `COMMUNS serve --demo` on a free 127.0.0.1 port and stops it on exit.
# Prints "  ok   ..." / "  FAIL ..." lines; exit status 0 only when all passed.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
communs="$1"
out="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok   $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1" >&2; }

data="$out/node-data"
log="$out/node.log"
printed="$out/node.stdout"
rm -rf "$data"
mkdir -p "$out"
: > "$printed"

# A fresh admin token for this run only (the node stores its hash).
token="cmt_interop$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

node_pid=""
stop_node() {
  if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  node_pid=""
}
trap stop_node EXIT

# --addr 127.0.0.1:0: the kernel picks a free port, the node prints its URL.
COMMUNS_ADMIN_TOKEN="$token" "$communs" serve --demo --data "$data" \
  --addr 127.0.0.1:0 --log-format json > "$printed" 2> "$log" &
node_pid=$!

for _ in $(seq 1 300); do
  grep -q '^Verify one:' "$printed" && break
  kill -0 "$node_pid" 2>/dev/null || break
  sleep 0.1
done
base="$(sed -n 's/^Communs node at //p' "$printed")"
mapfile -t urls < <(grep -E '^  https?://' "$printed" | tr -d ' ')
if [[ -z "$base" || ${#urls[@]} -eq 0 ]]; then
  fail "communs serve --demo printed its URL and badges (log: $log)"
  exit 1
fi
pass "communs serve --demo runs at $base with ${#urls[@]} badges"
for _ in $(seq 1 100); do
  [[ "$(curl -fsS "$base/healthz" 2>/dev/null)" == ok ]] && break
  sleep 0.1
done

hostport="${base#http://}"
didhost="${hostport//:/%3A}"

# The DID document must carry the Multikey context, or Digital Bazaar's
# ed25519-multikey refuses the key.
if curl -fsS "$base/issuers/demo/did.json" | node -e '
  let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => {
    const doc = JSON.parse(s);
    const ok = [doc["@context"]].flat().includes("https://w3id.org/security/multikey/v1");
    if(!ok) console.error(`did.json @context: ${JSON.stringify(doc["@context"])}`);
    process.exit(ok ? 0 : 1);
  });'; then
  pass "did.json lists https://w3id.org/security/multikey/v1 in its @context"
else
  fail "did.json lists https://w3id.org/security/multikey/v1 in its @context"
fi

badges=()
for u in "${urls[@]}"; do
  f="$out/node-badge-${u##*/}.json"
  if curl -fsS -H 'Accept: application/vc+ld+json' "$u" > "$f"; then
    badges+=("$f")
  else
    fail "download $u as application/vc+ld+json"
  fi
done

verify() {
  node "$here/verify.mjs" --didweb "$didhost=$base" --allow-http-loopback "$@"
}

if verify --expect valid "${badges[@]}" > "$out/node-verify.jsonl"; then
  pass "${#badges[@]} badges issued by the node verify with both JS verifiers (did:web over loopback, status list)"
else
  fail "${#badges[@]} badges issued by the node verify with both JS verifiers (see $out/node-verify.jsonl)"
fi

revoked_url="${urls[0]}"
revoked_file="${badges[0]}"
if curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data '{"reason":"interop: revocation test"}' \
  "$base/api/v1/awards/${revoked_url##*/}/revoke" > "$out/node-revoke.json"; then
  pass "the admin API revokes ${revoked_url##*/} with the COMMUNS_ADMIN_TOKEN token"
else
  fail "the admin API revokes ${revoked_url##*/} with the COMMUNS_ADMIN_TOKEN token"
fi

if verify --expect invalid "$revoked_file" > "$out/node-verify-revoked.jsonl"; then
  pass "the revoked badge is invalid for both JS verifiers"
else
  fail "the revoked badge is invalid for both JS verifiers (see $out/node-verify-revoked.jsonl)"
fi
if ((${#badges[@]} > 1)); then
  if verify --expect valid "${badges[@]:1}" > "$out/node-verify-others.jsonl"; then
    pass "the other $((${#badges[@]} - 1)) badges on the same status list stay valid"
  else
    fail "the other badges on the same status list stay valid (see $out/node-verify-others.jsonl)"
  fi
fi

# A third-party OpenID4VCI client (@openid4vc/openid4vci) claims a new award
# through its claim link; the credential it receives verifies with both JS
# verifiers and is bound to the client's holder did:key.
if COMMUNS_ADMIN_TOKEN="$token" node "$here/oid4vci-claim.mjs" --base "$base" \
  --didweb "$didhost=$base" --out "$out/node-oid4vci-credential.json" \
  > "$out/node-oid4vci.txt"; then
  pass "@openid4vc/openid4vci claims a badge; it verifies with both JS verifiers, bound to the holder did:key ($(tail -n 1 "$out/node-oid4vci.txt"))"
else
  sed 's/^/    /' "$out/node-oid4vci.txt"
  fail "@openid4vc/openid4vci claims a badge and it verifies (see $out/node-oid4vci.txt)"
fi

stop_node
echo "node-demo: $passed passed, $failed failed"
((failed == 0))
