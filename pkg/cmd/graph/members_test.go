package graph

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

const testTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// overageToken is a v1 access token whose groups did not fit: Entra's
// _claim_names/_claim_sources pointer at the retired Azure AD Graph.
func overageToken(t *testing.T, oid string) string {
	return testjwt.SharedKey(t, "k1").SignClaims(t, map[string]any{
		"aud": "api://my-api", "iss": "https://sts.windows.net/" + testTenant + "/", "tid": testTenant, "ver": "1.0",
		"oid": oid, "upn": "alex@contoso.example", "scp": "user_impersonation", "exp": 4102444800,
		"_claim_names":   map[string]string{"groups": "src1"},
		"_claim_sources": map[string]any{"src1": map[string]string{"endpoint": "https://graph.windows.net/" + testTenant + "/users/" + oid + "/getMemberObjects"}},
	})
}

func appToken(t *testing.T, oid string) string {
	return testjwt.SharedKey(t, "k1").SignClaims(t, map[string]any{
		"aud": "api://my-api", "iss": "https://login.microsoftonline.com/" + testTenant + "/v2.0", "tid": testTenant, "ver": "2.0",
		"oid": oid, "sub": oid, "idtyp": "app", "roles": []string{"Data.Read"}, "azp": "11111111-2222-3333-4444-555555555555", "exp": 4102444800,
		"hasgroups": true,
	})
}

func TestGroupsOf(t *testing.T) {
	g := &fakeidp.Graph{Groups: 2500, ThrottleEvery: 3, RetryAfter: "0"}
	opts, ios := fakeGraph(t, g)
	out := ios.Out.(interface {
		String() string
		Reset()
	})
	errOut := ios.ErrOut.(interface{ String() string })
	err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, fakeidp.MeID)})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	// the signed-in user is the token's user: /me, which needs only User.Read
	if g.Requests["/v1.0/me/getMemberObjects"] != 1 || g.Requests["/v1.0/users/"+fakeidp.MeID+"/getMemberObjects"] != 0 {
		t.Errorf("requests %v, want /me/getMemberObjects once", g.Requests)
	}
	// 2,500 generated groups, two in three security enabled, plus the two built-in security groups
	if !strings.HasPrefix(text, "alex@contoso.example (the signed-in user) is a transitive member of 1669 security groups\n") {
		t.Errorf("first line: %.120q", text)
	}
	if n := g.Requests["/v1.0/directoryObjects/getByIds"]; n < 2 || n > 3 {
		t.Errorf("getByIds requests: %d, want 2 (1,669 IDs at 1,000 a request) and at most one retry", n)
	}
	if !strings.Contains(text, "Team 0000") || strings.Contains(text, "Team 0002 ") || !strings.Contains(errOut.String(), "--all-groups") {
		t.Errorf("table or hint wrong:\n%.400s\nstderr %s", text, errOut)
	}
	total := 0
	for _, n := range g.Requests {
		total += n
	}
	if total > 8 {
		t.Errorf("%d requests for 2,500 groups (throttled every third), want a handful: %v", total, g.Requests)
	}

	out.Reset()
	opts.Format = output.FormatJSON
	if err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, fakeidp.MeID), AllGroups: true}); err != nil {
		t.Fatal(err)
	}
	var res MembershipJSON
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatal(err)
	}
	if res.SecurityOnly || len(res.Groups) != 2505 || res.Subject.Kind != "user" || res.Subject.ID != fakeidp.MeID || !res.Subject.SignedIn || res.Groups[0].DisplayName == "" {
		t.Errorf("--all-groups JSON: security_only %v, %d groups, subject %+v, first %+v", res.SecurityOnly, len(res.Groups), res.Subject, res.Groups[0])
	}
}

func TestGroupsOfGolden(t *testing.T) {
	opts, ios := fakeGraph(t, &fakeidp.Graph{})
	out := ios.Out.(interface{ Bytes() []byte })
	if err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, fakeidp.MeID), AllGroups: true}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "groups-of.txt", out.Bytes())
}

