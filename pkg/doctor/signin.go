package doctor

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/azid-cli/azid/pkg/entra"
)

// SignIn is what Easy Auth's sign-in redirect to Entra says about its
// configuration. Nonce and State are kept only to check their format; they
// are never shown (see RedactURL).
type SignIn struct {
	// URL is the authorize URL as received.
	URL *url.URL `json:"-"`
	// Via is how it came: "302" (a Location header) or "script" (a 200 page
	// whose script redirects, as with URL fragment preservation).
	Via    string
	Host   string
	Cloud  entra.Cloud
	Tenant string
	// Policy is a B2C user flow (from the path or the p parameter).
	Policy string
	// V2 is true for /oauth2/v2.0/authorize (a v2 issuer is configured).
	V2           bool
	ClientID     string
	RedirectURI  string
	ResponseType string
	ResponseMode string
	// Scope is the first scope parameter; Scopes it split on spaces.
	Scope  string
	Scopes []string
	// ScopeParams counts the scope parameters (more than one is a mistake).
	ScopeParams int
	Resource    string
	Nonce       string `json:"-"`
	State       string `json:"-"`
	// Extra are the other parameters, as name=value (login parameters such
	// as domain_hint or prompt).
	Extra []string
}

// ErrNotAuthorizeURL means a redirect does not go to an authorize endpoint.
var ErrNotAuthorizeURL = errors.New("not an OAuth authorize URL")

var knownParams = map[string]bool{
	"client_id": true, "redirect_uri": true, "response_type": true, "response_mode": true,
	"scope": true, "nonce": true, "state": true, "resource": true, "p": true,
}

// ParseAuthorizeURL reads an Entra (or B2C, External ID) authorize URL:
// https://host/{tenant}[/{policy}]/oauth2[/v2.0]/authorize?….
func ParseAuthorizeURL(raw string) (*SignIn, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, ErrNotAuthorizeURL
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	n := len(segs)
	if n < 3 || !strings.EqualFold(segs[n-1], "authorize") {
		return nil, ErrNotAuthorizeURL
	}
	s := &SignIn{URL: u, Host: strings.ToLower(u.Hostname()), Cloud: entra.CloudOfHost(u.Hostname())}
	var pre []string
	switch {
	case n >= 4 && strings.EqualFold(segs[n-3], "oauth2") && strings.EqualFold(segs[n-2], "v2.0"):
		s.V2, pre = true, segs[:n-3]
	case strings.EqualFold(segs[n-2], "oauth2"):
		pre = segs[:n-2]
	default:
		return nil, ErrNotAuthorizeURL
	}
	if len(pre) > 0 && strings.EqualFold(pre[0], "tfp") {
		pre = pre[1:]
	}
	switch len(pre) {
	case 1:
		s.Tenant = pre[0]
	case 2:
		s.Tenant, s.Policy = pre[0], pre[1]
	default:
		return nil, ErrNotAuthorizeURL
	}
	q := u.Query()
	s.ClientID = q.Get("client_id")
	s.RedirectURI = q.Get("redirect_uri")
	s.ResponseType = q.Get("response_type")
	s.ResponseMode = q.Get("response_mode")
	s.ScopeParams = len(q["scope"])
	s.Scope = q.Get("scope")
	s.Scopes = strings.Fields(s.Scope)
	s.Resource = q.Get("resource")
	s.Nonce, s.State = q.Get("nonce"), q.Get("state")
	if p := q.Get("p"); p != "" && s.Policy == "" {
		s.Policy = p
	}
	for _, part := range strings.Split(u.RawQuery, "&") {
		name, value, _ := strings.Cut(part, "=")
		name, _ = url.QueryUnescape(name)
		if name == "" || knownParams[strings.ToLower(name)] {
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			value = v
		}
		if redactedParams[strings.ToLower(name)] {
			value = "[redacted]"
		}
		s.Extra = append(s.Extra, name+"="+value)
	}
	return s, nil
}

// HasScope reports whether the scope parameter holds scope (case-insensitive).
func (s *SignIn) HasScope(scope string) bool {
	for _, sc := range s.Scopes {
		if strings.EqualFold(sc, scope) {
			return true
		}
	}
	return false
}

// APIScopes are the scopes that ask for an access token to an API other
// than Microsoft Graph: api://… or https://… scopes, or GUID/scope.
func (s *SignIn) APIScopes() []string {
	var out []string
	for _, sc := range s.Scopes {
		l := strings.ToLower(sc)
		switch l {
		case "openid", "profile", "email", "offline_access", "address", "phone":
			continue
		}
		if strings.HasPrefix(l, "https://graph.microsoft.") || strings.HasPrefix(l, entra.GraphAppID) {
			continue
		}
		if strings.HasPrefix(l, "api://") || strings.HasPrefix(l, "https://") {
			out = append(out, sc)
			continue
		}
		if i := strings.IndexByte(l, '/'); i > 0 && entra.IsGUID(l[:i]) {
			out = append(out, sc)
		}
	}
	return out
}

// redactedParams are query parameters whose values are never shown: per-
// request secrets (state, nonce) and anything that could carry a token.
var redactedParams = map[string]bool{
	"state": true, "nonce": true, "code": true, "id_token": true, "access_token": true,
	"refresh_token": true, "client_secret": true, "client_assertion": true, "sig": true,
}

// RedactURL returns raw with the values of state, nonce and any token or
// code parameter replaced by [redacted], in the query and in a fragment
// written as a query; the rest is left as sent.
func RedactURL(raw string) string {
	rest, frag, hasFrag := strings.Cut(raw, "#")
	base, query, hasQuery := strings.Cut(rest, "?")
	out := base
	if hasQuery {
		out += "?" + redactQuery(query)
	}
	if hasFrag {
		out += "#" + RedactFragment(frag)
	}
	return out
}

func redactQuery(query string) string {
	parts := strings.Split(query, "&")
	for i, part := range parts {
		name, _, hasValue := strings.Cut(part, "=")
		un, err := url.QueryUnescape(name)
		if err != nil {
			un = name
		}
		if hasValue && redactedParams[strings.ToLower(un)] {
			parts[i] = name + "=[redacted]"
		}
	}
	return strings.Join(parts, "&")
}

// RedactFragment redacts a fragment written as a query (#id_token=…&state=…).
func RedactFragment(frag string) string {
	if !strings.Contains(frag, "=") {
		return frag
	}
	return redactQuery(frag)
}

var easyAuthNonce = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{32}_[0-9]{14}$`) })

// EasyAuthNonce reports whether a nonce has Easy Auth's format,
// <32 hex>_<yyyyMMddHHmmss>.
func EasyAuthNonce(nonce string) bool { return easyAuthNonce().MatchString(nonce) }
