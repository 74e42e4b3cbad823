package fakeidp

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// EasyAuthApp fakes an App Service app's /.auth/me and /.auth/refresh, with
// the response shapes of shared/reference/easyauth.md and its failure modes.
type EasyAuthApp struct {
	mu sync.Mutex
	// Sessions by AppServiceAuthSession cookie value (or X-ZUMO-AUTH token).
	Sessions map[string]*Session
	// Mode makes every /.auth/me answer one way: "" (per session), "disabled"
	// (404), "redirect" (302 to the app's /.auth/login/aad), "redirect-login"
	// (302 straight to Entra's authorize endpoint, with client_id and
	// redirect_uri, as App Service does for an unauthenticated request),
	// "html" (200 login page), "badjson" (200, not JSON), "error" (500).
	Mode string
	// LastCookie and LastZumo are what the last request sent.
	LastCookie, LastZumo string
	Requests             int
}

// Session is one signed-in session's token store entry.
type Session struct {
	// Body is the /.auth/me response: App Service's array of entries, or
	// Static Web Apps' {"clientPrincipal": …}. nil means "[]" (store lost).
	Body any
	// Status, when set, is returned instead (401, 403).
	Status int
	// RefreshStatus, when set, is /.auth/refresh's answer (401: no refresh
	// token; 403: session too old). Otherwise refresh renews the access token.
	RefreshStatus int
	// Renew is called on a successful refresh (to change the entry).
	Renew func(*Session)
}

// EasyAuth serves /.auth/me and /.auth/refresh from app on this server.
func (s *Server) EasyAuth(app *EasyAuthApp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Handlers["/.auth/me"] = app.serveMe
	s.Handlers["/.auth/refresh"] = app.serveRefresh
}

func (a *EasyAuthApp) session(r *http.Request) *Session {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Requests++
	a.LastZumo = r.Header.Get("X-ZUMO-AUTH")
	a.LastCookie = ""
	if c, err := r.Cookie("AppServiceAuthSession"); err == nil {
		a.LastCookie = c.Value
	} else if c, err := r.Cookie("StaticWebAppsAuthCookie"); err == nil {
		a.LastCookie = c.Value
	}
	key := a.LastCookie
	if a.LastZumo != "" {
		key = a.LastZumo
	}
	return a.Sessions[key]
}

func (a *EasyAuthApp) serveMe(w http.ResponseWriter, r *http.Request) {
	sess := a.session(r)
	a.mu.Lock()
	mode := a.Mode
	a.mu.Unlock()
	switch mode {
	case "disabled":
		http.NotFound(w, r)
		return
	case "redirect":
		http.Redirect(w, r, "/.auth/login/aad?post_login_redirect_uri=/.auth/me", http.StatusFound)
		return
	case "redirect-login":
		w.Header().Set("Set-Cookie", "Nonce=n-0S6_WzA2Mj; path=/; secure; HttpOnly; SameSite=None")
		http.Redirect(w, r, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize?response_type=code+id_token"+
			"&redirect_uri="+url.QueryEscape("https://"+r.Host+"/.auth/login/aad/callback")+"&client_id=6e74172b-be56-4843-9ff4-e66a39bb12e3"+
			"&scope=openid+profile+email&response_mode=form_post&nonce=SECRETNONCE_20251202191500&state=redir%3D%252F.auth%252Fme", http.StatusFound)
		return
	case "html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><title>Sign in</title></head><body><script>window.location.replace("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?...")</script></body></html>`))
		return
	case "badjson":
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[{"provider_name":"aad",`))
		return
	case "error":
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if sess == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="app"`)
		http.Error(w, "You do not have permission to view this directory or page.", http.StatusUnauthorized)
		return
	}
	if sess.Status != 0 {
		http.Error(w, http.StatusText(sess.Status), sess.Status)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if sess.Body == nil {
		w.Write([]byte("[]"))
		return
	}
	_ = json.NewEncoder(w).Encode(sess.Body)
}

func (a *EasyAuthApp) serveRefresh(w http.ResponseWriter, r *http.Request) {
	sess := a.session(r)
	if sess == nil {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	if sess.RefreshStatus != 0 {
		http.Error(w, http.StatusText(sess.RefreshStatus), sess.RefreshStatus)
		return
	}
	if sess.Renew != nil {
		a.mu.Lock()
		sess.Renew(sess)
		a.mu.Unlock()
	}
	w.WriteHeader(http.StatusOK)
}

// ExpiresOn formats a time as the token store does (seven fractional digits).
func ExpiresOn(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// AADEntry builds a realistic /.auth/me entry for an Entra sign-in: signed
// access and ID tokens, a refresh token, expires_on, and user_claims with the
// default claims mapping's long claim types.
func AADEntry(t testing.TB, key *testjwt.Key, issuer, tenant string, expires time.Time) map[string]any {
	now := expires.Add(-time.Hour)
	common := map[string]any{"iss": issuer, "iat": now.Unix(), "nbf": now.Unix(), "exp": expires.Unix(), "tid": tenant,
		"oid": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "name": "Alex Example", "preferred_username": "alex@contoso.example", "ver": "2.0"}
	access := map[string]any{"aud": "00000003-0000-0000-c000-000000000000", "scp": "openid profile email User.Read", "azp": "11111111-2222-3333-4444-555555555555"}
	id := map[string]any{"aud": "11111111-2222-3333-4444-555555555555", "nonce": "abc", "sub": "pairwise-sub"}
	for k, v := range common {
		access[k], id[k] = v, v
	}
	claim := func(typ, val string) map[string]string { return map[string]string{"typ": typ, "val": val} }
	return map[string]any{
		"access_token":  key.SignClaims(t, access),
		"expires_on":    ExpiresOn(expires),
		"id_token":      key.SignClaims(t, id),
		"provider_name": "aad",
		"refresh_token": "0.ARoA-refresh-token-secret-value",
		"user_claims": []map[string]string{
			claim("aud", "11111111-2222-3333-4444-555555555555"),
			claim("iss", issuer),
			claim("name", "Alex Example"),
			claim("http://schemas.microsoft.com/identity/claims/objectidentifier", "3f2e1d0c-b9a8-4765-8432-10fedcba9876"),
			claim("preferred_username", "alex@contoso.example"),
			claim("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "alex@contoso.example"),
			claim("http://schemas.microsoft.com/identity/claims/tenantid", tenant),
			claim("roles", "Reader"),
			claim("roles", "Approver"),
			claim("ver", "2.0"),
		},
		"user_id": "alex@contoso.example",
	}
}
