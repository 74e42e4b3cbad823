package doctor

import (
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
)

func signIn(t *testing.T, query string, v2 bool) *SignIn {
	t.Helper()
	path := "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize?"
	if v2 {
		path = "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize?"
	}
	s, err := ParseAuthorizeURL("https://login.microsoftonline.com" + path + query)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const okQuery = "response_type=code+id_token&client_id=11111111-2222-3333-4444-555555555555&redirect_uri=https%3A%2F%2Fcontoso.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback&scope=openid+profile+email+offline_access"

// replace swaps one parameter of okQuery.
func replace(name, value string) string {
	var out []string
	found := false
	for _, p := range strings.Split(okQuery, "&") {
		if strings.HasPrefix(p, name+"=") {
			found = true
			if value != "" {
				out = append(out, name+"="+value)
			}
			continue
		}
		out = append(out, p)
	}
	if !found {
		out = append(out, name+"="+value)
	}
	return strings.Join(out, "&")
}

func TestSignInChecks(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(*SignIn) Check
		query string
		v2    bool
		want  Status
		says  string
	}{
		{"client id ok", clientIDCheck, okQuery, true, OK, "client_id 1111"},
		{"client id missing", clientIDCheck, replace("client_id", ""), true, Fail, "no client_id"},
		{"client id not a GUID", clientIDCheck, replace("client_id", "myapp"), true, Warn, "not an application"},
		{"hybrid", responseTypeCheck, okQuery, true, OK, "client secret is configured"},
		{"implicit", responseTypeCheck, replace("response_type", "id_token"), true, Warn, "no client secret"},
		{"odd response type", responseTypeCheck, replace("response_type", "code"), true, Warn, "not one Easy Auth sends"},
		{"no response type", responseTypeCheck, replace("response_type", ""), true, Warn, "no response_type"},
		{"scopes ok", scopesCheck, okQuery, true, OK, "scope openid profile email offline_access"},
		{"two scope params", scopesCheck, okQuery + "&scope=api%3A%2F%2Fx%2Fy", true, Fail, "2 scope parameters"},
		{"scope without profile", scopesCheck, replace("scope", "openid+offline_access"), true, Warn, "lacks profile, email"},
		{"scope without openid", scopesCheck, replace("scope", "api%3A%2F%2Fx%2Fy"), true, Fail, "lacks openid"},
		{"no scope v2", scopesCheck, replace("scope", ""), true, Warn, "no scope"},
		{"offline ok", offlineAccessCheck, okQuery, true, OK, "refresh token"},
		{"offline missing", offlineAccessCheck, replace("scope", "openid+profile+email"), true, Warn, "no offline_access"},
		{"offline missing v1", offlineAccessCheck, replace("scope", "openid"), false, Warn, "v1 issuer without"},
		{"offline without secret", offlineAccessCheck, replace("response_type", "id_token"), true, Warn, "no refresh token is ever"},
		{"api scope", apiScopeCheck, replace("scope", "openid+api%3A%2F%2Fback%2Fread"), true, OK, "api://back/read"},
		{"graph only", apiScopeCheck, okQuery, true, OK, "Microsoft Graph"},
		{"v1 resource", apiScopeCheck, okQuery + "&resource=https%3A%2F%2Fapi.contoso.com", false, OK, "resource https://api.contoso.com"},
		{"v2 issuer", issuerVersionCheck, okQuery, true, OK, "v2.0 issuer"},
		{"v1 issuer", issuerVersionCheck, okQuery, false, OK, "v1 issuer"},
		{"authority pinned", func(s *SignIn) Check { return authorityCheck(s, false) }, okQuery, true, OK, "Azure public cloud"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.check(signIn(t, tc.query, tc.v2))
			if c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q, want %s %q", c.Status, c.Summary, tc.want, tc.says)
			}
			if (c.Status == Fail || c.Status == Warn) && c.Fix == "" && tc.name != "no response type" {
				t.Errorf("%s without a fix", c.Status)
			}
		})
	}
}

func TestAuthorityCheck(t *testing.T) {
	t.Run("configured host", func(t *testing.T) {
		s, _ := ParseAuthorizeURL("https://127.0.0.1:8443/t/oauth2/v2.0/authorize?client_id=c")
		if c := authorityCheck(s, true); c.Status != OK || !strings.Contains(c.Summary, "the configured authority host") {
			t.Errorf("%s %q", c.Status, c.Summary)
		}
	})
	for _, tc := range []struct {
		url  string
		want Status
		says string
	}{
		{"https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=c", Warn, "multi-tenant"},
		{"https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=c", Warn, "any Entra tenant"},
		{"https://login.microsoftonline.us/t/oauth2/v2.0/authorize?client_id=c", OK, "Azure US Government"},
		{"https://login.windows.net/t/oauth2/authorize?client_id=c", OK, "Azure public cloud"},
		{"https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/authorize?client_id=c", OK, "user flow B2C_1_signin"},
		{"https://idp.example/t/oauth2/v2.0/authorize?client_id=c", Warn, "not a Microsoft login host"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			s, err := ParseAuthorizeURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if c := authorityCheck(s, false); c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q", c.Status, c.Summary)
			}
		})
	}
}