func TestGroupsOfSubjects(t *testing.T) {
	t.Run("app-only token: its service principal", func(t *testing.T) {
		g := &fakeidp.Graph{}
		opts, ios := fakeGraph(t, g)
		if err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: appToken(t, fakeidp.ServicePrincipalID)}); err != nil {
			t.Fatal(err)
		}
		if g.Requests["/v1.0/servicePrincipals/"+fakeidp.ServicePrincipalID+"/getMemberObjects"] != 1 || g.Requests["/v1.0/me"] != 0 {
			t.Errorf("requests %v", g.Requests)
		}
		if out := ios.Out.(interface{ String() string }).String(); !strings.Contains(out, "servicePrincipal "+fakeidp.ServicePrincipalID) {
			t.Errorf("output:\n%s", out)
		}
	})
	t.Run("a user of another tenant", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, "99999999-9999-4999-8999-999999999999")})
		code, hint := cmdutil.ExitCode(err)
		if code != cmdutil.ExitFailure || !strings.Contains(hint, "not in the signed-in tenant") {
			t.Errorf("code %d err %v hint %q", code, err, hint)
		}
	})
	t.Run("a token without oid", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		tok := testjwt.SharedKey(t, "k1").SignClaims(t, map[string]any{"sub": "x", "iss": "https://accounts.google.com"})
		err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: tok})
		if err == nil || !strings.Contains(err.Error(), "no oid") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("not a token", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{})
		err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: "hello"})
		if err == nil || !strings.HasPrefix(err.Error(), "--of: ") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("names refused", func(t *testing.T) {
		opts, ios := fakeGraph(t, &fakeidp.Graph{Deny: []string{"getByIds"}})
		if err := runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, fakeidp.MeID)}); err != nil {
			t.Fatal(err)
		}
		if e := ios.ErrOut.(interface{ String() string }).String(); !strings.Contains(e, "Directory.Read.All") || !strings.Contains(e, "IDs only") {
			t.Errorf("stderr %q, want the permission names need", e)
		}
	})
	t.Run("membership refused", func(t *testing.T) {
		opts, _ := fakeGraph(t, &fakeidp.Graph{Deny: []string{"getMemberObjects"}})
		_, hint := cmdutil.ExitCode(runGroups(t.Context(), &GroupsOptions{Options: opts, Of: overageToken(t, fakeidp.MeID)}))
		if !strings.Contains(hint, "User.Read") {
			t.Errorf("hint %q, want the permission /me needs", hint)
		}
	})
}

func TestGroupsCheck(t *testing.T) {
	g := &fakeidp.Graph{Groups: 30}
	opts, ios := fakeGraph(t, g)
	var ids []string
	for i := range 25 {
		ids = append(ids, fakeidp.GroupID(i))
	}
	if err := runGroups(t.Context(), &GroupsOptions{Options: opts, Check: ids}); err != nil {
		t.Fatalf("member of all 25: %v", err)
	}
	if n := g.Requests["/v1.0/me/checkMemberGroups"]; n != 2 {
		t.Errorf("%d checkMemberGroups requests, want 2 (20 IDs a request)", n)
	}
	if out := ios.Out.(interface{ String() string }).String(); !strings.HasPrefix(out, "the signed-in user is a member of 25 of the 25 groups checked\n") {
		t.Errorf("output:\n%s", out)
	}
	stranger := "00000000-0000-4000-8000-999999999999"
	opts.Format = output.FormatJSON
	opts.IO.Out.(interface{ Reset() }).Reset()
	err := runGroups(t.Context(), &GroupsOptions{Options: opts, Check: []string{ids[0], stranger}})
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitInvalid {
		t.Errorf("not a member of one: code %d, want 3", code)
	}
	var res MembershipJSON
	if err := json.Unmarshal([]byte(opts.IO.Out.(interface{ String() string }).String()), &res); err != nil || len(res.Checked) != 2 || !res.Checked[0].Member || res.Checked[1].Member {
		t.Errorf("JSON %v %+v", err, res.Checked)
	}
}

