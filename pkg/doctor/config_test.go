package doctor

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/azid-cli/azid/pkg/token"
)

// settings decodes an authsettingsV2 properties document.
func settings(t *testing.T, doc string) *AuthSettingsV2 {
	t.Helper()
	var cfg AuthSettingsV2
	if err := json.Unmarshal([]byte(doc), &cfg); err != nil {
		t.Fatal(err)
	}
	return &cfg
}

func TestConfigChecks(t *testing.T) {
	v2 := &SignIn{Tenant: "t", ClientID: "c", V2: true, Scopes: []string{"openid"}}
	for _, tc := range []struct {
		name  string
		doc   string
		setup func(d *doctor)
		check func(d *doctor, cfg *AuthSettingsV2) Check
		want  Status
		says  string
	}{
		{"auth off", `{"platform":{"enabled":false}}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configAuthCheck(c) }, Fail, "authentication is off"},
		{"auth off but redirect seen", `{"platform":{"enabled":false}}`, func(d *doctor) { d.rep.add(Check{ID: IDEasyAuth, Status: OK}) },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configAuthCheck(c) }, Fail, "something in front of it"},
		{"allow anonymous", `{"platform":{"enabled":true},"globalValidation":{"requireAuthentication":false}}`, nil,
			func(d *doctor, c *AuthSettingsV2) Check { return d.configAuthCheck(c) }, OK, "not required"},
		{"redirect configured, not seen", `{"platform":{"enabled":true},"globalValidation":{"requireAuthentication":true,"unauthenticatedClientAction":"RedirectToLoginPage"}}`,
			func(d *doctor) {
				d.rep.add(Check{ID: IDBrowsers, Status: OK, Summary: "anonymous browsers see the page"})
			},
			func(d *doctor, c *AuthSettingsV2) Check { return d.configAuthCheck(c) }, Warn, "were not sent to sign in"},
		{"store off", `{"login":{"tokenStore":{"enabled":false}}}`, nil,
			func(d *doctor, c *AuthSettingsV2) Check { return configTokenStoreCheck(c, Site{}, AppService) }, Warn, "token store is off"},
		{"store blob", `{"login":{"tokenStore":{"enabled":true,"azureBlobStorage":{"sasUrlSettingName":"TOKENS_SAS"}}}}`, nil,
			func(d *doctor, c *AuthSettingsV2) Check {
				return configTokenStoreCheck(c, Site{Kind: "app,linux"}, AppService)
			}, OK, "TOKENS_SAS"},
		{"store file linux", `{"login":{"tokenStore":{"enabled":true}}}`, nil,
			func(d *doctor, c *AuthSettingsV2) Check {
				return configTokenStoreCheck(c, Site{Kind: "app,linux,container"}, AppService)
			}, Warn, "lost on restart"},
		{"store file windows", `{"login":{"tokenStore":{"enabled":true}}}`, nil,
			func(d *doctor, c *AuthSettingsV2) Check {
				return configTokenStoreCheck(c, Site{Kind: "app"}, AppService)
			}, OK, "file system"},
		{"issuer empty", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configIssuerCheck("") }, OK, "multi-tenant"},
		{"issuer not https", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configIssuerCheck("login.microsoftonline.com/t") }, Fail, "not an https URL"},
		{"issuer v1, tokens v2", `{}`, func(d *doctor) { d.idToken = &token.Summary{Issuer: "https://login.microsoftonline.com/t/v2.0"} },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configIssuerCheck("https://sts.windows.net/t/") }, Warn, "fail issuer validation"},
		{"audiences default", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configAudiencesCheck(nil, "c") }, OK, "must have aud c"},
		{"audience rejected", `{}`, func(d *doctor) { d.accessToken = &token.Summary{Audience: []string{"api://other"}} },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configAudiencesCheck([]string{"api://c"}, "c") }, Warn, "would be rejected"},
		{"audience accepted", `{}`, func(d *doctor) { d.accessToken = &token.Summary{Audience: []string{"api://c/"}} },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configAudiencesCheck([]string{"api://c"}, "c") }, OK, "allowedAudiences api://c"},
		{"client id differs", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configAudiencesCheck(nil, "other") }, Warn, "not the client_id"},
		{"no login parameters", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check { return d.configLoginParametersCheck(nil) }, Warn, "no offline_access"},
		{"two scope entries", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check {
			return d.configLoginParametersCheck([]string{"scope=openid api://x/y", "scope=openid offline_access"})
		}, Fail, "2 scope= entries"},
		{"scope without offline", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check {
			return d.configLoginParametersCheck([]string{"scope=openid profile email", "domain_hint=contoso.com"})
		}, Warn, "no offline_access"},
		{"scope ok", `{}`, nil, func(d *doctor, c *AuthSettingsV2) Check {
			return d.configLoginParametersCheck([]string{"scope=openid profile email offline_access"})
		}, OK, "loginParameters scope="},
		{"no proxy behind custom domain", `{"httpSettings":{"forwardProxy":{"convention":"NoProxy"}}}`, func(d *doctor) { d.rep.Platform = CustomDomain },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configForwardProxyCheck(c) }, Warn, "another host name"},
		{"standard proxy", `{"httpSettings":{"forwardProxy":{"convention":"Standard"}}}`, func(d *doctor) { d.rep.Platform = CustomDomain },
			func(d *doctor, c *AuthSettingsV2) Check { return d.configForwardProxyCheck(c) }, OK, "forwardProxy Standard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &doctor{rep: &Report{Platform: AppService}, signIn: v2, host: "contoso.azurewebsites.net"}
			if tc.setup != nil {
				tc.setup(d)
			}
			c := tc.check(d, settings(t, tc.doc))
			if c.Status != tc.want || !strings.Contains(c.Summary, tc.says) {
				t.Errorf("%s %q, want %s %q", c.Status, c.Summary, tc.want, tc.says)
			}
			if (c.Status == Fail || c.Status == Warn) && c.Fix == "" && tc.name != "client id differs" {
				t.Errorf("%s without a fix", c.Status)
			}
		})
	}
}

func TestCheckSiteID(t *testing.T) {
	for id, ok := range map[string]bool{
		"/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-1/providers/Microsoft.Web/sites/contoso":                     true,
		"/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Web/sites/contoso/slots/staging":         true,
		"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/contoso":                                                          false,
		"/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Web/sites/contoso/../../x":               false,
		"https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Web/sites/c": false,
	} {
		if err := CheckSiteID(id); (err == nil) != ok {
			t.Errorf("CheckSiteID(%q) = %v", id, err)
		}
	}
}
