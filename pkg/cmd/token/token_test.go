package token

import (
	"context"
	"encoding/json"
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

const (
	testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testApp    = "11111111-2222-3333-4444-555555555555"
)

func testFactory(t *testing.T, env map[string]string, client func() (*http.Client, error)) (*cmdutil.Factory, *iostreams.IOStreams) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	if client == nil {
		client = func() (*http.Client, error) { return http.DefaultClient, nil }
	}
	return &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}, Now: time.Now,
		Getenv: func(k string) string { return env[k] }, HTTPClient: client}, ios
}

func TestNewCmdFlags(t *testing.T) {
	f, _ := testFactory(t, map[string]string{"AZURE_TENANT_ID": testTenant}, nil)
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--scope", "api://my-api/.default", "--account", "alex@contoso.example", "--claims", `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.SignIn.Tenant != testTenant || strings.Join(got.SignIn.ScopeList(), ",") != "api://my-api/.default" || got.Account != "alex@contoso.example" ||
		!strings.Contains(got.Claims, `"acrs"`) || got.Format != output.FormatJSON || got.Config == nil || got.Env == nil {
		t.Errorf("options = %+v", got)
	}
	for name, args := range map[string][]string{
		"a secret as a flag value":                  {"--service-principal", "--client-secret", "hunter2"},
		"a secret file without --service-principal": {"--client-secret-file", "secret.txt"},
		"bad claims":  {"--claims", "not json"},
		"an argument": {"extra"},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := NewCmd(f, func(context.Context, *Options) error { t.Error("ran"); return nil })
			cmd.SetArgs(args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
				t.Errorf("err = %v (code %d), want a usage error", err, code)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Error("the secret is in the error")
			}
		})
	}
}

func TestNotSignedIn(t *testing.T) {
	f, ios := testFactory(t, map[string]string{"AZID_HOME": t.TempDir()}, nil)
	opts := &Options{IO: ios, Format: output.FormatText, Env: f.Env, Config: signincmd.Config(f)}
	opts.SignIn.Tenant = testTenant
	err := run(t.Context(), opts)
	code, hint := cmdutil.ExitCode(err)
	if code != cmdutil.ExitAuth || !strings.Contains(hint, "azid login --tenant "+testTenant) {
		t.Errorf("code %d err %v hint %q, want exit 4 and the login command", code, err, hint)
	}
	if out := ios.Out.(interface{ String() string }).String(); out != "" {
		t.Errorf("stdout %q, want nothing (a script must not get an empty Bearer)", out)
	}
}

func TestServicePrincipal(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	sts := &fakeidp.STS{Key: key, TenantID: testTenant, ClientSecret: "s3cr3t-value"}
	idp.ServeSTS(sts)
	env := map[string]string{"AZID_HOME": t.TempDir(), "AZURE_CLIENT_SECRET": "s3cr3t-value"}
	f, ios := testFactory(t, env, func() (*http.Client, error) { return idp.Client(), nil })
	f.Global.AuthorityHost = idp.URL
	newOpts := func(format output.Format) *Options {
		o := &Options{IO: ios, Format: format, Env: f.Env, ServicePrincipal: true,
			Config: signincmd.Config(f)}
		o.SignIn.Tenant, o.SignIn.ClientID = testTenant, testApp
		return o
	}
	out := ios.Out.(interface {
		String() string
		Reset()
	})
	if err := run(t.Context(), newOpts(output.FormatText)); err != nil {
		t.Fatal(err)
	}
	if tok := strings.TrimSpace(out.String()); !strings.HasPrefix(tok, "eyJ") || strings.Count(tok, ".") != 2 || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("stdout %q, want one JWT and a newline", out)
	}
	out.Reset()
	if err := run(t.Context(), newOpts(output.FormatJSON)); err != nil {
		t.Fatal(err)
	}
	var j JSON
	if err := json.Unmarshal([]byte(out.String()), &j); err != nil || j.TokenType != "Bearer" || !strings.HasPrefix(j.AccessToken, "eyJ") || j.ExpiresOn == 0 {
		t.Errorf("JSON %s: %v", out, err)
	}
	if n := sts.Grants("client_credentials"); n != 1 {
		t.Errorf("%d client_credentials requests, want 1 (the second run serves the cached token)", n)
	}
	delete(env, "AZURE_CLIENT_SECRET")
	err := run(t.Context(), newOpts(output.FormatText))
	var flagErr *cmdutil.FlagError
	if !errors.As(err, &flagErr) || !strings.Contains(err.Error(), "no client credential") {
		t.Errorf("no credential: err = %v, want a usage error naming the ways to give one", err)
	}
}
