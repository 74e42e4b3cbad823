package emulate

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

func idToken(payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "."
}

func TestNewEntraClient(t *testing.T) {
	ok := func(c *EntraConfig) *EntraConfig {
		if c.Tenant == "" {
			c.Tenant = "contoso.com"
		}
		if c.ClientID == "" {
			c.ClientID = "c"
		}
		c.HTTPClient = http.DefaultClient
		return c
	}
	for _, tc := range []struct {
		name string
		cfg  *EntraConfig
		msg  string
	}{
		{"public", ok(&EntraConfig{Authority: "https://login.microsoftonline.com/"}), ""},
		{"loopback http", ok(&EntraConfig{Authority: "http://127.0.0.1:8443"}), ""},
		{"http elsewhere", ok(&EntraConfig{Authority: "http://login.microsoftonline.com"}), "must be https"},
		{"with path", ok(&EntraConfig{Authority: "https://login.microsoftonline.com/common"}), "is not a URL such as"},
		{"tenant with slash", ok(&EntraConfig{Authority: "https://login.microsoftonline.com", Tenant: "a/b"}), "needs a tenant"},
		{"no client", &EntraConfig{Authority: "https://login.microsoftonline.com", Tenant: "t", HTTPClient: http.DefaultClient}, "needs the client ID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := newEntraClient(tc.cfg, "http://localhost:8400", time.Now)
			if tc.msg == "" {
				if err != nil || e.redirectURI() != "http://localhost:8400/.auth/login/aad/callback" || strings.HasSuffix(e.cfg.Authority, "/") {
					t.Errorf("%v %+v", err, e)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err %v, want %q", err, tc.msg)
			}
		})
	}
}

func TestCheckIDToken(t *testing.T) {
	e := &entraClient{cfg: &EntraConfig{ClientID: "app"}}
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		name, tok, msg string
	}{
		{"good", idToken(`{"aud":"app","iss":"https://login.microsoftonline.com/t/v2.0","exp":1800003600,"nonce":"n1","roles":["A","B"],"name":"Alex"}`), ""},
		{"other app", idToken(`{"aud":"other","exp":1800003600,"nonce":"n1"}`), "not this app"},
		{"no nonce", idToken(`{"aud":"app","exp":1800003600}`), "nonce"},
		{"wrong nonce", idToken(`{"aud":"app","exp":1800003600,"nonce":"n2"}`), "nonce"},
		{"expired", idToken(`{"aud":"app","exp":1799990000,"nonce":"n1"}`), "expired"},
		{"absent", "", "no ID token"},
		{"not json", idToken(`[1]`), "not a JSON object"},
		{"bad base64", "a.!!.c", "not base64url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := e.checkIDToken(tc.tok, "n1", now)
			if tc.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c[0].name != "aud" || c[1].name != "iss" || c.str("name") != "Alex" {
					t.Errorf("claims out of order: %+v", c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err %v, want %q", err, tc.msg)
			}
		})
	}
}

// TestLoginHintSignsInAConfiguredUser: login_hint naming a configured user
// signs in without the page; an unknown one shows the page.
func TestLoginHintSignsInAConfiguredUser(t *testing.T) {
	s := newTestServer(t, Config{Users: []User{{Username: "alex@contoso.com"}}})
	for _, tc := range []struct {
		hint string
		want int
	}{{"ALEX@contoso.com", http.StatusFound}, {"casey@contoso.com", http.StatusOK}, {"", http.StatusOK}} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/.auth/login/aad?login_hint="+tc.hint, nil))
		if rec.Code != tc.want {
			t.Errorf("hint %q: %d, want %d", tc.hint, rec.Code, tc.want)
		}
		if tc.want == http.StatusFound && !strings.Contains(rec.Header().Get("Set-Cookie"), "AppServiceAuthSession=") {
			t.Errorf("hint %q: no session cookie", tc.hint)
		}
	}
}

func TestEasyAuthNonce(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if n := easyAuthNonce(now); !regexp.MustCompile(`^[0-9a-f]{32}_20261203101000$`).MatchString(n) {
		t.Errorf("nonce %q", n)
	}
}

// FuzzOrderedClaims: any payload is read without a panic, and what is read
// keeps each claim's name.
func FuzzOrderedClaims(f *testing.F) {
	for _, s := range []string{`{"aud":"a","exp":1,"roles":["x"],"b":true,"n":1.5,"o":{}}`, `{`, `[]`, `{"a":null}`, `{"a":1e400}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := orderedClaims(data)
		if err != nil {
			return
		}
		_ = principalClaims(c)
		_ = claimMap(c)
	})
}

// TestConcurrentRequests: sign-ins, refreshes, /.auth/me and proxied
// requests at once share the store safely (run with -race).
func TestConcurrentRequests(t *testing.T) {
	s := newTestServer(t, Config{Users: []User{{Username: "alex@contoso.com"}}, LoseTokensOnRestart: true})
	h := s.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/.auth/login/aad?login_hint=alex@contoso.com", nil))
	cookie := rec.Result().Cookies()[0]
	done := make(chan struct{})
	for i := 0; i < 8; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 20; j++ {
				target := []string{"/", "/.auth/me", "/.auth/refresh", "/.auth/login/aad?login_hint=alex@contoso.com"}[(i+j)%4]
				req := httptest.NewRequest("GET", target, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code >= 500 {
					t.Errorf("%s: %d", target, w.Code)
				}
			}
		}(i)
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	s.store.loseTokens()
	me := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/.auth/me", nil)
	req.AddCookie(cookie)
	h.ServeHTTP(me, req)
	if me.Code != 200 || strings.TrimSpace(me.Body.String()) != "[]" {
		t.Errorf("/.auth/me after the store was lost: %d %s", me.Code, me.Body)
	}
}

// TestDiscovery: the local issuer's metadata names its issuer and key set
// as Entra's does, readable cross-origin, and only by GET.
func TestDiscovery(t *testing.T) {
	s := newTestServer(t, Config{})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", strings.TrimPrefix(s.MetadataURL(), s.URL()), nil))
	body := rec.Body.String()
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(body, `"issuer":"`+s.Issuer()+`"`) || !strings.Contains(body, `"jwks_uri":"`+s.URL()+`/7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/discovery/v2.0/keys"`) {
		t.Errorf("metadata: %d %v %s", rec.Code, rec.Header(), body)
	}
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/discovery/v2.0/keys", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"kty":"RSA","use":"sig","kid":"`+s.iss.kid+`"`) {
		t.Errorf("keys: %d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("POST", "/7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/discovery/v2.0/keys", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST keys: %d", rec.Code)
	}
}
