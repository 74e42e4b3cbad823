// Package login implements `azid login` and `azid logout`.
package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	signincmd "github.com/azid-cli/azid/pkg/cmd/internal/signin"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid login`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	// Env reads an environment variable (AZURE_CLIENT_SECRET, BROWSER).
	Env func(string) string
	// Config builds the sign-in configuration for the sign-in flags.
	Config signincmd.ConfigFunc
	SignIn cmdutil.SignInFlags

	Browser          bool
	ServicePrincipal bool
	SecretFile       string
	Certificate      string
	// Claims is a claims request (JSON) from a Conditional Access / CAE challenge.
	Claims string
	// BrowserWait bounds --browser: how long to wait for the redirect
	// (default the larger of --timeout and 5 minutes).
	BrowserWait time.Duration
}

// MinBrowserWait is the least time --browser waits for the sign-in to come back.
const MinBrowserWait = 5 * time.Minute

// NewCmd builds the login command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Env: f.Env, Config: signincmd.Config(f)}
	var secret cmdutil.SecretFlag
	var claimsFlag string
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to Entra ID (device code, browser, or service principal)",
		Long: `Sign in to Microsoft Entra ID and keep the tokens in azid's token cache
(AZID_HOME, mode 0600), for "azid token", "azid graph" and scripts.

By default the device-code flow: the code and the URL go to standard error, and
standard output gets the signed-in account. --browser uses the authorization-code
flow with PKCE and a loopback redirect (the browser is $BROWSER, or the system's;
the URL is printed in case none opens; it gives up after the larger of --timeout
and 5 minutes). --service-principal gets an app-only token
with client credentials: the secret comes from AZURE_CLIENT_SECRET or
--client-secret-file, or a certificate from --certificate (PEM with its key). A
secret is never accepted as a flag value, and never stored.

