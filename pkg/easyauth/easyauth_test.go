package easyauth

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestParseCookie(t *testing.T) {
	ok := map[string]Cookie{
		"abc123==":                  {SessionCookie, "abc123=="},
		"  abc123  \n":              {SessionCookie, "abc123"},
		"AppServiceAuthSession=abc": {SessionCookie, "abc"},
		"appserviceauthsession=abc": {"appserviceauthsession", "abc"},
		"Cookie: a=1; AppServiceAuthSession=abc; b=2": {SessionCookie, "abc"},
		"cookie:AppServiceAuthSession=abc":            {SessionCookie, "abc"},
		"a=1; AppServiceAuthSession=ab+c/d==":         {SessionCookie, "ab+c/d=="},
		`"AppServiceAuthSession=abc"`:                 {SessionCookie, "abc"},
		"StaticWebAppsAuthCookie=eyJ4IjoxfQ==":        {SWASessionCookie, "eyJ4IjoxfQ=="},
	}
	for in, want := range ok {
		t.Run(in, func(t *testing.T) {
			got, err := ParseCookie(in)
			if err != nil || got != want {
				t.Errorf("ParseCookie(%q) = %+v, %v", in, got, err)
			}
		})
	}
	bad := map[string]string{
		"":                             "empty",
		"Cookie: ":                     "empty",
		"a=1; b=2":                     "no AppServiceAuthSession cookie among the cookies given (a, b)",
		"AppServiceAuthSession=":       "is empty",
		"abc def":                      "characters a cookie cannot hold",
		"AppServiceAuthSession=a\x01b": "characters a cookie cannot hold",
		"Cookie: x=1; AppServiceAuthSession=SECRET\"": "characters",
	}
	for in, msg := range bad {
		t.Run(in, func(t *testing.T) {
			_, err := ParseCookie(in)
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("ParseCookie(%q) err = %v, want %q", in, err, msg)
			}
			if err != nil && strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error quotes the cookie: %v", err)
			}
		})
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestDecodePrincipal(t *testing.T) {
	js := `{"auth_typ":"aad","claims":[{"typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","val":"a@b"},{"typ":"roles","val":"r1"},{"typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","val":"r2"},{"typ":"roles","val":"r1"},{"typ":"exp","val":1700000000}],"name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role"}`
	for _, enc := range []string{b64(js), strings.TrimRight(b64(js), "="), base64.RawURLEncoding.EncodeToString([]byte(js)), " " + b64(js) + "\n"} {
		p, err := DecodePrincipal(enc)
		if err != nil {
			t.Fatalf("DecodePrincipal: %v", err)
		}
		if p.AuthType != "aad" || p.Name() != "a@b" || strings.Join(p.Roles(), ",") != "r1,r2" || p.Shape != "app-service" {
			t.Errorf("principal: %+v name %q roles %v", p, p.Name(), p.Roles())
		}
		if v := p.Get("email"); len(v) != 1 || v[0] != "a@b" {
			t.Errorf("Get(email) = %v", v)
		}
		if v := p.Get("exp"); len(v) != 1 || v[0] != "1700000000" {
			t.Errorf("numeric claim value = %v", v)
		}
	}
	swa, err := DecodePrincipal(b64(`{"identityProvider":"github","userId":"u","userDetails":"octocat","userRoles":["anonymous","authenticated"]}`))
	if err != nil || swa.Shape != "static-web-apps" || swa.Name() != "octocat" || len(swa.Roles()) != 2 || swa.Claims == nil {
		t.Errorf("SWA: %+v %v", swa, err)
	}
	for in, msg := range map[string]string{
		"":               "empty",
		"!!!":            "not valid Base64",
		b64("not json"):  "does not hold a JSON object",
		b64(`[1]`):       "does not hold a JSON object",
		b64(`{"foo":1}`): "neither auth_typ",
		b64(`{"auth_typ":"aad","claims":{"a":1}}`): "claims",
		strings.Repeat("A", MaxHeaderValue+1):      "too large",
	} {
		if _, err := DecodePrincipal(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("DecodePrincipal(%.20q) err = %v, want %q", in, err, msg)
		}
	}
}

