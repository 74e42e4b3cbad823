package emulate

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// EntraConfig configures real Entra sign-in (authorization code with PKCE).
type EntraConfig struct {
	// Authority is the authority host, such as https://login.microsoftonline.com
	// (http only on a loopback host: a test authority).
	Authority string
	Tenant    string
	ClientID  string
	// ClientSecret is optional (a confidential Web app registration).
	ClientSecret string
	// Scopes requested (default openid profile email offline_access).
	Scopes []string
	// HTTPClient talks to Entra.
	HTTPClient *http.Client
}

// stateCookie binds a sign-in in progress to the browser that started it.
const stateCookie = "AzidEmulateState"

// pending is a sign-in sent to Entra and not yet back.
type pending struct {
	verifier, nonce, redirect string
	started                   time.Time
}

type entraClient struct {
	cfg      *EntraConfig
	base     string
	now      func() time.Time
	mu       sync.Mutex
	inflight map[string]pending // by state
	secure   bool               // the emulator serves HTTPS: cookies are Secure
}

func newEntraClient(cfg *EntraConfig, base string, now func() time.Time) (*entraClient, error) {
	u, err := url.Parse(strings.TrimSuffix(cfg.Authority, "/"))
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Path != "" {
		return nil, fmt.Errorf("the Entra authority %q is not a URL such as https://login.microsoftonline.com", cfg.Authority)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && IsLoopbackAddr(hostPort(u))) {
		return nil, fmt.Errorf("the Entra authority %q must be https (http only on a loopback host)", cfg.Authority)
	}
	if cfg.Tenant == "" || strings.ContainsAny(cfg.Tenant, "/?#% ") {
		return nil, errors.New("real Entra sign-in needs a tenant (an ID or a domain)")
	}
	if cfg.ClientID == "" {
		return nil, errors.New("real Entra sign-in needs the client ID of an app registration")
	}
	if cfg.HTTPClient == nil {
		return nil, errors.New("real Entra sign-in needs an HTTP client")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"openid", "profile", "email", "offline_access"}
	}
	cfg.Authority = u.Scheme + "://" + u.Host
	return &entraClient{cfg: cfg, base: base, now: now, inflight: map[string]pending{}}, nil
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return u.Host + ":80"
}

// RedirectURI is the reply URL to register on the app registration.
func (e *entraClient) redirectURI() string { return e.base + "/.auth/login/aad/callback" }

func (e *entraClient) endpoint(name string) string {
	return e.cfg.Authority + "/" + url.PathEscape(e.cfg.Tenant) + "/oauth2/v2.0/" + name
}

// start sends the browser to Entra's authorize endpoint with a PKCE
// challenge, a nonce and a state bound to this browser by a cookie.
// response_mode is query, not App Service's form_post: a cross-site POST
// back to http://localhost would not carry a SameSite=Lax cookie.
func (e *entraClient) start(w http.ResponseWriter, r *http.Request, redirect string) {
	p := pending{verifier: randomID(48), nonce: randomID(24), redirect: redirect, started: e.now()}
	state := randomID(24)
	e.mu.Lock()
	for k, v := range e.inflight {
		if e.now().Sub(v.started) > 10*time.Minute {
			delete(e.inflight, k)
		}
	}
	e.inflight[state] = p
	e.mu.Unlock()
	sum := sha256.Sum256([]byte(p.verifier))
	q := url.Values{
		"client_id": {e.cfg.ClientID}, "response_type": {"code"}, "redirect_uri": {e.redirectURI()},
		"response_mode": {"query"}, "scope": {strings.Join(e.cfg.Scopes, " ")}, "state": {state}, "nonce": {p.nonce},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"},
	}
	for _, k := range []string{"login_hint", "domain_hint", "prompt"} {
		if v := r.Form.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: state, Path: "/.auth/login/aad", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 600, Secure: e.secure})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, e.endpoint("authorize")+"?"+q.Encode(), http.StatusFound)
}