Defaults: tenant organizations, the Azure CLI public client
04b07795-8ddb-461a-bbee-02f9e1bf7b46, scope https://graph.microsoft.com/.default.`,
		Example: `  azid login
  azid login --tenant contoso.onmicrosoft.com --scope api://my-api/.default
  azid login --browser
  AZURE_CLIENT_SECRET=… azid login --service-principal --tenant $TENANT --client-id $APP_ID`,
		Args: cmdutil.MaximumArgs(0, "login takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = f.Global.Format()
			if err := secret.Check(cmd.Flags()); err != nil {
				return err
			}
			claims, err := cmdutil.ParseClaims(claimsFlag)
			if err != nil {
				return err
			}
			opts.Claims = claims
			if opts.BrowserWait == 0 {
				opts.BrowserWait = max(f.Global.Timeout, MinBrowserWait)
			}
			if opts.Browser && opts.ServicePrincipal {
				return cmdutil.UsageErrorf("--browser and --service-principal cannot be combined")
			}
			if !opts.ServicePrincipal && (opts.SecretFile != "" || opts.Certificate != "") {
				return cmdutil.UsageErrorf("--client-secret-file and --certificate need --service-principal")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	secret.Register(cmd.Flags())
	cmd.Flags().StringVar(&claimsFlag, "claims", "", "a claims request (JSON, or the base64 of a claims challenge) to satisfy Conditional Access or CAE")
	opts.SignIn.Register(cmd.Flags(), f, true)
	cmd.Flags().BoolVar(&opts.Browser, "browser", false, "sign in in a browser (authorization code with PKCE) instead of with a device code")
	cmd.Flags().BoolVar(&opts.ServicePrincipal, "service-principal", false, "sign in as an app with client credentials")
	cmd.Flags().StringVar(&opts.SecretFile, "client-secret-file", "", "file holding the client secret (instead of AZURE_CLIENT_SECRET)")
	cmd.Flags().StringVar(&opts.Certificate, "certificate", "", "PEM file holding the app's certificate and private key")
	return cmd
}

// AccountJSON is the JSON form of a signed-in account.
type AccountJSON struct {
	Account   signin.Account `json:"account"`
	Scopes    []string       `json:"scopes"`
	ExpiresOn int64          `json:"expires_on"`
	ExpiresAt time.Time      `json:"expires_at"`
}

// run signs in.
func run(ctx context.Context, opts *Options) error {
	ctx, stop := cmdutil.InterruptContext(ctx)
	defer stop()
	cfg, err := opts.Config(opts.SignIn)
	if err != nil {
		return err
	}
	scopes := opts.SignIn.ScopeList()
	var res signin.Result
	switch {
	case opts.ServicePrincipal:
		if err := needAppIdentity(opts.SignIn); err != nil {
			return err
		}
		cred, err := signincmd.AppCredential(opts.Env, opts.SecretFile, opts.Certificate)
		if err != nil {
			return err
		}
		// a sign-in always asks Entra: a wrong secret must fail even with a cached token
		res, err = signin.ServicePrincipal(ctx, cfg, scopes, cred, signin.Request{Claims: opts.Claims}, true)
		if err != nil {
			return cmdutil.AuthFailure(err, "")
		}
	case opts.Browser:
		res, err = signin.Browser(ctx, cfg, scopes, signin.Request{Claims: opts.Claims}, opts.BrowserWait, func(url string) error { return openBrowser(opts.IO, opts.Env, url) })
		if err != nil {
			return cmdutil.AuthFailure(err, "run azid login again")
		}
	default:
		var wait *countdown
		res, err = signin.DeviceCode(ctx, cfg, scopes, signin.Request{Claims: opts.Claims}, func(p signin.DeviceCodePrompt) {
			fmt.Fprintln(opts.IO.ErrOut, output.Sanitize(p.Message)) // text from the network
			if opts.IO.IsStderrTTY() {
				wait = startCountdown(opts.IO.ErrOut, p.ExpiresOn)
			}
		})
		wait.stop()
		if err != nil {
			return cmdutil.AuthFailure(err, "run azid login again")
		}
	}
	if st := cfg.Store.Storage(); st.Fallback != "" {
		output.Note(opts.IO.ErrOut, output.NewPalette(opts.IO.ColorErr()), "tokens stored in a file readable by your user only; %s", st.Fallback)
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, AccountJSON{Account: res.Account, Scopes: nonNil(res.Scopes), ExpiresOn: res.ExpiresOn.Unix(), ExpiresAt: res.ExpiresOn.UTC()})
	}
	p := output.NewPalette(opts.IO.ColorOut())
	tenant := res.Account.Realm
	if tenant == "" {
		tenant = res.Account.TenantID
	}
	who := describeAccount(res.Account)
	fmt.Fprintf(opts.IO.Out, "%s %s (tenant %s, %s)\n", p.Green("✓ signed in as"), output.Sanitize(who), output.Sanitize(tenant), output.Sanitize(res.Account.Environment))
	fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", p.Dim("hint:"), nextStep(res.Account))
	return nil
}