func TestParseHeadersForms(t *testing.T) {
	cases := map[string]string{
		"lines":        "X-MS-CLIENT-PRINCIPAL-NAME: a@b\nHost: x\n",
		"crlf request": "GET / HTTP/1.1\r\nX-MS-CLIENT-PRINCIPAL-NAME: a@b\r\n\r\nX-Not-A-Header: body\r\n",
		"curl":         "* connect\n> GET / HTTP/1.1\n> X-MS-CLIENT-PRINCIPAL-NAME: a@b\n>\n< HTTP/1.1 200 OK\n< X-MS-CLIENT-PRINCIPAL-NAME: response\n",
		"json":         `{"x-ms-client-principal-name":"a@b","Accept":["a","b"],"n":1,"z":null}`,
		"blank lines":  "\nX-MS-CLIENT-PRINCIPAL-NAME: a@b\n\nHost: x\n",
		"folded":       "X-MS-CLIENT-PRINCIPAL-NAME: a@\n  b\n",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			h, err := ParseHeaders([]byte(in))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				return
			}
			got := h.Get("x-ms-client-principal-name")
			if name == "folded" {
				if got != "a@ b" {
					t.Errorf("folded = %q", got)
				}
				return
			}
			if got != "a@b" {
				t.Errorf("%s: name = %q (%+v)", name, got, h)
			}
			if name == "crlf request" && h.Get("X-Not-A-Header") != "" {
				t.Error("the body of a raw request was read as headers")
			}
			if name == "blank lines" && h.Get("Host") != "x" {
				t.Error("a blank line ended plain header lines")
			}
		})
	}
	for in, msg := range map[string]string{"": "no headers given", "hello world": "no headers found", "{": "neither valid JSON nor a printed Python dict", "[1]": "no headers found", "\xff": "binary"} {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseHeaders([]byte(in)); err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("ParseHeaders(%q) = %v, want %q", in, err, msg)
			}
		})
	}
}

func TestTokenHeadersAndExpiry(t *testing.T) {
	h := Headers{{"X-MS-TOKEN-AAD-ID-TOKEN", "a"}, {"x-ms-token-google-refresh-token", "b"}, {"X-MS-TOKEN-TWITTER-ACCESS-TOKEN-SECRET", "c"},
		{"X-MS-TOKEN-AAD-EXPIRES-ON", "2023-10-03T15:08:43.6226525Z"}, {"X-MS-TOKEN-FOO", "d"}}
	got := h.TokenHeaders()
	want := []string{"aad/id-token", "aad/expires-on", "foo/unknown", "google/refresh-token", "twitter/access-token-secret"}
	for i, th := range got {
		if th.Provider+"/"+th.Kind != want[i] {
			t.Errorf("token header %d = %s/%s, want %s", i, th.Provider, th.Kind, want[i])
		}
	}
	for in, want := range map[string]string{
		"2023-10-03T15:08:43.6226525Z": "2023-10-03T15:08:43.6226525Z",
		"2023-10-03T15:08:43Z":         "2023-10-03T15:08:43Z",
		"2023-10-03T15:08:43.6226525":  "2023-10-03T15:08:43.6226525Z",
		"1696345723":                   "2023-10-03T15:08:43Z",
	} {
		tm, ok := ParseExpiresOn(in)
		if !ok || tm.Format(time.RFC3339Nano) != want {
			t.Errorf("ParseExpiresOn(%q) = %v %v", in, tm, ok)
		}
	}
	for _, bad := range []string{"", "tomorrow", "99999999999999999999"} {
		if _, ok := ParseExpiresOn(bad); ok {
			t.Errorf("ParseExpiresOn(%q) accepted", bad)
		}
	}
}

