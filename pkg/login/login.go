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
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
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

// Account types.
const (
	TypeUser             = "user"
	TypeServicePrincipal = "service_principal"
)

// Account is a signed-in identity: a user (one home account, whatever tenant
// alias signed it in) or an app (a service principal).
type Account struct {
	Type          string `json:"type"`
	Username      string `json:"username,omitempty"`
	HomeAccountID string `json:"home_account_id,omitempty"`
	ClientID      string `json:"client_id,omitempty"`
	TenantID      string `json:"tenant_id,omitempty"`
	Environment   string `json:"environment"`
	Realm         string `json:"realm"`
	// Tenants are the tenants the cache holds tokens of for this identity.
	Tenants []string                  `json:"-"`
	msal    map[string]public.Account // by realm
}

func accountOf(a public.Account) Account {
	acc := Account{Type: TypeUser, Username: a.PreferredUsername, HomeAccountID: a.HomeAccountID, Environment: a.Environment, Realm: a.Realm,
		Tenants: []string{a.Realm}, msal: map[string]public.Account{strings.ToLower(a.Realm): a}}
	if utid := homeTenant(a.HomeAccountID); utid != "" {
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
	if IsTenantID(r.IDToken.TenantID) {
		r.Account.Realm = strings.ToLower(r.IDToken.TenantID) // the tenant Entra signed in to, not the alias asked for
	}
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

// Request is what a token request asks for besides its scopes.
type Request struct {
	// Claims is a claims request (JSON), e.g. from a Conditional Access or
	// CAE challenge (insufficient_claims); a cached token never satisfies it.
	Claims string
}

// DeviceCode signs a user in with the device-code flow. prompt is called with
// the code to show before polling starts; polling stops when ctx ends.
func DeviceCode(ctx context.Context, c Config, scopes []string, req Request, prompt func(DeviceCodePrompt)) (Result, error) {
	client, err := c.public()
	if err != nil {
		return Result{}, err
	}
	var opts []public.AcquireByDeviceCodeOption
	if req.Claims != "" {
		opts = append(opts, public.WithClaims(req.Claims))
	}
	dc, err := client.AcquireTokenByDeviceCode(ctx, scopes, opts...)
	if err != nil {
		return Result{}, Explain(err)
	}
	prompt(DeviceCodePrompt{Message: dc.Result.Message, UserCode: dc.Result.UserCode, VerificationURL: dc.Result.VerificationURL, ExpiresOn: dc.Result.ExpiresOn})
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return Result{}, Explain(err)
	}
	return resultOf(res), nil
}

// BrowserTimeoutError means no redirect reached the loopback listener within
// the bound: no browser opened, or the user never finished.
type BrowserTimeoutError struct {
	Wait time.Duration
	URL  string
}

func (e *BrowserTimeoutError) Error() string {
	return fmt.Sprintf("no sign-in came back from the browser within %s", e.Wait)
}

// Browser signs a user in with the authorization-code flow and PKCE, through
// a loopback redirect; open is called with the sign-in URL. It gives up after
// wait (when positive) with a *BrowserTimeoutError.
func Browser(ctx context.Context, c Config, scopes []string, req Request, wait time.Duration, open func(url string) error) (Result, error) {
	client, err := c.public()
	if err != nil {
		return Result{}, err
	}
	var signInURL string
	opts := []public.AcquireInteractiveOption{public.WithOpenURL(func(u string) error { signInURL = u; return open(u) })}
	if req.Claims != "" {
		opts = append(opts, public.WithClaims(req.Claims))
	}
	parent := ctx
	if wait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	res, err := client.AcquireTokenInteractive(ctx, scopes, opts...)
	if err != nil {
		if parent.Err() == nil && ctx.Err() != nil {
			return Result{}, &BrowserTimeoutError{Wait: wait, URL: signInURL}
		}
		return Result{}, Explain(err)
	}
	return resultOf(res), nil
}

// Silent returns a token for scopes from the cache, refreshing it with the
// refresh token when it is about to expire. It holds the cache lock for the
// whole operation, so concurrent calls refresh once and share the result.
// sel picks an account (username or home account ID); tenant, when it names
// one tenant, asks for a token of that tenant.
func Silent(ctx context.Context, c Config, scopes []string, sel, tenant string) (Result, error) {
	return SilentRequest(ctx, c, scopes, sel, tenant, Request{})
}

// SilentRequest is Silent with a Request (a claims challenge to satisfy).
func SilentRequest(ctx context.Context, c Config, scopes []string, sel, tenant string, req Request) (Result, error) {
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
	known := c.Store.knownTenant(tenant)
	acc, err := SelectAccount(accs, sel, cmp.Or(known, tenant))
	if err != nil {
		if errors.Is(err, ErrNotSignedIn) && sel == "" && len(accs) == 0 {
			if apps := c.Store.apps(); len(apps) > 0 {
				return Result{}, &AppOnlyError{Apps: apps}
			}
		}
		return Result{}, err
	}
	realm := acc.Realm
	switch {
	case known != "":
		realm = known
	case !isMultiTenant(tenant):
		realm = tenant // a domain the cache has not seen: Entra resolves it, the cache learns it
	}
	msalAcc, ok := acc.msal[strings.ToLower(realm)]
	if !ok {
		msalAcc = acc.msal[strings.ToLower(acc.Realm)]
	}
	opts := []public.AcquireSilentOption{public.WithSilentAccount(msalAcc), public.WithTenantID(realm)}
	if req.Claims != "" {
		opts = append(opts, public.WithClaims(req.Claims))
	}
	res, err := client.AcquireTokenSilent(ctx, scopes, opts...)
	if err != nil {
		if isNoToken(err) {
			// no refresh token for this client and scope: only a sign-in helps
			return Result{}, &NotSignedInError{Account: acc.Username, Scopes: scopes}
		}
		return Result{}, Explain(err)
	}
	out := resultOf(res)
	out.Account = acc
	out.Account.Realm = cmp.Or(out.Account.Realm, realm)
	if IsTenantID(res.IDToken.TenantID) {
		out.Account.Realm = strings.ToLower(res.IDToken.TenantID)
	} else if IsTenantID(realm) {
		out.Account.Realm = strings.ToLower(realm)
	}
	return out, nil
}

// isNoToken recognises MSAL's "nothing cached to refresh with" error, which
// it offers no type or sentinel for (base.go: errors.New("no token found"));
// TestMSALNoTokenMessage pins the text.
func isNoToken(err error) bool {
	var ce msalerrors.CallErr
	return !errors.As(err, &ce) && strings.Contains(err.Error(), "no token found")
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
	if all && errors.Is(err, ErrEncryptedNoKeyring) {
		// sealed tokens that cannot be opened here: --all removes them unread
		return nil, c.Store.Forget()
	}
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
		for _, m := range a.msal {
			if err := client.RemoveAccount(ctx, m); err != nil {
				return nil, fmt.Errorf("removing %s: %w", a.Username, err)
			}
		}
	}
	if all {
		// no account left: the cache file and its keyring key go too
		if err := c.Store.Forget(); err != nil {
			return nil, err
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

// ServicePrincipal gets an app-only token with client credentials. With
// fresh (a sign-in), it always asks Entra, so a wrong credential fails even
// when a token is cached; otherwise the cached token serves while valid.
func ServicePrincipal(ctx context.Context, c Config, scopes []string, cred AppCredential, req Request, fresh bool) (Result, error) {
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
	if fresh {
		c.Store.hideAppTokens(c.clientID())
	}
	var ropts []confidential.AcquireByCredentialOption
	if req.Claims != "" {
		ropts = append(ropts, confidential.WithClaims(req.Claims))
	}
	res, err := client.AcquireTokenByCredential(ctx, scopes, ropts...)
	if err != nil {
		return Result{}, Explain(err)
	}
	tenant := cmp.Or(c.Store.knownTenant(c.Tenant), c.Tenant)
	return Result{AccessToken: res.AccessToken, ExpiresOn: res.ExpiresOn, Scopes: res.GrantedScopes,
		Account:   Account{Type: TypeServicePrincipal, ClientID: c.clientID(), TenantID: tenant, Environment: hostOf(authority), Realm: tenant},
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
