package login

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
	signincmd "github.com/azid-cli/azid/pkg/cmd/internal/signin"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestFlagsBrowserWaitAndClaims(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Timeout: 10 * time.Minute}, Now: time.Now,
		Getenv: func(string) string { return "" }, HTTPClient: func() (*http.Client, error) { return nil, nil }}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--browser", "--claims", `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Browser || got.BrowserWait != 10*time.Minute || !strings.Contains(got.Claims, `"acrs"`) {
		t.Errorf("%+v", got)
	}
	f.Global.Timeout = time.Second
	cmd = NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--browser"})
	if err := cmd.Execute(); err != nil || got.BrowserWait != MinBrowserWait {
		t.Errorf("BrowserWait %s, want %s: %v", got.BrowserWait, MinBrowserWait, err)
	}
}

// No redirect ever arrives: --browser ends within the injected bound, exit 4,
// with the sign-in URL in the hint.
func TestBrowserNoRedirectEndsWithinBound(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	idp.ServeSTS(&fakeidp.STS{Key: key, Username: "alex@contoso.example", ObjectID: "3f2e1d0c-b9a8-4765-8432-10fedcba9876", TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"})
	ios, _, _, errOut := iostreams.Test()
	env := map[string]string{"AZID_HOME": t.TempDir(), "BROWSER": "true"} // a "browser" that opens nothing
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{AuthorityHost: idp.URL}, Now: time.Now,
		Getenv: func(k string) string { return env[k] }, HTTPClient: func() (*http.Client, error) { return idp.Client(), nil }}
	start := time.Now()
	err := run(t.Context(), &Options{IO: ios, Env: f.Env, Config: signincmd.Config(f), Browser: true, BrowserWait: 500 * time.Millisecond})
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %s for a 500ms bound", took)
	}
	code, hint := cmdutil.ExitCode(err)
	if code != cmdutil.ExitAuth || !strings.Contains(err.Error(), "within 500ms") || !strings.Contains(hint, idp.URL+"/organizations/oauth2/v2.0/authorize?") {
		t.Errorf("code %d err %v hint %q", code, err, hint)
	}
	if !strings.Contains(errOut.String(), "/oauth2/v2.0/authorize?") {
		t.Errorf("the URL was not shown: %q", errOut.String())
	}
}

func TestLogoutFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}, Getenv: func(string) string { return "" }}
	cases := []struct {
		name    string
		args    []string
		account string
		all     bool
		usage   bool
	}{
		{"none", nil, "", false, false},
		{"positional", []string{"alex@contoso.example"}, "alex@contoso.example", false, false},
		{"flag", []string{"--account", "alex@contoso.example"}, "alex@contoso.example", false, false},
		{"both, same", []string{"alex@contoso.example", "--account", "alex@contoso.example"}, "alex@contoso.example", false, false},
		{"all", []string{"--all"}, "", true, false},
		{"both, different", []string{"alex@contoso.example", "--account", "sam@contoso.example"}, "", false, true},
		{"account and all", []string{"alex@contoso.example", "--all"}, "", false, true},
		{"two accounts", []string{"a", "b"}, "", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *LogoutOptions
			cmd := NewLogoutCmd(f, func(_ context.Context, o *LogoutOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if tc.usage {
				var flagErr *cmdutil.FlagError
				if !errors.As(err, &flagErr) || got != nil {
					t.Errorf("err = %v, ran = %v; want a usage error", err, got != nil)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Account != tc.account || got.All != tc.all || got.Format != output.FormatJSON {
				t.Errorf("options = %+v", got)
			}
		})
	}
}

func TestLogoutNotSignedIn(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	env := map[string]string{"AZID_HOME": t.TempDir()}
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now,
		Getenv: func(k string) string { return env[k] }, HTTPClient: func() (*http.Client, error) { return http.DefaultClient, nil }}
	if err := runLogout(t.Context(), &LogoutOptions{IO: ios, Format: output.FormatText, Config: signincmd.Config(f)}); err != nil {
		t.Fatalf("logout with nothing signed in: %v", err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "not signed in") {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
	err := runLogout(t.Context(), &LogoutOptions{IO: ios, Format: output.FormatText, Config: signincmd.Config(f), Account: "alex@contoso.example"})
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitAuth {
		t.Errorf("logout of an unknown account: code %d err %v, want 4", code, err)
	}
}
