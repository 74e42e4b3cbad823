package cmdutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

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
	f.SettingFlag(fs, &s.Tenant, "AZURE_TENANT_ID", "tenant ID or domain, or organizations/common/consumers (default organizations)")
	f.SettingFlag(fs, &s.ClientID, "AZURE_CLIENT_ID", "application (client) ID (default the Azure CLI's public client)")
	if withScope {
		fs.StringArrayVar(&s.Scopes, "scope", nil, "scope to request (repeatable; default "+login.DefaultScope+")")
	}
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
	if h := f.Env("AZID_HOME"); h != "" {
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
		Warn: func(m string) { output.Warning(f.IOStreams.ErrOut, errP, "%s", m) }}
	if store.Keys, store.Fallback, err = tokenStorage(f); err != nil {
		return login.Config{}, err
	}
	c := login.Config{Tenant: s.Tenant, ClientID: s.ClientID, HTTPClient: httpc, Store: store}
	if f.Global != nil {
		c.AuthorityHost = f.Global.AuthorityHost
	}
	if _, err := c.Authority(); err != nil {
		return login.Config{}, &FlagError{Err: err}
	}
	return c, nil
}

// tokenStorage decides where tokens rest (AZID_TOKEN_STORAGE): the system
// keyring where one answers, else a plain file and the reason.
func tokenStorage(f *Factory) (login.KeyStore, string, error) {
	mode := strings.ToLower(strings.TrimSpace(f.Env("AZID_TOKEN_STORAGE")))
	switch mode {
	case "file":
		return nil, "", nil
	case "", "auto", "keyring":
	default:
		return nil, "", UsageErrorf("AZID_TOKEN_STORAGE=%q: use keyring or file (or leave it unset)", mode)
	}
	var why error
	kr := login.SystemKeyring{}
	if runtime.GOOS == "linux" && f.Env("DBUS_SESSION_BUS_ADDRESS") == "" {
		why = errors.New("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)")
	} else if err := (login.SystemKeyring{Timeout: 2 * time.Second}).Probe(); err != nil {
		why = err
		var ku *login.KeyringUnavailableError
		if errors.As(err, &ku) {
			why = ku.Err
		}
	}
	switch {
	case why == nil:
		return kr, "", nil
	case mode == "keyring":
		return nil, "", WithExit(ExitFailure, fmt.Errorf("AZID_TOKEN_STORAGE=keyring, but the system keyring cannot be used: %w", why),
			"start the keyring (on Linux, a Secret Service such as gnome-keyring in a D-Bus session), or set AZID_TOKEN_STORAGE=file")
	}
	return nil, "no system keyring found (" + why.Error() + ")", nil
}

// AuthFailure turns a sign-in error into an exit error: Entra's AADSTS
// errors explained with Entra's own words and the IDs support asks for (exit
// 4 when signing in again or a new credential is the fix), not signed in
// (exit 4), an interrupt (130), the rest as they are. loginHint is the
// command's "run azid login …" advice.
func AuthFailure(err error, loginHint string) error {
	if err == nil {
		return nil
	}
	err = login.Explain(err)
	var ae *login.AuthError
	var amb *login.AmbiguousAccountError
	var apps *login.AppOnlyError
	var bt *login.BrowserTimeoutError
	switch {
	case errors.As(err, &ae):
		code := ExitFailure
		hint := FixHint(ae.Fix, ae.Code)
		if ae.NeedsSignIn || ae.BadCredential {
			code = ExitAuth
		}
		if hint == "" && ae.NeedsSignIn {
			hint = loginHint
		}
		return &ExitError{Code: code, Err: ae, Hint: hint, Details: AuthDetails(ae)}
	case errors.As(err, &apps):
		a := apps.Apps[0]
		return &ExitError{Code: ExitAuth, Err: err, Hint: fmt.Sprintf(`for the app's token add --service-principal: run "azid token --service-principal --client-id %s --tenant %s" with AZURE_CLIENT_SECRET set, or --client-secret-file or --certificate; for a user token, %s`, a.ClientID, a.TenantID, loginHint)}
	case errors.Is(err, login.ErrEncryptedNoKeyring):
		return &ExitError{Code: ExitFailure, Err: err, Hint: "run azid where that keyring is reachable (on Linux, in the desktop's D-Bus session) and without AZID_TOKEN_STORAGE=file; or start over with azid logout --all"}
	case errors.Is(err, login.ErrNotSignedIn):
		return &ExitError{Code: ExitAuth, Err: err, Hint: loginHint}
	case errors.As(err, &amb):
		return &ExitError{Code: ExitUsage, Err: err, Hint: "choose one with --account USERNAME (or its home account ID), or sign one out with azid logout --account"}
	case errors.As(err, &bt):
		return &ExitError{Code: ExitAuth, Err: err, Hint: "open this URL in a browser on this machine and finish within the time, or sign in with a device code (azid login without --browser): " + bt.URL}
	}
	return err
}

