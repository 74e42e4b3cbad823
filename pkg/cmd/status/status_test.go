package status

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sample = `{"AccessToken":{"k1":{"home_account_id":"oid.tid","environment":"login.microsoftonline.com","realm":"organizations","client_id":"c","target":"https://graph.microsoft.com/.default","expires_on":"1796044500","secret":"SECRET-AT"},
"k2":{"home_account_id":"","environment":"login.microsoftonline.com","realm":"t","client_id":"sp","target":"x","expires_on":"1796044500","secret":"SECRET-SP"}},
"RefreshToken":{"r1":{"home_account_id":"oid.tid","secret":"SECRET-RT"}},
"Account":{"a1":{"home_account_id":"oid.tid","environment":"login.microsoftonline.com","realm":"organizations","username":"alex@contoso.example"}}}`

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.json")
	os.WriteFile(path, []byte(sample), 0o600)
	st, err := Read(path, time.Unix(1796040000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Accounts) != 1 {
		t.Fatalf("accounts: %+v", st.Accounts)
	}
	a := st.Accounts[0]
	if a.Username != "alex@contoso.example" || a.TenantID != "tid" || !a.HasRefreshToken || len(a.Tokens) != 1 || a.Tokens[0].Expired || string(a.Cloud) != "public" {
		t.Errorf("account: %+v", a)
	}
	if st, _ := Read(filepath.Join(t.TempDir(), "none.json"), time.Now()); len(st.Accounts) != 0 {
		t.Error("missing file: accounts")
	}
	os.WriteFile(path, []byte("{bad"), 0o600)
	if _, err := Read(path, time.Now()); err == nil || !strings.Contains(err.Error(), "not readable") {
		t.Errorf("corrupt: %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`{"Account":{"a":{}},"AccessToken":{"b":{"expires_on":"x"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "cache.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Skip()
		}
		st, err := Read(path, time.Unix(1796040000, 0))
		if err == nil && st.Accounts == nil {
			t.Fatal("nil accounts")
		}
	})
}