// logoutURL is Entra's end-session endpoint, returning to back (Entra
// returns only to a registered redirect URI; otherwise it shows its own page).
func (e *entraClient) logoutURL(back string) string {
	return e.endpoint("logout") + "?" + url.Values{"post_logout_redirect_uri": {back}, "client_id": {e.cfg.ClientID}}.Encode()
}

// tokenResponse is Entra's token endpoint answer.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int64  `json:"expires_in"`
	Error        string `json:"error"`
	Description  string `json:"error_description"`
}

// EntraError is an error answer from Entra's token endpoint.
type EntraError struct {
	Code, Description string
}

func (e *EntraError) Error() string {
	d, _, _ := strings.Cut(e.Description, "\r\n")
	d, _, _ = strings.Cut(d, " Trace ID:")
	if d == "" {
		return "Entra answered " + e.Code
	}
	return "Entra answered " + e.Code + ": " + d
}

func (e *entraClient) redeem(ctx context.Context, form url.Values) (*tokenResponse, error) {
	form.Set("client_id", e.cfg.ClientID)
	if e.cfg.ClientSecret != "" {
		form.Set("client_secret", e.cfg.ClientSecret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint("token"), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling Entra's token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading Entra's answer: %w", err)
	}
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil {
		return nil, fmt.Errorf("Entra's token endpoint answered %d without JSON", resp.StatusCode)
	}
	if tr.Error != "" || resp.StatusCode != http.StatusOK {
		return nil, &EntraError{Code: tr.Error, Description: tr.Description}
	}
	if tr.AccessToken == "" {
		return nil, errors.New("Entra's answer holds no access token")
	}
	return &tr, nil
}

// serveCallback finishes a real Entra sign-in: the state must match this
// browser's cookie, the code is redeemed with the PKCE verifier, and the ID
// token's audience and nonce are checked. The ID token came straight from the
// token endpoint over TLS, so its signature is not checked (OpenID Connect
// Core 3.1.3.7 allows that); the app's own validation still sees it.
func (s *Server) serveCallback(w http.ResponseWriter, r *http.Request) string {
	if s.entra == nil {
		http.NotFound(w, r)
		return ""
	}
	_ = r.ParseForm()
	state := r.Form.Get("state")
	c, err := r.Cookie(stateCookie)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(state)) != 1 {
		htmlPage(w, http.StatusBadRequest, "Sign-in failed", `<h1>Sign-in failed</h1><p>This sign-in did not start in this browser, or it took over 10 minutes. <a href="/.auth/login/aad">Sign in again</a>.</p>`)
		return ""
	}
	e := s.entra
	e.mu.Lock()
	p, ok := e.inflight[state]
	delete(e.inflight, state)
	e.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/.auth/login/aad", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.TLS != nil})
	if !ok {
		htmlPage(w, http.StatusBadRequest, "Sign-in failed", `<h1>Sign-in failed</h1><p>This sign-in expired. <a href="/.auth/login/aad">Sign in again</a>.</p>`)
		return ""
	}
	if code := r.Form.Get("error"); code != "" {
		msg := (&EntraError{Code: code, Description: r.Form.Get("error_description")}).Error()
		s.cfg.Log(Entry{Time: s.cfg.Now(), Error: true, Message: "sign-in refused: " + msg})
		htmlPage(w, http.StatusUnauthorized, "Sign-in failed", `<h1>Sign-in failed</h1><p>`+html.EscapeString(msg)+`</p><p><a href="/.auth/login/aad">Try again</a></p>`)
		return ""
	}
	now := s.cfg.Now()
	tr, err := e.redeem(r.Context(), url.Values{"grant_type": {"authorization_code"}, "code": {r.Form.Get("code")},
		"redirect_uri": {e.redirectURI()}, "code_verifier": {p.verifier}, "scope": {strings.Join(e.cfg.Scopes, " ")}})
	var claims claimSet
	if err == nil {
		claims, err = e.checkIDToken(tr.IDToken, p.nonce, now)
	}
	if err != nil {
		s.cfg.Log(Entry{Time: now, Error: true, Message: "sign-in failed: " + err.Error()})
		htmlPage(w, http.StatusBadGateway, "Sign-in failed", `<h1>Sign-in failed</h1><p>`+html.EscapeString(err.Error())+`</p><p><a href="/.auth/login/aad">Try again</a></p>`)
		return ""
	}
	u := userFromClaims(claimMap(claims))
	if u.Username == "" {
		u.Username = claims.str("upn")
	}
	sess := &session{user: u, claims: principalClaims(claims), expires: now.Add(s.cfg.SessionLifetime),
		idToken: tr.IDToken, accessToken: tr.AccessToken, tokensExpire: now.Add(time.Duration(tr.ExpiresIn) * time.Second)}
	if !s.cfg.NoRefreshToken {
		sess.refreshToken = tr.RefreshToken
	}
	s.signIn(w, sess)
	http.Redirect(w, r, p.redirect, http.StatusFound)
	return u.Username
}

