package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

const e2eDomain = "contoso.onmicrosoft.com"

// withoutTenant is env without AZURE_TENANT_ID.
func withoutTenant(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "AZURE_TENANT_ID=") {
			out = append(out, e)
		}
	}
	return out
}

// statusAccounts runs status -o json and returns its accounts.
func statusAccounts(t *testing.T, env []string) []map[string]any {
	t.Helper()
	r := run(t, "", env, "status", "-o", "json")
	var st struct {
		Accounts []map[string]any `json:"accounts"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil {
		t.Fatalf("status -o json: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	return st.Accounts
}

// TestOneIdentityOneAccount is the sequence: sign in to a domain,
// then use every tenant alias; the user stays one account throughout.
func TestOneIdentityOneAccount(t *testing.T) {
	s := newSTS(t)
	g := &fakeidp.Graph{RetryAfter: "1"}
	s.idp.ServeGraph(g)
	env := append(withoutTenant(s.env), "AZID_GRAPH_ENDPOINT="+s.idp.URL)
	if r := run(t, "", env, "login", "--tenant", e2eDomain); r.code != 0 || !strings.Contains(r.stdout, "signed in as alex@contoso.example") {
		t.Fatalf("login --tenant %s: code %d\n%s%s", e2eDomain, r.code, r.stdout, r.stderr)
	}
	steps := []struct {
		name string
		env  []string
		args []string
	}{
		{"no tenant", env, []string{"token"}},
		{"organizations", env, []string{"token", "--tenant", "organizations"}},
		{"no tenant again", env, []string{"token"}},
		{"common", env, []string{"token", "--tenant", "common"}},
		{"domain", env, []string{"token", "--tenant", e2eDomain}},
		{"AZURE_TENANT_ID", append(env, "AZURE_TENANT_ID="+e2eTenant), []string{"token"}},
		{"no tenant last", env, []string{"token"}},
	}
	for _, st := range steps {
		r := run(t, "", st.env, st.args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") || len(strings.TrimSpace(r.stdout)) < 20 {
			t.Fatalf("token (%s): code %d stdout %q\n%s", st.name, r.code, r.stdout, r.stderr)
		}
	}
	if r := run(t, "", env, "graph", "me"); r.code != 0 || !strings.Contains(r.stdout, "alex@contoso.example") {
		t.Errorf("graph me: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := run(t, "", env, "status")
	if r.code != 0 || strings.Count(r.stdout, "alex@contoso.example") != 1 {
		t.Errorf("status: code %d, want alex once\n%s%s", r.code, r.stdout, r.stderr)
	}
	accts := statusAccounts(t, env)
	if len(accts) != 1 || accts[0]["username"] != "alex@contoso.example" || accts[0]["tenant_id"] != e2eTenant {
		t.Errorf("status -o json accounts = %v, want alex once in %s", accts, e2eTenant)
	}
	if r := run(t, "", env, "logout", "alex@contoso.example"); r.code != 0 || !strings.Contains(r.stdout, "signed out alex@contoso.example") {
		t.Errorf("logout ACCOUNT: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", env, "token"); r.code != 4 {
		t.Errorf("token after logout: code %d, want 4\n%s", r.code, r.stderr)
	}
}

// TestDuplicateAccountHealed: the previous release wrote one identity twice,
// once under the tenant GUID and once under organizations; it is healed.
func TestDuplicateAccountHealed(t *testing.T) {
	s := newSTS(t)
	env := withoutTenant(s.env)
	const oid, clientID = "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	home := oid + "." + e2eTenant
	host := s.idp.Host() // the environment MSAL records is the authority host
	now := time.Now().Unix()
	key := testjwt.SharedKey(t, "key-1")
	at := key.SignClaims(testjwt.Panicking{}, map[string]any{"aud": "00000003-0000-0000-c000-000000000000", "tid": e2eTenant, "oid": oid,
		"iat": now, "nbf": now, "exp": now + 3600, "scp": "User.Read"})
	clientInfo := testjwt.B64([]byte(fmt.Sprintf(`{"uid":%q,"utid":%q}`, oid, e2eTenant)))
	accounts, atokens, idtokens := map[string]any{}, map[string]any{}, map[string]any{}
	for _, realm := range []string{e2eTenant, "organizations"} {
		accounts[strings.Join([]string{home, host, realm}, "-")] = map[string]any{"home_account_id": home, "environment": host, "realm": realm,
			"local_account_id": oid, "username": "alex@contoso.example", "name": "Alex Example", "authority_type": "MSSTS", "client_info": clientInfo}
		atokens[strings.Join([]string{home, host, "accesstoken", clientID, realm, "https://graph.microsoft.com/.default"}, "-")] = map[string]any{
			"home_account_id": home, "environment": host, "credential_type": "AccessToken", "client_id": clientID, "secret": at,
			"realm": realm, "target": "https://graph.microsoft.com/.default", "cached_at": fmt.Sprint(now), "expires_on": fmt.Sprint(now + 3600),
			"extended_expires_on": fmt.Sprint(now + 3600), "token_type": "Bearer"}
		idClaims := fmt.Sprintf(`{"aud":%q,"iss":"https://%s/%s/v2.0","tid":%q,"oid":%q,"preferred_username":"alex@contoso.example","name":"Alex Example","iat":%d,"exp":%d,"ver":"2.0"}`,
			clientID, host, e2eTenant, e2eTenant, oid, now, now+3600)
		idtokens[strings.Join([]string{home, host, "idtoken", clientID, realm, ""}, "-")] = map[string]any{"home_account_id": home, "environment": host,
			"credential_type": "IdToken", "client_id": clientID, "realm": realm,
			"secret": testjwt.B64([]byte(`{"typ":"JWT","alg":"none"}`)) + "." + testjwt.B64([]byte(idClaims)) + "."}
	}
	cache := map[string]any{"Account": accounts, "AccessToken": atokens, "IdToken": idtokens,
		"RefreshToken": map[string]any{strings.Join([]string{home, host, "refreshtoken", clientID, "", ""}, "-"): map[string]any{
			"home_account_id": home, "environment": host, "credential_type": "RefreshToken", "client_id": clientID, "secret": "refresh-token-secret-0"}},
		"AppMetadata": map[string]any{}}
	data, _ := json.MarshalIndent(cache, "", "  ")
	if err := os.MkdirAll(s.home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.cachePath(), data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"token"}, {"token", "--tenant", "organizations"}, {"token", "--account", "alex@contoso.example"}} {
		r := run(t, "", env, args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") {
			t.Fatalf("%v with a duplicated account: code %d %q\n%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if accts := statusAccounts(t, env); len(accts) != 1 {
		t.Errorf("status after healing: %d accounts, want 1: %v", len(accts), accts)
	}
	checkCacheFile(t, s)
}

// TestServicePrincipalLoginAsksTheAuthority: a wrong secret fails even while
// a token for the app is cached, and token --service-principal serves the
// cached token without a request.
func TestServicePrincipalLoginAsksTheAuthority(t *testing.T) {
	s := newSTS(t)
	const app = "11111111-2222-3333-4444-555555555555"
	env := append(s.env, "AZURE_CLIENT_ID="+app)
	if r := run(t, "", append(env, "AZURE_CLIENT_SECRET=s3cr3t-value"), "login", "--service-principal"); r.code != 0 {
		t.Fatalf("good secret: code %d\n%s", r.code, r.stderr)
	}
	accts := statusAccounts(t, env)
	if len(accts) != 1 || accts[0]["type"] != "service_principal" || accts[0]["client_id"] != app {
		t.Errorf("status after a service-principal login: %v", accts)
	}
	grants := s.sts.Grants("client_credentials")
	r := run(t, "", append(env, "AZURE_CLIENT_SECRET=wrong-secret-value"), "login", "--service-principal")
	if r.code != 4 || !strings.Contains(r.stderr, "AADSTS7000215") {
		t.Errorf("wrong secret with a cached token: code %d, want 4 naming AADSTS7000215\n%s", r.code, r.stderr)
	}
	if s.sts.Grants("client_credentials") != grants+1 {
		t.Errorf("login with a cached token did not ask the authority")
	}
	if strings.Contains(r.stdout+r.stderr, "wrong-secret-value") {
		t.Error("the secret was printed")
	}
	// --debug shows the token endpoint's error body, in Entra's words, and
	// still never the secret.
	r = run(t, "", append(env, "AZURE_CLIENT_SECRET=wrong-secret-value"), "login", "--service-principal", "--debug")
	var bodyLine string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "< body: ") {
			bodyLine = l
		}
	}
	if r.code != 4 || !strings.Contains(bodyLine, `"error":"invalid_client"`) || !strings.Contains(bodyLine, "AADSTS7000215") || !strings.Contains(bodyLine, "trace_id") {
		t.Errorf("--debug: code %d, body line %q\n%s", r.code, bodyLine, r.stderr)

	}
	if strings.Contains(r.stdout+r.stderr, "wrong-secret-value") {
		t.Error("--debug printed the secret")
	}
	before := s.idp.TotalHits()
	r = run(t, "", append(env, "AZURE_CLIENT_SECRET=s3cr3t-value"), "token", "--service-principal")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") {
		t.Errorf("token --service-principal: code %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	if n := s.idp.TotalHits() - before; n != 0 {
		t.Errorf("token --service-principal from the cache made %d requests, want 0", n)
	}
}
