package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

// newDoctorApp serves app at https://localhost:<port> and Entra at
// https://127.0.0.1:<port> (the configured authority host).
func newDoctorApp(t *testing.T, app *fakeidp.AppService) (*fakeidp.Server, string, []string) {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	app.Authority = idp.URL
	idp.ServeApp("localhost", app)
	port := idp.URL[strings.LastIndexByte(idp.URL, ':'):]
	return idp, "https://localhost" + port, []string{"AZID_CA_FILE=" + idp.CAFile(t), "AZURE_AUTHORITY_HOST=" + idp.URL}
}

func healthyApp() *fakeidp.AppService {
	return &fakeidp.AppService{LoginParameters: []string{"scope=openid profile email offline_access api://contoso-api/user_impersonation"}}
}

func TestDoctorHealthyApp(t *testing.T) {
	_, url, env := newDoctorApp(t, healthyApp())
	r := run(t, "", env, "doctor", url+"/some/page", "--platform", "app-service")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"ok      easy-auth", "ok      tenant          tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 exists", "ok      offline-access", "skipped session"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "hint:") || strings.Contains(r.stdout+r.stderr, "0123456789abcdef0123456789abcdef_") {
		t.Errorf("stderr %q", r.stderr)
	}
	j := run(t, "", env, "doctor", url, "--platform", "app-service", "-o", "json")
	var rep struct {
		URL      string `json:"url"`
		Platform string `json:"platform"`
		Checks   []struct {
			ID, Status, Summary, Fix, Docs string
			Evidence                       []string
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &rep); err != nil || j.code != 0 || rep.URL != url || rep.Platform != "app-service" || len(rep.Checks) < 15 {
		t.Fatalf("%v %+v", err, j)
	}
	if j.stderr != "" {
		t.Errorf("JSON run wrote to stderr: %q", j.stderr)
	}
}

