package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/node"
)

const serveAbout = `Runs a Communs node: the issuing service of one or more partners (issuers with did:web
identities, achievements, awards with evidence, revocation), the public badge pages, the admin
API, the W3C VC-API and the OpenID4VCI issuer, and hosted backpacks where learners keep,
share and present their badges (/backpack/; --no-backpack turns them off). Data lives in an
embedded store under --data.

Settings come from defaults, then --config FILE (a JSON object of the flag names), then the
environment (COMMUNS_*), then flags. Secrets are never flags:
  COMMUNS_MASTER_KEY   base64 of 32 bytes that encrypt the issuers' private keys at rest
                       (default: DATA/master.key, created with mode 0600 on first start)
  COMMUNS_ADMIN_TOKEN  provisions a node admin token (or --admin-token-file FILE)
  COMMUNS_SMTP_PASSWORD  password for --smtp-username

With --smtp-addr and --smtp-from, each new badge awarded to an e-mail address is announced to
its recipient (French and English, with the claim link), after the award is stored and without
delaying it. STARTTLS is always used unless the SMTP server is on this machine.

--demo seeds, once, a demonstration partner with achievements and awarded badges, and prints
the URLs to open.

` + serveFederationAbout

// serveConfig is what the serve command's settings resolve to.
type serveConfig struct {
	addr, data, baseURL, logFormat, logLevel, statusType, adminTokenFile, config string
	demo                                                                         bool
	masterKey, adminToken                                                        string
	smtpAddr, smtpFrom, smtpUsername, smtpPassword                               string
	requireTxCode                                                                string
	noBackpack                                                                   bool
	trustedProxies, clientIPHeader                                               string
	fed                                                                          federationSettings
}

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var c serveConfig
	fs := newFlags("serve", "serve [flags]", serveAbout, stderr)
	s := newSettings(fs)
	s.String(&c.addr, "addr", "COMMUNS_ADDR", "127.0.0.1:8080", "address to listen on")
	s.String(&c.data, "data", "COMMUNS_DATA", "communs-data", "data folder (store, master key)")
	s.String(&c.baseURL, "base-url", "COMMUNS_BASE_URL", "", "public URL of the node (default: http://ADDR)")
	s.String(&c.logFormat, "log-format", "COMMUNS_LOG_FORMAT", "text", "log format: text or json")
	s.String(&c.logLevel, "log-level", "COMMUNS_LOG_LEVEL", "info", "log level: debug, info, warn, error")
	s.String(&c.statusType, "status-type", "COMMUNS_STATUS_TYPE", node.StatusBitstring, "status entries of new badges: bitstring or 1edtech")
	s.String(&c.adminTokenFile, "admin-token-file", "COMMUNS_ADMIN_TOKEN_FILE", "", "file holding an admin token to provision")
	s.Secret(&c.masterKey, "master-key", "COMMUNS_MASTER_KEY", "master key (base64)")
	s.Secret(&c.adminToken, "admin-token", "COMMUNS_ADMIN_TOKEN", "admin token to provision")
	s.String(&c.requireTxCode, "require-tx-code", "COMMUNS_REQUIRE_TX_CODE", "false", "wallet claims need a transaction code given with each award (true or false)")
	s.String(&c.smtpAddr, "smtp-addr", "COMMUNS_SMTP_ADDR", "", "SMTP server host:port that sends award e-mails (none: no e-mail)")
	s.String(&c.smtpFrom, "smtp-from", "COMMUNS_SMTP_FROM", "", "sender of award e-mails, e.g. \"Badges <badges@example.org>\"")
	s.String(&c.smtpUsername, "smtp-username", "COMMUNS_SMTP_USERNAME", "", "SMTP login (password from COMMUNS_SMTP_PASSWORD)")
	s.Secret(&c.smtpPassword, "smtp-password", "COMMUNS_SMTP_PASSWORD", "SMTP password")
	addFederationSettings(s, &c.fed)
	fs.StringVar(&c.config, "config", os.Getenv("COMMUNS_CONFIG"), "JSON config file (env COMMUNS_CONFIG)")
	fs.BoolVar(&c.demo, "demo", false, "seed a demonstration partner, achievements and badges (once)")
	fs.BoolVar(&c.noBackpack, "no-backpack", false, "do not offer hosted learner backpacks (/backpack/)")
	s.String(&c.trustedProxies, "trusted-proxies", "COMMUNS_TRUSTED_PROXIES", "", "reverse proxies (CIDRs, comma-separated) whose --client-ip-header names the client, for rate limits")
	s.String(&c.clientIPHeader, "client-ip-header", "COMMUNS_CLIENT_IP_HEADER", "X-Forwarded-For", "header a trusted proxy sets to the client's address (X-Forwarded-For or X-Real-IP)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "communs serve: unexpected argument %q (see --help)\n", pos[0])
		return exitUsage
	}
	if err := s.Resolve(c.config); err != nil {
		fmt.Fprintf(stderr, "communs serve: %v\n", err)
		return exitUsage
	}
	logger, err := newLogger(stderr, c.logFormat, c.logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "communs serve: %v\n", err)
		return exitUsage
	}
	if err := serve(ctx, c, logger, stdout); err != nil {
		logger.Error("node stopped", "error", err)
		if errors.Is(err, errUsage) {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use text or json", format)
}

func serve(ctx context.Context, c serveConfig, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("%w: listen on %s: %v", errUsage, c.addr, err)
	}
	defer ln.Close()
	base := c.baseURL
	if base == "" {
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	master, err := masterKey(c.data, c.masterKey)
	if err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(c.data, "store"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()

	loopback := isLoopbackURL(base)
	cfg := node.DefaultConfig()
	cfg.BaseURL, cfg.DataDir, cfg.StatusType, cfg.Logger = base, c.data, c.statusType, logger
	cfg.AllowHTTPDIDs = loopback
	switch strings.ToLower(c.requireTxCode) {
	case "true", "1", "yes":
		cfg.RequireTxCode = true
	case "false", "0", "no", "":
	default:
		return fmt.Errorf("%w: --require-tx-code %q must be true or false", errUsage, c.requireTxCode)
	}
	cfg.HTTPClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: loopback})
	cfg.HostedBackpack = !c.noBackpack
	if c.smtpAddr != "" || c.smtpFrom != "" {
		cfg.SMTP = &node.SMTPConfig{
			Addr: c.smtpAddr, From: c.smtpFrom, Username: c.smtpUsername, Password: c.smtpPassword,
			StartTLS: !isLoopbackURL("smtp://" + c.smtpAddr),
		}
	}
	cfg.Trust = c.fed.Trust()
	n, err := node.New(ctx, cfg, db, master)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := n.Shutdown(stopCtx); err != nil {
			logger.Warn("award e-mails left unsent", "error", err)
		}
	}()
	token := c.adminToken
	if c.adminTokenFile != "" {
		b, err := os.ReadFile(c.adminTokenFile)
		if err != nil {
			return fmt.Errorf("%w: admin token file: %v", errUsage, err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token != "" {
		if _, err := n.ProvisionAdminToken(ctx, token); err != nil {
			return fmt.Errorf("%w: admin token: %v", errUsage, err)
		}
	}
	if c.demo {
		urls, claims, err := seedDemo(ctx, n)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprintf(stdout, "Communs node at %s\nDemonstration badges (open them in a browser):\n", base)
		for _, u := range urls {
			fmt.Fprintf(stdout, "  %s\n", u)
		}
		fmt.Fprintf(stdout, "Verify one: go run ./cmd/communs verify --allow-loopback %s\n", urls[0])
		if !c.noBackpack && len(claims) > 0 {
			fmt.Fprintf(stdout, "Claim one into a learner's hosted backpack: %s\n", claims[0])
		}
	}

	reg := httpx.NewRegistry()
	httpx.RegisterRuntimeMetrics(reg)
	reg.GaugeFunc("communs_award_emails_pending", "Award e-mails queued or being sent.", func() float64 { return float64(n.PendingNotifications()) })
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", reg.Handler())
	mux.Handle("/", n.Handler())
	fed, err := startFederation(ctx, c.fed, federationDeps{base: base, data: c.data, db: db, node: n, mux: mux, reg: reg, logger: logger})
	if err != nil {
		return err
	}
	defer fed.Stop()
	clients, err := clientIdentity(c.trustedProxies, c.clientIPHeader)
	if err != nil {
		return err
	}
	if !c.noBackpack {
		var sendMail func(context.Context, string, string, string, string) error
		if cfg.SMTP != nil {
			sendMail = n.SendMail
		}
		bp, err := newBackpack(db, master, base, cfg.HTTPClient, loopback, c.fed.Trust(), clients, sendMail, logger)
		if err != nil {
			return err
		}
		bp.Register(mux)
	}
	ver, err := mountVerifier(mux, n, c.fed.Trust(), clients, logger)
	if err != nil {
		return err
	}
	defer ver.Close()
	srv := &http.Server{
		Handler:           httpx.Chain(mux, httpx.Stack(httpx.StackOptions{Logger: logger, Metrics: reg})...),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("node listening", "addr", ln.Addr().String(), "base_url", base)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// masterKey returns the 32-byte key that encrypts private keys at rest: from the environment,
// or from DATA/master.key, created with mode 0600 on first start.
func masterKey(dataDir, fromEnv string) ([]byte, error) {
	if fromEnv != "" {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(fromEnv))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("%w: COMMUNS_MASTER_KEY must be the base64 of 32 bytes", errUsage)
		}
		return k, nil
	}
	path := filepath.Join(dataDir, "master.key")
	if b, err := os.ReadFile(path); err == nil {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("%w: %s does not hold the base64 of 32 bytes", errUsage, path)
		}
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return k, f.Close()
}

func isLoopbackURL(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
