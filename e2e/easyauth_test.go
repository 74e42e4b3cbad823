package e2e

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

const sessionCookie = "SECRETSESSION0123456789abcdefABCDEF"

type appEnv struct {
	idp *fakeidp.Server
	app *fakeidp.EasyAuthApp
	env []string
	tok map[string]any
}

func newApp(t *testing.T) *appEnv {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	entry := fakeidp.AADEntry(t, key, fakeidp.V2Issuer("login.microsoftonline.com", e2eTenant), e2eTenant, time.Now().Add(5*time.Minute))
	app := &fakeidp.EasyAuthApp{Sessions: map[string]*fakeidp.Session{
		sessionCookie: {Body: []any{entry}, Renew: func(s *fakeidp.Session) {
			s.Body.([]any)[0].(map[string]any)["expires_on"] = fakeidp.ExpiresOn(time.Now().Add(time.Hour))
		}},
		"no-refresh-token": {Body: []any{entry}, RefreshStatus: 401},
		"too-old":          {Body: []any{entry}, RefreshStatus: 403},
		"store-lost":       {Body: nil},
		"other-app":        {Status: 403},
		"swa":              {Body: map[string]any{"clientPrincipal": map[string]any{"identityProvider": "aad", "userId": "abc", "userDetails": "alex@contoso.example", "userRoles": []string{"anonymous", "authenticated"}}}},
		"swa-anon":         {Body: map[string]any{"clientPrincipal": nil}},
		"zumo-token":       {Body: []any{entry}},
	}}
	idp.EasyAuth(app)
	return &appEnv{idp: idp, app: app, env: []string{"AZID_CA_FILE=" + idp.CAFile(t), "AZID_APP_URL=" + idp.URL}, tok: entry}
}

func assertNoSecrets(t *testing.T, r result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && (strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s)) {
			t.Errorf("output contains a secret (%.12s…)", s)
		}
	}
}

func TestMeCookieForms(t *testing.T) {
	a := newApp(t)
	secrets := []string{sessionCookie, a.tok["access_token"].(string), a.tok["id_token"].(string), a.tok["refresh_token"].(string)}
	forms := map[string]string{
		"bare value":    sessionCookie,
		"name=value":    "AppServiceAuthSession=" + sessionCookie,
		"cookie header": "Cookie: ai_user=abc; AppServiceAuthSession=" + sessionCookie + "; ARRAffinity=xyz",
		"cookie string": "ARRAffinity=1; AppServiceAuthSession=" + sessionCookie,
		"with newline":  "  AppServiceAuthSession=" + sessionCookie + "\n",
	}
	for name, form := range forms {
		t.Run(name+" on stdin", func(t *testing.T) {
			r := run(t, form, a.env, "me", "--cookie", "-")
			if r.code != 0 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			if a.app.LastCookie != sessionCookie {
				t.Errorf("server got cookie %q", a.app.LastCookie)
			}
			assertNoSecrets(t, r, secrets...)
			for _, want := range []string{"aad · alex@contoso.example", "object id", "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "Reader, Approver",
				"access token, ID token, refresh token", "email", "(http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress)", "Microsoft Graph", "expires in "} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.stdout)
				}
			}
		})
	}
	t.Run("environment", func(t *testing.T) {
		r := run(t, "", append(a.env, "AZID_COOKIE=AppServiceAuthSession="+sessionCookie), "me")
		if r.code != 0 || a.app.LastCookie != sessionCookie {
			t.Errorf("AZID_COOKIE: code %d, cookie %q", r.code, a.app.LastCookie)
		}
	})
	t.Run("zumo", func(t *testing.T) {
		r := run(t, "zumo-token\n", a.env, "me", "--zumo", "-")
		if r.code != 0 || a.app.LastZumo != "zumo-token" || a.app.LastCookie != "" {
			t.Errorf("zumo: code %d zumo %q cookie %q", r.code, a.app.LastZumo, a.app.LastCookie)
		}
	})
}

