package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// Microsoft Learn pages the checks point to.
const (
	DocsOverview                = "https://learn.microsoft.com/azure/app-service/overview-authentication-authorization"
	DocsEntraProvider           = "https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad"
	DocsTokens                  = "https://learn.microsoft.com/azure/app-service/configure-authentication-oauth-tokens"
	DocsTokenStore              = "https://learn.microsoft.com/azure/app-service/overview-authentication-authorization#token-store"
	DocsCustomize               = "https://learn.microsoft.com/azure/app-service/configure-authentication-customize-sign-in-out"
	DocsFileConfig              = "https://learn.microsoft.com/azure/app-service/configure-authentication-file-based"
	DocsContainerAppsTokenStore = "https://learn.microsoft.com/azure/container-apps/token-store"
	DocsSWAAuth                 = "https://learn.microsoft.com/azure/static-web-apps/authentication-authorization"
	DocsSWAUser                 = "https://learn.microsoft.com/azure/static-web-apps/user-information"
	DocsRedirectURI             = "https://learn.microsoft.com/entra/identity-platform/reply-url"
	DocsAADSTS                  = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes"
	DocsMultiTenant             = "https://learn.microsoft.com/entra/identity-platform/howto-convert-app-to-be-multi-tenant"
	DocsAccessTokens            = "https://learn.microsoft.com/entra/identity-platform/access-tokens"
)

// The checks read from the sign-in redirect (D6–D11).

// authorityCheck reads the authority; configured is true when its host is
// the configured authority host (a private or test authority).
func authorityCheck(s *SignIn, configured bool) Check {
	c := Check{ID: IDAuthority, Status: OK, Docs: DocsEntraProvider}
	c.Evidence = []string{"authority: " + s.URL.Scheme + "://" + s.URL.Host + "/" + s.Tenant}
	cloud := s.Cloud.Description()
	switch strings.ToLower(s.Tenant) {
	case "common", "organizations":
		c.Status = Warn
		c.Summary = "multi-tenant: the issuer is not pinned to a tenant (" + s.Tenant + "), so users of any Entra tenant can sign in unless the app restricts them"
		c.Fix = "if only your organisation's users should sign in, set the issuer to https://login.microsoftonline.com/<tenant-id>/v2.0 (portal › Authentication › Microsoft › Edit › Issuer URL; authsettingsV2 identityProviders.azureActiveDirectory.registration.openIdIssuer); otherwise check the tid claim in the app"
		c.Docs = DocsMultiTenant
	case "consumers":
		c.Summary = "personal Microsoft accounts only (consumers), " + cloud
	default:
		c.Summary = "tenant " + s.Tenant + ", " + cloud
	}
	switch {
	case s.Cloud == entra.CloudUnknown && configured:
		c.Summary = "authority " + s.URL.Host + " (the configured authority host), tenant " + s.Tenant
	case s.Cloud == entra.CloudUnknown:
		c.Summary = "authority " + s.Host + " (tenant " + s.Tenant + "): not a Microsoft login host"
		if c.Status == OK {
			c.Status = Warn
		}
		c.Fix = "the issuer URL should be on login.microsoftonline.com (or a national cloud's login host): fix identityProviders.azureActiveDirectory.registration.openIdIssuer"
	case s.Cloud == entra.CloudB2C || s.Cloud == entra.CloudExternalID:
		if s.Policy != "" {
			c.Summary += ", user flow " + s.Policy
		}
	}
	if s.Host == "login.windows.net" {
		c.Evidence = append(c.Evidence, "login.windows.net is the legacy alias of login.microsoftonline.com (the issuer URL names it)")
	}
	return c
}

