package cmdutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// SignInFlags are the flags that say where and as what to sign in, shared by
// login, token, status and logout.
type SignInFlags struct {
	Tenant   string
	ClientID string
	Scopes   []string
}

// Register adds --tenant, --client-id and (when withScope) --scope, with the
// AZURE_TENANT_ID and AZURE_CLIENT_ID environment variables as defaults.
func (s *SignInFlags) Register(fs *pflag.FlagSet, f *Factory, withScope bool) {
	fs.StringVar(&s.Tenant, "tenant", getenv(f, "AZURE_TENANT_ID"), "tenant ID or domain, or organizations/common/consumers (env AZURE_TENANT_ID; default organizations)")
	fs.StringVar(&s.ClientID, "client-id", getenv(f, "AZURE_CLIENT_ID"), "application (client) ID (env AZURE_CLIENT_ID; default the Azure CLI's public client)")
	if withScope {
		fs.StringArrayVar(&s.Scopes, "scope", nil, "scope to request (repeatable; default "+login.DefaultScope+")")
	}
}

func getenv(f *Factory, name string) string {
	if f.Getenv == nil {
		return ""
	}
	return f.Getenv(name)
}

// ScopeList returns the requested scopes, or the default.
func (s *SignInFlags) ScopeList() []string {
	if len(s.Scopes) == 0 {
		return []string{login.DefaultScope}
	}
	return s.Scopes
}

// Home returns azid's directory for secrets: AZID_HOME, or the user config
// directory + /azid.
func Home(f *Factory) (string, error) {
	if h := getenv(f, "AZID_HOME"); h != "" {
		return h, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config directory (set AZID_HOME): %w", err)
	}
	return filepath.Join(dir, "azid"), nil
}

// LoginConfig builds the sign-in configuration: the token cache under
// AZID_HOME, the global --authority-host, and the HTTP client.
func (s *SignInFlags) LoginConfig(f *Factory) (login.Config, error) {
	home, err := Home(f)
	if err != nil {
		return login.Config{}, err
	}
	httpc, err := f.HTTPClient()
	if err != nil {
		return login.Config{}, err
	}
	errP := output.NewPalette(f.IOStreams.ColorErr())
	store := &login.Store{Path: filepath.Join(home, login.CacheFileName), Now: f.Now,
		Warn: func(m string) { fmt.Fprintf(f.IOStreams.ErrOut, "%s %s\n", errP.Yellow("warning:"), m) }}
	c := login.Config{Tenant: s.Tenant, ClientID: s.ClientID, HTTPClient: httpc, Store: store}
	if f.Global != nil {
		c.AuthorityHost = f.Global.AuthorityHost
	}
	if _, err := c.Authority(); err != nil {
		return login.Config{}, &FlagError{Err: err}
	}
	return c, nil
}

// AuthFailure turns a sign-in error into an exit error: Entra's AADSTS
// errors explained (exit 4 when signing in again is the fix), not signed in
// (exit 4), an interrupt (130), the rest as they are.
func AuthFailure(err error, loginHint string) error {
	if err == nil {
		return nil
	}
	err = login.Explain(err)
	var ae *login.AuthError
	var amb *login.AmbiguousAccountError
	switch {
	case errors.As(err, &ae):
		code := ExitFailure
		hint := ae.Hint
		if ae.NeedsSignIn {
			code = ExitAuth
			if hint == "" {
				hint = loginHint
			}
		}
		return &ExitError{Code: code, Err: ae, Hint: hint}
	case errors.Is(err, login.ErrNotSignedIn):
		return &ExitError{Code: ExitAuth, Err: err, Hint: loginHint}
	case errors.As(err, &amb):
		return &FlagError{Err: err}
	}
	return err
}
