package emulate

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
)

// serveAuth serves /.auth/*, App Service's own endpoints.
func (s *Server) serveAuth(w http.ResponseWriter, r *http.Request) string {
	switch path := r.URL.Path; path {
	case "/.auth/me":
		return s.serveMe(w, r)
	case "/.auth/refresh":
		return s.serveRefresh(w, r)
	case "/.auth/logout":
		s.serveLogout(w, r)
	case "/.auth/logout/complete", "/.auth/logout/done":
		htmlPage(w, http.StatusOK, "Signed out", `<h1>You have signed out</h1><p><a href="/">Back to the app</a></p>`)
	case "/.auth/login/aad":
		return s.serveLogin(w, r)
	case "/.auth/login/aad/callback":
		return s.serveCallback(w, r)
	default:
		http.NotFound(w, r)
	}
	return ""
}

// meEntry is one /.auth/me entry, App Service's shape.
type meEntry struct {
	AccessToken  string           `json:"access_token,omitempty"`
	ExpiresOn    string           `json:"expires_on,omitempty"`
	IDToken      string           `json:"id_token,omitempty"`
	ProviderName string           `json:"provider_name"`
	RefreshToken string           `json:"refresh_token,omitempty"`
	UserClaims   []easyauth.Claim `json:"user_claims"`
	UserID       string           `json:"user_id"`
}

func (s *Server) serveMe(w http.ResponseWriter, r *http.Request) string {
	if s.cfg.TokenStoreOff {
		http.NotFound(w, r) // /.auth/me exists only with the token store
		return ""
	}
	sess, ok, _ := s.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", "Bearer")
		http.Error(w, "401 Unauthorized: no session", http.StatusUnauthorized)
		return ""
	}
	entries := []meEntry{}
	if !sess.tokensLost {
		e := meEntry{AccessToken: sess.accessToken, IDToken: sess.idToken, RefreshToken: sess.refreshToken,
			ProviderName: "aad", UserClaims: sess.claims, UserID: sess.user.Username}
		if sess.accessToken != "" {
			e.ExpiresOn = sess.tokensExpire.UTC().Format(expiresOnLayout)
		}
		entries = append(entries, e)
	}
	body, _ := json.Marshal(entries)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
	return sess.user.Username
}

// serveRefresh renews the access token (and refresh token) from the token
// store; as in Azure, the ID token stays what it was.
func (s *Server) serveRefresh(w http.ResponseWriter, r *http.Request) string {
	if s.cfg.TokenStoreOff {
		http.NotFound(w, r)
		return ""
	}
	sess, ok, _ := s.authenticate(r)
	if !ok || sess.cookie == "" && sess.zumo == "" {
		http.Error(w, "401 Unauthorized: no session", http.StatusUnauthorized)
		return ""
	}
	if sess.refreshToken == "" {
		http.Error(w, "401 Unauthorized: the token store holds no refresh token for this session", http.StatusUnauthorized)
		return sess.user.Username
	}
	now := s.cfg.Now()
	var at string
	var err error
	if s.entra != nil {
		at, err = s.entra.refresh(r.Context(), &sess, now)
	} else {
		at, err = s.iss.sign(s.iss.accessClaims(sess.user, now, s.cfg.TokenLifetime))
		sess.refreshToken = randomID(48)
		sess.tokensExpire = now.Add(s.cfg.TokenLifetime)
	}
	if err != nil {
		s.cfg.Log(Entry{Time: now, Error: true, Message: "refresh failed: " + err.Error()})
		http.Error(w, "403 Forbidden: the refresh failed", http.StatusForbidden)
		return sess.user.Username
	}
	s.store.update(sess.cookie, sess.zumo, func(x *session) {
		x.accessToken, x.refreshToken, x.tokensExpire = at, sess.refreshToken, sess.tokensExpire
	})
	w.WriteHeader(http.StatusOK)
	return sess.user.Username
}

func (s *Server) serveLogout(w http.ResponseWriter, r *http.Request) {
	target := "/.auth/logout/complete"
	if v := r.URL.Query().Get("post_logout_redirect_uri"); v != "" {
		t, ok := s.sameOrigin(v)
		if !ok {
			htmlPage(w, http.StatusBadRequest, "Redirect not allowed", `<h1>400 Bad Request</h1><p>post_logout_redirect_uri must be a path of this app, or a URL on this host (App Service also accepts the allowedExternalRedirectUrls, which this emulator has none of).</p>`)
			return
		}
		target = t
	}
	cookie := ""
	if c, err := r.Cookie(cookieName); err == nil {
		cookie = c.Value
	}
	s.store.remove(cookie, r.Header.Get("X-Zumo-Auth"))
	s.setCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0), HttpOnly: true, SameSite: http.SameSiteLaxMode})
	if s.entra != nil {
		// as App Service does for Entra, sign out at the provider too, which
		// then sends the browser back to the target
		target = s.entra.logoutURL(s.base + target)
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// sameOrigin accepts a redirect target that stays on this app: a path, or
// an absolute URL on the emulator's own host. It returns the path to redirect to.
func (s *Server) sameOrigin(v string) (string, bool) {
	u, err := url.Parse(v)
	if err != nil || strings.ContainsAny(v, "\\\r\n\t") {
		return "", false
	}
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(v, "/") {
			return "", false
		}
	case u.Scheme == "http" || u.Scheme == "https":
		base, _ := url.Parse(s.base)
		if !strings.EqualFold(u.Host, base.Host) || u.User != nil {
			return "", false
		}
	default:
		return "", false
	}
	if u.Path == "" {
		u.Path = "/"
	}
	// The target is sent as a Location: it must stay a path on this host,
	// never //host (protocol-relative), however the path was spelled.
	out := u.RequestURI()
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.HasPrefix(u.Path, "//") {
		return "", false
	}
	return out, true
}

