package emulate

import (
	"crypto/rand"
	"encoding/hex"
	"html"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sort"
	"time"
)

// expiresOnLayout is Easy Auth's expiry format: UTC with seven fractional digits.
const expiresOnLayout = "2006-01-02T15:04:05.0000000Z"

func (s *Server) newProxy() *httputil.ReverseProxy {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil // the app is local: never send its traffic through HTTP(S)_PROXY
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(s.cfg.App)
			pr.Out.Host = pr.In.Host // the app sees the host the browser used, as behind App Service
			pr.SetXForwarded()
			stripIdentityHeaders(pr.Out.Header)
			if sess, ok := pr.In.Context().Value(sessionKey{}).(*session); ok {
				s.injectHeaders(pr.Out.Header, sess)
			}
		},
		Transport:     &watchTransport{next: transport, s: s},
		FlushInterval: -1, // stream: every write reaches the browser at once
		ErrorHandler:  s.upstreamError,
	}
}

// injectHeaders sets the headers App Service gives a signed-in request.
func (s *Server) injectHeaders(h http.Header, sess *session) {
	h.Set("X-MS-CLIENT-PRINCIPAL", encodePrincipal(sess.claims))
	h.Set("X-MS-CLIENT-PRINCIPAL-NAME", sess.user.Username)
	h.Set("X-MS-CLIENT-PRINCIPAL-ID", sess.user.ObjectID)
	h.Set("X-MS-CLIENT-PRINCIPAL-IDP", "aad")
	if s.cfg.TokenStoreOff || sess.tokensLost {
		return
	}
	if sess.idToken != "" {
		h.Set("X-MS-TOKEN-AAD-ID-TOKEN", sess.idToken)
	}
	if sess.accessToken != "" {
		h.Set("X-MS-TOKEN-AAD-ACCESS-TOKEN", sess.accessToken)
		h.Set("X-MS-TOKEN-AAD-EXPIRES-ON", sess.tokensExpire.UTC().Format(expiresOnLayout))
	}
	if sess.refreshToken != "" {
		h.Set("X-MS-TOKEN-AAD-REFRESH-TOKEN", sess.refreshToken)
	}
}

// watchTransport notices the app going away and coming back (a restart).
type watchTransport struct {
	next http.RoundTripper
	s    *Server
}

func (t *watchTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		// The app went away: a restart or a deploy. A container's token
		// store goes with it, so the first request after it comes back
		// already finds the store empty.
		if r.Context().Err() == nil && !t.s.down.Swap(true) && t.s.cfg.LoseTokensOnRestart {
			t.s.store.loseTokens()
		}
		return nil, err
	}
	if t.s.down.Swap(false) {
		msg := "the app is reachable again"
		if t.s.cfg.LoseTokensOnRestart {
			msg += ": it restarted, so the token store was emptied (sessions stay signed in, /.auth/me answers [])"
		}
		t.s.cfg.Log(Entry{Time: t.s.cfg.Now(), Message: msg})
	}
	return resp, nil
}

// upstreamError answers 502 with a page that says what is wrong, and logs it.
func (s *Server) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client went away
	}
	s.cfg.Log(Entry{Time: s.cfg.Now(), Error: true, Message: "the app at " + s.cfg.App.String() + " did not answer " + r.Method + " " + r.URL.Path + ": " + err.Error()})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = w.Write([]byte(page("502 Bad Gateway", `<h1>502 Bad Gateway</h1><p>azid emulate could not reach the app at <code>`+
		html.EscapeString(s.cfg.App.String())+`</code>.</p><p>Is it running? Start it, then reload this page.</p>`)))
}

// easyAuthNonce is a nonce in Easy Auth's format, <32 hex>_<yyyyMMddHHmmss>
// (the suffix is the sign-in time plus 10 minutes in real captures).
func easyAuthNonce(now time.Time) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "_" + now.UTC().Add(10*time.Minute).Format("20060102150405")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// claimSetFromMap orders a decoded token's claims by name.
func claimSetFromMap(m map[string]any) claimSet {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	c := make(claimSet, 0, len(names))
	for _, k := range names {
		switch v := m[k].(type) {
		case string:
			c = append(c, field{k, v})
		case float64:
			c = append(c, field{k, int64(v)})
		case []any:
			var list []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					list = append(list, s)
				}
			}
			c = append(c, field{k, list})
		}
	}
	return c
}

// sessionEntry builds a new session for u, minting its tokens.
func (s *Server) newSession(u User, nonce string) (*session, error) {
	now := s.cfg.Now()
	if nonce == "" {
		nonce = easyAuthNonce(now)
	}
	idc := s.iss.idClaims(u, now, s.cfg.TokenLifetime, nonce)
	id, err := s.iss.sign(idc)
	if err != nil {
		return nil, err
	}
	at, err := s.iss.sign(s.iss.accessClaims(u, now, s.cfg.TokenLifetime))
	if err != nil {
		return nil, err
	}
	sess := &session{user: u, claims: principalClaims(idc), expires: now.Add(s.cfg.SessionLifetime),
		idToken: id, accessToken: at, tokensExpire: now.Add(s.cfg.TokenLifetime)}
	if !s.cfg.NoRefreshToken {
		sess.refreshToken = randomID(48)
	}
	return sess, nil
}