// tenantCheck asks the authority's discovery document whether the tenant
// exists, only on a host the trust policy allows.
func (d *doctor) tenantCheck(ctx context.Context, s *SignIn) Check {
	c := Check{ID: IDTenant, Docs: DocsEntraProvider}
	switch strings.ToLower(s.Tenant) {
	case "common", "organizations", "consumers":
		return skipped(IDTenant, "a multi-tenant authority names no single tenant to look up", DocsEntraProvider)
	}
	if !entra.SafeSegment(s.Tenant) {
		c.Status = Fail
		c.Summary = "the tenant in the sign-in redirect is not a tenant ID or domain"
		c.Fix = "fix the issuer URL: https://login.microsoftonline.com/<tenant-id>/v2.0"
		return c
	}
	if !d.opts.Trust.TrustedHost(s.URL.Host) {
		return skipped(IDTenant, "the authority "+s.URL.Host+" is not a known Microsoft login host (nor the configured authority host): not asked", DocsEntraProvider)
	}
	scheme := "https"
	if s.URL.Scheme == "http" && d.opts.Trust.PlainHTTP(s.URL.Host) {
		scheme = "http"
	}
	meta := scheme + "://" + s.URL.Host + "/" + url.PathEscape(s.Tenant) + "/v2.0/.well-known/openid-configuration"
	c.Evidence = []string{"GET " + meta}
	r, err := d.get(ctx, meta, asAPI, nil)
	if err != nil {
		c.Status = Warn
		c.Summary = "could not look the tenant up: " + d.describe(err)
		return c
	}
	c.Evidence[0] += fmt.Sprintf(": HTTP %d", r.Status)
	var doc struct {
		Issuer           string `json:"issuer"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		ErrorCodes       []int  `json:"error_codes"`
	}
	_ = json.Unmarshal(r.Body, &doc)
	switch {
	case r.Status == 200 && doc.Issuer != "":
		c.Status = OK
		c.Summary = "tenant " + s.Tenant + " exists (issuer " + doc.Issuer + ")"
	case doc.Error == "invalid_tenant" || hasCode(doc.ErrorCodes, 90002):
		c.Status = Fail
		c.Summary = "tenant " + s.Tenant + " does not exist in this cloud (AADSTS90002): nobody can sign in"
		if line, _, _ := strings.Cut(doc.ErrorDescription, "\r\n"); line != "" {
			c.Evidence = append(c.Evidence, line)
		}
		c.Fix = "set the issuer URL to your tenant: https://login.microsoftonline.com/<tenant-id>/v2.0 (portal › Authentication › Microsoft › Edit › Issuer URL; authsettingsV2 identityProviders.azureActiveDirectory.registration.openIdIssuer)"
		c.Docs = DocsAADSTS
	default:
		c.Status = Warn
		c.Summary = fmt.Sprintf("the tenant lookup answered HTTP %d", r.Status)
	}
	return c
}

func hasCode(codes []int, code int) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func issuerVersionCheck(s *SignIn) Check {
	c := Check{ID: IDIssuerVersion, Status: OK, Docs: DocsAccessTokens}
	c.Evidence = []string{"authorize path " + s.URL.Path}
	if s.V2 {
		c.Summary = "v2.0 issuer (/oauth2/v2.0/authorize): ID tokens have iss …/v2.0; an API's access tokens are v2 only if its registration sets accessTokenAcceptedVersion: 2"
	} else {
		c.Summary = "v1 issuer (/oauth2/authorize): tokens accepted have iss https://sts.windows.net/<tenant>/; v2 tokens (…/v2.0) are rejected as \"issuer validation failed\""
	}
	return c
}

func clientIDCheck(s *SignIn) Check {
	c := Check{ID: IDClientID, Docs: DocsEntraProvider}
	switch {
	case s.ClientID == "":
		c.Status = Fail
		c.Summary = "the sign-in redirect has no client_id"
		c.Fix = "set the app registration's client ID: portal › Authentication › Microsoft › Edit (authsettingsV2 identityProviders.azureActiveDirectory.registration.clientId)"
	case !entra.IsGUID(s.ClientID):
		c.Status = Warn
		c.Summary = "client_id " + s.ClientID + " is not an application (client) ID GUID"
		c.Fix = "use the registration's Application (client) ID from portal › Microsoft Entra ID › App registrations"
	default:
		c.Status = OK
		c.Summary = "client_id " + s.ClientID + " (the app registration; ID tokens must have it as aud)"
	}
	return c
}

func redirectURICheck(s *SignIn, appHost string, p Platform) Check {
	c := Check{ID: IDRedirectURI, Docs: DocsRedirectURI}
	c.Evidence = []string{"redirect_uri " + s.RedirectURI}
	u, err := url.Parse(s.RedirectURI)
	if s.RedirectURI == "" || err != nil || u.Host == "" {
		c.Status = Fail
		c.Summary = "the sign-in redirect has no usable redirect_uri"
		c.Fix = "Easy Auth sets it: something rewrites the sign-in redirect"
		return c
	}
	register := "register " + s.RedirectURI + " as a Web redirect URI (not SPA): portal › Microsoft Entra ID › App registrations › the app › Authentication › Web"
	switch {
	case !strings.HasSuffix(u.Path, "/.auth/login/aad/callback"):
		c.Status = Warn
		c.Summary = "redirect_uri path is " + u.Path + ", not /.auth/login/aad/callback"
		c.Fix = "Easy Auth's callback is /.auth/login/aad/callback: register it, and do not rewrite the path in a proxy"
	case u.Scheme == "http" && !isLoopbackName(u.Hostname()):
		c.Status = Fail
		c.Summary = "redirect_uri is plain http (" + u.Host + "): Entra accepts http only for localhost, so sign-in fails (AADSTS50011)"
		c.Fix = "make Easy Auth see https: behind a proxy that ends TLS, set httpSettings.forwardProxy (az webapp auth update --proxy-convention Standard), and turn on HTTPS Only"
	case !strings.EqualFold(u.Host, appHost):
		c.Status = Warn
		c.Summary = "redirect_uri is on " + u.Host + ", not " + appHost + ": users come back to another host (a proxy or custom domain without forwardProxy)"
		c.Fix = "behind Front Door or Application Gateway, set httpSettings.forwardProxy (az webapp auth update --proxy-convention Standard, or Custom with --proxy-custom-host-header X-Original-Host); then " + register
	default:
		c.Status = OK
		c.Summary = "redirect_uri " + s.RedirectURI + ": it must be registered as a Web redirect URI (AADSTS50011 otherwise)"
	}
	if p == ContainerApps && c.Status == OK {
		c.Summary += "; a new revision's URL needs its own registration"
	}
	return c
}

func isLoopbackName(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1" || strings.HasSuffix(h, ".localhost")
}

func responseTypeCheck(s *SignIn) Check {
	c := Check{ID: IDResponseType, Docs: DocsTokens}
	c.Evidence = []string{"response_type " + s.ResponseType}
	types := strings.Fields(s.ResponseType)
	has := func(t string) bool {
		for _, x := range types {
			if x == t {
				return true
			}
		}
		return false
	}
	switch {
	case has("code") && has("id_token"):
		c.Status = OK
		c.Summary = "code id_token (hybrid flow): a client secret is configured, so Easy Auth gets access and refresh tokens"
	case has("id_token") && len(types) == 1:
		c.Status = Warn
		c.Summary = "id_token only (implicit flow): no client secret is configured, so there is no access token, no refresh token, and /.auth/refresh cannot work"
		c.Fix = "if the app needs tokens (to call an API or Graph), add a client secret: create one under the registration's Certificates & secrets, store it in an app setting (MICROSOFT_PROVIDER_AUTHENTICATION_SECRET) and name it in identityProviders.azureActiveDirectory.registration.clientSecretSettingName (portal › Authentication › Microsoft › Edit › Client secret)"
	case s.ResponseType == "":
		c.Status = Warn
		c.Summary = "the sign-in redirect has no response_type"
	default:
		c.Status = Warn
		c.Summary = "response_type " + s.ResponseType + " is not one Easy Auth sends (code id_token or id_token): check loginParameters for a response_type entry"
		c.Fix = "remove response_type from identityProviders.azureActiveDirectory.login.loginParameters"
	}
	return c
}

// scopeFix is the one loginParameters entry that gets every token right.
func scopeFix(s *SignIn) string {
	want := []string{"openid", "profile", "email", "offline_access"}
	for _, sc := range s.Scopes {
		dup := false
		for _, w := range want {
			dup = dup || strings.EqualFold(w, sc)
		}
		if !dup {
			want = append(want, sc)
		}
	}
	return `set one scope entry, identityProviders.azureActiveDirectory.login.loginParameters ["scope=` + strings.Join(want, " ") + `"] (the portal has no field for it: edit config/authsettingsV2 with az rest or Resource Explorer)`
}

func scopesCheck(s *SignIn) Check {
	c := Check{ID: IDScopes, Status: OK, Docs: DocsTokens}
	c.Evidence = []string{fmt.Sprintf("scope %q", s.Scope)}
	if len(s.Extra) > 0 {
		c.Evidence = append(c.Evidence, "other login parameters: "+strings.Join(s.Extra, ", "))
	}
	var missing []string
	for _, w := range []string{"openid", "profile", "email"} {
		if !s.HasScope(w) {
			missing = append(missing, w)
		}
	}
	switch {
	case s.ScopeParams > 1:
		c.Status = Fail
		c.Summary = fmt.Sprintf("%d scope parameters: loginParameters has several scope= entries, and they do not combine", s.ScopeParams)
		c.Fix = "merge them: " + scopeFix(s)
		c.Evidence = c.Evidence[:0]
		for _, sc := range s.URL.Query()["scope"] {
			c.Evidence = append(c.Evidence, fmt.Sprintf("scope %q", sc))
		}
		if len(s.Extra) > 0 {
			c.Evidence = append(c.Evidence, "other login parameters: "+strings.Join(s.Extra, ", "))
		}
	case s.ScopeParams == 0 && s.V2:
		c.Status = Warn
		c.Summary = "the sign-in redirect asks for no scope"
		c.Fix = scopeFix(s)
	case len(missing) > 0 && s.HasScope("openid"):
		c.Status = Warn
		c.Summary = "scope " + s.Scope + " lacks " + strings.Join(missing, ", ") + ": a scope= entry replaces the defaults, so the ID token has fewer claims (name, email)"
		c.Fix = scopeFix(s)
	case len(missing) > 0 && s.V2:
		c.Status = Fail
		c.Summary = "scope " + s.Scope + " lacks openid: no ID token, so sign-in cannot complete"
		c.Fix = scopeFix(s)
	default:
		c.Summary = "scope " + s.Scope
	}
	return c
}

func offlineAccessCheck(s *SignIn) Check {
	c := Check{ID: IDOfflineAccess, Docs: DocsTokens}
	switch {
	case s.HasScope("offline_access"):
		c.Status = OK
		c.Summary = "offline_access is asked for: Entra returns a refresh token and /.auth/refresh can work"
		if !strings.Contains(s.ResponseType, "code") {
			c.Status = Warn
			c.Summary = "offline_access is asked for, but with response_type id_token no refresh token is ever redeemed (no client secret)"
			c.Fix = "add a client secret (see " + IDResponseType + ")"
		}
	case !s.V2:
		c.Status = Warn
		c.Summary = "v1 issuer without offline_access in scope: whether a refresh token comes back depends on the v1 endpoint; /.auth/refresh may answer 401"
		c.Fix = scopeFix(s)
	default:
		c.Status = Warn
		c.Summary = "no offline_access in scope: Entra returns no refresh token, so /.auth/refresh cannot work and sessions end when the access token expires"
		c.Fix = scopeFix(s)
	}
	return c
}

func apiScopeCheck(s *SignIn) Check {
	c := Check{ID: IDAPIScope, Status: OK, Docs: DocsTokens}
	if api := s.APIScopes(); len(api) > 0 {
		c.Summary = "an API scope is asked for (" + strings.Join(api, " ") + "): the access token is for that API"
		return c
	}
	if s.Resource != "" {
		c.Summary = "resource " + s.Resource + " is asked for (v1): the access token is for it"
		return c
	}
	c.Summary = "no API scope: the access token in X-MS-TOKEN-AAD-ACCESS-TOKEN is for Microsoft Graph, and your own API will reject it (fine if the app only calls Graph)"
	c.Evidence = []string{"scopes: " + strings.Join(s.Scopes, " ")}
	return c
}
