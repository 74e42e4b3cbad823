package e2e

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

type stsEnv struct {
	idp  *fakeidp.Server
	sts  *fakeidp.STS
	home string
	env  []string
}

func newSTS(t *testing.T) *stsEnv {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	sts := &fakeidp.STS{Key: key, Username: "alex@contoso.example", Name: "Alex Example", ObjectID: "3f2e1d0c-b9a8-4765-8432-10fedcba9876",
		TenantID: e2eTenant, DevicePending: 2, ClientSecret: "s3cr3t-value"}
	idp.ServeSTS(sts)
	home := filepath.Join(t.TempDir(), "azid-home")
	return &stsEnv{idp: idp, sts: sts, home: home, env: []string{
		"AZURE_AUTHORITY_HOST=" + idp.URL, "AZID_CA_FILE=" + idp.CAFile(t), "AZID_HOME=" + home, "AZURE_TENANT_ID=" + e2eTenant,
	}}
}

func (s *stsEnv) cachePath() string { return filepath.Join(s.home, "msal_token_cache.json") }

func checkCacheFile(t *testing.T, s *stsEnv) {
	t.Helper()
	st, err := os.Stat(s.cachePath())
	if err != nil {
		t.Fatalf("no cache file: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", st.Mode().Perm())
	}
	dst, _ := os.Stat(s.home)
	if dst.Mode().Perm() != 0o700 {
		t.Errorf("AZID_HOME mode %v, want 0700", dst.Mode().Perm())
	}
	data, _ := os.ReadFile(s.cachePath())
	if !json.Valid(data) {
		t.Error("the cache file is not valid JSON")
	}
}

