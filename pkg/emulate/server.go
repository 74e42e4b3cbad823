package emulate

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	pathpkg "path"
	"strings"
	"sync/atomic"
	"syscall"
	"text/template"
	"time"
)

// Server is a running emulator.
type Server struct {
	cfg   Config
	iss   *issuer
	store *store
	proxy *httputil.ReverseProxy
	ln    net.Listener
	base  string
	down  atomic.Bool // the app was unreachable at the last attempt
	entra *entraClient

	loginTmpl *template.Template
}

// New checks the configuration, generates the signing key and listens.
func New(cfg Config) (*Server, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	for i, u := range cfg.Users {
		done, err := u.Complete()
		if err != nil {
			return nil, err
		}
		cfg.Users[i] = done
	}
	iss, err := newIssuer(cfg.TenantID, cfg.ClientID)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, &ListenError{Addr: cfg.Listen, InUse: errors.Is(err, syscall.EADDRINUSE), Err: err}
	}
	s := &Server{cfg: cfg, iss: iss, store: newStore(), ln: ln, loginTmpl: template.Must(template.New("login").Parse(loginHTML))}
	scheme := "http://"
	if cfg.TLS != nil {
		scheme = "https://"
	}
	s.base = scheme + ln.Addr().String()
	if h, _, _ := net.SplitHostPort(cfg.Listen); strings.EqualFold(h, "localhost") || h == "" || net.ParseIP(h).IsUnspecified() {
		// localhost as given; on every address, this machine's name for itself
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		s.base = scheme + "localhost:" + port
	}
	iss.base = s.base
	if cfg.Entra != nil {
		if s.entra, err = newEntraClient(cfg.Entra, s.base, cfg.Now); err != nil {
			_ = ln.Close()
			return nil, err
		}
		s.entra.secure = cfg.TLS != nil
	}
	s.proxy = s.newProxy()
	return s, nil
}

// URL is the emulator's address, such as http://127.0.0.1:8400 (https with TLS).
func (s *Server) URL() string { return s.base }

// Issuer is the local issuer's identifier (for --authority-host and app configuration).
func (s *Server) Issuer() string { return s.iss.iss() }

// RedirectURI is the reply URL of real Entra sign-in, to register on the
// app registration ("" without real Entra sign-in).
func (s *Server) RedirectURI() string {
	if s.entra == nil {
		return ""
	}
	return s.entra.redirectURI()
}

// MetadataURL is the local issuer's OpenID configuration.
func (s *Server) MetadataURL() string { return s.base + s.iss.metadataPath() }

// Serve serves until ctx ends, then stops within a few seconds: requests in
// flight finish, upgraded connections (WebSockets) are closed.
func (s *Server) Serve(ctx context.Context) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 30 * time.Second}
	var p http.Protocols
	p.SetHTTP1(true)
	if s.cfg.TLS != nil {
		// Browsers speak HTTP/2 only over TLS; ALPN offers h2 and http/1.1.
		// WebSockets ride their own HTTP/1.1 connection: Go's HTTP/2 server
		// does not advertise extended CONNECT (RFC 8441), so browsers do not
		// try WebSockets over h2.
		p.SetHTTP2(true)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*s.cfg.TLS}, MinVersion: tls.VersionTLS12}
	} else {
		p.SetUnencryptedHTTP2(true)
	}
	srv.Protocols = &p
	errc := make(chan error, 1)
	go func() {
		if s.cfg.TLS != nil {
			errc <- srv.ServeTLS(s.ln, "", "")
			return
		}
		errc <- srv.Serve(s.ln)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		_ = srv.Close()
	}
	return nil
}

// setCookie sets a cookie, Secure when the emulator serves HTTPS (as App
// Service's cookies are).
func (s *Server) setCookie(w http.ResponseWriter, c *http.Cookie) {
	c.Secure = s.cfg.TLS != nil
	http.SetCookie(w, c)
}

// Handler is the emulator's HTTP handler (what Serve serves).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		lw := &logWriter{ResponseWriter: w}
		user := s.serve(lw, r)
		status := lw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.cfg.Log(Entry{Time: start, Method: r.Method, Path: r.URL.Path, Status: status, User: user, Duration: s.cfg.Now().Sub(start)})
	})
}

// serve routes one request and returns who made it ("" when anonymous).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) string {
	stripIdentityHeaders(r.Header)
	normalizePath(r)
	path := r.URL.Path
	switch {
	case path == s.iss.metadataPath():
		s.serveJSON(w, r, s.iss.metadata())
		return ""
	case path == s.iss.keysPath():
		s.serveJSON(w, r, s.iss.jwks())
		return ""
	case path == "/.auth" || strings.HasPrefix(path, "/.auth/"):
		return s.serveAuth(w, r)
	}
	sess, ok, rejected := s.authenticate(r)
	if rejected {
		w.Header().Set("WWW-Authenticate", "Bearer")
		http.Error(w, "401 Unauthorized: the X-ZUMO-AUTH or Bearer token is not valid", http.StatusUnauthorized)
		return ""
	}
	if !ok && !s.excluded(path) && s.cfg.Unauthenticated != ActionAllow {
		s.unauthenticated(w, r)
		return ""
	}
	if ok {
		r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &sess))
	}
	s.proxy.ServeHTTP(w, r)
	if ok {
		return sess.user.Username
	}
	return ""
}

