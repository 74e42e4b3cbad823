package login

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	tHome = "3f2e1d0c-b9a8-4765-8432-10fedcba9876.72f988bf-86f1-41af-91ab-2d7cd011db47"
	tTID  = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	tEnv  = "login.microsoftonline.com"
	tCID  = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
)

func idToken(tid string) string {
	p, _ := json.Marshal(map[string]string{"tid": tid, "preferred_username": "alex@contoso.example"})
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(p) + "."
}

// duplicatedCache is what azid's previous release wrote after "login --tenant
// contoso.onmicrosoft.com" and then "token" (realm organizations): one user,
// three accounts.
func duplicatedCache() string {
	entries := func(realm string, cached int64) (string, string, string) {
		k := strings.ToLower(tHome + "-" + tEnv + "-" + realm)
		acc := `"` + k + `":{"home_account_id":"` + tHome + `","environment":"` + tEnv + `","realm":"` + realm + `","local_account_id":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","authority_type":"MSSTS","username":"alex@contoso.example"}`
		idt := `"` + strings.ToLower(tHome+"-"+tEnv+"-idtoken-"+tCID+"-"+realm) + `-":{"home_account_id":"` + tHome + `","environment":"` + tEnv + `","realm":"` + realm + `","credential_type":"IdToken","client_id":"` + tCID + `","secret":"` + idToken(tTID) + `"}`
		at := `"` + strings.ToLower(tHome+"-"+tEnv+"-accesstoken-"+tCID+"-"+realm+"-https://graph.microsoft.com/.default") + `":{"home_account_id":"` + tHome + `","environment":"` + tEnv + `","realm":"` + realm + `","credential_type":"AccessToken","client_id":"` + tCID + `","secret":"at-secret-` + realm + `","target":"https://graph.microsoft.com/.default","cached_at":"` + itoa(cached) + `","expires_on":"` + itoa(cached+3600) + `","token_type":"Bearer"}`
		return acc, idt, at
	}
	a1, i1, t1 := entries("contoso.onmicrosoft.com", 1700000000)
	a2, i2, t2 := entries("organizations", 1700000100)
	a3, i3, t3 := entries(tTID, 1700000050)
	rt := `"` + strings.ToLower(tHome+"-"+tEnv+"-refreshtoken-"+tCID) + `--":{"home_account_id":"` + tHome + `","environment":"` + tEnv + `","credential_type":"RefreshToken","client_id":"` + tCID + `","secret":"rt-secret"}`
	app := `"-` + tEnv + `-accesstoken-11111111-2222-3333-4444-555555555555-contoso.onmicrosoft.com-https://graph.microsoft.com/.default":{"environment":"` + tEnv + `","realm":"contoso.onmicrosoft.com","credential_type":"AccessToken","client_id":"11111111-2222-3333-4444-555555555555","secret":"app-secret","target":"https://graph.microsoft.com/.default","cached_at":"1700000000","expires_on":"1700003600","token_type":"Bearer"}`
	return `{"Account":{` + a1 + `,` + a2 + `,` + a3 + `},"IdToken":{` + i1 + `,` + i2 + `,` + i3 + `},"AccessToken":{` + t1 + `,` + t2 + `,` + t3 + `,` + app + `},"RefreshToken":{` + rt + `},"AppMetadata":{"appmetadata-` + tEnv + `-` + tCID + `":{"client_id":"` + tCID + `","environment":"` + tEnv + `","family_id":"1"}}}`
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCanonicalizeMergesOneIdentity(t *testing.T) {
	doc, err := parseCache([]byte(duplicatedCache()))
	if err != nil {
		t.Fatal(err)
	}
	if !doc.canonicalize() {
		t.Fatal("nothing changed")
	}
	if n := len(doc.sections["Account"]); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
	for k, e := range doc.sections["Account"] {
		if e["realm"] != tTID || k != strings.ToLower(tHome+"-"+tEnv+"-"+tTID) {
			t.Errorf("account %s realm %v", k, e["realm"])
		}
	}
	var user, app int
	for k, e := range doc.sections["AccessToken"] {
		if k != entryKey("AccessToken", e) {
			t.Errorf("key %s does not match its entry", k)
		}
		if e["home_account_id"] == "" || e["home_account_id"] == nil {
			app++
			if e["realm"] != "contoso.onmicrosoft.com" {
				t.Errorf("an app token's realm was rewritten: %v", e["realm"])
			}
			continue
		}
		user++
		if e["secret"] != "at-secret-organizations" {
			t.Errorf("kept %v, want the newest token", e["secret"])
		}
	}
	if user != 1 || app != 1 {
		t.Errorf("access tokens: %d user, %d app", user, app)
	}
	if doc.resolveTenant("Contoso.onmicrosoft.com") != tTID {
		t.Errorf("the domain alias was not learnt: %v", doc.aliases)
	}
	out, err := doc.marshal()
	if err != nil || !strings.Contains(string(out), `"RefreshToken"`) || !strings.Contains(string(out), `"AppMetadata"`) {
		t.Errorf("lost sections: %v %s", err, out)
	}
	again, _ := parseCache(out)
	if again.canonicalize() {
		t.Error("a canonical cache changed again")
	}
}

func TestReadInventoryHealsOnDisk(t *testing.T) {
	dir := t.TempDir()
	s := &Store{Path: filepath.Join(dir, CacheFileName)}
	os.WriteFile(s.Path, []byte(duplicatedCache()), 0o600)
	inv, err := ReadInventory(context.Background(), s, time.Unix(1700000200, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Identities) != 2 || inv.Identities[0].Type != TypeUser || inv.Identities[1].Type != TypeServicePrincipal {
		t.Fatalf("identities: %+v", inv.Identities)
	}
	u := inv.Identities[0]
	if u.Username != "alex@contoso.example" || !u.HasRefreshToken || len(u.Tokens) != 1 || u.Tokens[0].Tenant != tTID || u.TenantID != tTID {
		t.Errorf("user: %+v", u)
	}
	if a := inv.Identities[1]; a.ClientID != "11111111-2222-3333-4444-555555555555" || a.TenantID != "contoso.onmicrosoft.com" || len(a.Tokens) != 1 {
		t.Errorf("app: %+v", a)
	}
	data, _ := os.ReadFile(s.Path)
	if strings.Count(string(data), `"username"`) != 1 {
		t.Errorf("the file was not healed: %s", data)
	}
	if st, _ := os.Stat(s.Path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

func TestReadInventoryCorrupt(t *testing.T) {
	dir := t.TempDir()
	var warned string
	s := &Store{Path: filepath.Join(dir, CacheFileName), Warn: func(m string) { warned = m }}
	os.WriteFile(s.Path, []byte(`{"Account":[`), 0o600)
	inv, err := ReadInventory(context.Background(), s, time.Now())
	if err != nil || len(inv.Identities) != 0 || !strings.Contains(warned, "corrupt") {
		t.Errorf("%v %+v %q", err, inv, warned)
	}
}

func FuzzParseCache(f *testing.F) {
	f.Add(duplicatedCache())
	f.Add(`{"Account":{"k":{"realm":"organizations","home_account_id":"a.b"}}}`)
	f.Add(`{"IdToken":{"k":{"secret":"a.eyJ0aWQiOiJ4In0.","realm":"d.com"}}}`)
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := parseCache([]byte(s))
		if err != nil {
			return
		}
		doc.canonicalize()
		out, err := doc.marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseCache(out)
		if err != nil {
			t.Fatalf("canonical output does not parse: %v", err)
		}
		_ = again.summary(time.Now())
	})
}