func TestParseMe(t *testing.T) {
	ids, err := ParseMe([]byte(`[{"access_token":"x","expires_on":"2023-12-30T17:31:16.1436141Z","provider_name":"aad","user_claims":[{"typ":"name","val":"A"}],"user_id":"a@b"},{"provider_name":"google","user_id":"g"}]`))
	if err != nil || len(ids) != 2 || ids[0].ExpiresOn == nil || ids[0].First("name") != "A" || ids[1].Claims == nil {
		t.Fatalf("ParseMe: %+v %v", ids, err)
	}
	for in, want := range map[string]error{"[]": ErrEmptyStore, "": ErrEmptyStore, "null": ErrEmptyStore, `{"clientPrincipal":null}`: ErrSWANotSignedIn} {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseMe([]byte(in)); err != want {
				t.Errorf("ParseMe(%q) = %v, want %v", in, err, want)
			}
		})
	}
	for _, in := range []string{"[", `{"x":`, `[1,2]`, `[{"user_claims":5}]`} {
		if _, err := ParseMe([]byte(in)); err == nil {
			t.Errorf("ParseMe(%q) accepted", in)
		}
	}
}

func TestAppOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://contoso.azurewebsites.net/some/page?x=1": "https://contoso.azurewebsites.net",
		"contoso.azurewebsites.net":                       "https://contoso.azurewebsites.net",
		"http://127.0.0.1:8080/":                          "http://127.0.0.1:8080",
	} {
		if got, err := AppOrigin(in); err != nil || got != want {
			t.Errorf("AppOrigin(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "ftp://x", "https://user:pw@x.example", "https://"} {
		if _, err := AppOrigin(bad); err == nil {
			t.Errorf("AppOrigin(%q) accepted", bad)
		}
	}
}

func TestBarePrincipalValue(t *testing.T) {
	principal := base64.StdEncoding.EncodeToString([]byte(`{"auth_typ":"aad","claims":[{"typ":"name","val":"Ada"}]}`))
	for name, in := range map[string]string{"padded": principal, "unpadded": strings.TrimRight(principal, "="), "url-safe": base64.RawURLEncoding.EncodeToString([]byte(`{"auth_typ":"aad","claims":[]}`))} {
		t.Run(name, func(t *testing.T) {
			hs, err := ParseHeaders([]byte(" " + in + "\n"))
			if err != nil || len(hs) != 1 || hs.Get("X-MS-CLIENT-PRINCIPAL") != in {
				t.Errorf("ParseHeaders = %+v, %v", hs, err)
			}
		})
	}
	for _, in := range []string{"eyJhbGciOiJSUzI1NiJ9.eyJ9.c2ln", base64.StdEncoding.EncodeToString([]byte(`{"a":1}`)), "hello", "QUJD"} {
		if LooksLikePrincipal(in) {
			t.Errorf("LooksLikePrincipal(%q) = true", in)
		}
	}
}

func TestLookupTerm(t *testing.T) {
	for in, want := range map[string]string{
		"X-MS-CLIENT-PRINCIPAL": "X-MS-CLIENT-PRINCIPAL", "x-ms-client-principal-name:": "X-MS-CLIENT-PRINCIPAL-NAME",
		"X-MS-TOKEN-AAD-ID-TOKEN": "X-MS-TOKEN-AAD-ID-TOKEN", "x-ms-token-google-access-token": "X-MS-TOKEN-GOOGLE-ACCESS-TOKEN",
		"X-MS-TOKEN-AAD-EXPIRES-ON": "X-MS-TOKEN-AAD-EXPIRES-ON", "appserviceauthsession": "AppServiceAuthSession",
		"AppServiceAuthSession1": "AppServiceAuthSession1", "StaticWebAppsAuthCookie": "StaticWebAppsAuthCookie", "X-ZUMO-AUTH": "X-ZUMO-AUTH",
	} {
		term, ok := LookupTerm(in)
		if !ok || term.Name != want || term.Meaning == "" {
			t.Errorf("LookupTerm(%q) = %+v, %v", in, term, ok)
		}
	}
	for _, in := range []string{"X-MS-TOKEN--ID-TOKEN", "X-MS-TOKEN-AAD", "AppServiceAuthSessionX", "Host"} {
		if term, ok := LookupTerm(in); ok {
			t.Errorf("LookupTerm(%q) = %+v", in, term)
		}
	}
}
