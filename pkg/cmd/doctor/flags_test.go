package doctor

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json", AuthorityHost: "https://127.0.0.1:8443"}, Now: time.Now,
		Getenv: func(k string) string { return map[string]string{"AZID_COOKIE": "from-env"}[k] }}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"contoso.azurewebsites.net", "--platform", "aca", "--try-refresh", "--probe-entra"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.URL != "contoso.azurewebsites.net" || got.Platform != "aca" || !got.TryRefresh || !got.ProbeEntra || got.Cookie != "from-env" ||
		got.Format != output.FormatJSON || got.AuthorityHost != "https://127.0.0.1:8443" || !strings.HasPrefix(got.UserAgent, "azid/") {
		t.Errorf("%+v", got)
	}
	cmd = NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"https://a.example", "--zumo", "z"})
	if err := cmd.Execute(); err != nil || got.Cookie != "" || got.Zumo != "z" {
		t.Errorf("--zumo: %v %+v", err, got)
	}
	for _, args := range [][]string{{}, {"a", "b"}} {
		cmd = NewCmd(f, func(context.Context, *Options) error { return nil })
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if code, _ := cmdutil.ExitCode(cmd.Execute()); code != cmdutil.ExitUsage {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

// TestBadInput: each problem is one clear error with the exit code.
func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(o *Options)
		code int
		msg  string
	}{
		{"http to a public host", func(o *Options) { o.URL = "http://contoso.azurewebsites.net" }, 2, "plain HTTP is allowed only to loopback"},
		{"not a URL", func(o *Options) { o.URL = "https://" }, 2, "is not a URL"},
		{"unknown platform", func(o *Options) { o.Platform = "heroku" }, 2, "unknown platform"},
		{"refresh without session", func(o *Options) { o.TryRefresh = true }, 2, "--try-refresh needs the session"},
		{"cookie and zumo", func(o *Options) { o.Cookie, o.Zumo = "a", "b" }, 2, "not both"},
		{"bad cookie", func(o *Options) { o.Cookie = "a=b; c=d" }, 1, "no AppServiceAuthSession cookie"},
		{"bad authority host", func(o *Options) { o.AuthorityHost = "http://login.example" }, 2, "plain http is allowed only"},
		{"does not resolve", func(o *Options) { o.URL = "https://no-such-host.invalid" }, 1, "cannot reach https://no-such-host.invalid"},
		{"refused", func(o *Options) { o.URL = "https://127.0.0.1:9" }, 1, "connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			hc, _ := httpclient.New(httpclient.Options{Timeout: 5 * time.Second})
			o := &Options{IO: ios, Now: time.Now, URL: "https://contoso.azurewebsites.net", HTTPClient: func() (*http.Client, error) { return hc, nil }}
			tc.mod(o)
			err := run(context.Background(), o)
			code, _ := cmdutil.ExitCode(err)
			if code != tc.code || err == nil || !strings.Contains(err.Error(), tc.msg) || strings.Contains(err.Error(), "\n") {
				t.Errorf("exit %d: %v", code, err)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out)
			}
		})
	}
}

func TestTLSErrorAndSchemeNote(t *testing.T) {
	// The fake's certificate is not trusted by a client without its CA.
	e := setup(t, appHost, healthy())
	hc, _ := httpclient.New(httpclient.Options{Timeout: 5 * time.Second})
	e.opts.HTTPClient = func() (*http.Client, error) { return hc, nil }
	e.opts.URL = e.idp.Host()
	err := run(context.Background(), e.opts)
	if code, _ := cmdutil.ExitCode(err); code != 1 || !strings.Contains(err.Error(), "TLS") {
		t.Errorf("exit %d: %v", code, err)
	}
	if !strings.Contains(e.err.String(), "note: no scheme given: using https://"+e.idp.Host()) {
		t.Errorf("stderr %q", e.err)
	}
}

func TestProgressAndHints(t *testing.T) {
	e := setup(t, appHost, healthy())
	e.opts.IO.SetTTY(false, false, true)
	if err := run(context.Background(), e.opts); err != nil {
		t.Fatal(err)
	}
	errOut := e.err.String()
	if !strings.Contains(errOut, "checking… GET https://contoso.azurewebsites.net/.auth/login/aad") || !strings.HasSuffix(errOut, "paste the AppServiceAuthSession cookie\n") ||
		!strings.Contains(errOut, "\r\x1b[K") {
		t.Errorf("stderr %q", errOut)
	}
	if strings.Contains(e.out.String(), "checking") {
		t.Error("progress on stdout")
	}
	// not a terminal: no progress
	e = setup(t, appHost, healthy())
	if err := run(context.Background(), e.opts); err != nil || strings.Contains(e.err.String(), "checking") || !strings.Contains(e.err.String(), "hint:") {
		t.Errorf("%v %q", err, e.err)
	}
}

