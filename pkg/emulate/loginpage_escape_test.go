package emulate

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestLoginPageEscapesEverything: names, roles and the redirect a user or a
// link supplies are shown as text, never as markup.
func TestLoginPageEscapesEverything(t *testing.T) {
	evil := `"><script>alert(1)</script><x a='`
	s := newTestServer(t, Config{Users: []User{{Name: evil, Username: "alex@contoso.com" + evil, Roles: []string{evil}}}})
	req := httptest.NewRequest("GET", "/.auth/login/aad?post_login_redirect_uri="+url.QueryEscape("/"+evil), nil)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `name="post_login_redirect_uri"`) {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "<x a=") {
		t.Errorf("unescaped markup in the sign-in page:\n%s", body)
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the name is not shown as text:\n%s", body)
	}
}