func TestLoginTokenStatusLogout(t *testing.T) {
	s := newSTS(t)
	// 1. device-code login
	r := run(t, "", s.env, "login")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ signed in as alex@contoso.example") || !strings.Contains(r.stderr, "enter the code FAKE-CODE") {
		t.Fatalf("login: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if s.sts.Grants("device_code")+s.sts.Grants("urn:ietf:params:oauth:grant-type:device_code") != 3 {
		t.Errorf("device-code polls = %d, want 3 (two pending)", s.sts.Grants("device_code"))
	}
	checkCacheFile(t, s)
	// 2. token from the cache: no request
	before := s.idp.TotalHits()
	r = run(t, "", s.env, "token")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("token: code %d %q %s", r.code, r.stdout, r.stderr)
	}
	if s.idp.TotalHits() != before {
		t.Errorf("token from the cache made %d requests", s.idp.TotalHits()-before)
	}
	// az … --query accessToken -o tsv habits: -o tsv prints the token alone, as text does
	if tsv := run(t, "", s.env, "token", "-o", "tsv"); tsv.code != 0 || tsv.stdout != r.stdout {
		t.Errorf("token -o tsv: %+v", tsv)
	}
	// 3. JSON
	r = run(t, "", s.env, "token", "-o", "json")
	var tj struct {
		AccessToken string   `json:"access_token"`
		TokenType   string   `json:"token_type"`
		ExpiresOn   int64    `json:"expires_on"`
		ExpiresAt   string   `json:"expires_at"`
		Scopes      []string `json:"scopes"`
		Account     struct {
			Username string `json:"username"`
		} `json:"account"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tj); err != nil || tj.TokenType != "Bearer" || tj.ExpiresOn < time.Now().Unix() || tj.Account.Username != "alex@contoso.example" || len(tj.Scopes) == 0 {
		t.Errorf("token json: %v %+v", err, tj)
	}
	// 4. status: accounts and tokens, no secret
	r = run(t, "", s.env, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "alex@contoso.example") || !strings.Contains(r.stdout, "yes (silent refresh possible)") || !strings.Contains(r.stdout, "https://graph.microsoft.com/.default") {
		t.Errorf("status: %s", r.stdout)
	}
	if strings.Contains(r.stdout, "refresh-token-secret") || strings.Contains(r.stdout, tj.AccessToken) {
		t.Error("status printed a secret")
	}
	r = run(t, "", s.env, "status", "-o", "json")
	if !strings.Contains(r.stdout, `"has_refresh_token": true`) {
		t.Errorf("status json: %s", r.stdout)
	}
	// 5. logout, then token says "not signed in" with exit 4
	r = run(t, "", s.env, "logout")
	if r.code != 0 || !strings.Contains(r.stdout, "signed out alex@contoso.example") {
		t.Errorf("logout: %+v", r)
	}
	r = run(t, "", s.env, "token", "--scope", "api://my-api/.default")
	if r.code != 4 || !strings.Contains(r.stderr, "not signed in") || !strings.Contains(r.stderr, `run "azid login --tenant `+e2eTenant+` --scope api://my-api/.default"`) {
		t.Errorf("token after logout: code %d %s", r.code, r.stderr)
	}
	if r := run(t, "", s.env, "status"); r.code != 4 || !strings.Contains(r.stderr, "not signed in") {
		t.Errorf("status after logout: %s", r.stdout)
	}
}

// concurrently runs azid n times at once with the same arguments.
func concurrently(t *testing.T, n int, env []string, args ...string) []result {
	t.Helper()
	var wg sync.WaitGroup
	results := make([]result, n)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i] = run(t, "", env, args...)
		}(i)
	}
	wg.Wait()
	return results
}

func TestTokenRefreshesExpiredAndConcurrently(t *testing.T) {
	s := newSTS(t)
	s.sts.TokenLifetime = time.Minute // under MSAL's 5-minute margin: the next token call must refresh
	s.sts.RefreshLifetime = time.Hour
	s.sts.RefreshDelay = 200 * time.Millisecond // widen the race window
	if r := run(t, "", s.env, "login"); r.code != 0 {
		t.Fatalf("login: %s", r.stderr)
	}
	results := concurrently(t, 10, s.env, "token")
	for i, r := range results {
		if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") {
			t.Errorf("token %d: code %d %s", i, r.code, r.stderr)
		}
	}
	if n := s.sts.Grants("refresh_token"); n != 1 {
		t.Errorf("%d refreshes for 10 concurrent calls, want 1 (the lock lets the others use the refreshed token)", n)
	}
	checkCacheFile(t, s)
	if r := run(t, "", s.env, "token"); r.code != 0 || s.sts.Grants("refresh_token") != 1 {
		t.Errorf("after the refresh: code %d, refreshes %d", r.code, s.sts.Grants("refresh_token"))
	}
}

func TestLoginFailuresExplained(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(*fakeidp.STS)
		args    []string
		code    int
		message string
		hint    string
	}{
		{"declined", func(s *fakeidp.STS) { s.DeviceOutcome = "declined" }, []string{"login"}, 4, "sign-in was declined", "run azid login again"},
		{"expired code", func(s *fakeidp.STS) { s.DeviceOutcome = "expired" }, []string{"login"}, 4, "the device code expired", "run azid login again"},
		{"unknown tenant", func(s *fakeidp.STS) {
			s.DeviceError = fakeidp.AADError("invalid_tenant", 90002, "Tenant 'x' not found.")
		}, []string{"login"}, 1,
			"AADSTS90002 InvalidTenantName", "check --tenant"},
		{"wrong client", func(s *fakeidp.STS) {
			s.DeviceError = fakeidp.AADError("unauthorized_client", 700016, "Application with identifier 'x' was not found in the directory.")
		}, []string{"login", "--client-id", "11111111-2222-3333-4444-555555555555"}, 1, "AADSTS700016", "check --client-id and --tenant"},
		{"bad secret", nil, []string{"login", "--service-principal", "--client-id", "11111111-2222-3333-4444-555555555555", "--client-secret-file", "WRONG"}, 4,
			"AADSTS7000215", "the secret's value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSTS(t)
			if tc.setup != nil {
				tc.setup(s.sts)
			}
			args := tc.args
			for i, a := range args {
				if a == "WRONG" {
					p := filepath.Join(t.TempDir(), "secret")
					os.WriteFile(p, []byte("not-the-secret\n"), 0o600)
					args = append(append([]string{}, args[:i]...), append([]string{p}, args[i+1:]...)...)
				}
			}
			r := run(t, "", s.env, args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.message) || !strings.Contains(r.stderr, tc.hint) {
				t.Errorf("code %d stderr %q; want %d %q %q", r.code, r.stderr, tc.code, tc.message, tc.hint)
			}
			if strings.Contains(r.stderr, "not-the-secret") || strings.Contains(r.stderr, "device-code-secret") {
				t.Error("a secret was printed")
			}
		})
	}
	t.Run("refresh token expired", func(t *testing.T) {
		s := newSTS(t)
		s.sts.TokenLifetime = time.Minute
		if r := run(t, "", s.env, "login"); r.code != 0 {
			t.Fatal(r.stderr)
		}
		s.sts.RefreshError = fakeidp.AADError("invalid_grant", 700082, "The refresh token has expired due to inactivity.")
		r := run(t, "", s.env, "token")
		if r.code != 4 || !strings.Contains(r.stderr, "AADSTS700082 ExpiredOrRevokedGrantInactiveToken") || !strings.Contains(r.stderr, "run azid login again") {
			t.Errorf("code %d %s", r.code, r.stderr)
		}
	})
}

func TestServicePrincipal(t *testing.T) {
	s := newSTS(t)
	env := append(s.env, "AZURE_CLIENT_SECRET=s3cr3t-value", "AZURE_CLIENT_ID=11111111-2222-3333-4444-555555555555")
	r := run(t, "", env, "login", "--service-principal")
	if r.code != 0 || !strings.Contains(r.stdout, "11111111-2222-3333-4444-555555555555 (service principal)") {
		t.Fatalf("service principal: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "s3cr3t-value") {
		t.Error("the secret was printed")
	}
	data, _ := os.ReadFile(s.cachePath())
	if strings.Contains(string(data), "s3cr3t-value") {
		t.Error("the client secret was written to the cache")
	}
	r = run(t, "", env, "token", "--service-principal")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "eyJ") || s.sts.Grants("client_credentials") != 1 {
		t.Errorf("token --service-principal: code %d, %d requests (want the cached token)", r.code, s.sts.Grants("client_credentials"))
	}
	for args, msg := range map[string]string{
		"login --service-principal --client-id 11111111-2222-3333-4444-555555555555":                                               "no client credential",
		"login --service-principal --client-id 11111111-2222-3333-4444-555555555555 --client-secret-file /nonexistent":             "--client-secret-file",
		"login --service-principal --tenant organizations --client-id 11111111-2222-3333-4444-555555555555 --client-secret-file x": "needs the app's tenant",
		"login --browser --service-principal": "cannot be combined",
		"login --client-secret-file x":        "need --service-principal",
	} {
		r := run(t, "", s.env, strings.Fields(args)...)
		if r.code == 0 || !strings.Contains(r.stderr, msg) {
			t.Errorf("azid %s: code %d %q, want %q", args, r.code, r.stderr, msg)
		}
	}
}

func TestBrowserLogin(t *testing.T) {
	s := newSTS(t)
	browser := filepath.Join(t.TempDir(), "browser")
	if out, err := exec.Command("go", "build", "-o", browser, "./testdata/browser").CombinedOutput(); err != nil {
		t.Fatalf("building the scripted browser: %v\n%s", err, out)
	}
	r := run(t, "", append(s.env, "BROWSER="+browser), "login", "--browser")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ signed in as alex@contoso.example") || !strings.Contains(r.stderr, "/oauth2/v2.0/authorize?") {
		t.Fatalf("browser login: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if s.sts.Grants("authorization_code") != 1 {
		t.Errorf("authorization_code grants = %d", s.sts.Grants("authorization_code"))
	}
}

func TestCorruptCacheMovedAside(t *testing.T) {
	s := newSTS(t)
	os.MkdirAll(s.home, 0o700)
	os.WriteFile(s.cachePath(), []byte("{not json"), 0o600)
	r := run(t, "", s.env, "token")
	if r.code != 4 || !strings.Contains(r.stderr, "the token cache was corrupt; kept it as") {
		t.Errorf("code %d %s", r.code, r.stderr)
	}
	aside, _ := filepath.Glob(s.cachePath() + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("corrupt cache not kept: %v", aside)
	}
	if r := run(t, "", s.env, "login"); r.code != 0 {
		t.Errorf("login after a corrupt cache: %s", r.stderr)
	}
}

func TestLoginInterruptExits130(t *testing.T) {
	s := newSTS(t)
	s.sts.DevicePending = 1 << 30
	cmd := exec.Command(binary(t), "login")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, s.env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130; stderr %q", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestServicePrincipalCertificate(t *testing.T) {
	s := newSTS(t)
	s.sts.ClientSecret = "only-a-certificate-will-do"
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "azid-e2e"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pemData := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})...)
	certFile := filepath.Join(t.TempDir(), "app.pem")
	os.WriteFile(certFile, pemData, 0o600)
	r := run(t, "", s.env, "login", "--service-principal", "--client-id", "11111111-2222-3333-4444-555555555555", "--certificate", certFile)
	if r.code != 0 || s.sts.Grants("client_credentials") != 1 {
		t.Fatalf("certificate: code %d, grants %d\n%s", r.code, s.sts.Grants("client_credentials"), r.stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a pem"), 0o600)
	r = run(t, "", s.env, "login", "--service-principal", "--client-id", "11111111-2222-3333-4444-555555555555", "--certificate", bad)
	if r.code != 1 || !strings.Contains(r.stderr, "must hold a PEM certificate and its unencrypted private key") {
		t.Errorf("bad certificate: code %d %s", r.code, r.stderr)
	}
}