// AuthDetails are the lines under an Entra error: Entra's own first line, and
// the trace ID, correlation ID and timestamp support engineers ask for.
func AuthDetails(ae *login.AuthError) []string {
	var d []string
	if ae.Description != "" && !strings.Contains(ae.Message, ae.Description) {
		d = append(d, "Entra: "+ae.Description)
	}
	var ids []string
	for _, kv := range [][2]string{{"trace ID", ae.TraceID}, {"correlation ID", ae.CorrelationID}, {"timestamp", ae.Timestamp}} {
		if kv[1] != "" {
			ids = append(ids, kv[0]+" "+kv[1])
		}
	}
	if len(ids) > 0 {
		d = append(d, strings.Join(ids, ", "))
	}
	return d
}

// FixHint words an AuthError's fix for the command line.
func FixHint(fix login.Fix, code int) string {
	switch fix {
	case login.FixDeviceDeclined:
		return "run azid login again and approve the sign-in"
	case login.FixDeviceExpired:
		return "run azid login again and finish within the time shown"
	case login.FixDeviceBadCode:
		return "run azid login again and type the code exactly"
	case login.FixConsent:
		return "consent is needed: sign in interactively (azid login --browser) to consent, or ask an admin to grant consent to the app"
	case login.FixGraphDefaultScope:
		return "the Azure CLI client ID cannot ask for single Graph scopes: use --scope https://graph.microsoft.com/.default, or your own app with --client-id"
	case login.FixMFA:
		return "multifactor authentication is required: run azid login (device code or --browser) and complete MFA"
	case login.FixConditionalAccess:
		return "blocked by Conditional Access: the tenant's sign-in logs name the policy; sign in from a device and place it allows, or pass the API's claims challenge with --claims"
	case login.FixClientID:
		return "the client ID is not an app in this tenant: check --client-id and --tenant (and consent for multi-tenant apps)"
	case login.FixTenant:
		return "the tenant was not found: check --tenant (a tenant ID or verified domain) and the cloud (--authority-host)"
	case login.FixGuest:
		return "the user is not in this tenant: invite them as a guest, or sign in to their home tenant with --tenant"
	case login.FixSecretValue:
		return "the app's credential was refused: use the secret's value (not its ID) in AZURE_CLIENT_SECRET or --client-secret-file, or check --certificate"
	case login.FixSecretExpired:
		return "the client secret has expired: create a new one for the app registration"
	case login.FixSignInAgain:
		return "the refresh token was revoked or expired: run azid login again"
	case login.FixPassword:
		return "wrong username or password: sign in again"
	case login.FixScope:
		return "the scope is not valid: check --scope (for example https://graph.microsoft.com/.default or api://<app-id>/.default)"
	case login.FixAppRegistration:
		return "check the app registration: --client-id, its secret or certificate, and 'Allow public client flows' for device code"
	case login.FixLookUpCode:
		return "azid explain " + strconv.Itoa(code) + ", or https://login.microsoftonline.com/error?code=" + strconv.Itoa(code)
	}
	return ""
}
