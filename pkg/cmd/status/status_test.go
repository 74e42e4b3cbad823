package status

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// sample is a cache as MSAL writes it: a user signed in through
// "organizations" (as the previous release left it) and a service principal.
const sample = `{"AccessToken":{"k1":{"home_account_id":"oid.72f988bf-86f1-41af-91ab-2d7cd011db47","environment":"login.microsoftonline.com","realm":"organizations","credential_type":"AccessToken","client_id":"c","target":"https://graph.microsoft.com/.default","expires_on":"1796044500","secret":"SECRET-AT"},
"k2":{"home_account_id":"","environment":"login.microsoftonline.com","realm":"72f988bf-86f1-41af-91ab-2d7cd011db47","credential_type":"AccessToken","client_id":"11111111-2222-3333-4444-555555555555","target":"https://graph.microsoft.com/.default","expires_on":"1796039000","secret":"SECRET-SP"}},
"RefreshToken":{"r1":{"home_account_id":"oid.72f988bf-86f1-41af-91ab-2d7cd011db47","environment":"login.microsoftonline.com","secret":"SECRET-RT"}},
"Account":{"a1":{"home_account_id":"oid.72f988bf-86f1-41af-91ab-2d7cd011db47","environment":"login.microsoftonline.com","realm":"organizations","username":"alex@contoso.example"}}}`

func setup(t *testing.T, cache string) (*Options, *strings.Builder, *strings.Builder) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, signin.CacheFileName)
	if cache != "" {
		os.WriteFile(path, []byte(cache), 0o600)
	}
	ios, _, out, errOut := iostreams.Test()
	o, e := &strings.Builder{}, &strings.Builder{}
	ios.Out, ios.ErrOut = o, e
	_, _ = out, errOut
	return &Options{IO: ios, Format: output.FormatText, Now: time.Unix(1796040000, 0), Config: signin.Config{Store: &signin.Store{Path: path, Warn: func(m string) { e.WriteString("warning: " + m + "\n") }}}}, o, e
}

func TestRunText(t *testing.T) {
	opts, out, errOut := setup(t, sample)
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "status.txt", []byte(strings.ReplaceAll(out.String(), opts.Config.Store.Path, "$AZID_HOME/msal_token_cache.json")))
	if strings.Contains(out.String(), "SECRET") || !strings.Contains(errOut.String(), "hint:") {
		t.Errorf("stdout %q stderr %q", out, errOut)
	}
}

func TestRunJSON(t *testing.T) {
	opts, out, _ := setup(t, sample)
	opts.Format = output.FormatJSON
	if err := run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var st Status
	if err := json.Unmarshal([]byte(out.String()), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Accounts) != 2 || st.Accounts[0].Type != "user" || st.Accounts[1].Type != "service_principal" || st.Accounts[1].ClientID != "11111111-2222-3333-4444-555555555555" ||
		st.Accounts[1].Username != "" || st.Accounts[0].TenantID != "72f988bf-86f1-41af-91ab-2d7cd011db47" || !st.Accounts[0].HasRefreshToken || string(st.Accounts[0].Cloud) != "public" {
		t.Errorf("%+v", st.Accounts)
	}
	if strings.Contains(out.String(), "SECRET") {
		t.Error("a secret in the JSON")
	}
}

func TestRunFilters(t *testing.T) {
	for name, tc := range map[string]struct {
		flags cmdutil.SignInFlags
		want  int
	}{
		"none":          {cmdutil.SignInFlags{}, 2},
		"organizations": {cmdutil.SignInFlags{Tenant: "organizations"}, 2},
		"tenant":        {cmdutil.SignInFlags{Tenant: "72F988BF-86F1-41AF-91AB-2D7CD011DB47"}, 2},
		"other tenant":  {cmdutil.SignInFlags{Tenant: "00000000-0000-0000-0000-000000000001"}, 0},
		"the app":       {cmdutil.SignInFlags{ClientID: "11111111-2222-3333-4444-555555555555"}, 2},
		"another app":   {cmdutil.SignInFlags{ClientID: "99999999-2222-3333-4444-555555555555"}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			opts, out, _ := setup(t, sample)
			opts.Format, opts.SignIn = output.FormatJSON, tc.flags
			err := run(context.Background(), opts)
			var st Status
			json.Unmarshal([]byte(out.String()), &st)
			if len(st.Accounts) != tc.want {
				t.Errorf("%d accounts, want %d: %s", len(st.Accounts), tc.want, out)
			}
			if code, _ := cmdutil.ExitCode(err); (tc.want == 0) != (code == cmdutil.ExitAuth) {
				t.Errorf("exit %d (%v)", code, err)
			}
		})
	}
}

func TestRunNotSignedInAndCorrupt(t *testing.T) {
	opts, out, _ := setup(t, "")
	err := run(context.Background(), opts)
	if code, hint := cmdutil.ExitCode(err); code != cmdutil.ExitAuth || !errors.Is(err, signin.ErrNotSignedIn) || hint != `run "azid login"` || out.Len() != 0 {
		t.Errorf("empty: %d %q %v %q", code, hint, err, out)
	}
	opts, _, errOut := setup(t, `{"Account":{`)
	err = run(context.Background(), opts)
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitAuth || !strings.Contains(errOut.String(), "the token cache was corrupt; kept it as") {
		t.Errorf("corrupt: %d %v %q", code, err, errOut)
	}
	aside, _ := filepath.Glob(opts.Config.Store.Path + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("not moved aside: %v", aside)
	}
}

func TestFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	env := map[string]string{"AZURE_TENANT_ID": "contoso.onmicrosoft.com", "AZID_HOME": t.TempDir()}
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json", AuthorityHost: "https://login.microsoftonline.us"}, Now: time.Now,
		Getenv: func(k string) string { return env[k] }, HTTPClient: func() (*http.Client, error) { return nil, nil }}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--client-id", "11111111-2222-3333-4444-555555555555"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.SignIn.Tenant != "contoso.onmicrosoft.com" || got.SignIn.ClientID != "11111111-2222-3333-4444-555555555555" || got.Format != output.FormatJSON ||
		got.Config.AuthorityHost != "https://login.microsoftonline.us" || !strings.HasSuffix(got.Config.Store.Path, signin.CacheFileName) {
		t.Errorf("%+v", got)
	}
	cmd = NewCmd(f, func(context.Context, *Options) error { return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	if err := cmd.Execute(); err == nil {
		t.Error("an argument was accepted")
	}
}
