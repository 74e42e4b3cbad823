package login

import (
	"cmp"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/azid-cli/azid/pkg/entra"
)

// Defaults, as the Azure CLI and azidentity use them.
const (
	DefaultAuthorityHost = "https://login.microsoftonline.com"
	DefaultTenant        = "organizations"
	DefaultClientID      = "04b07795-8ddb-461a-bbee-02f9e1bf7b46" // Azure CLI public client
	DefaultScope         = "https://graph.microsoft.com/.default"
)

// Config says where and as what to sign in.
type Config struct {
	AuthorityHost string
	Tenant        string
	ClientID      string
	HTTPClient    *http.Client
	Store         *Store
}

// Authority returns the authority URL, https://host/tenant.
func (c Config) Authority() (string, error) {
	host := strings.TrimSuffix(cmp.Or(c.AuthorityHost, DefaultAuthorityHost), "/")
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", fmt.Errorf("the authority host %q is not an https URL such as https://login.microsoftonline.com", host)
	}
	tenant := cmp.Or(c.Tenant, DefaultTenant)
	for _, ch := range tenant {
		if !(ch == '-' || ch == '.' || ch == '_' || 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9') {
			return "", fmt.Errorf("the tenant %q is not a tenant ID or domain", tenant)
		}
	}
	return u.Scheme + "://" + u.Host + "/" + tenant, nil
}

// instanceDiscovery is on for Microsoft's own login hosts and off for any
// other authority (private clouds, tests), which MSAL would otherwise try to
// validate against login.microsoftonline.com.
func (c Config) instanceDiscovery() bool {
	u, err := url.Parse(cmp.Or(c.AuthorityHost, DefaultAuthorityHost))
	return err == nil && entra.CloudOfHost(u.Hostname()) != entra.CloudUnknown
}

func (c Config) clientID() string { return cmp.Or(c.ClientID, DefaultClientID) }

func (c Config) public() (public.Client, error) {
	authority, err := c.Authority()
	if err != nil {
		return public.Client{}, err
	}
	opts := []public.Option{public.WithAuthority(authority), public.WithCache(c.Store), public.WithInstanceDiscovery(c.instanceDiscovery())}
	if c.HTTPClient != nil {
		opts = append(opts, public.WithHTTPClient(c.HTTPClient))
	}
	return public.New(c.clientID(), opts...)
}

// Account is a signed-in identity in the cache.
type Account struct {
	Username      string `json:"username"`
	HomeAccountID string `json:"home_account_id"`
	TenantID      string `json:"tenant_id,omitempty"`
	Environment   string `json:"environment"`
	Realm         string `json:"realm"`
	msal          public.Account
}

func accountOf(a public.Account) Account {
	acc := Account{Username: a.PreferredUsername, HomeAccountID: a.HomeAccountID, Environment: a.Environment, Realm: a.Realm, msal: a}
	if _, utid, ok := strings.Cut(a.HomeAccountID, "."); ok {
		acc.TenantID = utid
	}
	return acc
}

// Result is a token obtained for a scope. AccessToken is a secret.
type Result struct {
	AccessToken string
	ExpiresOn   time.Time
	Scopes      []string
	Account     Account
	FromCache   bool
}

func resultOf(r public.AuthResult) Result {
	return Result{AccessToken: r.AccessToken, ExpiresOn: r.ExpiresOn, Scopes: r.GrantedScopes, Account: accountOf(r.Account),
		FromCache: r.Metadata.TokenSource == public.TokenSourceCache}
}

// DeviceCodePrompt is what the user must do to finish a device-code sign-in.
type DeviceCodePrompt struct {
	Message         string
	UserCode        string
	VerificationURL string
	ExpiresOn       time.Time
}

// DeviceCode signs a user in with the device-code flow. prompt is called with
// the code to show before polling starts; polling stops when ctx ends.
func DeviceCode(ctx context.Context, c Config, scopes []string, prompt func(DeviceCodePrompt)) (Result, error) {
	client, err := c.public()
	if err != nil {
		return Result{}, err
	}
	dc, err := client.AcquireTokenByDeviceCode(ctx, scopes)
	if err != nil {
		return Result{}, err
	}
	prompt(DeviceCodePrompt{Message: dc.Result.Message, UserCode: dc.Result.UserCode, VerificationURL: dc.Result.VerificationURL, ExpiresOn: dc.Result.ExpiresOn})
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return Result{}, err
	}
	return resultOf(res), nil
}

// Browser signs a user in with the authorization-code flow and PKCE, through
// a loopback redirect; open is called with the sign-in URL.
func Browser(ctx context.Context, c Config, scopes []string, open func(url string) error) (Result, error) {
	client, err := c.public()
	if err != nil {
		return Result{}, err
	}
	res, err := client.AcquireTokenInteractive(ctx, scopes, public.WithOpenURL(open))
	if err != nil {
		return Result{}, err
	}
	return resultOf(res), nil
}

// ErrNotSignedIn means the cache holds no (matching) account.
var ErrNotSignedIn = errors.New("not signed in")

// accounts lists the cached accounts through client.
func accounts(ctx context.Context, client public.Client) ([]Account, error) {
	msalAccs, err := client.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(msalAccs))
	for _, a := range msalAccs {
		out = append(out, accountOf(a))
	}
	return out, nil
}