func (s *Server) loginRedirect(r *http.Request) string {
	for _, k := range []string{"post_login_redirect_uri", "post_login_redirect_url"} {
		if v := r.Form.Get(k); v != "" {
			if t, ok := s.sameOrigin(v); ok {
				return t
			}
		}
	}
	return "/"
}

// serveLogin shows the sign-in page (GET), signs a user in from its form
// (POST, form-encoded), or signs an API client in with an access token
// this emulator minted (POST, JSON: client-directed sign-in).
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request) string {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "application/json" {
		if s.entra != nil {
			http.Error(w, "501 Not Implemented: client-directed sign-in with Entra's own tokens is not emulated with real Entra sign-in; sign in with a browser and send the session cookie", http.StatusNotImplemented)
			return ""
		}
		return s.clientDirectedLogin(w, r)
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "400 Bad Request: the form could not be read", http.StatusBadRequest)
		return ""
	}
	if s.entra != nil {
		s.entra.start(w, r, s.loginRedirect(r))
		return ""
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if u, ok := s.hintedUser(r.Form.Get("login_hint")); ok && r.Method == http.MethodGet {
			return s.signInUser(w, r, u)
		}
		s.loginPage(w, r, "")
		return ""
	case http.MethodPost:
		return s.loginPost(w, r)
	}
	w.Header().Set("Allow", "GET, POST")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return ""
}

// hintedUser is the configured user a login_hint names (username or
// e-mail): as Entra does for a user it already knows, the sign-in then
// happens without a page, which is what scripted clients need.
func (s *Server) hintedUser(hint string) (User, bool) {
	if hint = strings.TrimSpace(hint); hint == "" {
		return User{}, false
	}
	for _, u := range s.cfg.Users {
		if strings.EqualFold(u.Username, hint) || u.Email != "" && strings.EqualFold(u.Email, hint) {
			return u, true
		}
	}
	return User{}, false
}

// signInUser mints u's tokens, starts the session and sends the browser on.
func (s *Server) signInUser(w http.ResponseWriter, r *http.Request, u User) string {
	sess, err := s.newSession(u, "")
	if err != nil {
		http.Error(w, "500 signing the tokens failed", http.StatusInternalServerError)
		return ""
	}
	s.signIn(w, sess)
	http.Redirect(w, r, s.loginRedirect(r), http.StatusFound)
	return u.Username
}

// signIn stores a new session and sets its cookie.
func (s *Server) signIn(w http.ResponseWriter, sess *session) {
	sess.cookie = randomID(32)
	s.store.add(sess)
	s.setCookie(w, &http.Cookie{Name: cookieName, Value: sess.cookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.setCookie(w, &http.Cookie{Name: nonceCookie, Value: "", Path: "/.auth/login", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.cfg.Log(Entry{Time: s.cfg.Now(), Message: "signed in " + sess.user.Username})
}

func (s *Server) clientDirectedLogin(w http.ResponseWriter, r *http.Request) string {
	data, err := io.ReadAll(r.Body)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err != nil || json.Unmarshal(data, &body) != nil {
		http.Error(w, "400 Bad Request: the body is not a JSON object", http.StatusBadRequest)
		return ""
	}
	if body.AccessToken == "" {
		http.Error(w, "'access_token' field is required.", http.StatusBadRequest)
		return ""
	}
	claims, err := s.iss.verify(body.AccessToken, s.cfg.Now())
	if err != nil {
		w.Header().Set("WWW-Authenticate", "Bearer")
		http.Error(w, "401 Unauthorized: the access token is not one this emulator issued, or it expired", http.StatusUnauthorized)
		return ""
	}
	u := userFromClaims(claims)
	now := s.cfg.Now()
	sid := "sid:" + strings.ReplaceAll(stableGUID("sid:"+u.ObjectID+"|"+s.cfg.ClientID), "-", "")
	sess := &session{user: u, claims: s.zumoClaims(sid, now), expires: now.Add(s.cfg.SessionLifetime),
		zumo: randomID(32), accessToken: body.AccessToken}
	if exp, ok := claims["exp"].(float64); ok {
		sess.tokensExpire = time.Unix(int64(exp), 0)
	}
	s.store.add(sess)
	resp, _ := json.Marshal(map[string]any{"authenticationToken": sess.zumo, "user": map[string]string{"userId": sid}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(resp)
	return u.Username
}

// zumoClaims is the principal of a client-directed (X-ZUMO-AUTH) session:
// as observed on App Service, a minimal one, without the token's profile
// claims (the values' details are emulated).
func (s *Server) zumoClaims(sid string, now time.Time) []easyauth.Claim {
	app := s.base + "/"
	return principalClaims(claimSet{{"stable_sid", sid}, {"sub", sid}, {"idp", "aad"}, {"ver", "3"},
		{"nbf", now.Unix()}, {"exp", now.Add(s.cfg.SessionLifetime).Unix()}, {"iat", now.Unix()}, {"iss", app}, {"aud", app}})
}
