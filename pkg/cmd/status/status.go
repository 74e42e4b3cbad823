// Package status implements `azid status`: the users and apps signed in to
// the token cache, and the tokens held for each, never a secret.
package status

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/timefmt"
)

// Options are the inputs of `azid status`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Now    time.Time
	SignIn cmdutil.SignInFlags
	// Config is the sign-in configuration (the cache, the authority).
	Config signin.Config

	tenantID string // --tenant as a tenant ID, when the cache knows the domain
}

// AccountStatus is one signed-in identity (a user or an app) and its tokens.
type AccountStatus struct {
	Type            string        `json:"type"`
	Username        string        `json:"username,omitempty"`
	HomeAccountID   string        `json:"home_account_id,omitempty"`
	ClientID        string        `json:"client_id,omitempty"`
	TenantID        string        `json:"tenant_id"`
	Tenants         []string      `json:"tenants,omitempty"`
	Environment     string        `json:"environment"`
	Cloud           entra.Cloud   `json:"cloud"`
	HasRefreshToken bool          `json:"has_refresh_token"`
	Tokens          []TokenStatus `json:"tokens"`
}

// TokenStatus is one cached access token, without its secret.
type TokenStatus struct {
	Scopes    []string  `json:"scopes"`
	ClientID  string    `json:"client_id"`
	Tenant    string    `json:"tenant"`
	ExpiresAt time.Time `json:"expires_at"`
	Expired   bool      `json:"expired"`
}

// Status is the JSON form of `azid status`.
type Status struct {
	Cache string `json:"cache"`
	// Storage says where the tokens rest: the system keyring or a file.
	Storage  signin.Storage  `json:"storage"`
	Accounts []AccountStatus `json:"accounts"`
}

// NewCmd builds the status command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "List the signed-in accounts and apps and the tokens held for each (no secrets)",
		Long: `List the users and service principals in azid's token cache, with their tenant,
cloud and the access tokens held (scopes, expiry), never a secret. --tenant,
--client-id and --authority-host (or AZURE_TENANT_ID, AZURE_CLIENT_ID,
AZURE_AUTHORITY_HOST) narrow the list to what "azid token" with the same
settings would use.

Nothing signed in (or nothing matching): exit 4, with the azid login command to run.`,
		Args: cmdutil.MaximumArgs(0, "status takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = f.Global.Format()
			opts.Now = f.Now()
			cfg, err := opts.SignIn.LoginConfig(f)
			if err != nil {
				return err
			}
			opts.Config = cfg
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	opts.SignIn.Register(cmd.Flags(), f, false)
	return cmd
}

func run(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	inv, err := signin.ReadInventory(ctx, opts.Config.Store, opts.Now)
	if err != nil {
		return err
	}
	opts.tenantID = inv.TenantID(opts.SignIn.Tenant)
	st := &Status{Cache: opts.Config.Store.Path, Storage: opts.Config.Store.Storage(), Accounts: []AccountStatus{}}
	for _, id := range inv.Identities {
		if as, ok := opts.match(id); ok {
			st.Accounts = append(st.Accounts, as)
		}
	}
	if opts.Format != output.FormatText {
		if err := output.Write(opts.IO.Out, opts.Format, st); err != nil {
			return err
		}
	} else if len(st.Accounts) > 0 {
		print(opts, st)
	}
	if len(st.Accounts) == 0 {
		return cmdutil.WithExit(cmdutil.ExitAuth, signin.ErrNotSignedIn, loginHint(opts.SignIn))
	}
	return nil
}