func TestRedirectURICheck(t *testing.T) {
	for _, tc := range []struct {
		name, redirect, host string
		want                 Status
		says                 string
	}{
		{"ok", "https://contoso.azurewebsites.net/.auth/login/aad/callback", "contoso.azurewebsites.net", OK, "must be registered"},
		{"proxy host", "https://contoso.azurewebsites.net/.auth/login/aad/callback", "www.contoso.com", Warn, "another host"},
		{"http", "http://contoso.azurewebsites.net/.auth/login/aad/callback", "contoso.azurewebsites.net", Fail, "plain http"},
		{"http localhost", "http://localhost:8080/.auth/login/aad/callback", "localhost:8080", OK, "must be registered"},
		{"wrong path", "https://contoso.azurewebsites.net/signin-oidc", "contoso.azurewebsites.net", Warn, "not /.auth/login/aad/callback"},
		{"missing", "", "contoso.azurewebsites.net", Fail, "no usable redirect_uri"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := signIn(t, replace("redirect_uri", strings.ReplaceAll(tc.redirect, ":", "%3A")), true)
			if c := redirectURICheck(s, tc.host, AppService); c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q", c.Status, c.Summary)
			}
		})
	}
}

func TestResponseChecks(t *testing.T) {
	redirect := &response{Status: 302, Location: "https://contoso.azurewebsites.net/.auth/login/aad?post_login_redirect_uri=%2F"}
	for _, tc := range []struct {
		name  string
		check func() Check
		want  Status
		says  string
	}{
		{"browsers redirect", func() Check { return browsersCheck(redirect, "contoso.azurewebsites.net") }, OK, "RedirectToLoginPage"},
		{"browsers 401", func() Check { return browsersCheck(&response{Status: 401}, "h") }, OK, "Return401"},
		{"browsers 403", func() Check { return browsersCheck(&response{Status: 403}, "h") }, OK, "Return403"},
		{"browsers 404", func() Check { return browsersCheck(&response{Status: 404}, "h") }, OK, "Return404"},
		{"browsers anonymous", func() Check { return browsersCheck(&response{Status: 200}, "h") }, OK, "AllowAnonymous"},
		{"browsers other host", func() Check { return browsersCheck(&response{Status: 302, Location: "https://x.example/"}, "h") }, OK, "another host"},
		{"browsers 500", func() Check { return browsersCheck(&response{Status: 502}, "h") }, Warn, "HTTP 502"},
		{"api split", func() Check { return apiClientsCheck(redirect, &response{Status: 401, WWWAuthenticate: "Bearer"}) }, OK, "API clients get 401 while"},
		{"api redirected too", func() Check { return apiClientsCheck(redirect, redirect) }, Warn, "redirected to a sign-in page too"},
		{"api same", func() Check { return apiClientsCheck(&response{Status: 200}, &response{Status: 200}) }, OK, "same answer"},
		{"me 401", func() Check { return authMeCheck(&response{Status: 401}, AppService) }, OK, "needs a session"},
		{"me []", func() Check { return authMeCheck(&response{Status: 200, Body: []byte("[]")}, AppService) }, OK, "answers []"},
		{"me 404", func() Check { return authMeCheck(&response{Status: 404}, AppService) }, Warn, "token store is off"},
		{"me 404 aca", func() Check { return authMeCheck(&response{Status: 404}, ContainerApps) }, Warn, "Container Apps has no token store"},
		{"me swa", func() Check {
			return authMeCheck(&response{Status: 200, Body: []byte(`{"clientPrincipal":null}`)}, StaticWebApps)
		}, OK, "clientPrincipal"},
		{"me html", func() Check {
			return authMeCheck(&response{Status: 200, ContentType: "text/html", Body: []byte("<html>")}, AppService)
		}, Warn, "something other"},
		{"easy auth off", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 404}, &response{Status: 404}, nil, nil, AppService)
		}, Fail, "not behind Easy Auth"},
		{"provider off", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 404}, &response{Status: 401}, nil, nil, AppService)
		}, Fail, "provider is not configured"},
		{"login elsewhere", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 302, Location: "https://x/"}, &response{Status: 401}, nil, ErrNotAuthorizeURL, AppService)
		}, Warn, "not to an Entra authorize endpoint"},
		{"azid emulate's mock sign-in", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 200, Emulated: "mock-sign-in"}, &response{Status: 401}, nil, nil, Local)
		}, OK, "emulator answers"},
		{"a page without the marker", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 200}, &response{Status: 401}, nil, nil, Local)
		}, Warn, "not Easy Auth's sign-in redirect"},
		{"login 500", func() Check {
			return easyAuthCheck("/.auth/login/aad", &response{Status: 500}, &response{Status: 401}, nil, nil, AppService)
		}, Fail, "HTTP 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := tc.check(); c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q, want %s %q", c.Status, c.Summary, tc.want, tc.says)
			}
		})
	}
}

