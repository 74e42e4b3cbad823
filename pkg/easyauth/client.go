package easyauth

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Identity is one provider's entry of /.auth/me. Tokens are secrets.
type Identity struct {
	Provider            string
	UserID              string
	Claims              []Claim
	AccessToken         string
	IDToken             string
	RefreshToken        string
	AccessTokenSecret   string
	AuthenticationToken string
	// ExpiresOn is the access token's expiry as the token store records it.
	ExpiresOn *time.Time
	// ExpiresOnRaw is the expires_on value as received.
	ExpiresOnRaw string
}

// Get returns the values of a claim type (long URI or short name).
func (id *Identity) Get(typ string) []string { return claimValues(id.Claims, typ) }

// First returns the first value of the first claim type that has one.
func (id *Identity) First(types ...string) string {
	for _, t := range types {
		if v := id.Get(t); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Failure kinds of /.auth calls.
var (
	ErrSessionRejected = errors.New("session rejected: expired, signed out, or a cookie of another app")
	ErrNotSignedIn     = errors.New("not signed in: Easy Auth sent the login page")
	ErrNoAuthEndpoint  = errors.New("no /.auth/me here: Easy Auth is off, or (Container Apps) the token store is not configured")
	ErrEmptyStore      = errors.New("signed in, but the token store holds nothing for this session: token store off, or lost after a restart")
	ErrSWANotSignedIn  = errors.New("not signed in: Static Web Apps returned no client principal")
)

// Credential is what identifies the session: a cookie or an X-ZUMO-AUTH token.
type Credential struct {
	Cookie *Cookie
	Zumo   string
}

// Client calls an app's /.auth endpoints.
type Client struct {
	HTTP *http.Client
	// BaseURL is the app's origin, such as https://contoso.azurewebsites.net.
	BaseURL string
}

// ErrNoAppURL means no app URL was given at all.
var ErrNoAppURL = errors.New("no app URL")

// AppOrigin reduces a URL the user gave (possibly a page of the app) to its
// origin, refusing plain HTTP except to loopback hosts.
func AppOrigin(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", ErrNoAppURL
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return "", fmt.Errorf("the app URL %q is not a URL such as https://contoso.azurewebsites.net", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Me calls /.auth/me and returns the identities of the session.
func (c *Client) Me(ctx context.Context, cred Credential) ([]Identity, error) {
	body, err := c.call(ctx, "/.auth/me", cred)
	if err != nil {
		return nil, err
	}
	return ParseMe(body)
}

// Refresh calls /.auth/refresh, which renews the provider tokens in the token store.
func (c *Client) Refresh(ctx context.Context, cred Credential) error {
	_, err := c.call(ctx, "/.auth/refresh", cred)
	var se *StatusError
	if errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden) {
		return &RefreshError{Status: se.Status}
	}
	return err
}

// RefreshError explains a failed /.auth/refresh.
type RefreshError struct{ Status int }

func (e *RefreshError) Error() string {
	if e.Status == http.StatusUnauthorized {
		return "refresh failed (401): the token store has no refresh token for this session"
	}
	return "refresh failed (403): the session is too old (past the refresh grace period) or consent was revoked"
}

// Hint says what to do about it.
func (e *RefreshError) Hint() string {
	if e.Status == http.StatusUnauthorized {
		return "the login must ask for offline_access: add \"scope=openid profile email offline_access\" to the Entra provider's loginParameters, then sign in again"
	}
	return "sign in again (visit /.auth/login/aad), then copy the new cookie"
}

// StatusError is an unexpected HTTP status from an /.auth endpoint.
type StatusError struct {
	Path   string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d", e.Path, e.Status)
}

func (c *Client) call(ctx context.Context, path string, cred Credential) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return nil, fmt.Errorf("bad app URL: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if cred.Zumo != "" {
		req.Header.Set("X-ZUMO-AUTH", cred.Zumo)
	} else if cred.Cookie != nil {
		req.Header.Set("Cookie", cred.Cookie.Name+"="+cred.Cookie.Value)
	}
	// Never follow a redirect: from /.auth it means "go and sign in", and the
	// cookie must not travel to wherever it points.
	client := *c.HTTP
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, &RequestError{Path: path, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, &RequestError{Path: path, Err: err}
	}
	if err := answerError(path, resp.StatusCode, resp.Header.Get("Location")); err != nil {
		return nil, err
	}
	if path == "/.auth/me" && looksHTML(resp.Header.Get("Content-Type"), body) {
		return nil, ErrNotSignedIn
	}
	return body, nil
}

// RequestError is a network failure talking to the app.
type RequestError struct {
	Path string
	Err  error
}

func (e *RequestError) Error() string { return "calling " + e.Path + ": " + e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

func looksHTML(contentType string, body []byte) bool {
	if strings.Contains(strings.ToLower(contentType), "text/html") {
		return true
	}
	b := bytes.TrimSpace(body)
	return bytes.HasPrefix(bytes.ToLower(b[:min(len(b), 15)]), []byte("<!doctype")) || bytes.HasPrefix(b, []byte("<html")) || bytes.HasPrefix(b, []byte("<HTML"))
}

// ParseMe reads a /.auth/me response: App Service's array of provider
// entries, or Static Web Apps' {"clientPrincipal": …}.
func ParseMe(body []byte) ([]Identity, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || string(body) == "null" {
		return nil, ErrEmptyStore
	}
	if body[0] == '{' {
		var swa struct {
			ClientPrincipal json.RawMessage `json:"clientPrincipal"`
		}
		if err := json.Unmarshal(body, &swa); err != nil {
			return nil, errors.New("/.auth/me did not return valid JSON")
		}
		if len(swa.ClientPrincipal) == 0 || string(swa.ClientPrincipal) == "null" {
			return nil, ErrSWANotSignedIn
		}
		p, err := ParsePrincipalJSON(swa.ClientPrincipal)
		if err != nil {
			return nil, fmt.Errorf("/.auth/me: %w", err)
		}
		claims := p.Claims
		for _, r := range p.UserRoles {
			claims = append(claims, Claim{Type: "roles", Value: r})
		}
		return []Identity{{Provider: p.AuthType, UserID: cmp.Or(p.UserDetails, p.UserID), Claims: claims}}, nil
	}
	var entries []map[string]json.RawMessage
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, errors.New("/.auth/me did not return valid JSON (an array of provider entries)")
	}
	if len(entries) == 0 {
		return nil, ErrEmptyStore
	}
	out := make([]Identity, 0, len(entries))
	for _, e := range entries {
		id := Identity{
			Provider: jsonText(e["provider_name"]), UserID: jsonText(e["user_id"]),
			AccessToken: jsonText(e["access_token"]), IDToken: jsonText(e["id_token"]),
			RefreshToken: jsonText(e["refresh_token"]), AccessTokenSecret: jsonText(e["access_token_secret"]),
			AuthenticationToken: jsonText(e["authentication_token"]), ExpiresOnRaw: jsonText(e["expires_on"]),
		}
		if raw, ok := e["user_claims"]; ok && string(raw) != "null" {
			claims, err := parseClaims(raw)
			if err != nil {
				return nil, fmt.Errorf("/.auth/me user_claims: %w", err)
			}
			id.Claims = claims
		}
		if id.Claims == nil {
			id.Claims = []Claim{}
		}
		if t, ok := ParseExpiresOn(id.ExpiresOnRaw); ok {
			id.ExpiresOn = &t
		}
		out = append(out, id)
	}
	return out, nil
}
