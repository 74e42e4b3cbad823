package emulate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

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

// TestTokensExpireWhileTheSessionLives: with a short token lifetime the
// session outlives its tokens: the app still gets the expired tokens (as in
// Azure), refresh renews the access token and not the ID token, and the
// session itself ends after its own lifetime.
func TestTokensExpireWhileTheSessionLives(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	s := newTestServer(t, Config{Users: []User{{Username: "alex@contoso.com"}}, TokenLifetime: 2 * time.Minute})
	s.cfg.Now = func() time.Time { return now }
	h := s.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/.auth/login/aad?login_hint=alex@contoso.com", nil))
	cookie := rec.Result().Cookies()[0]
	get := func(target string) map[string][]string {
		req := httptest.NewRequest("GET", target, nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", target, w.Code, w.Body)
		}
		var hdr map[string][]string
		_ = json.Unmarshal(w.Body.Bytes(), &hdr)
		return hdr
	}
	first := get("/")
	if first["X-Ms-Token-Aad-Expires-On"][0] != "2026-12-03T10:02:00.0000000Z" {
		t.Errorf("expires-on %v", first["X-Ms-Token-Aad-Expires-On"])
	}
	now = now.Add(5 * time.Minute) // the tokens expired; the session lives
	late := get("/")
	if late["X-Ms-Token-Aad-Access-Token"][0] != first["X-Ms-Token-Aad-Access-Token"][0] {
		t.Error("the expired access token was replaced without a refresh")
	}
	get("/.auth/refresh")
	renewed := get("/")
	if renewed["X-Ms-Token-Aad-Access-Token"][0] == first["X-Ms-Token-Aad-Access-Token"][0] ||
		renewed["X-Ms-Token-Aad-Id-Token"][0] != first["X-Ms-Token-Aad-Id-Token"][0] ||
		renewed["X-Ms-Token-Aad-Expires-On"][0] != "2026-12-03T10:07:00.0000000Z" {
		t.Errorf("after refresh: %v", renewed)
	}
	now = now.Add(8 * time.Hour) // the session ended
	req := httptest.NewRequest("GET", "/.auth/me", nil)
	req.AddCookie(cookie)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("/.auth/me after the session's 8 hours: %d", w.Code)
	}
}

// TestSignInFormSurvivesASecondPageLoad: a browser that loads the sign-in
// page again before posting (its /favicon.ico is redirected there too)
// can still post the first form.
func TestSignInFormSurvivesASecondPageLoad(t *testing.T) {
	s := newTestServer(t, Config{})
	h := s.Handler()
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest("GET", "/.auth/login/aad", nil))
	nonce := first.Result().Cookies()[0]
	form := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(first.Body.String())
	if nonce.Name != "Nonce" || len(form) != 2 || form[1] != nonce.Value {
		t.Fatalf("nonce cookie %+v, form %v", nonce, form)
	}
	again := httptest.NewRequest("GET", "/favicon.ico", nil)
	again.Header.Set("User-Agent", "Mozilla/5.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, again)
	loc := rec.Header().Get("Location")
	second := httptest.NewRequest("GET", loc, nil)
	second.AddCookie(nonce)
	rec = httptest.NewRecorder()
	// the favicon's fetch, without the cookie yet: no nonce is set
	image := httptest.NewRequest("GET", loc, nil)
	image.Header.Set("Sec-Fetch-Dest", "image")
	h.ServeHTTP(rec, image)
	if c := rec.Result().Cookies(); len(c) != 0 {
		t.Fatalf("a favicon fetch got a nonce cookie: %+v", c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, second)
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].Value != nonce.Value {
		t.Fatalf("the second page load changed the nonce: %+v", c)
	}
	post := httptest.NewRequest("POST", "/.auth/login/aad", strings.NewReader("nonce="+form[1]+"&user=custom&username=casey@contoso.com"))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.AddCookie(nonce)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, post)
	if rec.Code != http.StatusFound {
		t.Errorf("posting the first form: %d %s", rec.Code, rec.Body)
	}
	// a forged cookie value is not adopted
	bad := httptest.NewRequest("GET", "/.auth/login/aad", nil)
	bad.AddCookie(&http.Cookie{Name: "Nonce", Value: "x"})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, bad)
	if c := rec.Result().Cookies(); len(c) != 1 || c[0].Value == "x" {
		t.Errorf("a malformed nonce was kept: %+v", c)
	}
}