func nextStep(a signin.Account) string {
	if a.Type == signin.TypeServicePrincipal {
		return `get its token with "azid token --service-principal" (same --client-id, --tenant and credential); see it in "azid status"`
	}
	return `get a token with "azid token", or query Graph with "azid graph me"; see the account in "azid status"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func needAppIdentity(s cmdutil.SignInFlags) error {
	if s.ClientID == "" || s.ClientID == signin.DefaultClientID {
		return cmdutil.UsageErrorf("--service-principal needs the app's --client-id (or AZURE_CLIENT_ID)")
	}
	switch strings.ToLower(s.Tenant) {
	case "", "organizations", "common", "consumers":
		return cmdutil.UsageErrorf("--service-principal needs the app's tenant: --tenant <tenant ID or domain> (or AZURE_TENANT_ID)")
	}
	return nil
}

// openBrowser opens url with $BROWSER or the system's opener, and always
// prints it, in case no browser can be opened.
func openBrowser(ios *iostreams.IOStreams, env func(string) string, url string) error {
	fmt.Fprintf(ios.ErrOut, "Opening the sign-in page in a browser. If none opens, visit:\n  %s\n", url)
	var cmd *exec.Cmd
	if b := env("BROWSER"); b != "" {
		cmd = exec.Command(b, url)
	} else {
		switch runtime.GOOS {
		case "darwin":
			cmd = exec.Command("open", url)
		case "windows":
			cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
		default:
			cmd = exec.Command("xdg-open", url)
		}
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(ios.ErrOut, "(no browser could be opened; open the URL above yourself)")
		return nil
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// countdown shows the time left to finish a device-code sign-in, on one
// terminal line of standard error.
type countdown struct {
	done chan struct{}
	wg   sync.WaitGroup
	w    io.Writer
}

func startCountdown(w io.Writer, deadline time.Time) *countdown {
	c := &countdown{done: make(chan struct{}), w: w}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			left := time.Until(deadline).Round(time.Second)
			if left < 0 {
				left = 0
			}
			fmt.Fprintf(w, "\r\033[KWaiting for sign-in… %d:%02d left (Ctrl-C to cancel)", int(left.Minutes()), int(left.Seconds())%60)
			select {
			case <-c.done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-t.C:
			}
		}
	}()
	return c
}

func (c *countdown) stop() {
	if c == nil {
		return
	}
	close(c.done)
	c.wg.Wait()
}

// LogoutOptions are the inputs of `azid logout`.
type LogoutOptions struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Config signincmd.ConfigFunc
	SignIn cmdutil.SignInFlags
	// Account is the account to remove (username or home account ID).
	Account string
	// All removes every account.
	All bool
}

// NewLogoutCmd builds the logout command.
func NewLogoutCmd(f *cmdutil.Factory, runF func(context.Context, *LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IOStreams, Config: signincmd.Config(f)}
	cmd := &cobra.Command{
		Use:   "logout [ACCOUNT | --all]",
		Short: "Remove signed-in accounts and their tokens from the cache",
		Long: `Remove a signed-in account and its tokens from azid's token cache. ACCOUNT (or
--account) is a username or a home account ID, as "azid status" lists them; with
one account signed in it may be left out. --all removes every account, users and
service principals alike.`,
		Example: `  azid logout
  azid logout alex@contoso.com
  azid logout --all`,
		Args: cmdutil.MaximumArgs(1, "logout takes one account (or --all)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if opts.Account != "" && opts.Account != args[0] {
					return cmdutil.UsageErrorf("give the account once: as an argument or with --account")
				}
				opts.Account = args[0]
			}
			if opts.All && opts.Account != "" {
				return cmdutil.UsageErrorf("give an account or --all, not both")
			}
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runLogout(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Account, "account", "", "the account to remove (username or home account ID)")
	cmd.Flags().BoolVar(&opts.All, "all", false, "remove every account")
	opts.SignIn.Register(cmd.Flags(), f, false)
	return cmd
}

// runLogout removes the accounts and says which.
func runLogout(ctx context.Context, opts *LogoutOptions) error {
	cfg, err := opts.Config(opts.SignIn)
	if err != nil {
		return err
	}
	removed, err := signin.Logout(ctx, cfg, opts.Account, opts.All)
	if errors.Is(err, signin.ErrNotSignedIn) && opts.Account == "" {
		fmt.Fprintln(opts.IO.ErrOut, "not signed in: nothing to remove")
		return nil
	}
	if err != nil {
		return cmdutil.AuthFailure(err, `see the signed-in accounts with "azid status"`)
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, map[string]any{"removed": removed})
	}
	for _, a := range removed {
		fmt.Fprintf(opts.IO.Out, "signed out %s\n", output.Sanitize(describeAccount(a)))
	}
	p := output.NewPalette(opts.IO.ColorErr())
	fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", p.Dim("hint:"), `sign in again with "azid login"; see what is left with "azid status"`)
	return nil
}

// describeAccount names an account for people: its username, or the app of
// a service principal.
func describeAccount(a signin.Account) string {
	if a.Type == signin.TypeServicePrincipal {
		return "app " + a.ClientID + " (service principal)"
	}
	return a.Username
}
