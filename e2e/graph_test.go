package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

func newGraph(t *testing.T) (*stsEnv, *fakeidp.Graph) {
	s := newSTS(t)
	g := &fakeidp.Graph{RetryAfter: "1"}
	s.idp.ServeGraph(g)
	s.env = append(s.env, "AZID_GRAPH_ENDPOINT="+s.idp.URL)
	if r := run(t, "", s.env, "login", "--scope", s.idp.URL+"/.default"); r.code != 0 {
		t.Fatalf("login: %s", r.stderr)
	}
	return s, g
}

func TestGraphMeAndGroups(t *testing.T) {
	s, g := newGraph(t)
	r := run(t, "", s.env, "graph", "me")
	for _, want := range []string{"name       Alex Example", "upn        alex@contoso.example", "mail", "id         3f2e1d0c-b9a8-4765-8432-10fedcba9876", "job title  Retail Manager"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("graph me lacks %q (code %d):\n%s%s", want, r.code, r.stdout, r.stderr)
		}
	}
	r = run(t, "", s.env, "graph", "me", "--select", "displayName,department", "-o", "json")
	var me map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &me); err != nil || me["department"] != "selected-department" || me["jobTitle"] != nil {
		t.Errorf("--select json: %v %s", err, r.stdout)
	}
	r = run(t, "", s.env, "graph", "groups")
	if r.code != 0 || !strings.Contains(r.stdout, "TYPE") || !strings.Contains(r.stdout, "Nested Platform Team") || !strings.Contains(r.stdout, "directoryRole") {
		t.Errorf("groups: %s%s", r.stdout, r.stderr)
	}
	if g.Requests["/v1.0/me/transitiveMemberOf"] != 3 {
		t.Errorf("pages fetched: %d, want 3", g.Requests["/v1.0/me/transitiveMemberOf"])
	}
	r = run(t, "", s.env, "graph", "groups", "--direct", "-o", "json")
	var items []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 2 {
		t.Errorf("--direct json: %v %s", err, r.stdout)
	}
	r = run(t, "", s.env, "graph", "get", s.idp.URL+"/v1.0/me/manager")
	if r.code != 0 || !strings.Contains(r.stdout, `"displayName": "Morgan Manager"`) {
		t.Errorf("get with a full Graph URL: %s%s", r.stdout, r.stderr)
	}
	r = run(t, "", s.env, "graph", "get", "/me/manager")
	if r.code != 0 || !strings.Contains(r.stdout, `"displayName": "Morgan Manager"`) {
		t.Errorf("get: %s%s", r.stdout, r.stderr)
	}
	r = run(t, "", s.env, "graph", "get", "/me/transitiveMemberOf", "--all", "--header", "ConsistencyLevel: eventual")
	var merged struct{ Value []any }
	if err := json.Unmarshal([]byte(r.stdout), &merged); err != nil || len(merged.Value) != 4 || g.Headers.Get("ConsistencyLevel") != "eventual" {
		t.Errorf("get --all: %v %d %q", err, len(merged.Value), g.Headers.Get("ConsistencyLevel"))
	}
	tok := run(t, "", s.env, "token", "--scope", s.idp.URL+"/.default").stdout
	if strings.Contains(r.stdout+r.stderr, strings.TrimSpace(tok)) {
		t.Error("graph output contains the token")
	}
}

func TestGraphFaults(t *testing.T) {
	s, g := newGraph(t)
	g.Throttle = 2
	r := run(t, "", s.env, "graph", "me")
	if r.code != 0 || g.Requests["/v1.0/me"] != 3 {
		t.Errorf("throttled twice then served: code %d, %d requests\n%s", r.code, g.Requests["/v1.0/me"], r.stderr)
	}
	g.Throttle, g.RetryAfter = 1, "120"
	r = run(t, "", s.env, "graph", "me", "--timeout", "3s")
	if r.code != 1 || !strings.Contains(r.stderr, "graph: TooManyRequests") || !strings.Contains(r.stderr, "past --timeout") {
		t.Errorf("Retry-After past the timeout: code %d %s", r.code, r.stderr)
	}
	g.Throttle, g.RetryAfter = 10, "0"
	r = run(t, "", s.env, "graph", "me")
	if r.code != 1 || !strings.Contains(r.stderr, "graph: TooManyRequests: Too many requests. (429)") {
		t.Errorf("retries are bounded: code %d %s", r.code, r.stderr)
	}
	g.Throttle = 0
	r = run(t, "", s.env, "graph", "get", "/organization")
	if r.code != 1 || !strings.Contains(r.stderr, "azid: graph: Authorization_RequestDenied: Insufficient privileges to complete the operation. (403)") {
		t.Errorf("403: %s", r.stderr)
	}
	r = run(t, "", s.env, "graph", "get", "/groups", "--all")
	if r.code != 1 || !strings.Contains(r.stderr, "refusing to follow @odata.nextLink to another host") {
		t.Errorf("foreign next link: %s", r.stderr)
	}
	g.AppOnly = true
	r = run(t, "", s.env, "graph", "me")
	if r.code != 1 || !strings.Contains(r.stderr, "there is no \"me\" for an application") {
		t.Errorf("app-only /me: %s", r.stderr)
	}
	g.AppOnly = false
	for args, msg := range map[string]string{
		"graph get":                              "graph get takes one path",
		"graph get /me --header nocolon":         "use Name: value",
		"graph get /me --header Authorization:x": "sends the Authorization header itself",
		"graph get https://evil.example/v1.0/me": "refusing to send the Graph token to https://evil.example/v1.0/me",
	} {
		r := run(t, "", s.env, strings.Fields(args)...)
		if r.code == 0 || !strings.Contains(r.stderr, msg) {
			t.Errorf("azid %s: code %d %q", args, r.code, r.stderr)
		}
	}
	// not signed in: exit 4 with the login hint
	run(t, "", s.env, "logout", "--all")
	r = run(t, "", s.env, "graph", "me")
	if r.code != 4 || !strings.Contains(r.stderr, "azid login") {
		t.Errorf("signed out: code %d %s", r.code, r.stderr)
	}
}

