package doctor

import (
	"strings"
	"testing"

	"github.com/azid-cli/azid/pkg/entra"
)

func TestClassifyHost(t *testing.T) {
	for host, want := range map[string]Platform{
		"contoso.azurewebsites.net":                       AppService,
		"CONTOSO.AzureWebsites.NET.":                      AppService,
		"contoso-staging.azurewebsites.net:443":           AppService,
		"app.ase1.appserviceenvironment.net":              AppService,
		"app.chinacloudsites.cn":                          AppService,
		"web.happyrock-1234.eastus.azurecontainerapps.io": ContainerApps,
		"nice-sea-0a1b2c3d4.5.azurestaticapps.net":        StaticWebApps,
		"azurewebsites.net":                               CustomDomain,
		"www.contoso.com":                                 CustomDomain,
		"contoso.azurewebsites.net.evil.example":          CustomDomain,
		"127.0.0.1:8443":                                  Local,
		"[::1]:8443":                                      Local,
		"localhost":                                       Local,
	} {
		if got := ClassifyHost(host); got != want {
			t.Errorf("ClassifyHost(%q) = %s, want %s", host, got, want)
		}
	}
}

func TestParseAuthorizeURL(t *testing.T) {
	const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	v2 := "https://login.microsoftonline.com/" + tid + "/oauth2/v2.0/authorize?response_type=code+id_token&redirect_uri=https%3A%2F%2Fcontoso.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback&client_id=11111111-2222-3333-4444-555555555555&scope=openid+profile+email+offline_access+api%3A%2F%2Fback%2Fuser_impersonation&response_mode=form_post&nonce=0123456789abcdef0123456789abcdef_20261202190000&state=redir%3D%252F&domain_hint=contoso.com"
	s, err := ParseAuthorizeURL(v2)
	if err != nil {
		t.Fatal(err)
	}
	if !s.V2 || s.Tenant != tid || s.Cloud != entra.CloudPublic || s.ClientID != "11111111-2222-3333-4444-555555555555" ||
		s.RedirectURI != "https://contoso.azurewebsites.net/.auth/login/aad/callback" || s.ResponseType != "code id_token" ||
		s.ResponseMode != "form_post" || !s.HasScope("offline_access") || s.ScopeParams != 1 || !EasyAuthNonce(s.Nonce) ||
		len(s.Extra) != 1 || s.Extra[0] != "domain_hint=contoso.com" {
		t.Errorf("v2: %+v", s)
	}
	if api := s.APIScopes(); len(api) != 1 || api[0] != "api://back/user_impersonation" {
		t.Errorf("API scopes %v", api)
	}
	v1, err := ParseAuthorizeURL("https://login.windows.net/common/oauth2/authorize?response_type=id_token&client_id=c&redirect_uri=x&scope=openid&nonce=n&state=s")
	if err != nil || v1.V2 || v1.Tenant != "common" || v1.ResponseType != "id_token" {
		t.Errorf("v1: %+v %v", v1, err)
	}
	b2c, err := ParseAuthorizeURL("https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin/oauth2/v2.0/authorize?client_id=c")
	if err != nil || b2c.Cloud != entra.CloudB2C || b2c.Policy != "B2C_1_signin" || b2c.Tenant != "contoso.onmicrosoft.com" {
		t.Errorf("b2c: %+v %v", b2c, err)
	}
	for _, bad := range []string{"", "/.auth/login/aad", "https://contoso.azurewebsites.net/", "ftp://h/t/oauth2/authorize",
		"https://login.microsoftonline.com/oauth2/authorize", "https://h/a/b/c/oauth2/authorize", "https://h/t/oauth3/authorize"} {
		if _, err := ParseAuthorizeURL(bad); err == nil {
			t.Errorf("ParseAuthorizeURL(%q) accepted", bad)
		}
	}
}

func TestRedactURL(t *testing.T) {
	in := "https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c&nonce=SECRETNONCE&state=SECRETSTATE&scope=openid#code=SECRETCODE&x=1"
	out := RedactURL(in)
	for _, s := range []string{"SECRETNONCE", "SECRETSTATE", "SECRETCODE"} {
		if strings.Contains(out, s) {
			t.Errorf("%s not redacted: %s", s, out)
		}
	}
	if !strings.Contains(out, "client_id=c") || !strings.Contains(out, "scope=openid") || !strings.Contains(out, "x=1") {
		t.Errorf("too much redacted: %s", out)
	}
	if out := RedactURL("https://app.example/cb#id_token=SECRETTOKEN&state=S2"); strings.Contains(out, "SECRET") || strings.Contains(out, "S2") || !strings.HasPrefix(out, "https://app.example/cb#id_token=[redacted]") {
		t.Errorf("fragment without query: %s", out)
	}
	if RedactURL("https://a/b") != "https://a/b" {
		t.Error("URL without query changed")
	}
}

func TestPageRedirect(t *testing.T) {
	target := "https://login.microsoftonline.com/t/oauth2/v2.0/authorize?client_id=c&scope=openid"
	for name, page := range map[string]string{
		"replace double":  `<html><body><script>window.location.replace("` + target + `")</script></body></html>`,
		"replace escaped": `<script>window.location.replace("` + strings.ReplaceAll(strings.ReplaceAll(target, "/", `\/`), "&", `\u0026`) + `");</script>`,
		"href single":     `<script>window.location.href = '` + target + `';</script>`,
		"bare location":   `<script>location = "` + target + `"</script>`,
		"meta refresh":    `<meta http-equiv="refresh" content="0; url=` + strings.ReplaceAll(target, "&", "&amp;") + `">`,
	} {
		got, ok := PageRedirect([]byte(page))
		if !ok || got != target {
			t.Errorf("%s: got %q %v", name, got, ok)
		}
	}
	for _, page := range []string{"", "<html>hello</html>", `<script>var location2 = "x"</script>`, `<script>location.replace("\u00")</script>`} {
		if u, ok := PageRedirect([]byte(page)); ok {
			t.Errorf("PageRedirect(%q) = %q", page, u)
		}
	}
}

func TestParsePlatform(t *testing.T) {
	if p, err := ParsePlatform("SWA"); err != nil || p != StaticWebApps {
		t.Errorf("%s %v", p, err)
	}
	if _, err := ParsePlatform("heroku"); err == nil {
		t.Error("unknown platform accepted")
	}
}

func FuzzParseAuthorizeURL(f *testing.F) {
	f.Add("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=c&scope=openid+offline_access&state=s")
	f.Add("https://x.b2clogin.com/tfp/t/p/oauth2/v2.0/authorize?p=B2C_1")
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := ParseAuthorizeURL(raw)
		if err == nil && s.Tenant == "" {
			t.Errorf("no tenant from %q", raw)
		}
		out := RedactURL(raw)
		if strings.Contains(raw, "?state=SECRET") && strings.Contains(out, "state=SECRET") {
			t.Errorf("state not redacted: %q", out)
		}
	})
}

func FuzzPageRedirect(f *testing.F) {
	f.Add([]byte(`<script>window.location.replace("https:\/\/login.microsoftonline.com\/t\/oauth2\/authorize?a=1\u0026b=2")</script>`))
	f.Add([]byte(`<meta http-equiv=refresh content='0;url=https://a/b'>`))
	f.Fuzz(func(t *testing.T, page []byte) {
		if u, ok := PageRedirect(page); ok && u == "" {
			t.Error("empty redirect reported")
		}
	})
}