func TestSignInFrom(t *testing.T) {
	target := "https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c&scope=openid"
	for _, tc := range []struct {
		name string
		r    *response
		via  string
	}{
		{"302", &response{Status: 302, Location: target}, "302"},
		{"script", &response{Status: 200, Body: []byte(`<script>window.location.replace("` + strings.ReplaceAll(target, "&", `\u0026`) + `" + window.location.hash)</script>`)}, "script"},
		{"404", &response{Status: 404}, ""},
		{"not authorize", &response{Status: 302, Location: "https://contoso.example/login"}, ""},
		{"plain page", &response{Status: 200, Body: []byte("<html>hi</html>")}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := signInFrom(tc.r)
			if tc.via == "" {
				if err == nil {
					t.Errorf("accepted: %+v", s)
				}
				return
			}
			if err != nil || s.Via != tc.via || s.ClientID != "c" {
				t.Errorf("%+v %v", s, err)
			}
		})
	}
}

func TestSessionTokenChecks(t *testing.T) {
	now := time.Unix(1796040000, 0)
	past := now.Add(-time.Minute)
	s := &SignIn{ClientID: "11111111-2222-3333-4444-555555555555", V2: true, Scopes: []string{"openid"}}
	for _, tc := range []struct {
		name  string
		check func() Check
		want  Status
		says  string
	}{
		{"no tokens", func() Check { return tokensCheck(&easyauth.Identity{Provider: "aad"}, AppService, s) }, Warn, "no access token"},
		{"no refresh token", func() Check {
			return tokensCheck(&easyauth.Identity{Provider: "aad", AccessToken: "x", IDToken: "y"}, AppService, s)
		}, Warn, "no refresh token"},
		{"all tokens", func() Check {
			return tokensCheck(&easyauth.Identity{Provider: "aad", AccessToken: "x", IDToken: "y", RefreshToken: "z"}, AppService, s)
		}, OK, "holds access token, ID token, refresh token"},
		{"swa tokens", func() Check { return tokensCheck(&easyauth.Identity{}, StaticWebApps, s) }, Skipped, "Static Web Apps"},
		{"opaque access token expired", func() Check {
			return accessTokenCheck(&easyauth.Identity{AccessToken: "opaque", ExpiresOn: &past}, s, now)
		}, Warn, "expired 1m ago"},
		{"no access token", func() Check { return accessTokenCheck(&easyauth.Identity{}, s, now) }, Skipped, "no access token"},
		{"id token unreadable", func() Check { return idTokenCheck(&easyauth.Identity{IDToken: "x"}, s, now) }, Warn, "not a readable JWT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if c := tc.check(); c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q, want %s %q", c.Status, c.Summary, tc.want, tc.says)
			}
		})
	}
}

func TestParseEntraPage(t *testing.T) {
	for _, tc := range []struct {
		name string
		page string
		ok   bool
		code int
	}{
		{"error code", `<script>$Config={"sErrorCode":"700016","strServiceExceptionMessage":"AADSTS700016: Application not found","correlationId":"c1"};</script>`, true, 700016},
		{"code in message", `<script>$Config={"strServiceExceptionMessage":"AADSTS50011: The redirect URI"};</script>`, true, 50011},
		{"sign-in page", `<script>//<![CDATA[` + "\n" + `$Config={"sFT":"x","correlationId":"c"};</script>`, true, 0},
		{"no config", `<html>hello</html>`, false, 0},
		{"broken", `$Config={"sErrorCode":`, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := ParseEntraPage([]byte(tc.page))
			if ok != tc.ok || p.Code != tc.code {
				t.Errorf("%+v %v", p, ok)
			}
		})
	}
}

func FuzzParseEntraPage(f *testing.F) {
	f.Add([]byte(`$Config={"sErrorCode":"50011","strServiceExceptionMessage":"AADSTS50011: x"};`))
	f.Add([]byte(`$Config={"iErrorCode":700054};`))
	f.Fuzz(func(t *testing.T, page []byte) {
		p, ok := ParseEntraPage(page)
		if !ok && (p.Code != 0 || p.Message != "") {
			t.Errorf("no page but %+v", p)
		}
		if len(p.Message) > 404 {
			t.Errorf("message of %d bytes", len(p.Message))
		}
	})
}

func FuzzSignInFrom(f *testing.F) {
	f.Add(302, "https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c", []byte(""))
	f.Add(200, "", []byte(`<script>location.replace('https:\/\/login.microsoftonline.com\/t\/oauth2\/authorize?a=1')</script>`))
	f.Fuzz(func(t *testing.T, status int, location string, body []byte) {
		s, err := signInFrom(&response{Status: status, Location: location, Body: body})
		if err == nil && (s.Tenant == "" || (s.Via != "302" && s.Via != "script")) {
			t.Errorf("%+v", s)
		}
	})
}
