package entra

import (
	"encoding/base64"
	"strings"
	"testing"
)

// graphChallenge is the claims challenge Microsoft Graph sends under CAE
// (Microsoft's "How to use Continuous Access Evaluation enabled APIs").
const graphChallenge = `WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="`

func TestParseChallenge(t *testing.T) {
	c, ok := ParseChallenge(graphChallenge)
	if !ok || c.Scheme != "Bearer" || c.Params["error"] != "insufficient_claims" || c.Params["realm"] != "" || len(c.Names) != 5 {
		t.Fatalf("ParseChallenge = %+v, %v", c, ok)
	}
	if string(c.Claims) != `{"access_token":{"nbf":{"essential":true, "value":"1604106651"}}}` {
		t.Errorf("claims = %s", c.Claims)
	}
	cases := map[string]string{
		"curl -v line":      `< WWW-Authenticate: Bearer error="invalid_token", error_description="The access token expired"`,
		"unquoted":          `Bearer realm=api, error=invalid_token`,
		"escaped quote":     `Bearer error="invalid_token", error_description="a \"quoted\" word"`,
		"raw json claims":   `Bearer error="insufficient_claims", claims="{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}"`,
		"url-safe unpadded": `Bearer error="insufficient_claims", claims="` + base64.RawURLEncoding.EncodeToString([]byte(`{"id_token":{"x":null}}`)) + `"`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			c, ok := ParseChallenge(in)
			if !ok || c.Scheme != "Bearer" || c.Params["error"] == "" {
				t.Fatalf("= %+v, %v", c, ok)
			}
			if strings.Contains(in, "claims=") && c.Claims == nil {
				t.Error("claims not decoded")
			}
			if name == "escaped quote" && c.Params["error_description"] != `a "quoted" word` {
				t.Errorf("error_description = %q", c.Params["error_description"])
			}
		})
	}
	for _, in := range []string{"", "Bearer", "Bearer error=\"unclosed", "not a challenge at all", "x=y"} {
		if c, ok := ParseChallenge(in); ok {
			t.Errorf("ParseChallenge(%q) = %+v", in, c)
		}
	}
	if c, _ := ParseChallenge(`Bearer claims="not base64!"`); c.Claims != nil {
		t.Errorf("undecodable claims = %s", c.Claims)
	}
}

// FuzzParseChallenge: never panics; decoded claims are JSON objects.
func FuzzParseChallenge(f *testing.F) {
	f.Add(graphChallenge)
	f.Add(`Bearer a=b, c="d\"e", claims="{}"`)
	f.Add(`PoP nonce="x"`)
	f.Fuzz(func(t *testing.T, in string) {
		c, ok := ParseChallenge(in)
		if !ok {
			return
		}
		if len(c.Params) == 0 || len(c.Names) != len(c.Params) {
			t.Fatalf("params %v names %v", c.Params, c.Names)
		}
		if c.Claims != nil && !strings.HasPrefix(strings.TrimSpace(string(c.Claims)), "{") {
			t.Fatalf("claims %q", c.Claims)
		}
	})
}

func TestSearchRoles(t *testing.T) {
	cases := map[string][]string{
		"global admin":         {"Global Administrator"},
		"Global Administrator": {"Global Administrator"},
		"security adm":         {"Security Administrator"},
		"glob read":            {"Global Reader"},
		"nothing like this":    nil,
	}
	for q, want := range cases {
		got := SearchRoles(q)
		names := make([]string, len(got))
		for i, r := range got {
			names[i] = r.Name
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("SearchRoles(%q) = %v, want %v", q, names, want)
		}
	}
	if n := len(SearchRoles("admin")); n < 20 {
		t.Errorf("SearchRoles(admin) found %d", n)
	}
}