// match applies --tenant, --client-id and --authority-host to an identity.
func (o *Options) match(id signin.CachedIdentity) (AccountStatus, bool) {
	as := AccountStatus{Type: id.Type, Username: id.Username, HomeAccountID: id.HomeAccountID, ClientID: id.ClientID, TenantID: id.TenantID,
		Environment: id.Environment, Cloud: entra.CloudOfHost(hostname(id.Environment)), HasRefreshToken: id.HasRefreshToken, Tokens: []TokenStatus{}}
	if id.Type == signin.TypeUser {
		as.Tenants = id.Tenants
	}
	if o.Config.AuthorityHost != "" {
		if u, err := url.Parse(o.Config.AuthorityHost); err == nil && !strings.EqualFold(u.Host, id.Environment) {
			return as, false
		}
	}
	tenant := strings.ToLower(o.SignIn.Tenant)
	switch tenant {
	case "", "organizations", "common", "consumers":
		tenant = ""
	}
	names := []string{tenant, o.tenantID}
	inTenant := func(t string) bool { return tenant == "" || contains(names, t) }
	if tenant != "" && !inTenant(id.TenantID) && !containsAny(id.Tenants, names) {
		return as, false
	}
	if id.Type == signin.TypeServicePrincipal && o.SignIn.ClientID != "" && !strings.EqualFold(id.ClientID, o.SignIn.ClientID) {
		return as, false
	}
	for _, t := range id.Tokens {
		if o.SignIn.ClientID != "" && !strings.EqualFold(t.ClientID, o.SignIn.ClientID) {
			continue
		}
		if !inTenant(t.Tenant) {
			continue
		}
		as.Tokens = append(as.Tokens, TokenStatus{Scopes: t.Scopes, ClientID: t.ClientID, Tenant: t.Tenant, ExpiresAt: t.ExpiresAt, Expired: t.Expired})
	}
	if id.Type == signin.TypeServicePrincipal && len(as.Tokens) == 0 {
		return as, false
	}
	return as, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v != "" && strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func containsAny(list, names []string) bool {
	for _, n := range names {
		if contains(list, n) {
			return true
		}
	}
	return false
}

func print(opts *Options, st *Status) {
	out, now := opts.IO.Out, opts.Now
	p := output.NewPalette(opts.IO.ColorOut())
	// One list of rows per account, aligned with one another.
	heads := make([]string, len(st.Accounts))
	lists := make([][]output.KV, len(st.Accounts))
	for i, a := range st.Accounts {
		row := func(label, value string) { lists[i] = append(lists[i], output.KV{Key: label, Value: value}) }
		if a.Type == signin.TypeServicePrincipal {
			heads[i] = fmt.Sprintf("%s %s", p.Bold(output.Sanitize(a.ClientID)), p.Dim("(service principal)"))
			row("application", output.Sanitize(a.ClientID))
		} else {
			heads[i] = p.Bold(output.Sanitize(a.Username))
		}
		row("tenant", output.Sanitize(a.TenantID))
		if len(a.Tenants) > 1 || (len(a.Tenants) == 1 && !strings.EqualFold(a.Tenants[0], a.TenantID)) {
			row("signed in to", output.Sanitize(strings.Join(a.Tenants, ", ")))
		}
		row("cloud", fmt.Sprintf("%s (%s)", output.Sanitize(a.Environment), a.Cloud.Description()))
		if a.Type == signin.TypeUser {
			row("home account", output.Sanitize(a.HomeAccountID))
			rt := "no"
			if a.HasRefreshToken {
				rt = "yes (silent refresh possible)"
			}
			row("refresh tok.", rt)
		}
		for _, t := range a.Tokens {
			when := "expires " + timefmt.Relative(t.ExpiresAt, now)
			if t.Expired {
				when = p.Yellow("expired " + timefmt.Relative(t.ExpiresAt, now))
			}
			row("access token", output.Sanitize(strings.Join(t.Scopes, " "))+" · "+when)
		}
	}
	keyCols := output.KeyColumns(lists...)
	for i := range st.Accounts {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintln(out, heads[i])
		_ = output.KeyValuesWidth(out, lists[i], 2, keyCols, p.Dim)
	}
	fmt.Fprintf(out, "\n%s %s\n", p.Dim("tokens at rest:"), StorageLine(st.Storage))
	hint := `get a token with "azid token"; sign out with "azid logout"`
	for _, a := range st.Accounts {
		if a.Type == signin.TypeServicePrincipal {
			hint = `get a token with "azid token" (users) or "azid token --service-principal" (apps); sign out with "azid logout"`
			break
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s %s\n", p.Dim("hint:"), hint)
}

// StorageLine says in words where the tokens rest.
func StorageLine(s signin.Storage) string {
	if s.Kind == "keyring" {
		return "encrypted (AES-256-GCM); the key is in " + s.Where
	}
	line := "in a file readable by your user only (" + output.Sanitize(s.Where) + ")"
	if s.Fallback != "" {
		line += "; " + s.Fallback
	}
	return line
}

// loginHint is the azid login command that would sign in for these settings.
func loginHint(s cmdutil.SignInFlags) string {
	parts := []string{"azid", "login"}
	if s.Tenant != "" {
		parts = append(parts, "--tenant", s.Tenant)
	}
	if s.ClientID != "" {
		parts = append(parts, "--client-id", s.ClientID)
	}
	return `run "` + strings.Join(parts, " ") + `"`
}

func hostname(env string) string {
	if u, err := url.Parse("https://" + env); err == nil {
		return u.Hostname()
	}
	return env
}
