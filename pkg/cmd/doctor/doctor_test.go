package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

const (
	appHost = "contoso.azurewebsites.net"
	cookie  = "SECRETSESSION0123456789abcdefABCDEF"
)

// healthy is an app as it should be: v2 issuer pinned to a tenant, a secret,
// offline_access and an API scope in one scope entry.
func healthy() *fakeidp.AppService {
	return &fakeidp.AppService{Now: func() time.Time { return now },
		LoginParameters: []string{"scope=openid profile email offline_access api://contoso-api/user_impersonation"}}
}

type env struct {
	idp  *fakeidp.Server
	key  *testjwt.Key
	opts *Options
	out  *bytes.Buffer
	err  *bytes.Buffer
}

// setup serves app at host on a fake that is also Entra, and returns
// options whose HTTP client (with azid's policy) reaches only the fake.
func setup(t *testing.T, host string, app *fakeidp.AppService) *env {
	t.Helper()
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	idp.ServeApp(host, app)
	ios, _, out, errOut := iostreams.Test()
	hc, err := httpclient.New(httpclient.Options{Transport: idp.Transport(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	opts := &Options{IO: ios, Now: func() time.Time { return now }, Format: output.FormatText, UserAgent: "azid/test",
		HTTPClient: func() (*http.Client, error) { return hc, nil }, URL: "https://" + host + "/some/page?x=1"}
	return &env{idp: idp, key: key, opts: opts, out: out, err: errOut}
}

// session adds a signed-in session whose tokens expire at exp.
func (e *env) session(t *testing.T, app *fakeidp.AppService, exp time.Time, mod func(entry map[string]any, s *fakeidp.Session)) {
	t.Helper()
	entry := fakeidp.AADEntry(t, e.key, fakeidp.V2Issuer("login.microsoftonline.com", fakeidp.DefaultAppTenant), fakeidp.DefaultAppTenant, exp)
	s := &fakeidp.Session{Body: []any{entry}, Renew: func(s *fakeidp.Session) {
		s.Body.([]any)[0].(map[string]any)["expires_on"] = fakeidp.ExpiresOn(now.Add(time.Hour))
	}}
	if mod != nil {
		mod(entry, s)
	}
	if app.Sessions == nil {
		app.Sessions = map[string]*fakeidp.Session{}
	}
	app.Sessions[cookie] = s
	e.opts.Cookie = "Cookie: ai_user=x; AppServiceAuthSession=" + cookie
}

const (
	siteID   = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-contoso/providers/Microsoft.Web/sites/contoso"
	armToken = "SECRET-ARM-TOKEN-0123456789"
)

// arm serves ARM with sites and has the doctor read it.
func (e *env) arm(sites ...fakeidp.ARMSite) *fakeidp.ARM {
	a := &fakeidp.ARM{Sites: sites}
	e.idp.ServeARM(a)
	e.opts.ARM = true
	e.opts.ARMToken = func(_ context.Context, scope string) (string, error) {
		if scope != "https://management.azure.com/.default" {
			return "", errors.New("wrong scope " + scope)
		}
		return armToken, nil
	}
	return a
}

func exitCode(err error) int {
	code, _ := cmdutil.ExitCode(err)
	return code
}

func noSecrets(t *testing.T, e *env, secrets ...string) {
	t.Helper()
	all := e.out.String() + e.err.String()
	for _, s := range append(secrets, cookie, armToken, "0123456789abcdef0123456789abcdef_", "redir%3D") {
		if strings.Contains(all, s) {
			t.Errorf("output holds a secret (%.12s…)", s)
		}
	}
}

// TestGolden runs the doctor against a healthy app and each broken one, in
// text and JSON, and checks the exit status.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		host string
		app  func() *fakeidp.AppService
		prep func(t *testing.T, e *env, app *fakeidp.AppService)
		code int
	}{
		{"healthy", appHost, healthy, nil, 0},
		{"script-redirect-v1", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.ScriptRedirect, a.V1, a.Authority = true, true, "https://login.windows.net"
			return a
		}, nil, 0},
		{"no-secret-default-scopes", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.NoSecret, a.LoginParameters = true, nil
			return a
		}, nil, 0},
		{"two-scope-entries", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.LoginParameters = []string{"scope=openid api://back/user_impersonation", "scope=openid offline_access", "domain_hint=contoso.com"}
			return a
		}, nil, 3},
		{"missing-tenant", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.Tenant = "contoso-typo.onmicrosoft.com"
			return a
		}, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.idp.SetTenantMissing("contoso-typo.onmicrosoft.com")
		}, 3},
		{"multi-tenant-proxy", "www.contoso.example", func() *fakeidp.AppService {
			a := healthy()
			a.Tenant, a.RedirectOrigin = "common", "https://"+appHost
			return a
		}, nil, 0},
		{"http-redirect-uri", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.RedirectOrigin = "http://" + appHost
			return a
		}, nil, 3},
		{"no-easy-auth", appHost, func() *fakeidp.AppService { return &fakeidp.AppService{Off: true} }, nil, 3},
		{"no-entra-provider", appHost, func() *fakeidp.AppService { return &fakeidp.AppService{NoEntraProvider: true} }, nil, 3},
		{"return401-store-off", appHost, func() *fakeidp.AppService {
			a := healthy()
			a.Unauthenticated, a.TokenStoreOff, a.NoWWWAuthenticate = "401", true, true
			return a
		}, nil, 0},
		{"container-apps-no-store", "web.happyrock-1234.eastus.azurecontainerapps.io", func() *fakeidp.AppService {
			a := healthy()
			a.Platform, a.TokenStoreOff = "container-apps", true
			return a
		}, nil, 0},
		{"static-web-apps", "nice-sea-0a1b2c3d4.5.azurestaticapps.net", func() *fakeidp.AppService {
			a := healthy()
			a.Platform = "static-web-apps"
			return a
		}, nil, 0},
		{"session-refresh-ok", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(-5*time.Minute), nil)
			e.opts.TryRefresh = true
		}, 0},
		{"session-store-lost", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(time.Hour), func(_ map[string]any, s *fakeidp.Session) { s.Body = nil })
		}, 3},
		{"session-rejected", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.opts.Zumo = "not-a-session"
		}, 4},
		{"session-no-refresh-token", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(30*time.Minute), func(entry map[string]any, s *fakeidp.Session) {
				delete(entry, "refresh_token")
				s.RefreshStatus = 401
			})
			e.opts.TryRefresh = true
		}, 3},
		{"session-past-grace", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(-100*time.Hour), func(_ map[string]any, s *fakeidp.Session) { s.RefreshStatus = 401 })
			e.opts.TryRefresh = true
		}, 3},
		{"session-consent-revoked", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(time.Hour), func(_ map[string]any, s *fakeidp.Session) { s.Status = 403 })
		}, 4},
		{"session-refresh-403-container-apps", "web.happyrock-1234.eastus.azurecontainerapps.io", func() *fakeidp.AppService {
			a := healthy()
			a.Platform = "container-apps"
			return a
		}, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(-time.Minute), func(_ map[string]any, s *fakeidp.Session) { s.RefreshStatus = 403 })
			e.opts.TryRefresh = true
		}, 3},
		{"session-refresh-500", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.session(t, app, now.Add(-time.Minute), func(_ map[string]any, s *fakeidp.Session) { s.RefreshStatus = 500 })
			e.opts.TryRefresh = true
		}, 3},
		{"session-swa", "nice-sea-0a1b2c3d4.5.azurestaticapps.net", func() *fakeidp.AppService {
			a := healthy()
			a.Platform = "static-web-apps"
			a.Sessions = map[string]*fakeidp.Session{cookie: {Body: map[string]any{"clientPrincipal": map[string]any{"identityProvider": "aad",
				"userId": "abc", "userDetails": "alex@contoso.example", "userRoles": []string{"anonymous", "authenticated"}}}}}
			return a
		}, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.opts.Cookie = "StaticWebAppsAuthCookie=" + cookie
		}, 0},
		{"probe-redirect-mismatch", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.idp.Register(fakeidp.Registration{ClientID: fakeidp.DefaultAppClientID, WebRedirectURIs: []string{"https://other.example/.auth/login/aad/callback"}, IDTokens: true})
			e.opts.ProbeEntra = true
		}, 3},
		{"arm-healthy", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.arm(fakeidp.ARMSite{ID: siteID, Kind: "app", HostNames: []string{appHost},
				AuthSettings: fakeidp.AuthSettingsV2(fakeidp.V2Issuer("login.microsoftonline.com", fakeidp.DefaultAppTenant), fakeidp.DefaultAppClientID,
					app.LoginParameters, true)})
		}, 0},
		{"arm-linux-file-store-proxy", "www.contoso.example", func() *fakeidp.AppService {
			a := healthy()
			a.RedirectOrigin = "https://" + appHost
			return a
		}, func(t *testing.T, e *env, app *fakeidp.AppService) {
			settings := fakeidp.AuthSettingsV2("https://sts.windows.net/"+fakeidp.DefaultAppTenant+"/", fakeidp.DefaultAppClientID,
				[]string{"scope=openid profile email offline_access", "scope=api://contoso-api/user_impersonation"}, true)
			e.arm(fakeidp.ARMSite{ID: siteID, Kind: "app,linux", HostNames: []string{appHost, "www.contoso.example"}, AuthSettings: settings})
			e.session(t, app, now.Add(time.Hour), nil)
		}, 3},
		{"arm-not-found", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) { e.arm() }, 0},
		{"arm-no-token", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.arm()
			e.opts.ARMToken = func(context.Context, string) (string, error) { return "", errors.New("not signed in") }
		}, 0},
		{"probe-ok", appHost, healthy, func(t *testing.T, e *env, app *fakeidp.AppService) {
			e.idp.Register(fakeidp.Registration{ClientID: fakeidp.DefaultAppClientID, WebRedirectURIs: []string{"https://" + appHost + "/.auth/login/aad/callback"}, IDTokens: true})
			e.opts.ProbeEntra = true
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, format := range []output.Format{output.FormatText, output.FormatJSON} {
				app := tc.app()
				e := setup(t, tc.host, app)
				if tc.prep != nil {
					tc.prep(t, e, app)
				}
				e.opts.Format = format
				err := run(context.Background(), e.opts)
				if got := exitCode(err); got != tc.code {
					t.Errorf("%s: exit %d (%v), want %d", format, got, err, tc.code)
				}
				noSecrets(t, e)
				for _, r := range app.Requests() {
					if r.Method != http.MethodGet {
						t.Errorf("%s request to %s", r.Method, r.Path)
					}
				}
				if format == output.FormatJSON {
					var rep struct {
						URL, Platform string
						Checks        []map[string]any
					}
					if err := json.Unmarshal(e.out.Bytes(), &rep); err != nil || rep.URL != "https://"+tc.host || len(rep.Checks) < 10 {
						t.Fatalf("JSON %v: %s", err, e.out)
					}
					for _, c := range rep.Checks {
						for _, k := range []string{"id", "status", "summary", "evidence", "fix", "docs"} {
							if _, ok := c[k]; !ok {
								t.Errorf("check %v lacks %q", c["id"], k)
							}
						}
					}
					golden.Assert(t, tc.name+".json", e.out.Bytes())
				} else {
					golden.Assert(t, tc.name+".txt", e.out.Bytes())
				}
			}
		})
	}
}