func TestGroupsAndPostFlags(t *testing.T) {
	f := testFactory(nil)
	dir := t.TempDir()
	bodyFile := filepath.Join(dir, "body.json")
	if err := os.WriteFile(bodyFile, []byte(`{"ids":["a"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("groups --of --all-groups --check", func(t *testing.T) {
		var got *GroupsOptions
		cmd := NewGroupsCmd(f, func(_ context.Context, o *GroupsOptions) error { got = o; return nil })
		cmd.SetArgs([]string{"--of", "-", "--all-groups", "--check", fakeidp.GroupID(1) + "," + fakeidp.GroupID(2)})
		if err := cmd.Execute(); err != nil || got.Of != "-" || !got.AllGroups || len(got.Check) != 2 {
			t.Errorf("err %v options %+v", err, got)
		}
	})
	t.Run("post bodies", func(t *testing.T) {
		for name, tc := range map[string]struct{ arg, want string }{
			"none":   {"", "{}"},
			"inline": {`{"securityEnabledOnly":true}`, `{"securityEnabledOnly":true}`},
			"@file":  {"@" + bodyFile, `{"ids":["a"]}`},
		} {
			t.Run(name, func(t *testing.T) {
				var got *PostOptions
				cmd := NewPostCmd(f, func(_ context.Context, o *PostOptions) error { got = o; return nil })
				args := []string{"/me/getMemberObjects"}
				if tc.arg != "" {
					args = append(args, "--body", tc.arg)
				}
				cmd.SetArgs(args)
				if err := cmd.Execute(); err != nil || string(got.Body) != tc.want || got.Path != "/me/getMemberObjects" {
					t.Errorf("err %v body %q", err, got.Body)
				}
			})
		}
	})
	for name, tc := range map[string]struct {
		post bool
		args []string
	}{
		"--check with a name":      {false, []string{"--check", "Engineering"}},
		"--direct with --of":       {false, []string{"--direct", "--of", "-"}},
		"a token as an argument":   {false, []string{"eyJ.x.y"}},
		"post without a path":      {true, nil},
		"post with a bad body":     {true, []string{"/me/x", "--body", "{nope"}},
		"post with a missing file": {true, []string{"/me/x", "--body", "@" + filepath.Join(dir, "missing.json")}},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := NewGroupsCmd(f, func(context.Context, *GroupsOptions) error { t.Error("ran"); return nil })
			if tc.post {
				cmd = NewPostCmd(f, func(context.Context, *PostOptions) error { t.Error("ran"); return nil })
			}
			cmd.SetArgs(tc.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			if code, _ := cmdutil.ExitCode(cmd.Execute()); code != cmdutil.ExitUsage {
				t.Errorf("code %d, want a usage error", code)
			}
		})
	}
}

func TestPostAndGetBodies(t *testing.T) {
	g := &fakeidp.Graph{}
	opts, ios := fakeGraph(t, g)
	out := ios.Out.(interface {
		String() string
		Reset()
	})
	err := runPost(t.Context(), &PostOptions{GetOptions: GetOptions{Options: opts, Path: "/me/getMemberObjects"}, Body: []byte(`{"securityEnabledOnly":true}`)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"g1"`) || strings.HasSuffix(out.String(), "\n\n") || g.Bodies[len(g.Bodies)-1] != `{"securityEnabledOnly":true}` {
		t.Errorf("post printed %q (sent %q)", out.String(), g.Bodies)
	}
	out.Reset()
	if err := runGet(t.Context(), &GetOptions{Options: opts, Path: "/me/manager"}); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(out.String(), "\n\n") || !strings.HasSuffix(out.String(), "}\n") {
		t.Errorf("get ends %q: no stray blank line", out.String()[max(0, len(out.String())-10):])
	}
	err = runPost(t.Context(), &PostOptions{GetOptions: GetOptions{Options: opts, Path: "https://graph.example.net/v1.0/me/getMemberObjects"}, Body: []byte(`{}`)})
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
		t.Errorf("post to another host: code %d err %v", code, err)
	}
}