// SelectAccount picks the account matching sel (a username or home account
// ID, case-insensitive) and tenant; with no selector, the only account.
func SelectAccount(accs []Account, sel, tenant string) (Account, error) {
	var match []Account
	for _, a := range accs {
		if sel != "" && !strings.EqualFold(a.Username, sel) && !strings.EqualFold(a.HomeAccountID, sel) {
			continue
		}
		if tenant != "" && !strings.EqualFold(a.TenantID, tenant) && !strings.EqualFold(a.Realm, tenant) {
			continue
		}
		match = append(match, a)
	}
	switch {
	case len(match) == 1:
		return match[0], nil
	case len(match) == 0 && (sel != "" || tenant != ""):
		return Account{}, fmt.Errorf("%w as %s", ErrNotSignedIn, cmp.Or(sel, "an account of tenant "+tenant))
	case len(match) == 0:
		return Account{}, ErrNotSignedIn
	}
	names := make([]string, 0, len(match))
	for _, a := range match {
		names = append(names, a.Username)
	}
	return Account{}, &AmbiguousAccountError{Usernames: names}
}

// AmbiguousAccountError means several cached accounts match.
type AmbiguousAccountError struct{ Usernames []string }

func (e *AmbiguousAccountError) Error() string {
	return "several accounts are signed in (" + strings.Join(e.Usernames, ", ") + "): choose one with --account"
}

// Silent returns a token for scopes from the cache, refreshing it with the
// refresh token when it is about to expire. It holds the cache lock for the
// whole operation, so concurrent calls refresh once and share the result.
func Silent(ctx context.Context, c Config, scopes []string, sel, tenant string) (Result, error) {
	unlock, err := c.Store.Lock(ctx)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	client, err := c.public()
	if err != nil {
		return Result{}, err
	}
	accs, err := accounts(ctx, client)
	if err != nil {
		return Result{}, err
	}
	acc, err := SelectAccount(accs, sel, tenant)
	if err != nil {
		return Result{}, err
	}
	res, err := client.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(acc.msal))
	if err != nil {
		if strings.Contains(err.Error(), "no token found") {
			// no refresh token for this client and scope: only a sign-in helps
			return Result{}, fmt.Errorf("%w for scope %s as %s", ErrNotSignedIn, strings.Join(scopes, " "), acc.Username)
		}
		return Result{}, err
	}
	return resultOf(res), nil
}

// Logout removes the accounts matching sel (or all); it returns those removed.
func Logout(ctx context.Context, c Config, sel string, all bool) ([]Account, error) {
	unlock, err := c.Store.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	client, err := c.public()
	if err != nil {
		return nil, err
	}
	accs, err := accounts(ctx, client)
	if err != nil {
		return nil, err
	}
	var remove []Account
	if all {
		remove = accs
	} else {
		acc, err := SelectAccount(accs, sel, "")
		if err != nil {
			return nil, err
		}
		remove = []Account{acc}
	}
	for _, a := range remove {
		if err := client.RemoveAccount(ctx, a.msal); err != nil {
			return nil, fmt.Errorf("removing %s: %w", a.Username, err)
		}
	}
	return remove, nil
}

// AppCredential is a service principal's secret or certificate.
type AppCredential struct {
	Secret      string
	Certificate []*x509.Certificate
	Key         crypto.PrivateKey
}

// ServicePrincipal gets an app-only token with client credentials (from the
// cache while it is valid).
func ServicePrincipal(ctx context.Context, c Config, scopes []string, cred AppCredential) (Result, error) {
	authority, err := c.Authority()
	if err != nil {
		return Result{}, err
	}
	var cc confidential.Credential
	if cred.Secret != "" {
		cc, err = confidential.NewCredFromSecret(cred.Secret)
	} else {
		cc, err = confidential.NewCredFromCert(cred.Certificate, cred.Key)
	}
	if err != nil {
		return Result{}, fmt.Errorf("the client credential: %w", err)
	}
	opts := []confidential.Option{confidential.WithCache(c.Store), confidential.WithInstanceDiscovery(c.instanceDiscovery())}
	if c.HTTPClient != nil {
		opts = append(opts, confidential.WithHTTPClient(c.HTTPClient))
	}
	client, err := confidential.New(authority, c.clientID(), cc, opts...)
	if err != nil {
		return Result{}, err
	}
	unlock, err := c.Store.Lock(ctx)
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	res, err := client.AcquireTokenByCredential(ctx, scopes)
	if err != nil {
		return Result{}, err
	}
	return Result{AccessToken: res.AccessToken, ExpiresOn: res.ExpiresOn, Scopes: res.GrantedScopes,
		Account:   Account{Username: c.clientID() + " (service principal)", Environment: hostOf(authority), Realm: cmp.Or(c.Tenant, DefaultTenant)},
		FromCache: res.Metadata.TokenSource == confidential.TokenSourceCache}, nil
}

// CertificateFromPEM reads a PEM file holding a certificate and its
// unencrypted private key.
func CertificateFromPEM(pem []byte) ([]*x509.Certificate, crypto.PrivateKey, error) {
	certs, key, err := confidential.CertFromPEM(pem, "")
	if err != nil {
		return nil, nil, fmt.Errorf("the certificate file must hold a PEM certificate and its unencrypted private key: %w", err)
	}
	return certs, key, nil
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Host
}
