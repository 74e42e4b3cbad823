// Package emulate implements `azid emulate`: App Service Authentication
// ("Easy Auth") on the developer's machine, as a reverse proxy in front of
// the app under development.
package emulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/emulate"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// DefaultListen is where the emulator listens unless told otherwise.
const DefaultListen = "localhost:8400"

// Options are the inputs of `azid emulate`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Now    func() time.Time
	// HTTPClient talks to Entra (--entra only).
	HTTPClient func() (*http.Client, error)

	App, Listen     string
	ListenAny       bool
	User            string
	Roles, Claims   []string
	UsersFile       string
	Unauthenticated string
	Exclude         []string
	TokenStore      string
	NoRefreshToken  bool
	TokenLifetime   time.Duration
	LoseTokens      bool

	Entra            bool
	Tenant, ClientID string
	SecretFile       string
	// SecretEnv is AZURE_CLIENT_SECRET, read when the command runs.
	SecretEnv string
	// Authority is --authority-host (real Entra sign-in), default the public cloud.
	Authority string

	// TLS serves HTTPS with a certificate made for this run; TLSCert and
	// TLSKey with the developer's own. TLSCertOut receives the made one.
	TLS                         bool
	TLSCert, TLSKey, TLSCertOut string
	// selfSigned is the certificate made for --tls (for the start banner).
	selfSigned *emulate.SelfSigned

	// started, when set, is called once the emulator listens (tests).
	started func(*emulate.Server)
}

