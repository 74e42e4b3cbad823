package emulate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// echoApp answers with the request headers it received, as JSON.
func echoApp(t *testing.T) *url.URL {
	t.Helper()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(r.Header)
	}))
	t.Cleanup(app.Close)
	u, _ := url.Parse(app.URL)
	return u
}

func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Listen = "127.0.0.1:0"
	cfg.App = echoApp(t)
	cfg.TenantID = "7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	cfg.ClientID = "6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a"
	cfg.Now = time.Now
	cfg.Log = func(Entry) {}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSpoofedIdentityHeadersNeverReachTheApp: whatever a client sends as an
// Easy Auth identity header, in any case or with underscores, the app must
// not see it (the spoofing App Service's documentation warns about).
func TestSpoofedIdentityHeadersNeverReachTheApp(t *testing.T) {
	s := newTestServer(t, Config{Unauthenticated: ActionAllow})
	h := s.Handler()
	spoofed := []string{
		"X-MS-CLIENT-PRINCIPAL", "X-Ms-Client-Principal-Name", "x-ms-client-principal-id",
		"X-MS-CLIENT-PRINCIPAL-IDP", "X-MS-TOKEN-AAD-ACCESS-TOKEN", "X-MS-TOKEN-AAD-ID-TOKEN",
		"X_MS_CLIENT_PRINCIPAL_NAME",
	}
	req := httptest.NewRequest("GET", "/page", nil)
	for _, name := range spoofed {
		req.Header[name] = []string{"attacker"}
	}
	req.Header.Set("X-Custom", "kept")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got http.Header
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("app answer: %v: %s", err, rec.Body)
	}
	for name, v := range got {
		n := strings.ToUpper(strings.ReplaceAll(name, "_", "-"))
		if strings.HasPrefix(n, "X-MS-CLIENT-PRINCIPAL") || strings.HasPrefix(n, "X-MS-TOKEN-") {
			t.Errorf("the app received spoofed %s: %q", name, v)
		}
	}
	if got.Get("X-Custom") != "kept" {
		t.Errorf("an ordinary header was dropped: %v", got)
	}
}

// TestUnauthenticatedActions: browsers and API clients get App Service's
// answers for each action.
func TestUnauthenticatedActions(t *testing.T) {
	for _, tc := range []struct {
		action  Action
		browser bool
		want    int
	}{
		{ActionRedirect, true, http.StatusFound},
		{Action401, true, http.StatusUnauthorized},
		{Action403, false, http.StatusForbidden},
		{Action404, false, http.StatusNotFound},
		{ActionAllow, false, http.StatusOK},
	} {
		t.Run(string(tc.action), func(t *testing.T) {
			s := newTestServer(t, Config{Unauthenticated: tc.action})
			req := httptest.NewRequest("GET", "/", nil)
			if tc.browser {
				req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
				req.Header.Set("Accept", "text/html")
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			if tc.want == http.StatusFound && !strings.HasPrefix(rec.Header().Get("Location"), "/.auth/login/aad") {
				t.Errorf("Location = %q", rec.Header().Get("Location"))
			}
		})
	}
}

// FuzzParseUsers: a users file never panics the parser, and what it accepts
// completes into users with a username.
func FuzzParseUsers(f *testing.F) {
	f.Add([]byte(`[{"name":"Alex","username":"alex@contoso.com","Roles":["Admin"]}]`))
	f.Add([]byte("{\"username\":\"a@b\"}\n{\"username\":\"c@d\"}\n"))
	f.Add([]byte(`[{}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		users, err := ParseUsers(data)
		if err != nil {
			return
		}
		for _, u := range users {
			_, _ = u.Complete()
		}
	})
}

// FuzzParseClaim: key=value parsing never panics, and an accepted claim has
// a name.
func FuzzParseClaim(f *testing.F) {
	for _, s := range []string{"dept=Sales", "=x", "roles=Admin", "n=", "a=b=c", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClaim(s)
		if err == nil && strings.TrimSpace(s) == "" {
			t.Errorf("accepted an empty claim: %+v", c)
		}
	})
}

// TestDotSegmentsCannotReachAnExcludedPathsNeighbour: /health/../admin is
// /admin, for the emulator's decision and for the app alike, whether the
// dots are plain or percent-encoded.
func TestDotSegmentsCannotReachAnExcludedPathsNeighbour(t *testing.T) {
	s := newTestServer(t, Config{Unauthenticated: Action401, Exclude: []string{"/health"}})
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/health", http.StatusOK},
		{"/health/live", http.StatusOK},
		{"/health/../admin", http.StatusUnauthorized},
		{"/health/%2e%2e/admin", http.StatusUnauthorized},
		{"/health/./../admin/", http.StatusUnauthorized},
		{"//health", http.StatusOK},
		{"/admin/../health", http.StatusOK},
	} {
		t.Run(tc.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
			if rec.Code != tc.want {
				t.Errorf("%s: %d, want %d", tc.target, rec.Code, tc.want)
			}
		})
	}
}

// FuzzSameOrigin: a redirect target the emulator accepts is always a path
// on this host, never another site (//evil, /\evil, a scheme).
func FuzzSameOrigin(f *testing.F) {
	for _, s := range []string{"/", "/a?b=c", "//evil.example/", "/\\evil.example", "https://evil.example/", "http://127.0.0.1:8400/x",
		"javascript:alert(1)", "/%2f%2fevil", "http://127.0.0.1:8400@evil.example/", " /x"} {
		f.Add(s)
	}
	s := &Server{base: "http://127.0.0.1:8400"}
	f.Fuzz(func(t *testing.T, v string) {
		got, ok := s.sameOrigin(v)
		if !ok {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("sameOrigin(%q) = %q: not a path on this host", v, got)
		}
	})
}

func TestSameOrigin(t *testing.T) {
	s := &Server{base: "http://127.0.0.1:8400"}
	for v, want := range map[string]string{
		"/reports?y=1": "/reports?y=1", "http://127.0.0.1:8400": "/", "http://127.0.0.1:8400/a#f": "/a",
		"//evil.example/": "", "/\\evil.example": "", "https://evil.example/": "", "javascript:alert(1)": "",
		"http://127.0.0.1:8400//evil.example/": "", "/%2f%2fevil.example": "", "%2f": "", "reports": "",
		"http://u@127.0.0.1:8400/": "", "http://127.0.0.1:8401/": "",
	} {
		if got, _ := s.sameOrigin(v); got != want {
			t.Errorf("sameOrigin(%q) = %q, want %q", v, got, want)
		}
	}
}
