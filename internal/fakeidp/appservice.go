package fakeidp

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// AppService fakes an app behind App Service Authentication (Easy Auth), as
// seen from outside: the unauthenticated action (per User-Agent), the
// sign-in redirect to Entra (a 302 or a 200 page whose script redirects),
// /.auth/me and /.auth/refresh, for App Service, Container Apps and Static
// Web Apps (shared/reference/easyauth-failures.md §A.3, §B). Its zero value
// is Easy Auth's defaults: redirect to login, a v2 issuer, a client secret
// (hybrid flow), the default scopes (no offline_access) and a token store.
//
// Serve it with Server.ServeApp under a host name: the request's Host picks
// the app, so one fake serves the app and Entra.
type AppService struct {
	mu sync.Mutex
	// Platform is "app-service" (default), "container-apps" or "static-web-apps".
	Platform string
	// Off means no Easy Auth at all: / is the app's page, /.auth/* is 404.
	Off bool
	// NoEntraProvider means Easy Auth is on but has no Microsoft provider:
	// /.auth/login/aad is 404.
	NoEntraProvider bool
	// Unauthenticated is the action for anonymous requests: "" (redirect
	// browsers to /.auth/login/aad, 401 for API clients), "401", "403",
	// "404" or "anonymous".
	Unauthenticated string
	// ScriptRedirect answers /.auth/login/aad with a 200 page whose script
	// redirects (URL fragment preservation), instead of a 302.
	ScriptRedirect bool
	// Authority is the login host URL of the issuer (default
	// https://login.microsoftonline.com); Tenant its tenant (default a GUID).
	Authority, Tenant string
	// V1 configures a v1 issuer (…/oauth2/authorize).
	V1       bool
	ClientID string
	// RedirectOrigin, when set, replaces the request's origin in
	// redirect_uri (a proxy without forwardProxy, or http://).
	RedirectOrigin string
	// RedirectPath replaces /.auth/login/aad/callback in redirect_uri.
	RedirectPath string
	// NoSecret means no client secret: response_type=id_token (implicit).
	NoSecret bool
	// LoginParameters are the Entra provider's loginParameters, appended to
	// the redirect; each "scope=…" entry replaces the default scopes.
	LoginParameters []string
	// TokenStoreOff makes /.auth/me 404 (on Container Apps: no blob store).
	TokenStoreOff bool
	// AnonymousMe is /.auth/me without a session: "" (401) or "[]".
	AnonymousMe string
	// NoWWWAuthenticate drops the WWW-Authenticate header from 401s
	// (disableWWWAuthenticate).
	NoWWWAuthenticate bool
	// Sessions by AppServiceAuthSession (or StaticWebAppsAuthCookie) value,
	// or by X-ZUMO-AUTH token.
	Sessions map[string]*Session
	// Now stamps the nonce (default time.Now).
	Now func() time.Time

	requests []AppRequest
}

// AppRequest is one request the fake app received (secrets not kept).
type AppRequest struct {
	Method, Path, UserAgent string
	HadCookie, HadZumo      bool
}

// DefaultAppTenant and DefaultAppClientID are the fake app's defaults.
const (
	DefaultAppTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	DefaultAppClientID = "11111111-2222-3333-4444-555555555555"
)

// ServeApp serves app for requests whose Host is host (without port).
func (s *Server) ServeApp(host string, app *AppService) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apps == nil {
		s.apps = map[string]*AppService{}
	}
	s.apps[strings.ToLower(host)] = app
}

// Requests returns what the app received, in order.
func (a *AppService) Requests() []AppRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]AppRequest(nil), a.requests...)
}

func (s *Server) appFor(r *http.Request) *AppService {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apps[strings.ToLower(host)]
}

// browser is Easy Auth's browser test: a Mozilla User-Agent that is not an XHR.
func browser(r *http.Request) bool {
	return strings.Contains(r.UserAgent(), "Mozilla/") && r.Header.Get("X-Requested-With") == ""
}

func (a *AppService) serve(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.requests = append(a.requests, AppRequest{Method: r.Method, Path: r.URL.Path, UserAgent: r.UserAgent(),
		HadCookie: r.Header.Get("Cookie") != "", HadZumo: r.Header.Get("X-ZUMO-AUTH") != ""})
	a.mu.Unlock()
	path := r.URL.Path
	switch {
	case a.Off && strings.HasPrefix(path, "/.auth/"):
		http.NotFound(w, r)
	case a.Off:
		a.page(w)
	case path == "/.auth/login/aad":
		a.login(w, r)
	case path == "/.auth/me":
		a.me(w, r)
	case path == "/.auth/refresh":
		a.refresh(w, r)
	case strings.HasPrefix(path, "/.auth/"):
		http.NotFound(w, r)
	case a.session(r) != nil:
		a.page(w)
	default:
		a.unauthenticated(w, r)
	}
}

func (a *AppService) page(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Contoso</title></head><body><h1>Welcome</h1></body></html>")
}