// NewCmd builds the emulate command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, HTTPClient: f.HTTPClient}
	var secret cmdutil.SecretFlag
	cmd := &cobra.Command{
		Use:   "emulate --app URL",
		Short: "Run App Service Authentication (Easy Auth) locally in front of an app",
		Long: `Run App Service Authentication ("Easy Auth") on this machine: a reverse proxy
in front of the app under development that behaves as App Service does.

Every request reaches the app with the identity headers App Service adds
(X-MS-CLIENT-PRINCIPAL, -NAME, -ID, -IDP and X-MS-TOKEN-AAD-ID-TOKEN,
-ACCESS-TOKEN, -EXPIRES-ON, -REFRESH-TOKEN), after every X-MS-* identity
header the client sent was removed. /.auth/me, /.auth/refresh, /.auth/logout
and /.auth/login/aad answer as in Azure; WebSocket upgrades carry the headers.

Identity comes from mock users (the default: a sign-in page at
/.auth/login/aad, or --user/--users; /.auth/login/aad?login_hint=USER signs a
configured user in without the page) whose tokens a local key signs, with
discovery at http://HOST:PORT/TENANT/v2.0/.well-known/openid-configuration
(so "azid verify --authority-host http://HOST:PORT" and the app's own
validation accept them); or from a real Entra sign-in with --entra
(authorization code with PKCE; register http://localhost:PORT/.auth/login/aad/callback
as a redirect URI of the app registration: platform Web with a client secret,
Mobile and desktop without one).

Unauthenticated requests (--unauthenticated): redirect sends browsers to the
sign-in page and answers API clients 401 (App Service tells them apart by
User-Agent and X-Requested-With); 401, 403 and 404 answer everyone so; allow
passes them on without identity. --exclude paths need no sign-in.

The failures people meet in Azure, on demand: --token-store off (no token
headers, /.auth/me 404), --no-refresh-token (a sign-in without offline_access:
/.auth/refresh answers 401), --token-lifetime 2m (tokens expire while the
8-hour session lives; refresh renews the access token, not the ID token),
--lose-tokens-on-restart (the token store is emptied when the app comes back
after being unreachable, as a container's is on every deploy).

Emulated where App Service is undocumented: the 401/403/404 page texts, the
browser test, the session lifetime (8 hours), the X-ZUMO-AUTH sessions of
POST /.auth/login/aad {"access_token": …} (tokens this emulator minted).

Logs (method, path, status, user, duration) go to standard error, as JSON
lines with -o json; standard output stays empty. Ctrl-C stops it (exit 130).`,
		Example: `  azid emulate --app http://127.0.0.1:8501
  azid emulate --app http://127.0.0.1:3000 --user alex@contoso.com --role Admin --claim department=Sales
  azid emulate --app http://127.0.0.1:8000 --users users.json --unauthenticated 401 --exclude /health
  azid emulate --app http://127.0.0.1:8501 --entra --tenant contoso.onmicrosoft.com --client-id 11111111-2222-3333-4444-555555555555`,
		Args: cmdutil.MaximumArgs(0, "emulate takes no arguments: give the app with --app URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := secret.Check(cmd.Flags()); err != nil {
				return err
			}
			opts.Format = f.Global.Format()
			opts.Now = f.Now
			opts.Authority = f.Global.AuthorityHost
			if opts.Entra {
				opts.SecretEnv = f.Env("AZURE_CLIENT_SECRET")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.App, "app", "", "the app to put Easy Auth in front of, such as http://127.0.0.1:8501 (required)")
	fl.StringVar(&opts.Listen, "listen", DefaultListen, "the loopback address to listen on (host:port; port 0 picks one)")
	fl.BoolVar(&opts.ListenAny, "listen-any", false, "allow a non-loopback --listen: anyone who reaches it can sign in as anyone")
	fl.StringVar(&opts.User, "user", "", "a mock user's UPN or e-mail, first on the sign-in page")
	fl.StringArrayVar(&opts.Roles, "role", nil, "an app role of --user (repeatable)")
	fl.StringArrayVar(&opts.Claims, "claim", nil, "an extra claim of --user, key=value (repeatable; a repeated key is an array)")
	fl.StringVar(&opts.UsersFile, "users", "", `a JSON file of mock users: [{"name","username","email","oid","roles":[],"groups":[],"claims":{}}]`)
	fl.StringVar(&opts.Unauthenticated, "unauthenticated", "redirect", "unauthenticated requests: redirect, 401, 403, 404 or allow")
	fl.StringArrayVar(&opts.Exclude, "exclude", nil, "a path (and what is under it) that needs no sign-in (repeatable)")
	fl.StringVar(&opts.TokenStore, "token-store", "on", "the token store: on, or off (no X-MS-TOKEN-* headers, /.auth/me 404)")
	fl.BoolVar(&opts.NoRefreshToken, "no-refresh-token", false, "sign in without a refresh token (as without offline_access): /.auth/refresh fails")
	fl.DurationVar(&opts.TokenLifetime, "token-lifetime", time.Hour, "lifetime of minted tokens, such as 2m (the session lasts 8h)")
	fl.BoolVar(&opts.LoseTokens, "lose-tokens-on-restart", false, "empty the token store when the app comes back after being unreachable")
	fl.BoolVar(&opts.TLS, "tls", false, "serve HTTPS (HTTP/2 and HTTP/1.1) with a certificate made for this run; its fingerprint is printed at start")
	fl.StringVar(&opts.TLSCert, "tls-cert", "", "serve HTTPS with this PEM certificate (such as mkcert's), with --tls-key")
	fl.StringVar(&opts.TLSKey, "tls-key", "", "the PEM private key of --tls-cert")
	fl.StringVar(&opts.TLSCertOut, "tls-cert-out", "", "with --tls, write the certificate (public, PEM) to this file, for clients to trust (AZID_CA_FILE)")
	fl.BoolVar(&opts.Entra, "entra", false, "sign in with real Entra ID (authorization code with PKCE) instead of mock users")
	f.SettingFlag(fl, &opts.Tenant, "AZURE_TENANT_ID", "the tenant: of real sign-in with --entra, or the mock tokens' tid (a GUID)")
	f.SettingFlag(fl, &opts.ClientID, "AZURE_CLIENT_ID", "the app registration's client ID: of real sign-in with --entra, or the mock tokens' aud")
	fl.StringVar(&opts.SecretFile, "client-secret-file", "", "file holding the app registration's client secret, with --entra (or AZURE_CLIENT_SECRET)")
	secret.Register(fl)
	_ = cmd.RegisterFlagCompletionFunc("unauthenticated", cobra.FixedCompletions([]string{"redirect", "401", "403", "404", "allow"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("token-store", cobra.FixedCompletions([]string{"on", "off"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.MarkFlagFilename("users", "json")
	_ = cmd.MarkFlagFilename("tls-cert", "pem", "crt")
	_ = cmd.MarkFlagFilename("tls-key", "pem", "key")
	return cmd
}

// config turns the flags into the emulator's configuration; every problem
// is a usage error naming the flag.
func (opts *Options) config() (emulate.Config, error) {
	cfg := emulate.Config{Listen: opts.Listen, AllowNonLoopback: opts.ListenAny, Exclude: opts.Exclude,
		NoRefreshToken: opts.NoRefreshToken, TokenLifetime: opts.TokenLifetime, LoseTokensOnRestart: opts.LoseTokens, Now: opts.Now}
	if opts.App == "" {
		return cfg, &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: errors.New("--app is required: the URL of the app to put Easy Auth in front of"),
			Hint: "start the app, then run: azid emulate --app http://127.0.0.1:8501"}
	}
	app, err := url.Parse(opts.App)
	if err != nil || (app.Scheme != "http" && app.Scheme != "https") || app.Host == "" || app.User != nil || app.RawQuery != "" || app.Fragment != "" {
		return cfg, cmdutil.UsageErrorf("--app %q is not an http or https URL such as http://127.0.0.1:8501", opts.App)
	}
	cfg.App = app
	if !strings.Contains(opts.Listen, ":") {
		return cfg, cmdutil.UsageErrorf("--listen %q is not host:port, such as localhost:8400", opts.Listen)
	}
	if !opts.ListenAny && !emulate.IsLoopbackAddr(opts.Listen) {
		return cfg, &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("--listen %s is not a loopback address, and the emulator signs anyone in as anyone", opts.Listen),
			Hint: "listen on localhost:PORT, or add --listen-any if every machine that can reach it may mint identities"}
	}
	if cfg.Unauthenticated, err = emulate.ParseAction(opts.Unauthenticated); err != nil {
		return cfg, &cmdutil.FlagError{Err: fmt.Errorf("--unauthenticated: %w", err)}
	}
	for _, p := range opts.Exclude {
		if !strings.HasPrefix(p, "/") {
			return cfg, cmdutil.UsageErrorf("--exclude %q must be a path starting with /", p)
		}
	}
	switch strings.ToLower(opts.TokenStore) {
	case "on", "true":
	case "off", "false":
		cfg.TokenStoreOff = true
	default:
		return cfg, cmdutil.UsageErrorf("--token-store %q: use on or off", opts.TokenStore)
	}
	if opts.TokenLifetime < 10*time.Second || opts.TokenLifetime > 24*time.Hour {
		return cfg, cmdutil.UsageErrorf("--token-lifetime %s: use a duration from 10s to 24h, such as 2m", opts.TokenLifetime)
	}
	if opts.User == "" && (len(opts.Roles) > 0 || len(opts.Claims) > 0) {
		return cfg, cmdutil.UsageErrorf("--role and --claim describe --user: give --user too")
	}
	if opts.Entra {
		return opts.entraConfig(cfg)
	}
	if opts.SecretFile != "" {
		return cfg, cmdutil.UsageErrorf("--client-secret-file needs --entra")
	}
	if opts.Tenant != "" && !entra.IsGUID(opts.Tenant) {
		return cfg, cmdutil.UsageErrorf("--tenant %q: the mock tokens' tenant must be a GUID (a domain or organizations needs --entra)", opts.Tenant)
	}
	if opts.ClientID != "" && strings.ContainsAny(opts.ClientID, " \t\"") {
		return cfg, cmdutil.UsageErrorf("--client-id %q is not a client ID", opts.ClientID)
	}
	cfg.TenantID, cfg.ClientID = opts.Tenant, opts.ClientID
	users, err := opts.users()
	if err != nil {
		return cfg, err
	}
	cfg.Users = users
	return cfg, nil
}

func (opts *Options) users() ([]emulate.User, error) {
	var users []emulate.User
	if opts.User != "" {
		u := emulate.User{Username: opts.User, Roles: opts.Roles}
		for _, c := range opts.Claims {
			claim, err := emulate.ParseClaim(c)
			if err != nil {
				return nil, cmdutil.UsageErrorf("--claim: %v", err)
			}
			u.Claims = append(u.Claims, claim)
		}
		done, err := u.Complete()
		if err != nil {
			return nil, cmdutil.UsageErrorf("--user: %v", err)
		}
		users = append(users, done)
	}
	if opts.UsersFile != "" {
		data, err := readBounded(opts.UsersFile, emulate.MaxUsersFile)
		if err != nil {
			return nil, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("--users: %w", err), "")
		}
		list, err := emulate.ParseUsers(data)
		if err != nil {
			return nil, &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: fmt.Errorf("--users %s: %w", opts.UsersFile, err),
				Hint: `a users file is a JSON array such as [{"username": "alex@contoso.com", "roles": ["Admin"]}]`}
		}
		users = append(users, list...)
	}
	return users, nil
}

func (opts *Options) entraConfig(cfg emulate.Config) (emulate.Config, error) {
	if opts.User != "" || opts.UsersFile != "" {
		return cfg, cmdutil.UsageErrorf("--entra signs real users in: --user and --users are for mock users")
	}
	if opts.Tenant == "" || opts.ClientID == "" {
		return cfg, &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: errors.New("--entra needs --tenant and --client-id (or AZURE_TENANT_ID and AZURE_CLIENT_ID)"),
			Hint: "use your app registration's tenant and application (client) ID, with http://localhost:PORT/.auth/login/aad/callback as a redirect URI"}
	}
	ec := &emulate.EntraConfig{Authority: opts.Authority, Tenant: opts.Tenant, ClientID: opts.ClientID}
	if ec.Authority == "" {
		ec.Authority = "https://login.microsoftonline.com"
	}
	switch {
	case opts.SecretFile != "":
		data, err := readBounded(opts.SecretFile, 64<<10)
		if err != nil {
			return cfg, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("--client-secret-file: %w", err), "")
		}
		if ec.ClientSecret = strings.TrimSpace(string(data)); ec.ClientSecret == "" {
			return cfg, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("--client-secret-file %s is empty", opts.SecretFile), "")
		}
	default:
		ec.ClientSecret = strings.TrimSpace(opts.SecretEnv)
	}
	client, err := opts.HTTPClient()
	if err != nil {
		return cfg, err
	}
	ec.HTTPClient = client
	cfg.Entra = ec
	cfg.ClientID = opts.ClientID
	return cfg, nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over %d KiB", path, limit>>10)
	}
	return data, nil
}