// checkIDToken reads the ID token's claims, in order, and checks its
// audience, nonce and lifetime.
func (e *entraClient) checkIDToken(tok, nonce string, now time.Time) (claimSet, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("Entra's answer holds no ID token (is openid among the scopes?)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, errors.New("the ID token is not base64url")
	}
	claims, err := orderedClaims(payload)
	if err != nil {
		return nil, errors.New("the ID token's payload is not a JSON object")
	}
	m := claimMap(claims)
	if m["aud"] != e.cfg.ClientID {
		return nil, fmt.Errorf("the ID token is for %v, not this app (%s)", m["aud"], e.cfg.ClientID)
	}
	if got, _ := m["nonce"].(string); subtle.ConstantTimeCompare([]byte(got), []byte(nonce)) != 1 {
		return nil, errors.New("the ID token's nonce is not the one this sign-in sent")
	}
	if exp, ok := m["exp"].(int64); ok && now.Unix() >= exp+300 {
		return nil, errors.New("the ID token expired")
	}
	return claims, nil
}

// refresh redeems the session's refresh token; the ID token stays as it was.
func (e *entraClient) refresh(ctx context.Context, sess *session, now time.Time) (string, error) {
	tr, err := e.redeem(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {sess.refreshToken},
		"scope": {strings.Join(e.cfg.Scopes, " ")}})
	if err != nil {
		return "", err
	}
	if tr.RefreshToken != "" {
		sess.refreshToken = tr.RefreshToken
	}
	sess.tokensExpire = now.Add(time.Duration(tr.ExpiresIn) * time.Second)
	return tr.AccessToken, nil
}

// orderedClaims decodes a JWT payload keeping the claims' order, as Easy
// Auth's principal does.
func orderedClaims(payload []byte) (claimSet, error) {
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var c claimSet
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		name := kt.(string)
		switch v := v.(type) {
		case string:
			c = append(c, field{name, v})
		case json.Number:
			if n, err := v.Int64(); err == nil {
				c = append(c, field{name, n})
			} else {
				c = append(c, field{name, v.String()})
			}
		case bool:
			c = append(c, field{name, fmt.Sprint(v)})
		case []any:
			var list []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					list = append(list, s)
				}
			}
			c = append(c, field{name, list})
		}
	}
	return c, nil
}

// claimMap is a claim set as the map userFromClaims reads.
func claimMap(c claimSet) map[string]any {
	m := make(map[string]any, len(c))
	for _, f := range c {
		switch v := f.value.(type) {
		case []string:
			list := make([]any, len(v))
			for i, s := range v {
				list[i] = s
			}
			m[f.name] = list
		default:
			m[f.name] = v
		}
	}
	return m
}
