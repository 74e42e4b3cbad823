package emulate

import (
	"encoding/base64"
	"net/http"
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