func (a *AppService) unauthenticated(w http.ResponseWriter, r *http.Request) {
	switch a.Unauthenticated {
	case "anonymous":
		a.page(w)
	case "401":
		a.unauthorized(w, r)
	case "403":
		http.Error(w, "You do not have permission to view this directory or page.", http.StatusForbidden)
	case "404":
		http.Error(w, "The resource you are looking for has been removed, had its name changed, or is temporarily unavailable.", http.StatusNotFound)
	default:
		if a.Platform == "static-web-apps" || !browser(r) {
			a.unauthorized(w, r)
			return
		}
		http.Redirect(w, r, "/.auth/login/aad?post_login_redirect_uri="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
	}
}

func (a *AppService) unauthorized(w http.ResponseWriter, r *http.Request) {
	if !a.NoWWWAuthenticate {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+r.Host+`"`)
	}
	http.Error(w, "You do not have permission to view this directory or page.", http.StatusUnauthorized)
}

// AuthorizeURL is the sign-in redirect the app sends for a request to host.
func (a *AppService) AuthorizeURL(host string) string {
	authority := a.Authority
	if authority == "" {
		authority = "https://login.microsoftonline.com"
	}
	tenant := a.Tenant
	if tenant == "" {
		tenant = DefaultAppTenant
	}
	client := a.ClientID
	if client == "" {
		client = DefaultAppClientID
	}
	origin := a.RedirectOrigin
	if origin == "" {
		origin = "https://" + host
	}
	cb := a.RedirectPath
	if cb == "" {
		cb = "/.auth/login/aad/callback"
	}
	path := "/oauth2/v2.0/authorize"
	if a.V1 {
		path = "/oauth2/authorize"
	}
	rt := "code id_token"
	if a.NoSecret {
		rt = "id_token"
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	q := "response_type=" + url.QueryEscape(rt) + "&redirect_uri=" + url.QueryEscape(origin+cb) +
		"&client_id=" + url.QueryEscape(client)
	var scopes, extra []string
	for _, p := range a.LoginParameters {
		if v, ok := strings.CutPrefix(p, "scope="); ok {
			scopes = append(scopes, v)
		} else {
			name, value, _ := strings.Cut(p, "=")
			extra = append(extra, url.QueryEscape(name)+"="+url.QueryEscape(value))
		}
	}
	if len(scopes) == 0 {
		scopes = []string{"openid profile email"}
	}
	for _, s := range scopes {
		q += "&scope=" + url.QueryEscape(s)
	}
	q += "&response_mode=form_post&nonce=0123456789abcdef0123456789abcdef_" + now().UTC().Add(5*time.Minute).Format("20060102150405") +
		"&state=" + url.QueryEscape("redir="+url.QueryEscape("/"))
	for _, e := range extra {
		q += "&" + e
	}
	return authority + "/" + tenant + path + "?" + q
}

func (a *AppService) login(w http.ResponseWriter, r *http.Request) {
	if a.NoEntraProvider {
		http.NotFound(w, r)
		return
	}
	target := a.AuthorizeURL(r.Host)
	http.SetCookie(w, &http.Cookie{Name: "Nonce", Value: "nonce-cookie-value", Path: "/", Secure: true, HttpOnly: true})
	if a.ScriptRedirect {
		js := strings.NewReplacer("/", `\/`, "&", `\u0026`).Replace(target)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>Working...</title></head><body><script type="text/javascript">window.location.replace("%s" + window.location.hash);</script></body></html>`, js)
		return
	}
	w.Header().Set("Location", target)
	w.WriteHeader(http.StatusFound)
	fmt.Fprint(w, `<head><title>Document Moved</title></head><body><h1>Object Moved</h1>This document may be found <a HREF="`+target+`">here</a></body>`)
}

func (a *AppService) session(r *http.Request) *Session {
	a.mu.Lock()
	defer a.mu.Unlock()
	key := r.Header.Get("X-ZUMO-AUTH")
	if key == "" {
		for _, name := range []string{"AppServiceAuthSession", "StaticWebAppsAuthCookie"} {
			if c, err := r.Cookie(name); err == nil {
				key = c.Value
				break
			}
		}
	}
	if key == "" {
		return nil
	}
	if s, ok := a.Sessions[key]; ok {
		return s
	}
	return &Session{Status: http.StatusUnauthorized}
}

func (a *AppService) me(w http.ResponseWriter, r *http.Request) {
	sess := a.session(r)
	if a.Platform == "static-web-apps" {
		body := any(map[string]any{"clientPrincipal": nil})
		if sess != nil && sess.Status == 0 && sess.Body != nil {
			body = sess.Body
		}
		writeJSON(w, body)
		return
	}
	if a.TokenStoreOff {
		http.NotFound(w, r)
		return
	}
	switch {
	case sess == nil && a.AnonymousMe == "[]":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, "[]")
	case sess == nil || sess.Status == http.StatusUnauthorized:
		a.unauthorized(w, r)
	case sess.Status != 0:
		http.Error(w, http.StatusText(sess.Status), sess.Status)
	case sess.Body == nil:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, "[]")
	default:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		a.mu.Lock()
		data, _ := json.Marshal(sess.Body)
		a.mu.Unlock()
		w.Write(data)
	}
}

func (a *AppService) refresh(w http.ResponseWriter, r *http.Request) {
	sess := a.session(r)
	switch {
	case a.Platform == "static-web-apps" || a.TokenStoreOff:
		http.NotFound(w, r)
	case sess == nil || sess.Status == http.StatusUnauthorized:
		a.unauthorized(w, r)
	case sess.RefreshStatus != 0:
		http.Error(w, http.StatusText(sess.RefreshStatus), sess.RefreshStatus)
	default:
		if sess.Renew != nil {
			a.mu.Lock()
			sess.Renew(sess)
			a.mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
	}
}
