package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestGoldenText(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	p := output.NewPalette(ios.ColorOut())
	me := []byte(`{"displayName":"Alex Example","userPrincipalName":"alex@contoso.example","mail":"alex@contoso.example","id":"3f2e1d0c","jobTitle":"Retail Manager","department":"Sales","employeeId":null}`)
	if err := printUser(out, p, me, []string{"department", "employeeId"}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "me.txt", out.Bytes())
	out.Reset()
	items := []json.RawMessage{
		json.RawMessage(`{"@odata.type":"#microsoft.graph.group","id":"g1","displayName":"Engineering","securityEnabled":true}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.group","id":"g2","displayName":"All Company","securityEnabled":false}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.directoryRole","id":"r1","displayName":"Global Reader"}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.administrativeUnit","id":"au1","displayName":"Seattle \u001b[31m"}`),
	}
	if err := printGroups(out, p, items); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "groups.txt", out.Bytes())
	out.Reset()
	_ = printGroups(out, p, nil)
	if out.String() != "no memberships\n" {
		t.Errorf("empty: %q", out.String())
	}
}

func testFactory(env map[string]string) *cmdutil.Factory {
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: func(k string) string { return env[k] },
		HTTPClient: func() (*http.Client, error) { return http.DefaultClient, nil },
		Global:     &cmdutil.GlobalOptions{Output: "json", GraphEndpoint: "https://graph.microsoft.us", Timeout: 7 * time.Second}}
}

func TestNewCmdFlags(t *testing.T) {
	f := testFactory(map[string]string{"AZURE_TENANT_ID": "contoso.example"})
	t.Run("me", func(t *testing.T) {
		var got *MeOptions
		cmd := NewMeCmd(f, func(_ context.Context, o *MeOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"--select", "displayName, department", "--select", "employeeId,", "--account", "alex@contoso.example"})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Select, "|") != "displayName|department|employeeId" || got.Account != "alex@contoso.example" ||
			got.SignIn.Tenant != "contoso.example" || got.Format != output.FormatJSON || got.Endpoint != "https://graph.microsoft.us" ||
			got.Timeout != 7*time.Second || got.Config == nil || got.HTTPClient == nil || got.Now == nil {
			t.Errorf("options = %+v", got)
		}
	})
	t.Run("groups", func(t *testing.T) {
		var got *GroupsOptions
		cmd := NewGroupsCmd(f, func(_ context.Context, o *GroupsOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"--direct"})
		if err := cmd.Execute(); err != nil || !got.Direct {
			t.Errorf("err %v, options %+v", err, got)
		}
	})
	t.Run("get", func(t *testing.T) {
		var got *GetOptions
		cmd := NewGetCmd(f, func(_ context.Context, o *GetOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"/me/manager", "--all", "--header", "ConsistencyLevel: eventual"})
		if err := cmd.Execute(); err != nil || got.Path != "/me/manager" || !got.All || got.Header.Get("ConsistencyLevel") != "eventual" {
			t.Errorf("err %v, options %+v", err, got)
		}
	})
	usage := []struct {
		name string
		cmd  func() *cobra.Command
		args []string
	}{
		{"me with an argument", func() *cobra.Command { return NewMeCmd(f, nil) }, []string{"extra"}},
		{"groups with an argument", func() *cobra.Command { return NewGroupsCmd(f, nil) }, []string{"extra"}},
		{"get without a path", func() *cobra.Command { return NewGetCmd(f, nil) }, nil},
		{"get with a header without a colon", func() *cobra.Command { return NewGetCmd(f, nil) }, []string{"/me", "--header", "ConsistencyLevel"}},
		{"get with an Authorization header", func() *cobra.Command { return NewGetCmd(f, nil) }, []string{"/me", "--header", "authorization: Bearer x"}},
		{"an unknown subcommand", func() *cobra.Command { return NewCmd(f) }, []string{"users"}},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			cmd := tc.cmd()
			cmd.SetArgs(tc.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
				t.Errorf("err = %v (code %d), want a usage error", err, code)
			}
		})
	}
}

