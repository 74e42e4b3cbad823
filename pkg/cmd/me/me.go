// Package me implements `azid me`: what App Service Authentication knows
// about a session, from the app's /.auth/me, and `--refresh`.
package me

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmd/internal/session"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid me`.
type Options struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	Format     output.Format
	HTTPClient func() (*http.Client, error)

	URL string
	// From reads a saved /.auth/me answer (a file, or "-" for standard
	// input) instead of calling the app.
	From       string
	Cookie     string
	Zumo       string
	Refresh    bool
	ShowTokens bool
}

// NewCmd builds the me command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, HTTPClient: f.HTTPClient}
	cmd := &cobra.Command{
		Use:   "me",
		Short: "Show what Easy Auth knows about a session (/.auth/me)",
		Long: `Call an App Service app's /.auth/me with the user's session and show, per
identity provider, who the user is, every claim, the tokens the token store holds
with their expiry, and a summary of each token. Raw tokens and the cookie are
never printed unless --show-tokens.

The session is the AppServiceAuthSession cookie: its value, "AppServiceAuthSession=…",
or a whole Cookie header copied from the browser. Pass it with "--cookie -" on
standard input or in AZID_COOKIE, so that it does not appear in the process list.
--zumo sends an X-ZUMO-AUTH token instead.

With --refresh, /.auth/refresh runs first and the change of the access token's
expiry is shown.

Failures are diagnosed: a rejected session, the login page, no /.auth/me (Easy
Auth off), and an empty token store each get their own message and hint.

With --from, azid reads an answer of /.auth/me saved earlier instead of calling
the app: its JSON body, or what curl -v or curl -i printed (status line,
Location, body). It gets the same view and diagnoses; --url, if given, names the
app in hints.`,
		Example: `  pbpaste | azid me --url https://contoso.azurewebsites.net --cookie -
  AZID_COOKIE='AppServiceAuthSession=…' azid me --url contoso.azurewebsites.net
  azid me --url "$APP" --cookie - --refresh < cookie.txt
  azid me --url "$APP" --cookie - -o json | jq '.identities[0].roles'
  curl -sv "$APP/.auth/me" -H "Cookie: $COOKIE" 2>&1 | azid me --from -`,
		Args: cmdutil.MaximumArgs(0, "me takes no arguments: give the app with --url"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.From != "" && (opts.Cookie != "" || opts.Zumo != "" || opts.Refresh) {
				return cmdutil.UsageErrorf("--from reads a saved answer: it takes no --cookie, --zumo or --refresh")
			}
			if opts.Cookie == "" && opts.Zumo == "" && opts.From == "" {
				opts.Cookie = f.Env("AZID_COOKIE")
			}
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	f.SettingFlag(cmd.Flags(), &opts.URL, "AZID_APP_URL", "the app, such as https://contoso.azurewebsites.net")
	cmd.Flags().StringVar(&opts.Cookie, "cookie", "", `the AppServiceAuthSession cookie or Cookie header; "-" reads it from standard input (env AZID_COOKIE)`)
	cmd.Flags().StringVar(&opts.Zumo, "zumo", "", `an X-ZUMO-AUTH token to send instead of the cookie; "-" reads it from standard input`)
	cmd.Flags().StringVar(&opts.From, "from", "", `read a saved /.auth/me answer (its body, or curl -v / curl -i output) from a file, or "-" for standard input`)
	cmd.Flags().BoolVar(&opts.Refresh, "refresh", false, "call /.auth/refresh first and show what changed")
	cmd.Flags().BoolVar(&opts.ShowTokens, "show-tokens", false, "also print the raw tokens (secrets!)")
	return cmd
}

// credential reads the session from the flags, standard input or the environment.
func credential(opts *Options) (easyauth.Credential, error) {
	cred, err := session.Read(opts.IO, opts.Cookie, opts.Zumo)
	if errors.Is(err, session.ErrNone) {
		return cred, cmdutil.UsageErrorf("no session given: pass --cookie - (and paste the AppServiceAuthSession cookie), set AZID_COOKIE, or use --zumo")
	}
	return cred, err
}

// run calls /.auth/me (after /.auth/refresh with --refresh) and prints.
func run(ctx context.Context, opts *Options) error {
	if opts.From != "" {
		return runFrom(opts)
	}
	origin, err := easyauth.AppOrigin(opts.URL)
	if errors.Is(err, easyauth.ErrNoAppURL) {
		return cmdutil.UsageErrorf("no app URL: give --url https://<app>.azurewebsites.net or set AZID_APP_URL")
	}
	if err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	cred, err := credential(opts)
	if err != nil {
		return err
	}
	httpc, err := opts.HTTPClient()
	if err != nil {
		return err
	}
	client := &easyauth.Client{HTTP: httpc, BaseURL: origin}
	at := site{origin: origin, platform: platformOf(origin), zumo: cred.Zumo != ""}
	var before []easyauth.Identity
	if opts.Refresh {
		before, err = client.Me(ctx, cred)
		if err != nil {
			return explain(err, at)
		}
		if err := client.Refresh(ctx, cred); err != nil {
			return explain(err, at)
		}
	}
	ids, err := client.Me(ctx, cred)
	if err != nil {
		return explain(err, at)
	}
	return show(opts, origin, before, ids)
}

// show prints the identities of a session.
func show(opts *Options, origin string, before, ids []easyauth.Identity) error {
	now := opts.Now()
	res := Result{App: origin, Identities: make([]IdentityJSON, 0, len(ids))}
	for i := range ids {
		res.Identities = append(res.Identities, toJSON(&ids[i], now, opts.ShowTokens))
	}
	if opts.Refresh {
		res.Refresh = refreshChange(before, ids)
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, res)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	var buf bytes.Buffer
	if res.Refresh != nil {
		writeRefresh(&buf, p, res.Refresh, now)
	}
	for i := range ids {
		if i > 0 {
			buf.WriteByte('\n')
		}
		writeIdentity(&buf, p, &ids[i], &res.Identities[i], now, opts.ShowTokens)
	}
	_, err := opts.IO.Out.Write(buf.Bytes())
	return err
}

// site is what the hints of a failure need to know of the app.
type site struct {
	origin   string // "" when not known
	platform easyauth.Platform
	zumo     bool // the session was an X-ZUMO-AUTH token
}

func platformOf(origin string) easyauth.Platform {
	_, host, _ := strings.Cut(origin, "://")
	return easyauth.PlatformOf(host)
}

// at names a path of the app: "https://contoso.azurewebsites.net/.auth/login/aad",
// or "the app's /.auth/login/aad" when the app is not known.
func (s site) at(path string) string {
	if s.origin == "" {
		return "the app's " + path
	}
	return s.origin + path
}

func (s site) cookieName() string {
	if s.platform == easyauth.PlatformStaticWebApps {
		return easyauth.SWASessionCookie
	}
	return easyauth.SessionCookie
}

// appName is the App Service app's name from its default host name
// (contoso for contoso.azurewebsites.net), or "<app>".
func (s site) appName() string {
	_, host, _ := strings.Cut(s.origin, "://")
	if name, ok := strings.CutSuffix(strings.ToLower(host), ".azurewebsites.net"); ok && name != "" && !strings.Contains(name, ".") {
		return name
	}
	return "<app>"
}

func (s site) forApp() string {
	if s.origin == "" {
		return ""
	}
	return " for " + s.origin
}

// explain maps /.auth failures to exit codes and hints that fit the platform.
func explain(err error, s site) error {
	var refreshErr *easyauth.RefreshError
	var reqErr *easyauth.RequestError
	switch {
	case errors.Is(err, easyauth.ErrSessionRejected) && s.zumo:
		return cmdutil.WithExit(cmdutil.ExitAuth, err, `get a fresh X-ZUMO-AUTH token (POST {"access_token": "<Entra access token>"} to `+s.at("/.auth/login/aad")+` and pass the authenticationToken it returns): --zumo takes that token, not a cookie`)
	case errors.Is(err, easyauth.ErrSessionRejected):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "copy a fresh "+s.cookieName()+" cookie"+s.forApp()+" from the browser (DevTools › Application › Cookies)")
	case errors.Is(err, easyauth.ErrNotSignedIn), errors.Is(err, easyauth.ErrSWANotSignedIn):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "sign in at "+s.at("/.auth/login/aad")+", then copy the "+s.cookieName()+" cookie and send it (--cookie -)")
	case errors.Is(err, easyauth.ErrEmptyStore) && s.platform == easyauth.PlatformContainerApps:
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "Container Apps keeps tokens only in a blob token store: configure one (a SAS URL of a blob container with read, write and list) in the app's authentication settings, then sign in again")
	case errors.Is(err, easyauth.ErrEmptyStore):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "turn the token store on (az webapp auth update -g <group> -n "+s.appName()+" --enable-token-store true) and sign in again; if it is on and tokens vanish on restarts or in containers, use a blob token store (WEBSITE_AUTH_TOKEN_CONTAINER_SASURL)")
	case errors.Is(err, easyauth.ErrNoAuthEndpoint):
		return cmdutil.WithExit(cmdutil.ExitFailure, err, "turn on App Service Authentication for the app; on Container Apps, configure its token store")
	case errors.As(err, &refreshErr):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, refreshErr.Hint())
	case errors.As(err, &reqErr):
		return fmt.Errorf("calling %s%s: %s", s.origin, reqErr.Path, httpclient.Describe(reqErr.Err))
	}
	return err
}