// TestGraphGroupsOverage resolves a token's groups overage with the built
// binary after a fake login: 2,500 groups, throttled, in a handful of requests.
func TestGraphGroupsOverage(t *testing.T) {
	s, g := newGraph(t)
	g.Groups, g.ThrottleEvery, g.RetryAfter = 2500, 4, "0"
	tok := testjwt.SharedKey(t, "k1").SignClaims(t, map[string]any{
		"aud": "api://my-api", "iss": "https://sts.windows.net/" + e2eTenant + "/", "tid": e2eTenant, "ver": "1.0",
		"oid": fakeidp.MeID, "upn": "alex@contoso.example", "scp": "user_impersonation", "exp": time.Now().Add(time.Hour).Unix(),
		"_claim_names":   map[string]string{"groups": "src1"},
		"_claim_sources": map[string]any{"src1": map[string]string{"endpoint": "https://graph.windows.net/" + e2eTenant + "/users/" + fakeidp.MeID + "/getMemberObjects"}},
	})
	r := run(t, tok, nil, "decode")
	if !strings.Contains(r.stdout, "azid graph groups --of TOKEN") {
		t.Errorf("decode does not name the command that resolves the overage:\n%s", r.stdout)
	}
	before := 0
	for _, n := range g.Requests {
		before += n
	}
	r = run(t, tok, s.env, "graph", "groups", "--of", "-", "-o", "json")
	var res struct {
		Subject struct {
			Kind     string `json:"kind"`
			SignedIn bool   `json:"signed_in_user"`
		} `json:"subject"`
		SecurityOnly bool `json:"security_only"`
		Groups       []struct {
			ID          string `json:"id"`
			DisplayName string `json:"display_name"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != 0 {
		t.Fatalf("groups --of: code %d %v\n%s", r.code, err, r.stderr)
	}
	if !res.SecurityOnly || len(res.Groups) != 1669 || res.Groups[0].DisplayName == "" || !res.Subject.SignedIn {
		t.Errorf("security only %v, %d groups, first %+v, subject %+v", res.SecurityOnly, len(res.Groups), res.Groups[0], res.Subject)
	}
	after := 0
	for _, n := range g.Requests {
		after += n
	}
	if n := after - before; n > 8 {
		t.Errorf("%d Graph requests for 2,500 groups, want a handful", n)
	}
	if strings.Contains(r.stdout+r.stderr, tok) {
		t.Error("the token is in the output")
	}
	r = run(t, "", s.env, "graph", "groups", "--check", fakeidp.GroupID(0)+",00000000-0000-4000-8000-999999999999")
	if r.code != 3 || !strings.Contains(r.stdout, "is a member of 1 of the 2 groups checked") {
		t.Errorf("--check: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, `{"securityEnabledOnly": false}`, s.env, "graph", "post", "/me/getMemberObjects", "--body", "-")
	if r.code != 0 || !strings.Contains(r.stdout, `"au1"`) || strings.HasSuffix(r.stdout, "\n\n") {
		t.Errorf("post: code %d %q\n%s", r.code, r.stdout[:min(200, len(r.stdout))], r.stderr)
	}
	r = run(t, "", s.env, "graph", "post", "https://graph.example.net/v1.0/me/getMemberObjects")
	if r.code != 2 || !strings.Contains(r.stderr, "graph.example.net") {
		t.Errorf("post to another host: code %d %s", r.code, r.stderr)
	}
}
