// Package me implements `azid me`: what App Service Authentication knows
// about a session, from the app's /.auth/me, and `--refresh`.
package me

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
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

	URL        string
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
Auth off), and an empty token store each get their own message and hint.`,
		Example: `  pbpaste | azid me --url https://contoso.azurewebsites.net --cookie -
  AZID_COOKIE='AppServiceAuthSession=…' azid me --url contoso.azurewebsites.net
  azid me --url "$APP" --cookie - --refresh < cookie.txt
  azid me --url "$APP" --cookie - -o json | jq '.identities[0].roles'`,
		Args: cmdutil.MaximumArgs(0, "me takes no arguments: give the app with --url"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cookie == "" && opts.Zumo == "" {
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
	var before []easyauth.Identity
	if opts.Refresh {
		before, err = client.Me(ctx, cred)
		if err != nil {
			return explain(err, origin)
		}
		if err := client.Refresh(ctx, cred); err != nil {
			return explain(err, origin)
		}
	}
	ids, err := client.Me(ctx, cred)
	if err != nil {
		return explain(err, origin)
	}
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
	_, err = opts.IO.Out.Write(buf.Bytes())
	return err
}

// explain maps /.auth failures to exit codes and hints.
func explain(err error, origin string) error {
	var refreshErr *easyauth.RefreshError
	var reqErr *easyauth.RequestError
	switch {
	case errors.Is(err, easyauth.ErrSessionRejected):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "copy a fresh AppServiceAuthSession cookie for "+origin+" from the browser (DevTools › Application › Cookies)")
	case errors.Is(err, easyauth.ErrNotSignedIn), errors.Is(err, easyauth.ErrSWANotSignedIn):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "sign in at "+origin+"/.auth/login/aad, then copy the AppServiceAuthSession cookie")
	case errors.Is(err, easyauth.ErrEmptyStore):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, "configure a blob token store (WEBSITE_AUTH_TOKEN_CONTAINER_SASURL, or login.tokenStore.azureBlobStorage), then sign in again")
	case errors.Is(err, easyauth.ErrNoAuthEndpoint):
		return cmdutil.WithExit(cmdutil.ExitFailure, err, "turn on App Service Authentication for the app; on Container Apps, configure its token store")
	case errors.As(err, &refreshErr):
		return cmdutil.WithExit(cmdutil.ExitAuth, err, refreshErr.Hint())
	case errors.As(err, &reqErr):
		return fmt.Errorf("calling %s%s: %s", origin, reqErr.Path, httpclient.Describe(reqErr.Err))
	}
	return err
}
