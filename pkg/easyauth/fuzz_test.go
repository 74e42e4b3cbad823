package easyauth

import (
	"strings"
	"testing"
)

func FuzzParseHeaders(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nX-MS-CLIENT-PRINCIPAL: e30=\r\n\r\n"))
	f.Add([]byte("> X-Ms-Token-Aad-Expires-On: 2023-10-03T15:08:43.6226525Z\n"))
	f.Add([]byte(`{"X-MS-CLIENT-PRINCIPAL-NAME":["a","b"]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHeaders(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, th := range h.TokenHeaders() {
			_, _ = ParseExpiresOn(th.Value)
		}
		if v := h.Get("X-MS-CLIENT-PRINCIPAL"); v != "" {
			_, _ = DecodePrincipal(v)
		}
	})
}

func FuzzDecodePrincipal(f *testing.F) {
	f.Add(b64(`{"auth_typ":"aad","claims":[{"typ":"roles","val":"r"}],"role_typ":"roles"}`))
	f.Add(b64(`{"identityProvider":"aad","userRoles":["x"]}`))
	f.Add("e30")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := DecodePrincipal(s)
		if err != nil {
			return
		}
		if p.Claims == nil || (p.Shape != "app-service" && p.Shape != "static-web-apps") {
			t.Fatalf("principal %+v", p)
		}
		_ = p.Name()
		_ = p.Roles()
	})
}

func FuzzParseCookie(f *testing.F) {
	f.Add("Cookie: a=1; AppServiceAuthSession=abc")
	f.Add("abc==")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCookie(s)
		if err != nil {
			if _, v, ok := strings.Cut(s, SessionCookie+"="); ok {
				v, _, _ = strings.Cut(v, ";")
				if len(v) >= 8 && strings.Contains(err.Error(), v) {
					t.Fatalf("error quotes the cookie: %v", err)
				}
			}
			return
		}
		if c.Value == "" || strings.ContainsAny(c.Value, "; \r\n") {
			t.Fatalf("unsafe cookie value %q", c.Value)
		}
	})
}

func FuzzParseMe(f *testing.F) {
	f.Add([]byte(`[{"provider_name":"aad","user_claims":[{"typ":"a","val":"b"}],"expires_on":"2023-12-30T17:31:16.1436141Z"}]`))
	f.Add([]byte(`{"clientPrincipal":{"identityProvider":"aad"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ids, err := ParseMe(data)
		if err == nil && len(ids) == 0 {
			t.Fatal("no identities and no error")
		}
	})
}