type sessionKey struct{}

// normalizePath resolves dot segments and repeated slashes (also when they
// were percent-encoded) before any decision is made on the path, and sends
// the app that same path, as App Service's front end does: otherwise
// /health/../admin would pass as excluded /health and reach the app's /admin.
func normalizePath(r *http.Request) {
	p := r.URL.Path
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	clean := pathpkg.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
	if clean != r.URL.Path {
		r.URL.Path, r.URL.RawPath = clean, ""
	}
}

func (s *Server) excluded(path string) bool {
	for _, p := range s.cfg.Exclude {
		p = strings.TrimSuffix(p, "/")
		if path == p || strings.HasPrefix(path, p+"/") || p == "" {
			return true
		}
	}
	return false
}

// isBrowser is App Service's split between browsers (sent to the sign-in
// page) and API clients (401): a browser User-Agent, not an XHR.
func isBrowser(r *http.Request) bool {
	return strings.Contains(r.UserAgent(), "Mozilla/") && !strings.EqualFold(r.Header.Get("X-Requested-With"), "XMLHttpRequest")
}

func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request) {
	switch s.cfg.Unauthenticated {
	case ActionRedirect:
		if isBrowser(r) {
			http.Redirect(w, r, "/.auth/login/aad?post_login_redirect_uri="+urlQueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		fallthrough
	case Action401:
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+r.Host+`"`)
		http.Error(w, "401 Unauthorized: you do not have permission to view this directory or page", http.StatusUnauthorized)
	case Action403:
		http.Error(w, "403 Forbidden: you do not have permission to view this directory or page", http.StatusForbidden)
	case Action404:
		http.Error(w, "404 Not Found: the resource you are looking for has been removed, had its name changed, or is temporarily unavailable", http.StatusNotFound)
	}
}

// authenticate finds the caller's session: X-ZUMO-AUTH first (it takes
// precedence over the cookie), then a Bearer access token this emulator
// minted, then the AppServiceAuthSession cookie. rejected means a token was
// given and is not valid (401, whatever the unauthenticated action).
func (s *Server) authenticate(r *http.Request) (sess session, ok, rejected bool) {
	now := s.cfg.Now()
	if z := r.Header.Get("X-Zumo-Auth"); z != "" {
		sess, ok = s.store.get("", z, now)
		return sess, ok, !ok
	}
	if tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found && s.cfg.Entra == nil {
		claims, err := s.iss.verify(strings.TrimSpace(tok), now)
		if err != nil {
			return session{}, false, true
		}
		u := userFromClaims(claims)
		return session{user: u, claims: principalClaims(claimSetFromMap(claims)), expires: now.Add(time.Minute), tokensLost: true}, true, false
	}
	if c, err := r.Cookie(cookieName); err == nil {
		sess, ok = s.store.get(c.Value, "", now)
	}
	return sess, ok, false
}

// cookieName is App Service's session cookie.
const cookieName = "AppServiceAuthSession"

// stripIdentityHeaders removes every identity header a client sent, before
// anything reads them. Names are compared case-insensitively and with "_"
// read as "-", since CGI-style frameworks (WSGI, PHP, nginx with
// underscores_in_headers) turn X_MS_CLIENT_PRINCIPAL into the same variable
// as X-MS-CLIENT-PRINCIPAL.
func stripIdentityHeaders(h http.Header) {
	for name := range h {
		n := strings.ToUpper(strings.ReplaceAll(name, "_", "-"))
		if strings.HasPrefix(n, "X-MS-CLIENT-PRINCIPAL") || strings.HasPrefix(n, "X-MS-TOKEN-") {
			delete(h, name)
		}
	}
}

func (s *Server) serveJSON(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Access-Control-Allow-Origin", "*") // as Entra's discovery: single-page apps read it
	_, _ = w.Write(body)
}

// logWriter records the status; Unwrap lets the proxy flush and hijack
// (streaming, WebSocket upgrades) through it.
type logWriter struct {
	http.ResponseWriter
	status int
}

func (l *logWriter) WriteHeader(code int) {
	if l.status == 0 || l.status < 200 {
		l.status = code
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logWriter) Write(b []byte) (int, error) {
	if l.status == 0 {
		l.status = http.StatusOK
	}
	return l.ResponseWriter.Write(b)
}

func (l *logWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func (l *logWriter) Flush() {
	_ = http.NewResponseController(l.ResponseWriter).Flush()
}