func TestNeverFollowsRedirects(t *testing.T) {
	app := healthy()
	e := setup(t, appHost, app)
	if err := run(context.Background(), e.opts); err != nil {
		t.Fatal(err)
	}
	if hits := e.idp.Hits("/" + "72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize"); hits != 0 {
		t.Errorf("the sign-in redirect was followed %d times", hits)
	}
	paths := map[string]int{}
	for _, r := range app.Requests() {
		paths[r.Path]++
		if r.HadCookie || r.HadZumo {
			t.Errorf("a credential was sent to %s without one given", r.Path)
		}
	}
	if paths["/"] != 2 || paths["/.auth/login/aad"] != 1 || paths["/.auth/me"] != 1 || paths["/some/page"] != 0 {
		t.Errorf("requests %v", paths)
	}
}

func TestARMNeverReadsSecrets(t *testing.T) {
	app := healthy()
	e := setup(t, appHost, app)
	a := e.arm(fakeidp.ARMSite{ID: siteID, Kind: "app", HostNames: []string{appHost}, AuthSettings: fakeidp.AuthSettingsV2("", fakeidp.DefaultAppClientID, nil, false)})
	if err := run(context.Background(), e.opts); err != nil {
		t.Fatal(err)
	}
	if st := a.Stats(); st.SecretReads != 0 || st.Unauthenticated != 0 || len(st.Requests) != 2 || !strings.Contains(st.LastQuery, "'contoso.azurewebsites.net'") {
		t.Errorf("ARM %+v", st)
	}
	for _, want := range []string{"warn    config-token-store", "warn    config-login-parameters", "no openIdIssuer"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("lacks %q", want)
		}
	}
	// --site-id: no Resource Graph query; a bad one is a usage error
	e = setup(t, appHost, healthy())
	a = e.arm(fakeidp.ARMSite{ID: siteID, HostNames: []string{"elsewhere.example"}, AuthSettings: fakeidp.AuthSettingsV2("", "c", nil, true)})
	e.opts.SiteID = siteID
	if err := run(context.Background(), e.opts); err != nil || len(a.Stats().Requests) != 1 || !strings.Contains(e.out.String(), "ok      arm-config") {
		t.Errorf("%v %v\n%s", err, a.Stats().Requests, e.out)
	}
	e.opts.SiteID = "/subscriptions/x/sites/y"
	if code, _ := cmdutil.ExitCode(run(context.Background(), e.opts)); code != cmdutil.ExitUsage {
		t.Errorf("bad --site-id: exit %d", code)
	}
	e.opts.SiteID, e.opts.ARMEndpoint = "", "http://management.azure.com"
	if code, _ := cmdutil.ExitCode(run(context.Background(), e.opts)); code != cmdutil.ExitUsage {
		t.Errorf("http --arm-endpoint: exit %d", code)
	}
	// 403 on the configuration
	e = setup(t, appHost, healthy())
	a = &fakeidp.ARM{Sites: []fakeidp.ARMSite{{ID: siteID, HostNames: []string{appHost}}}, Forbidden: true}
	e.arm()
	e.idp.ServeARM(a)
	if err := run(context.Background(), e.opts); err != nil || !strings.Contains(e.out.String(), "no read access to the site's configuration (HTTP 403 AuthorizationFailed)") {
		t.Errorf("%v\n%s", err, e.out)
	}
}

func TestARMOnContainerApps(t *testing.T) {
	app := healthy()
	app.Platform = "container-apps"
	e := setup(t, "web.happyrock-1234.eastus.azurecontainerapps.io", app)
	a := e.arm()
	if err := run(context.Background(), e.opts); err != nil || len(a.Stats().Requests) != 0 ||
		!strings.Contains(e.out.String(), "skipped arm-config      reading the configuration is built for App Service sites only") {
		t.Errorf("%v %v\n%s", err, a.Stats().Requests, e.out)
	}
}
