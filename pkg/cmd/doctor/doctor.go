// Package doctor implements `azid doctor URL`: a diagnosis of a live app's
// App Service Authentication (Easy Auth) from outside, and with the user's
// session from inside.
package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/buildinfo"
	"github.com/azid-cli/azid/pkg/cmd/internal/session"
	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/doctor"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid doctor`.
type Options struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	Format     output.Format
	HTTPClient func() (*http.Client, error)
	// AuthorityHost is --authority-host: an extra Entra host that may be asked.
	AuthorityHost string
	// UserAgent is the API-client User-Agent (azid/<version>).
	UserAgent string

	URL        string
	Platform   string
	Cookie     string
	Zumo       string
	TryRefresh bool
	ProbeEntra bool
	// ARM reads the site's configuration with the signed-in account.
	ARM         bool
	SiteID      string
	ARMEndpoint string
	// ARMToken gets an access token for scope silently from azid login's cache.
	ARMToken func(ctx context.Context, scope string) (string, error)
	signIn   cmdutil.SignInFlags
}

// NewCmd builds the doctor command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, HTTPClient: f.HTTPClient, UserAgent: "azid/" + buildinfo.Get().Version}
	cmd := &cobra.Command{
		Use:   "doctor URL",
		Short: "Diagnose a live app's Easy Auth: sign-in redirect, tenant, scopes, token store, session",
		Long: `Diagnose an app's App Service Authentication (Easy Auth) from outside, as a
support engineer would: GET requests only, never following a redirect, as a
browser and as an API client. URL is any page of the app; its origin is used.

Without credentials it reads the platform from the host, the action for
anonymous browsers and API clients, whether Easy Auth and its Microsoft
provider are on, and the sign-in redirect to Entra (a 302, or a 200 page whose
script redirects): authority, cloud and tenant (and whether the tenant exists),
issuer version, client_id, redirect_uri, response_type (no client secret means
no access or refresh tokens) and scopes (no offline_access means
/.auth/refresh cannot work).

With the user's session (--cookie, in every form azid me takes, or --zumo) it
reads /.auth/me: the token store, each token summarised, their audiences and
expiry; with --try-refresh it calls /.auth/refresh and says what changed.
--probe-entra asks Entra itself for the sign-in page and reads the AADSTS
error on it (unofficial: the page is HTML, not an API).

Each check is ok, warn, fail or skipped (with why); then the causes and fixes,
in the order to fix them. Cookies, tokens, state and nonce are never shown.

Exit status: 0 nothing failed, 3 a check failed, 4 the session given was
rejected, 1 the doctor could not run (bad URL, network, TLS).`,
		Example: `  azid doctor https://contoso.azurewebsites.net
  azid doctor contoso.azurewebsites.net/some/page -o json
  pbpaste | azid doctor https://contoso.azurewebsites.net --cookie - --try-refresh
  azid doctor https://www.contoso.com --platform container-apps --probe-entra`,
		Args: cmdutil.ExactArgs(1, "doctor takes the app's URL, such as https://contoso.azurewebsites.net"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URL = args[0]
			if opts.Cookie == "" && opts.Zumo == "" {
				opts.Cookie = f.Env("AZID_COOKIE")
			}
			opts.Format = f.Global.Format()
			opts.AuthorityHost = f.Global.AuthorityHost
			if opts.SiteID != "" {
				opts.ARM = true
			}
			opts.ARMToken = func(ctx context.Context, scope string) (string, error) {
				cfg, err := opts.signIn.LoginConfig(f)
				if err != nil {
					return "", err
				}
				res, err := signin.SilentRequest(ctx, cfg, []string{scope}, "", opts.signIn.Tenant, signin.Request{})
				if err != nil {
					return "", err
				}
				return res.AccessToken, nil
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Platform, "platform", "", "the platform, when the host does not tell: app-service, container-apps or static-web-apps")
	fl.StringVar(&opts.Cookie, "cookie", "", `the user's AppServiceAuthSession cookie or Cookie header, to check the session too; "-" reads it from standard input (env AZID_COOKIE)`)
	fl.StringVar(&opts.Zumo, "zumo", "", `an X-ZUMO-AUTH token to send instead of the cookie; "-" reads it from standard input`)
	fl.BoolVar(&opts.TryRefresh, "try-refresh", false, "with a session: call /.auth/refresh and report what changed")
	fl.BoolVar(&opts.ProbeEntra, "probe-entra", false, "request the sign-in URL from Entra and read the AADSTS error on its page (unofficial)")
	fl.BoolVar(&opts.ARM, "arm", false, "also read the site's configuration (config/authsettingsV2, never its secrets) from Azure Resource Manager with the account azid login signed in")
	fl.StringVar(&opts.SiteID, "site-id", "", "the site's resource ID (/subscriptions/…/providers/Microsoft.Web/sites/NAME) instead of finding it by host name; implies --arm")
	f.SettingFlag(fl, &opts.ARMEndpoint, "AZID_ARM_ENDPOINT", "Azure Resource Manager base URL, for national clouds (default https://management.azure.com)")
	_ = cmd.RegisterFlagCompletionFunc("platform", cobra.FixedCompletions([]string{"app-service", "container-apps", "static-web-apps"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// origin reduces the URL given to the app's origin, saying when https was assumed.
func origin(opts *Options) (string, error) {
	raw := strings.TrimSpace(opts.URL)
	if raw != "" && !strings.Contains(raw, "://") {
		fmt.Fprintf(opts.IO.ErrOut, "note: no scheme given: using https://%s\n", output.Sanitize(raw))
	}
	o, err := easyauth.AppOrigin(raw)
	if err != nil {
		if errors.Is(err, easyauth.ErrNoAppURL) {
			err = errors.New("no app URL given")
		}
		// A URL that is not one is the caller's mistake, as for azid me --url.
		return "", cmdutil.WithExit(cmdutil.ExitUsage, err, "give the app's URL, such as https://contoso.azurewebsites.net")
	}
	u, _ := url.Parse(o)
	if err := httpclient.CheckURL(u); err != nil {
		return "", cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("%s: %w", output.Sanitize(o), httpclient.ErrInsecureURL), "use https://"+u.Host)
	}
	return o, nil
}

func run(ctx context.Context, opts *Options) error {
	o, err := origin(opts)
	if err != nil {
		return err
	}
	d := doctor.Options{Origin: o, Now: opts.Now, UserAgent: opts.UserAgent, TryRefresh: opts.TryRefresh, ProbeEntra: opts.ProbeEntra,
		DescribeError: httpclient.Describe}
	if opts.Platform != "" {
		p, err := doctor.ParsePlatform(opts.Platform)
		if err != nil {
			return &cmdutil.FlagError{Err: fmt.Errorf("--platform: %w", err)}
		}
		d.Platform = p
	}
	if d.Trust, err = trustpolicy.Policy(opts.AuthorityHost); err != nil {
		return err
	}
	cred, err := session.Read(opts.IO, opts.Cookie, opts.Zumo)
	switch {
	case errors.Is(err, session.ErrNone):
		if opts.TryRefresh {
			return cmdutil.UsageErrorf("--try-refresh needs the session: add --cookie - (and paste the AppServiceAuthSession cookie) or --zumo")
		}
	case err != nil:
		return err
	default:
		d.Session = &cred
	}
	if d.HTTP, err = opts.HTTPClient(); err != nil {
		return err
	}
	if opts.ARM {
		if err := armAccess(ctx, opts, &d); err != nil {
			return err
		}
	}
	progress := opts.IO.IsStderrTTY()
	if progress {
		p := output.NewPalette(opts.IO.ColorErr())
		d.Progress = func(step string) {
			fmt.Fprintf(opts.IO.ErrOut, "\r\x1b[K%s", p.Dim("checking… "+output.Sanitize(truncate(step, 70))))
		}
	}
	rep, err := doctor.Diagnose(ctx, d)
	if progress {
		fmt.Fprint(opts.IO.ErrOut, "\r\x1b[K")
	}
	var reqErr *doctor.RequestError
	if errors.As(err, &reqErr) {
		return cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("cannot reach %s: %s", o, httpclient.Describe(reqErr.Err)),
			"check the URL and your network; behind a TLS-inspecting proxy, add its root certificate with --ca-file")
	}
	if err != nil {
		return err
	}
	if opts.Format != output.FormatText {
		if err := output.Write(opts.IO.Out, opts.Format, rep); err != nil {
			return err
		}
	} else if err := writeText(opts.IO, rep); err != nil {
		return err
	}
	return verdict(opts, rep)
}

// verdict turns the report into the exit status and the next step.
func verdict(opts *Options, rep *doctor.Report) error {
	var failed []string
	for _, c := range rep.Checks {
		if c.Status == doctor.Fail {
			failed = append(failed, c.ID)
		}
	}
	switch {
	case rep.CredentialRejected:
		return cmdutil.WithExit(cmdutil.ExitAuth, errors.New("the session given was not accepted by "+rep.URL),
			"sign in at "+rep.URL+"/.auth/login/aad, then copy the new AppServiceAuthSession cookie (DevTools › Application › Cookies) and pass it with --cookie -")
	case len(failed) == 1:
		return cmdutil.WithExit(cmdutil.ExitInvalid, errors.New("1 check failed: "+failed[0]), "fix it as shown above, then run azid doctor again")
	case len(failed) > 1:
		return cmdutil.WithExit(cmdutil.ExitInvalid, fmt.Errorf("%d checks failed: %s", len(failed), strings.Join(failed, ", ")),
			"fix them in the order shown above, then run azid doctor again")
	}
	if opts.Format == output.FormatText {
		p := output.NewPalette(opts.IO.ColorErr())
		hint := "nothing failed; fix the warnings above that matter to you"
		if len(rep.ToFix()) == 0 {
			hint = "nothing to fix"
		}
		if c := rep.Check(doctor.IDARMConfig); c != nil && c.Status == doctor.Warn && strings.Contains(c.Summary, "resource ID") {
			hint += "; give the site with --site-id /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Web/sites/<name>"
		}
		if c := rep.Check(doctor.IDSession); c != nil && c.Status == doctor.Skipped {
			hint += `; to check a signed-in session too, add --cookie - and paste the AppServiceAuthSession cookie`
		} else if c := rep.Check(doctor.IDRefresh); c != nil && c.Status == doctor.Skipped && !opts.TryRefresh {
			hint += "; add --try-refresh to see whether /.auth/refresh works"
		}
		fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", p.Dim("hint:"), hint)
	}
	return nil
}

// armAccess gets the ARM token silently; without one, the configuration
// checks are skipped with the reason and a hint is printed.
func armAccess(ctx context.Context, opts *Options, d *doctor.Options) error {
	endpoint := strings.TrimSuffix(cmp.Or(opts.ARMEndpoint, "https://management.azure.com"), "/")
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || u.Path != "" || httpclient.CheckURL(u) != nil {
		return cmdutil.UsageErrorf("--arm-endpoint: %q is not an https URL such as https://management.azure.com", endpoint)
	}
	if opts.SiteID != "" {
		if err := doctor.CheckSiteID(opts.SiteID); err != nil {
			return &cmdutil.FlagError{Err: fmt.Errorf("--site-id: %w", err)}
		}
	}
	scope := endpoint + "/.default"
	tok, err := opts.ARMToken(ctx, scope)
	if err != nil {
		p := output.NewPalette(opts.IO.ColorErr())
		reason := firstLine(err.Error())
		output.Warning(opts.IO.ErrOut, p, "--arm: no token for Azure Resource Manager: %s", output.Sanitize(reason))
		fmt.Fprintf(opts.IO.ErrOut, "%s run \"azid login --scope %s\" first\n", p.Dim("hint:"), scope)
		d.ARMSkip = "no Azure Resource Manager token: " + reason
		return nil
	}
	d.ARM = &doctor.ARMAccess{Endpoint: endpoint, Token: tok, SiteID: opts.SiteID}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