func TestDoctorBrokenApps(t *testing.T) {
	for _, tc := range []struct {
		name   string
		app    *fakeidp.AppService
		prep   func(idp *fakeidp.Server, url string)
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"missing tenant", &fakeidp.AppService{Tenant: "typo.onmicrosoft.com"}, func(idp *fakeidp.Server, _ string) { idp.SetTenantMissing("typo.onmicrosoft.com") },
			nil, 3, "AADSTS90002", "1 check failed: tenant"},
		{"no easy auth", &fakeidp.AppService{Off: true}, nil, nil, 3, "the app is not behind Easy Auth", "1 check failed: easy-auth"},
		{"script sign-in, no secret", &fakeidp.AppService{ScriptRedirect: true, NoSecret: true}, nil, nil, 0, "URL fragments are preserved", "hint:"},
		{"probe 50011", healthyApp(), func(idp *fakeidp.Server, _ string) {
			idp.Register(fakeidp.Registration{ClientID: fakeidp.DefaultAppClientID, WebRedirectURIs: nil})
		}, []string{"--probe-entra"}, 3, "AADSTS50011", "entra-probe"},
		{"probe 700054", healthyApp(), func(idp *fakeidp.Server, url string) {
			idp.Register(fakeidp.Registration{ClientID: fakeidp.DefaultAppClientID, WebRedirectURIs: []string{url + "/.auth/login/aad/callback"}})
		}, []string{"--probe-entra"}, 3, "tick ID tokens under the registration's Authentication", "entra-probe"},
		{"probe 700016", healthyApp(), func(idp *fakeidp.Server, _ string) {
			idp.Register(fakeidp.Registration{ClientID: "someone-else"})
		}, []string{"--probe-entra"}, 3, "AADSTS700016", "entra-probe"},
		{"probe ok", healthyApp(), func(idp *fakeidp.Server, url string) {
			idp.Register(fakeidp.Registration{ClientID: fakeidp.DefaultAppClientID, WebRedirectURIs: []string{url + "/.auth/login/aad/callback"}, IDTokens: true})
		}, []string{"--probe-entra"}, 0, "ok      entra-probe     Entra shows its sign-in page", "hint:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idp, url, env := newDoctorApp(t, tc.app)
			if tc.prep != nil {
				tc.prep(idp, url)
			}
			r := run(t, "", env, append([]string{"doctor", url, "--platform", "app-service"}, tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.stdout) || !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestDoctorSession(t *testing.T) {
	app := healthyApp()
	idp, url, env := newDoctorApp(t, app)
	key := testjwt.SharedKey(t, "key-1")
	entry := fakeidp.AADEntry(t, key, fakeidp.V2Issuer("login.microsoftonline.com", e2eTenant), e2eTenant, time.Now().Add(-time.Minute))
	app.Sessions = map[string]*fakeidp.Session{sessionCookie: {Body: []any{entry}, Renew: func(s *fakeidp.Session) {
		s.Body.([]any)[0].(map[string]any)["expires_on"] = fakeidp.ExpiresOn(time.Now().Add(time.Hour))
	}}}
	_ = idp
	secrets := []string{sessionCookie, entry["access_token"].(string), entry["id_token"].(string), entry["refresh_token"].(string)}
	r := run(t, "Cookie: ai_user=x; AppServiceAuthSession="+sessionCookie+"\n", env, "doctor", url, "--platform", "app-service", "--cookie", "-", "--try-refresh")
	if r.code != 0 || !strings.Contains(r.stdout, "ok      session         signed in as alex@contoso.example") || !strings.Contains(r.stdout, "ok      refresh         refreshed") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertNoSecrets(t, r, secrets...)
	r = run(t, "", append(env, "AZID_COOKIE=AppServiceAuthSession=expired-session"), "doctor", url, "--platform", "app-service")
	if r.code != 4 || !strings.Contains(r.stderr, "the session given was not accepted") || !strings.Contains(r.stdout, "fail    session") {
		t.Errorf("rejected: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertNoSecrets(t, r, "expired-session")
}

func TestDoctorBadInput(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"doctor", "http://contoso.azurewebsites.net"}, 2, "plain HTTP is allowed only to loopback hosts"},
		{[]string{"doctor", "contoso.azurewebsites.net"}, 1, "note: no scheme given: using https://contoso.azurewebsites.net"},
		{[]string{"doctor"}, 2, "doctor takes the app's URL"},
		{[]string{"doctor", "ftp://contoso.example"}, 2, "is not a URL such as https://contoso.azurewebsites.net"},
		{[]string{"doctor", "https://a.example", "--try-refresh"}, 2, "--try-refresh needs the session"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, "", nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.stderr) || r.stdout != "" {
				t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestDoctorARM(t *testing.T) {
	s := newSTS(t)
	app := healthyApp()
	app.Authority = s.idp.URL
	s.idp.ServeApp("localhost", app)
	port := s.idp.URL[strings.LastIndexByte(s.idp.URL, ':'):]
	url := "https://localhost" + port
	const site = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Web/sites/contoso"
	arm := &fakeidp.ARM{Sites: []fakeidp.ARMSite{{ID: site, Kind: "app,linux", HostNames: []string{"localhost"},
		AuthSettings: fakeidp.AuthSettingsV2(fakeidp.V2Issuer("login.microsoftonline.com", e2eTenant), fakeidp.DefaultAppClientID, app.LoginParameters, true)}}}
	s.idp.ServeARM(arm)
	env := append(s.env, "AZID_ARM_ENDPOINT="+s.idp.URL)
	// not signed in: the configuration checks are skipped, with the login to run
	r := run(t, "", env, "doctor", url, "--platform", "app-service", "--arm")
	if r.code != 0 || !strings.Contains(r.stdout, "skipped arm-config") || !strings.Contains(r.stderr, `azid login --scope `+s.idp.URL+`/.default`) {
		t.Fatalf("not signed in: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", s.env, "login"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	r = run(t, "", env, "doctor", url, "--platform", "app-service", "--arm", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"id": "config-token-store"`) || !strings.Contains(r.stdout, "file system of a Linux or container app") {
		t.Fatalf("signed in: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if st := arm.Stats(); st.SecretReads != 0 || st.Unauthenticated != 0 || len(st.Requests) != 2 {
		t.Errorf("ARM: %+v", st)
	}
	if strings.Contains(r.stdout+r.stderr, "eyJ") {
		t.Error("a token in the output")
	}
}
