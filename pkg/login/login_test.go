package login

import (
	"context"

	"errors"
	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type memCache struct{ data []byte }

func (m *memCache) Marshal() ([]byte, error) { return m.data, nil }
func (m *memCache) Unmarshal(b []byte) error {
	if len(b) > 0 && b[0] != '{' {
		return errors.New("bad json")
	}
	m.data = b
	return nil
}

func TestStoreRoundTripAndModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "home")
	s := &Store{Path: filepath.Join(dir, CacheFileName)}
	ctx := context.Background()
	var m memCache
	if err := s.Replace(ctx, &m, struct{ PartitionKey string }{}); err != nil || m.data != nil {
		t.Fatalf("missing file: %v %q", err, m.data)
	}
	m.data = []byte(`{"Account":{}}`)
	if err := s.Export(ctx, &m, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(s.Path)
	dst, _ := os.Stat(dir)
	if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
		t.Errorf("modes: file %v dir %v", st.Mode().Perm(), dst.Mode().Perm())
	}
	var m2 memCache
	if err := s.Replace(ctx, &m2, struct{ PartitionKey string }{}); err != nil || string(m2.data) != `{"Account":{},"AzidCanonical":1}` {
		t.Errorf("round trip: %v %q", err, m2.data)
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestStoreCorruptMovedAside(t *testing.T) {
	dir := t.TempDir()
	var warned string
	s := &Store{Path: filepath.Join(dir, CacheFileName), Warn: func(m string) { warned = m }, Now: func() time.Time { return time.Unix(1700000000, 0) }}
	os.WriteFile(s.Path, []byte("garbage"), 0o600)
	var m memCache
	if err := s.Replace(context.Background(), &m, struct{ PartitionKey string }{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path + ".corrupt-1700000000"); err != nil || !strings.Contains(warned, "corrupt") {
		t.Errorf("not moved aside: %v, warning %q", err, warned)
	}
	if _, err := os.Stat(s.Path); !os.IsNotExist(err) {
		t.Error("the corrupt file is still in place")
	}
}

func TestStoreLockExcludes(t *testing.T) {
	dir := t.TempDir()
	a := &Store{Path: filepath.Join(dir, CacheFileName)}
	b := &Store{Path: filepath.Join(dir, CacheFileName)}
	unlock, err := a.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(ctx); err == nil || !strings.Contains(err.Error(), "locked by another azid") {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock2, err := b.Lock(context.Background())
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	unlock2()
	// many writers, each a whole file: the result is always one of them, intact
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := &Store{Path: filepath.Join(dir, CacheFileName)}
			m := memCache{data: []byte(`{"n":` + strings.Repeat("1", 1000+i) + `}`)}
			if err := s.Export(context.Background(), &m, struct{ PartitionKey string }{}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	data, _ := os.ReadFile(filepath.Join(dir, CacheFileName))
	if !strings.HasPrefix(string(data), `{"AzidCanonical":1,"n":1`) || !strings.HasSuffix(string(data), "}") {
		t.Errorf("torn cache file: %.40q…", data)
	}
}

func TestExplain(t *testing.T) {
	body := func(oauth, desc string, codes ...int) error {
		s := `{"error":"` + oauth + `","error_description":"` + desc + ` Trace ID: abc Correlation ID: def"`
		if len(codes) > 0 {
			s += `,"error_codes":[`
			for i, c := range codes {
				if i > 0 {
					s += ","
				}
				s += strconv.Itoa(c)
			}
			s += "]"
		}
		return msalerrors.CallErr{Err: errors.New("http call(https://x/token)(POST) error: reply status code was 400:\n" + s + "}")}
	}
	cases := []struct {
		err         error
		msg         string
		fix         Fix
		needsSignIn bool
	}{
		{body("invalid_grant", "AADSTS50076: Due to a configuration change made by your administrator", 50076), "AADSTS50076 UserStrongAuthClientAuthNRequired", FixMFA, true},
		{body("invalid_grant", "AADSTS65001: The user or administrator has not consented", 65001), "AADSTS65001 DelegationDoesNotExist", FixConsent, true},
		{body("invalid_client", "AADSTS7000222: The provided client secret keys are expired.", 7000222), "AADSTS7000222", FixSecretExpired, false},
		{body("invalid_grant", "AADSTS53003: Access has been blocked by Conditional Access policies.", 53003), "AADSTS53003 BlockedByConditionalAccess", FixConditionalAccess, true},
		{body("invalid_request", "AADSTS50020: User account from identity provider does not exist in tenant", 50020), "AADSTS50020", FixGuest, true},
		{body("invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked"), "AADSTS50173", FixSignInAgain, true},
		{body("invalid_request", "AADSTS65002: Consent between first party application", 65002), "AADSTS65002", FixGraphDefaultScope, false},
		{body("interaction_required", "AADSTS99999: something new", 99999), "AADSTS99999: something new", FixSignInAgain, true},
		{body("authorization_declined", "AADSTS70000: declined"), "declined", FixDeviceDeclined, true},
		{body("expired_token", "AADSTS70020: expired"), "expired", FixDeviceExpired, true},
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			err := Explain(tc.err)
			var ae *AuthError
			if !errors.As(err, &ae) {
				t.Errorf("%v: not explained", tc.err)
				return
			}
			if !strings.Contains(ae.Message, tc.msg) || ae.Fix != tc.fix || ae.NeedsSignIn != tc.needsSignIn {
				t.Errorf("%q → %+v", tc.msg, ae)
			}
			if strings.Contains(ae.Message, "Trace ID") || strings.Contains(ae.Description, "Trace ID") {
				t.Errorf("trace noise kept: %q", ae.Message)
			}
			if ae.TraceID != "abc" || ae.CorrelationID != "def" {
				t.Errorf("%q: trace %q correlation %q", tc.msg, ae.TraceID, ae.CorrelationID)
			}
		})
	}
	// Entra's body fields win over the description tail; its first line is kept
	full := msalerrors.CallErr{Err: errors.New("http call(https://x/token)(POST) error: reply status code was 401:\n" +
		`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '11111111-2222-3333-4444-555555555555'.\r\nTrace ID: t1\r\nCorrelation ID: c1\r\nTimestamp: 2026-12-02 19:00:00Z","error_codes":[7000215],"timestamp":"2026-12-02 19:00:00Z","trace_id":"0d1e","correlation_id":"9f8e"}`)}
	var ae *AuthError
	if !errors.As(Explain(full), &ae) || ae.Fix != FixSecretValue || !ae.BadCredential || ae.TraceID != "0d1e" || ae.CorrelationID != "9f8e" ||
		ae.Timestamp != "2026-12-02 19:00:00Z" || !strings.HasSuffix(ae.Description, "for a secret added to app '11111111-2222-3333-4444-555555555555'.") {
		t.Errorf("7000215: %+v", ae)
	}
	// the same text not inside MSAL's CallErr is not taken for an Entra answer
	if errors.As(Explain(errors.New(full.Error())), &ae) && ae.Code == 0 {
		t.Error("a plain error was explained")
	}
	plain := errors.New("dial tcp: connection refused")
	if Explain(plain) != plain || Explain(nil) != nil || Explain(context.Canceled) != context.Canceled {
		t.Error("non-Entra errors must pass through")
	}
}

func TestSelectAccount(t *testing.T) {
	accs := []Account{{Username: "a@x", HomeAccountID: "1.t1", TenantID: "t1", Tenants: []string{"t1"}}, {Username: "b@y", HomeAccountID: "2.t2", TenantID: "t2", Tenants: []string{"t2", "t3"}}}
	if a, err := SelectAccount(accs, "B@Y", ""); err != nil || a.Username != "b@y" {
		t.Errorf("by name: %+v %v", a, err)
	}
	if a, err := SelectAccount(accs, "2.T2", ""); err != nil || a.Username != "b@y" {
		t.Errorf("by home account ID: %+v %v", a, err)
	}
	if a, err := SelectAccount(accs, "", "t3"); err != nil || a.Username != "b@y" {
		t.Errorf("by tenant: %+v %v", a, err)
	}
	var amb *AmbiguousAccountError
	if _, err := SelectAccount(accs, "", "organizations"); !errors.As(err, &amb) || !strings.Contains(err.Error(), "a@x (tenant t1, home account 1.t1); b@y (tenant t2") {
		t.Errorf("ambiguous: %v", err)
	}
	if strings.Contains(amb.Error(), "--") {
		t.Errorf("a domain error names a flag: %v", amb)
	}
	if _, err := SelectAccount(nil, "", ""); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("none: %v", err)
	}
	if _, err := SelectAccount(accs, "c@z", ""); !errors.Is(err, ErrNotSignedIn) || !strings.Contains(err.Error(), "c@z") {
		t.Errorf("unknown: %v", err)
	}
	// one identity signed in to through several aliases is one account
	one := groupAccounts([]public.Account{
		{HomeAccountID: "u.t1", Environment: "login.microsoftonline.com", Realm: "t9", PreferredUsername: "a@x"},
		{HomeAccountID: "u.t1", Environment: "login.microsoftonline.com", Realm: "t1", PreferredUsername: "a@x"},
	})
	if len(one) != 1 || one[0].Realm != "t1" || len(one[0].msal) != 2 {
		t.Errorf("grouped: %+v", one)
	}
	if a, err := SelectAccount(one, "a@x", ""); err != nil || a.HomeAccountID != "u.t1" {
		t.Errorf("--account on a grouped identity: %+v %v", a, err)
	}
}

// TestMSALNoTokenMessage pins the one MSAL error azid recognises by its text:
// MSAL v1.7.2 offers no type or sentinel for "nothing cached to refresh with".
func TestMSALNoTokenMessage(t *testing.T) {
	client, err := public.New(DefaultClientID, public.WithAuthority("https://127.0.0.1:1/t"), public.WithInstanceDiscovery(false))
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AcquireTokenSilent(context.Background(), []string{DefaultScope}, public.WithSilentAccount(public.Account{HomeAccountID: "u.t", Environment: "127.0.0.1:1", Realm: "t"}))
	if err == nil || !isNoToken(err) {
		t.Fatalf("MSAL's no-token error changed: %v", err)
	}
}

func TestAuthority(t *testing.T) {
	for c, want := range map[Config]string{
		{}: "https://login.microsoftonline.com/organizations",
		{AuthorityHost: "https://login.microsoftonline.us/", Tenant: "contoso.onmicrosoft.com"}: "https://login.microsoftonline.us/contoso.onmicrosoft.com",
		{AuthorityHost: "https://127.0.0.1:8443", Tenant: "t"}:                                  "https://127.0.0.1:8443/t",
	} {
		if got, err := c.Authority(); err != nil || got != want {
			t.Errorf("%+v: %q %v", c, got, err)
		}
	}
	for _, c := range []Config{{AuthorityHost: "http://login.microsoftonline.com"}, {Tenant: "a/b"}, {AuthorityHost: "https://x/path"}} {
		if _, err := c.Authority(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
	if (Config{AuthorityHost: "https://127.0.0.1:1"}).instanceDiscovery() || !(Config{}).instanceDiscovery() {
		t.Error("instance discovery must be off for non-Microsoft hosts only")
	}
}

func FuzzExplain(f *testing.F) {
	f.Add("reply status code was 400:\n{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: x\",\"error_codes\":[50076]}")
	f.Add("{\"error\":\"x\"}")
	f.Fuzz(func(t *testing.T, s string) {
		err := Explain(msalerrors.CallErr{Err: errors.New(s)})
		if err == nil {
			t.Fatal("nil error")
		}
		var ae *AuthError
		if errors.As(err, &ae) && strings.Contains(ae.Message, "\n") {
			t.Fatalf("multi-line message %q", ae.Message)
		}
	})
}
