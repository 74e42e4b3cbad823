package easyauth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func pasteSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "paste", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseMeAnswerSamples(t *testing.T) {
	cases := []struct {
		file   string
		status int
		host   string
		want   error
		ids    int
	}{
		{"auth_me_aad.json", 200, "", nil, 1},
		{"google_auth_me.json", 200, "", nil, 1},
		{"auth_me_empty.json", 200, "", ErrEmptyStore, 0},
		{"auth_me_swa_null.json", 200, "", ErrSWANotSignedIn, 0},
		{"curl_i_auth_me_200.txt", 200, "", nil, 1},
		{"curl_v_auth_me_empty.txt", 200, "contoso.azurewebsites.net", ErrEmptyStore, 0},
		{"curl_v_auth_me_302.txt", 302, "contoso.azurewebsites.net", ErrNotSignedIn, 0},
		{"curl_v_auth_me_401.txt", 401, "contoso.azurewebsites.net", ErrSessionRejected, 0},
		{"curl_v_swa_auth_me_null.txt", 200, "polite-sea-0a1b2c3d4.5.azurestaticapps.net", ErrSWANotSignedIn, 0},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			a, err := ParseMeAnswer(pasteSample(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != tc.status || a.Host != tc.host {
				t.Errorf("status %d host %q, want %d %q", a.Status, a.Host, tc.status, tc.host)
			}
			ids, err := a.Interpret()
			if !errors.Is(err, tc.want) || len(ids) != tc.ids {
				t.Errorf("Interpret = %d identities, %v; want %d, %v", len(ids), err, tc.ids, tc.want)
			}
		})
	}
}

func TestLoginRedirectError(t *testing.T) {
	a, err := ParseMeAnswer(pasteSample(t, "curl_v_auth_me_302.txt"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Interpret()
	var lr *LoginRedirectError
	if !errors.As(err, &lr) || lr.ClientID != "6e74172b-be56-4843-9ff4-e66a39bb12e3" ||
		lr.RedirectURI != "https://contoso.azurewebsites.net/.auth/login/aad/callback" ||
		lr.Target != "login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize" {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(err.Error(), "2f1b9a3c") || strings.Contains(err.Error(), "state") {
		t.Errorf("the message quotes the nonce or state: %v", err)
	}
	for loc, want := range map[string]string{
		"":                    "not signed in: Easy Auth answered HTTP 302",
		"/.auth/login/aad":    "not signed in: Easy Auth answered HTTP 302 to sign in at /.auth/login/aad",
		"https://x/a%1B[31mb": "not signed in: Easy Auth answered HTTP 302 to sign in at x/a[31mb",
		"https://x/\x1b[31mp": "not signed in: Easy Auth answered HTTP 302",
	} {
		if got := redirectError(302, loc).Error(); got != want {
			t.Errorf("redirectError(%q) = %q, want %q", loc, got, want)
		}
	}
}

func TestParseMeAnswerForms(t *testing.T) {
	cases := map[string]struct {
		in     string
		status int
		body   string
	}{
		"curl -i crlf":        {"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 404, ""},
		"curl -v redirects":   {"< HTTP/1.1 302 Found\n< Location: /a\n<\n< HTTP/2 200\n< content-type: application/json\n<\n[]\n", 200, "[]"},
		"progress meter":      {"  % Total    % Received % Xferd\n                                 Dload  Upload\n< HTTP/2 200\n<\n{ [2 bytes data]\n100     2    0     2\n[]", 200, "[]"},
		"pretty json body":    {"< HTTP/2 200\n<\n{ \"clientPrincipal\": null }\n", 200, `{ "clientPrincipal": null }`},
		"html page":           {"<!DOCTYPE html><html>sign in</html>", 200, "<!DOCTYPE html><html>sign in</html>"},
		"body without status": {"some words\n[{\"provider_name\":\"aad\"}]", 200, `[{"provider_name":"aad"}]`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := ParseMeAnswer([]byte(tc.in))
			if err != nil || a.Status != tc.status || string(a.Body) != tc.body {
				t.Errorf("= %d %q, %v; want %d %q", a.Status, a.Body, err, tc.status, tc.body)
			}
		})
	}
	for in, msg := range map[string]string{"": "empty", "hello": "not a /.auth/me answer", "\x00": "binary", strings.Repeat("a", MaxMeAnswer+1): "over 4 MiB"} {
		if _, err := ParseMeAnswer([]byte(in)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseMeAnswer(%.10q) = %v, want %q", in, err, msg)
		}
	}
}

func TestPlatformOf(t *testing.T) {
	for host, want := range map[string]Platform{
		"contoso.azurewebsites.net": PlatformAppService, "polite-sea-1.azurestaticapps.net": PlatformStaticWebApps,
		"POLITE-SEA-1.AZURESTATICAPPS.NET:443": PlatformStaticWebApps, "api.x.westeurope.azurecontainerapps.io": PlatformContainerApps,
		"127.0.0.1:8443": PlatformAppService, "[::1]:443": PlatformAppService,
	} {
		if got := PlatformOf(host); got != want {
			t.Errorf("PlatformOf(%q) = %s, want %s", host, got, want)
		}
	}
}

// FuzzParseMeAnswer: never panics; an answer it reads has a real status and
// interprets without panicking.
func FuzzParseMeAnswer(f *testing.F) {
	f.Add([]byte("[]"))
	f.Add([]byte("< HTTP/2 302\n< location: https://login.microsoftonline.com/x/oauth2/v2.0/authorize?client_id=a&redirect_uri=b\n<\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[{\"provider_name\":\"aad\",\"user_claims\":[]}]"))
	f.Add([]byte("> Host: x\n* Connected to y (1.2.3.4)\n{ [5 bytes data]\n< HTTP/2 200\n<\n{\"clientPrincipal\":null}* Connection #0 to host y left intact"))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := ParseMeAnswer(in)
		if err != nil {
			return
		}
		if a.Status < 100 || a.Status > 599 {
			t.Fatalf("status %d", a.Status)
		}
		_, _ = a.Interpret()
		var lr *LoginRedirectError
		if _, err := a.Interpret(); errors.As(err, &lr) && strings.ContainsAny(lr.Error(), "\n\r\x1b") {
			t.Fatalf("control characters in %q", lr.Error())
		}
	})
}
