package easyauth

import "strings"

// Term is one word of Easy Auth's vocabulary: a header or a cookie.
type Term struct {
	// Kind is "header" or "cookie".
	Kind    string
	Name    string
	Meaning string
}

// terms are the headers and cookies App Service Authentication and Static
// Web Apps use (shared/reference/easyauth.md §2).
var terms = [...]Term{
	{"header", "X-MS-CLIENT-PRINCIPAL", "Base64 JSON of the signed-in user's claims (auth_typ, claims, name_typ, role_typ), added by Easy Auth to each request it lets through; Static Web Apps sends its own shape (identityProvider, userId, userDetails, userRoles)"},
	{"header", "X-MS-CLIENT-PRINCIPAL-NAME", "the signed-in user's name, as the claim named by name_typ gives it (often the email or UPN)"},
	{"header", "X-MS-CLIENT-PRINCIPAL-ID", "the signed-in user's ID at the identity provider (for Entra, the object ID oid)"},
	{"header", "X-MS-CLIENT-PRINCIPAL-IDP", "the identity provider the user signed in with: aad, google, facebook, github, twitter, or a custom OpenID Connect provider's name"},
	{"header", "X-MS-TOKEN-<PROVIDER>-ID-TOKEN", "the ID token the provider issued at sign-in, from the token store (only when the token store is on)"},
	{"header", "X-MS-TOKEN-<PROVIDER>-ACCESS-TOKEN", "the provider's access token for the signed-in user, from the token store; for Entra, by default a token for Microsoft Graph unless loginParameters ask for another resource"},
	{"header", "X-MS-TOKEN-<PROVIDER>-REFRESH-TOKEN", "the provider's refresh token (present when the login asked for offline_access); /.auth/refresh uses it"},
	{"header", "X-MS-TOKEN-<PROVIDER>-EXPIRES-ON", "when the access token in the token store expires (UTC)"},
	{"header", "X-MS-TOKEN-<PROVIDER>-ACCESS-TOKEN-SECRET", "the OAuth 1.0 token secret of providers that have one (Twitter)"},
	{"header", "X-ZUMO-AUTH", "an Easy Auth session token (authenticationToken from POST /.auth/login/<provider>), sent instead of the session cookie by native and API clients"},
	{"cookie", "AppServiceAuthSession", "App Service Authentication's session cookie: it identifies the signed-in session (encrypted; only the app's Easy Auth can read it); a large one is split into AppServiceAuthSession1, 2, …"},
	{"cookie", "StaticWebAppsAuthCookie", "Static Web Apps' session cookie: it identifies the signed-in session (encrypted; only the platform can read it)"},
	{"cookie", "Nonce", "a short-lived cookie Easy Auth sets when it sends the user to sign in, to check the nonce of the ID token that comes back"},
	{"cookie", "RedirectCount", "a short-lived cookie Easy Auth uses to stop sign-in redirect loops"},
}

// LookupTerm finds a header or cookie of Easy Auth's vocabulary, in any
// case; X-MS-TOKEN-AAD-ID-TOKEN matches the X-MS-TOKEN-<PROVIDER>-ID-TOKEN
// entry, AppServiceAuthSession1 the session cookie.
func LookupTerm(name string) (Term, bool) {
	n := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name), ":"))
	for _, t := range terms {
		if strings.EqualFold(t.Name, n) {
			return t, true
		}
	}
	up := strings.ToUpper(n)
	if rest, ok := strings.CutPrefix(up, "X-MS-TOKEN-"); ok {
		for _, t := range terms {
			suffix, isToken := strings.CutPrefix(t.Name, "X-MS-TOKEN-<PROVIDER>")
			if !isToken {
				continue
			}
			if provider, ok := strings.CutSuffix(rest, suffix); ok && provider != "" && !strings.Contains(provider, "-TOKEN") {
				t.Name = "X-MS-TOKEN-" + provider + suffix
				return t, true
			}
		}
	}
	if strings.HasPrefix(strings.ToLower(n), "appserviceauthsession") && strings.Trim(n[len("appserviceauthsession"):], "0123456789") == "" {
		t, _ := LookupTerm(SessionCookie)
		t.Name = n
		return t, true
	}
	return Term{}, false
}

// TermNames lists the vocabulary's names (for suggestions).
func TermNames() []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Name
	}
	return out
}

// ClaimTypeURIs lists the claim type URIs ShortClaimType knows.
func ClaimTypeURIs() []string {
	out := make([]string, len(claimTypeNames))
	for i, c := range claimTypeNames {
		out[i] = c.uri
	}
	return out
}