// fakeGraph serves the fake Graph and returns Options that reach it with a
// fixed token, as if signed in.
func fakeGraph(t *testing.T, g *fakeidp.Graph) (Options, *iostreams.IOStreams) {
	t.Helper()
	idp := fakeidp.New(t, testjwt.SharedKey(t, "key-1"))
	idp.ServeGraph(g)
	ios, _, _, _ := iostreams.Test()
	var scopes []string
	t.Cleanup(func() {
		for _, s := range scopes {
			if s != idp.URL+"/.default" {
				t.Errorf("token asked for %q, want the endpoint's .default scope", s)
			}
		}
	})
	return Options{IO: ios, Format: output.FormatText, Now: time.Now, Endpoint: idp.URL + "/",
		HTTPClient: func() (*http.Client, error) { return idp.Client(), nil },
		Token: func(_ context.Context, scope string) (string, error) {
			scopes = append(scopes, scope)
			return "eyJ0eXAiOiJKV1QifQ.e30.c2ln", nil // a JWT shape, as Graph expects
		}}, ios
}

func TestRun(t *testing.T) {
	g := &fakeidp.Graph{}
	opts, ios := fakeGraph(t, g)
	out := ios.Out.(interface {
		String() string
		Reset()
	})
	if err := runMe(t.Context(), &MeOptions{Options: opts, Select: []string{"displayName", "department"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "name        Alex Example") || !strings.Contains(out.String(), "department  selected-department") {
		t.Errorf("graph me:\n%s", out)
	}
	out.Reset()
	if err := runGroups(t.Context(), &GroupsOptions{Options: opts}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "TYPE ") || !strings.Contains(out.String(), "Nested Platform Team") || g.Requests["/v1.0/me/transitiveMemberOf"] != 3 {
		t.Errorf("graph groups (%d pages):\n%s", g.Requests["/v1.0/me/transitiveMemberOf"], out)
	}
	out.Reset()
	if err := runGet(t.Context(), &GetOptions{Options: opts, Path: "/me/manager"}); err != nil {
		t.Fatal(err)
	}
	var manager map[string]any
	if err := json.Unmarshal([]byte(out.String()), &manager); err != nil || manager["displayName"] != "Morgan Manager" {
		t.Errorf("graph get prints Graph's JSON even as text: %v\n%s", err, out)
	}
}

func TestRunErrors(t *testing.T) {
	t.Run("app-only token and /me", func(t *testing.T) {
		opts, ios := fakeGraph(t, &fakeidp.Graph{AppOnly: true})
		err := runMe(t.Context(), &MeOptions{Options: opts})
		code, hint := cmdutil.ExitCode(err)
		if code != cmdutil.ExitFailure || !strings.Contains(hint, "servicePrincipals(appId=") {
			t.Errorf("code %d err %v hint %q", code, err, hint)
		}
		if out := ios.Out.(interface{ String() string }).String(); out != "" {
			t.Errorf("stdout %q, want nothing", out)
		}
	})
	t.Run("a URL on another host", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		err := runGet(t.Context(), &GetOptions{Options: opts, Path: "https://attacker.example/v1.0/me"})
		if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
			t.Errorf("code %d err %v, want a usage error (the token never leaves the Graph host)", code, err)
		}
	})
	t.Run("a bad endpoint", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		opts.Endpoint = "ftp://graph.example"
		err := runMe(t.Context(), &MeOptions{Options: opts})
		if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--graph-endpoint") {
			t.Errorf("code %d err %v, want a usage error naming --graph-endpoint", code, err)
		}
	})
	t.Run("not signed in", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		f := testFactory(map[string]string{"AZID_HOME": t.TempDir()})
		opts.Token, opts.Config = nil, newOptions(f).Config
		opts.SignIn.Tenant = "contoso.example"
		err := runGroups(t.Context(), &GroupsOptions{Options: opts})
		code, hint := cmdutil.ExitCode(err)
		if code != cmdutil.ExitAuth || !strings.Contains(hint, "azid login --tenant contoso.example --scope ") {
			t.Errorf("code %d err %v hint %q, want exit 4 and the login command for Graph's scope", code, err, hint)
		}
	})
}