func TestMeJSONAndShowTokens(t *testing.T) {
	a := newApp(t)
	r := run(t, sessionCookie, a.env, "me", "--cookie", "-", "-o", "json")
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	assertNoSecrets(t, r, sessionCookie, a.tok["access_token"].(string), a.tok["refresh_token"].(string))
	var res struct {
		App        string `json:"app"`
		Identities []struct {
			Provider string   `json:"provider"`
			ObjectID string   `json:"object_id"`
			TenantID string   `json:"tenant_id"`
			Roles    []string `json:"roles"`
			Claims   []struct{ Typ, Short, Val string }
			Tokens   struct {
				AccessToken *struct {
					Present bool `json:"present"`
					Summary struct {
						Graph bool `json:"graph"`
					} `json:"summary"`
				} `json:"access_token"`
				RefreshToken *struct {
					Present bool `json:"present"`
				} `json:"refresh_token"`
			} `json:"tokens"`
		} `json:"identities"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	id := res.Identities[0]
	if res.App != a.idp.URL || id.Provider != "aad" || id.TenantID != e2eTenant || len(id.Roles) != 2 || !id.Tokens.AccessToken.Summary.Graph || !id.Tokens.RefreshToken.Present || id.Claims[5].Short != "email" {
		t.Errorf("json: %+v", res)
	}
	r = run(t, sessionCookie, a.env, "me", "--cookie", "-", "--show-tokens")
	if !strings.Contains(r.stdout, a.tok["access_token"].(string)) || strings.Contains(r.stdout+r.stderr, sessionCookie) {
		t.Error("--show-tokens shows the tokens, and never the cookie")
	}
}

func TestMeDiagnoses(t *testing.T) {
	a := newApp(t)
	cases := []struct {
		name, cookie, mode string
		code               int
		msg, hint          string
	}{
		{"unknown session", "expired-cookie", "", 4, "session rejected: expired, signed out, or a cookie of another app", "fresh AppServiceAuthSession"},
		{"forbidden", "other-app", "", 4, "session rejected", "fresh"},
		{"store lost", "store-lost", "", 4, "token store holds nothing", "blob token store"},
		{"redirect", sessionCookie, "redirect", 4, "not signed in: Easy Auth answered HTTP 302 to sign in at /.auth/login/aad", "/.auth/login/aad"},
		{"redirect to login", sessionCookie, "redirect-login", 4, "not signed in: Easy Auth answered HTTP 302 to sign in at login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize (client_id 6e74172b-be56-4843-9ff4-e66a39bb12e3, redirect_uri https://127.0.0.1:", "/.auth/login/aad"},
		{"html", sessionCookie, "html", 4, "not signed in: Easy Auth sent the login page", "/.auth/login/aad"},
		{"easy auth off", sessionCookie, "disabled", 1, "no /.auth/me here", "token store"},
		{"bad json", sessionCookie, "badjson", 1, "did not return valid JSON", ""},
		{"server error", sessionCookie, "error", 1, "HTTP 500", ""},
		{"swa anonymous", "swa-anon", "", 4, "Static Web Apps returned no client principal", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a.app.Mode = tc.mode
			r := run(t, tc.cookie, a.env, "me", "--cookie", "-")
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) || !strings.Contains(r.stderr, tc.hint) {
				t.Errorf("code %d stderr %q; want %d, %q, %q", r.code, r.stderr, tc.code, tc.msg, tc.hint)
			}
			assertNoSecrets(t, r, sessionCookie)
		})
	}
	a.app.Mode = ""
	if r := run(t, "swa", a.env, "me", "--cookie", "-"); r.code != 0 || !strings.Contains(r.stdout, "alex@contoso.example") || !strings.Contains(r.stdout, "authenticated") {
		t.Errorf("SWA shape: %+v", r)
	}
	for args, msg := range map[string]string{
		"me":                                     "no session given",
		"me --cookie x --zumo y":                 "not both",
		"me --url http://example.com --cookie x": "plain HTTP is allowed only to loopback",
		"me --cookie Cookie:a=b;c=d":             "no AppServiceAuthSession cookie among the cookies given (a, c)",
	} {
		env := a.env
		if strings.Contains(args, "--url") {
			env = []string{}
		}
		r := run(t, "", env, strings.Fields(args)...)
		if r.code == 0 || !strings.Contains(r.stderr, msg) {
			t.Errorf("azid %s: code %d stderr %q, want %q", args, r.code, r.stderr, msg)
		}
	}
	if r := run(t, "", nil, "me", "--cookie", "x"); r.code != 2 || !strings.Contains(r.stderr, "no app URL") {
		t.Errorf("no URL: %+v", r)
	}
	// a closed port is named as such
	if r := run(t, sessionCookie, append(a.env, "AZID_APP_URL=https://127.0.0.1:1"), "me", "--cookie", "-"); r.code != 1 || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("refused: %+v", r)
	}
}

func TestMeRefresh(t *testing.T) {
	a := newApp(t)
	r := run(t, sessionCookie, a.env, "me", "--cookie", "-", "--refresh")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ refreshed: access token expiry") || !strings.Contains(r.stdout, "→") {
		t.Errorf("refresh: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for cookie, want := range map[string]string{
		"no-refresh-token": "offline_access",
		"too-old":          "sign in again",
	} {
		r := run(t, cookie, a.env, "me", "--cookie", "-", "--refresh")
		if r.code != 4 || !strings.Contains(r.stderr, "refresh failed") || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: code %d stderr %q", cookie, r.code, r.stderr)
		}
	}
}

func principalHeader(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestHeadersForms(t *testing.T) {
	a := newApp(t)
	access := a.tok["access_token"].(string)
	principal := principalHeader(t, map[string]any{
		"auth_typ": "aad",
		"claims": []map[string]string{
			{"typ": "name", "val": "Alex Example"},
			{"typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "val": "alex@contoso.example"},
			{"typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "val": "Reader"},
			{"typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "val": "Approver"},
		},
		"name_typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
		"role_typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
	})
	lines := "X-MS-CLIENT-PRINCIPAL: " + principal + "\nX-MS-CLIENT-PRINCIPAL-NAME: alex@contoso.example\nX-MS-CLIENT-PRINCIPAL-ID: 3f2e1d0c\nX-MS-CLIENT-PRINCIPAL-IDP: aad\n" +
		"X-MS-TOKEN-AAD-ACCESS-TOKEN: " + access + "\nX-MS-TOKEN-AAD-EXPIRES-ON: 2020-01-01T00:00:00.1234567Z\nX-MS-TOKEN-AAD-REFRESH-TOKEN: SECRETREFRESH\n"
	forms := map[string]string{
		"lines":       lines,
		"raw request": "GET /app HTTP/1.1\r\nHost: contoso.azurewebsites.net\r\n" + strings.ReplaceAll(lines, "\n", "\r\n") + "\r\n{\"body\":1}",
		"curl -v":     "*   Trying 1.2.3.4:443...\n> GET / HTTP/2\n> Host: x\n" + prefix(lines, "> ") + ">\n< HTTP/2 200\n< x-ms-client-principal: nope\n",
		"lower case":  lowerNames(lines),
		"streamlit json": mustJSON(t, map[string]any{"Host": "x", "X-Ms-Client-Principal": principal, "X-Ms-Client-Principal-Name": "alex@contoso.example",
			"X-Ms-Client-Principal-Idp": "aad", "X-Ms-Token-Aad-Access-Token": access, "X-Ms-Token-Aad-Expires-On": "2020-01-01T00:00:00.1234567Z",
			"X-Ms-Token-Aad-Refresh-Token": "SECRETREFRESH"}),
	}
	for name, in := range forms {
		t.Run(name, func(t *testing.T) {
			r := run(t, in, nil, "headers")
			if r.code != 0 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			assertNoSecrets(t, r, access, "SECRETREFRESH")
			for _, want := range []string{"Easy Auth principal · aad", "roles     Reader, Approver", "alex@contoso.example", "Microsoft Graph", "EXPIRED", "present (a secret; not shown)"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("lacks %q:\n%s", want, r.stdout)
				}
			}
			if !strings.Contains(r.stderr, "trust these headers only") {
				t.Errorf("no trust reminder: %q", r.stderr)
			}
		})
	}
	r := run(t, lines, nil, "headers", "-o", "json")
	var rep struct {
		Principal struct {
			AuthType string   `json:"auth_typ"`
			Name     string   `json:"name"`
			Roles    []string `json:"roles"`
		} `json:"principal"`
		Tokens []struct {
			Kind    string `json:"kind"`
			Expired *bool  `json:"expired"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Principal.Name != "alex@contoso.example" || len(rep.Principal.Roles) != 2 || len(rep.Tokens) != 3 {
		t.Errorf("json: %v %+v", err, rep)
	}
}

func TestHeadersProblems(t *testing.T) {
	only := "X-MS-CLIENT-PRINCIPAL-NAME: alex@contoso.example\nX-MS-CLIENT-PRINCIPAL-IDP: aad\n"
	r := run(t, only, nil, "headers")
	if r.code != 0 || !strings.Contains(r.stderr, "token store is off") {
		t.Errorf("no token headers: %+v", r)
	}
	swa := "x-ms-client-principal: " + principalHeader(t, map[string]any{"identityProvider": "github", "userId": "u1", "userDetails": "octocat", "userRoles": []string{"anonymous", "authenticated", "admin"}}) + "\n"
	if r := run(t, swa, nil, "headers"); r.code != 0 || !strings.Contains(r.stdout, "(Static Web Apps)") || !strings.Contains(r.stdout, "anonymous, authenticated, admin") {
		t.Errorf("SWA: %+v", r)
	}
	for in, msg := range map[string]string{
		"":                             "no headers given",
		"Host: x\nAccept: */*\n":       "no Easy Auth headers",
		"just some text":               "no headers found",
		"X-MS-CLIENT-PRINCIPAL: !!!\n": "not valid Base64",
		"X-MS-CLIENT-PRINCIPAL: " + base64.StdEncoding.EncodeToString([]byte("[1,2]")) + "\n": "does not hold a JSON object",
		"\x00\x01binary":             "binary data",
		`{"X-MS-CLIENT-PRINCIPAL": `: "neither valid JSON nor a printed Python dict",
	} {
		r := run(t, in, nil, "headers")
		if r.code != 1 || !strings.Contains(r.stderr, msg) {
			t.Errorf("%.30q: code %d stderr %q, want %q", in, r.code, r.stderr, msg)
		}
	}
}

func prefix(s, p string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString(p + l + "\n")
	}
	return b.String()
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lowerNames(lines string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(lines, "\n"), "\n") {
		name, value, _ := strings.Cut(l, ":")
		b.WriteString(strings.ToLower(name) + ":" + value + "\n")
	}
	return b.String()
}
