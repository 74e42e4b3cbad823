package e2e

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

const e2eTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

type idpEnv struct {
	idp   *fakeidp.Server
	key   *testjwt.Key
	env   []string // AZURE_AUTHORITY_HOST, AZID_CA_FILE, XDG_CACHE_HOME
	cache string
}

func newIdP(t *testing.T) *idpEnv {
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	cache := t.TempDir()
	return &idpEnv{idp: idp, key: key, cache: cache, env: []string{
		"AZURE_AUTHORITY_HOST=" + idp.URL, "AZID_CA_FILE=" + idp.CAFile(t), "XDG_CACHE_HOME=" + cache,
	}}
}

func (e *idpEnv) token(t *testing.T, over map[string]any) string {
	now := time.Now()
	c := map[string]any{
		"aud": "api://e2e", "iss": fakeidp.V2Issuer(e.idp.Host(), e2eTenant), "iat": now.Add(-time.Minute).Unix(),
		"nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(), "azp": "client", "scp": "read",
		"sub": "s", "oid": "o", "tid": e2eTenant, "ver": "2.0", "name": "E2E User",
	}
	for k, v := range over {
		c[k] = v
	}
	return e.key.SignClaims(t, c)
}

func TestVerifyAgainstFakeIdP(t *testing.T) {
	e := newIdP(t)
	tok := e.token(t, nil)
	r := run(t, tok, e.env, "verify", "--tenant", e2eTenant, "--audience", "api://e2e")
	if r.code != 0 || !strings.Contains(r.stdout, "✓ token is valid") {
		t.Fatalf("code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, "warning") {
		t.Errorf("warnings with every pin given: %s", r.stderr)
	}
	hits := e.idp.TotalHits()
	if hits != 2 {
		t.Errorf("first run: %d requests, want 2 (metadata and keys)", hits)
	}
	// second run: from the key cache, no network
	r = run(t, tok, e.env, "verify", "-o", "json")
	if r.code != 0 || e.idp.TotalHits() != hits {
		t.Fatalf("second run: code %d, %d new requests", r.code, e.idp.TotalHits()-hits)
	}
	var doc struct {
		Verification struct {
			Valid  bool `json:"valid"`
			Checks []struct {
				Name, Status string
			} `json:"checks"`
			Keys struct {
				FromCache bool `json:"from_cache"`
			} `json:"keys"`
			Warnings []string `json:"warnings"`
		} `json:"verification"`
		Token struct {
			Kind string `json:"kind"`
		} `json:"token"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	if !doc.Verification.Valid || !doc.Verification.Keys.FromCache || len(doc.Verification.Checks) != 6 || doc.Token.Kind != "access" {
		t.Errorf("json = %+v", doc)
	}
	if !strings.Contains(r.stderr, "any tenant or app would pass") || len(doc.Verification.Warnings) != 1 {
		t.Errorf("no warning without pins: %q %v", r.stderr, doc.Verification.Warnings)
	}
	// the key cache is not a secret, but it is ours alone to write
	files, _ := filepath.Glob(filepath.Join(e.cache, "azid", "keys", "*.json"))
	if len(files) != 2 {
		t.Errorf("cache files: %v", files)
	}
}

func TestVerifyFailuresExit3(t *testing.T) {
	e := newIdP(t)
	var attackerHits atomic.Int32
	attacker := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { attackerHits.Add(1) }))
	defer attacker.Close()
	evil := testjwt.NewKey(t, "evil")
	payload, _ := json.Marshal(map[string]any{"aud": "api://e2e", "iss": fakeidp.V2Issuer(e.idp.Host(), e2eTenant), "exp": time.Now().Add(time.Hour).Unix(), "tid": e2eTenant})
	cases := []struct {
		name, token string
		args        []string
		details     []string
	}{
		{"expired and wrong audience", e.token(t, map[string]any{"exp": time.Now().Add(-3 * time.Hour).Unix()}), []string{"--audience", "api://other"},
			[]string{"lifetime: expired 3h", "audience: the token is for api://e2e, not for api://other"}},
		{"wrong tenant", e.token(t, nil), []string{"--tenant", "11111111-1111-1111-1111-111111111111"}, []string{"issuer: tid"}},
		{"jku", evil.Sign(t, `{"alg":"RS256","kid":"evil","jku":"`+attacker.URL+`/keys"}`, string(payload)), nil, []string{`key: no published key has kid "evil"`}},
		{"alg none", testjwt.Unsigned(`{"alg":"none"}`, string(payload)), nil, []string{"algorithm: unsigned token"}},
		{"untrusted issuer", e.token(t, map[string]any{"iss": "https://" + attacker.Listener.Addr().String() + "/" + e2eTenant + "/v2.0"}), nil,
			[]string{"key: no keys: issuer is not on a known Microsoft login host"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.token, e.env, append([]string{"verify"}, tc.args...)...)
			if r.code != 3 {
				t.Fatalf("exit %d, want 3\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "✗ token is NOT valid") {
				t.Errorf("stdout: %s", r.stdout)
			}
			for _, d := range tc.details {
				if !strings.Contains(r.stderr, "  - "+d) {
					t.Errorf("stderr lacks %q:\n%s", d, r.stderr)
				}
			}
			if strings.Contains(r.stderr, tc.token) {
				t.Error("the token was printed in an error")
			}
		})
	}
	if attackerHits.Load() != 0 {
		t.Errorf("a URL named by a token received %d requests", attackerHits.Load())
	}
}

func TestVerifyOfflineAndJWKS(t *testing.T) {
	e := newIdP(t)
	tok := e.token(t, nil)
	r := run(t, tok, e.env, "verify", "--offline")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot verify the token") || !strings.Contains(r.stderr, "--offline") || !strings.Contains(r.stderr, "forbidden offline") || e.idp.TotalHits() != 0 {
		t.Fatalf("offline, empty cache: code %d hits %d\n%s", r.code, e.idp.TotalHits(), r.stderr)
	}
	jwks := filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwks, testjwt.JWKS(t, e.key.JWK(nil)), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, tok, e.env, "verify", "--offline", "--jwks", jwks); r.code != 0 {
		t.Errorf("--jwks file: code %d\n%s", r.code, r.stderr)
	}
	url := e.idp.URL + "/" + e2eTenant + "/discovery/v2.0/keys"
	if r := run(t, tok, e.env, "verify", "--jwks", url); r.code != 0 || !strings.Contains(r.stdout, url) {
		t.Errorf("--jwks URL: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for args, msg := range map[string]string{
		"--jwks /nonexistent/keys.json":          "--jwks: open /nonexistent/keys.json",
		"--tenant contoso.onmicrosoft.com":       "--tenant must be a tenant ID",
		"--leeway -5m":                           "--leeway must not be negative",
		"--at noon":                              "--at",
		"--jwks http://example.com/keys.json":    "plain HTTP is allowed only to loopback hosts",
		"--authority-host notaurl --jwks x.json": "--authority-host",
	} {
		r := run(t, tok, e.env, append([]string{"verify"}, strings.Fields(args)...)...)
		if r.code == 0 || !strings.Contains(r.stderr, msg) {
			t.Errorf("verify %s: code %d stderr %q, want %q", args, r.code, r.stderr, msg)
		}
	}
}

func TestDecodeVerify(t *testing.T) {
	e := newIdP(t)
	r := run(t, e.token(t, nil), e.env, "decode", "--verify", "--audience", "api://e2e", "--tenant", e2eTenant)
	if r.code != 0 || !strings.Contains(r.stdout, "✓ token is valid") || !strings.Contains(r.stdout, "Claims") || strings.Contains(r.stderr, "signature not verified") {
		t.Errorf("decode --verify: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, e.token(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}), e.env, "decode", "--verify", "-c", "name")
	if r.code != 3 || r.stdout != "" {
		t.Errorf("decode --verify --claim on an invalid token: code %d stdout %q", r.code, r.stdout)
	}
	r = run(t, e.token(t, nil), e.env, "decode", "--verify", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"verification": {`) || !strings.Contains(r.stdout, `"valid": true`) {
		t.Errorf("decode --verify -o json: %s", r.stdout)
	}
}

func TestVerifyStream(t *testing.T) {
	e := newIdP(t)
	good := e.token(t, nil)
	expired := e.token(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})
	input := strings.Join([]string{good, "", "not a token", "   ", expired, "Bearer " + good, good}, "\n") + "\n"
	r := run(t, input, e.env, "verify", "--stream", "--tenant", e2eTenant)
	if r.code != 3 {
		t.Fatalf("exit %d, want 3 (one invalid, one malformed)\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	wantLines := []int{1, 3, 5, 6, 7}
	wantValid := []bool{true, false, false, true, true}
	if len(lines) != len(wantLines) {
		t.Fatalf("%d output lines:\n%s", len(lines), r.stdout)
	}
	for i, l := range lines {
		var res struct {
			Line      int      `json:"line"`
			Valid     bool     `json:"valid"`
			Malformed bool     `json:"malformed"`
			Failed    []string `json:"failed"`
			Error     string   `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &res); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i, err, l)
		}
		if res.Line != wantLines[i] || res.Valid != wantValid[i] {
			t.Errorf("result %d = %+v", i, res)
		}
		if res.Line == 3 && (!res.Malformed || res.Error == "") {
			t.Errorf("malformed line: %+v", res)
		}
		if res.Line == 5 && (len(res.Failed) != 1 || res.Failed[0] != "lifetime") {
			t.Errorf("expired line: %+v", res)
		}
	}
	if !strings.Contains(r.stderr, "verified 5 tokens: 3 valid, 1 invalid, 1 malformed") {
		t.Errorf("summary: %q", r.stderr)
	}
	if e.idp.TotalHits() != 2 {
		t.Errorf("%d requests for one issuer", e.idp.TotalHits())
	}
	// all valid: exit 0; empty input: nothing, exit 0
	if r := run(t, good+"\n"+good+"\n", e.env, "verify", "--stream"); r.code != 0 || strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("all valid: code %d\n%s", r.code, r.stdout)
	}
	if r := run(t, good+"\n", e.env, "verify", "--stream"); r.code != 0 || !strings.Contains(r.stderr, "verified 1 token: 1 valid,") {
		t.Errorf("one token: %+v", r)
	}
	if r := run(t, "", e.env, "verify", "--stream"); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "verified 0 tokens") {
		t.Errorf("empty: %+v", r)
	}
	if r := run(t, "", e.env, "verify", "--stream", good); r.code != 2 {
		t.Errorf("--stream with an argument: code %d", r.code)
	}
}

func TestVerifyStreamManyInOrder(t *testing.T) {
	e := newIdP(t)
	var b strings.Builder
	n := 3000
	toks := []string{e.token(t, nil), e.token(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})}
	for i := 0; i < n; i++ {
		if i%7 == 3 {
			b.WriteString("garbage\n")
			continue
		}
		b.WriteString(toks[i%2] + "\n")
	}
	r := run(t, b.String(), e.env, "verify", "--stream")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != n {
		t.Fatalf("%d lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, fmt.Sprintf(`{"line":%d,`, i+1)) {
			t.Fatalf("line %d out of order: %.40s", i+1, l)
		}
	}
}

// A stream whose keys cannot be had (offline, nothing cached) judges no
// token: each line says so, and the exit code is 1 as for one token, unless a
// line was malformed or failed another check (a verdict: 3).
func TestVerifyStreamKeysUnavailable(t *testing.T) {
	e := newIdP(t)
	good := e.token(t, nil)
	r := run(t, good+"\n"+good+"\n", e.env, "verify", "--stream", "--offline")
	if r.code != 1 || e.idp.TotalHits() != 0 {
		t.Fatalf("offline, empty cache: code %d, %d requests\n%s", r.code, e.idp.TotalHits(), r.stderr)
	}
	if strings.Count(r.stdout, `"keys_unavailable":true`) != 2 || strings.Contains(r.stdout, `"valid":true`) {
		t.Errorf("lines:\n%s", r.stdout)
	}
	for _, want := range []string{"verified 2 tokens: 0 valid, 0 invalid, 0 malformed, 2 not checked (keys unavailable)",
		"azid: cannot verify 2 of the tokens: their keys are unavailable", "hint:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	expired := e.token(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})
	r = run(t, good+"\n"+expired+"\n", e.env, "verify", "--stream", "--offline")
	if r.code != 3 || !strings.Contains(r.stderr, "1 invalid, 0 malformed, 1 not checked") {
		t.Errorf("an expired token among them: code %d\n%s", r.code, r.stderr)
	}
	if strings.Count(r.stdout, `"keys_unavailable":true`) != 1 {
		t.Errorf("the expired token is judged (lifetime), not merely unchecked:\n%s", r.stdout)
	}
}

// A public host is reached only through the proxy, which is dead here: the
// answer is one line naming the proxy, exit 1 (this once panicked).
func TestVerifyThroughDeadProxy(t *testing.T) {
	tok := sampleToken(t)
	for _, args := range [][]string{
		{"verify", "--jwks", "https://login.microsoftonline.com/common/discovery/v2.0/keys"},
		{"verify"}, // discovery of the token's (public) issuer
	} {
		r := run(t, tok, []string{"XDG_CACHE_HOME=" + t.TempDir()}, args...)
		if r.code != 1 {
			t.Fatalf("%v: exit %d, want 1\n%s\n%s", args, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "proxy") || !strings.Contains(r.stderr, "cannot verify") {
			t.Errorf("%v: stderr does not name the proxy failure:\n%s", args, r.stderr)
		}
	}
}

// A Microsoft Graph token (header nonce) verifies with Graph's hashed-nonce
// scheme, and azid says so and that only Graph should accept it; a tampered
// payload still fails.
func TestVerifyGraphTokenE2E(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	jwks := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(jwks, testjwt.JWKS(t, key.JWK(nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	nonce := "AQABAAAAAABnfiG-e2e_nonce"
	hdr := func(n string) string {
		return `{"typ":"JWT","nonce":"` + n + `","alg":"RS256","x5t":"key-1","kid":"key-1"}`
	}
	payload := fmt.Sprintf(`{"aud":"00000003-0000-0000-c000-000000000000","iss":"https://login.microsoftonline.com/%s/v2.0","exp":%d,"nbf":%d,"tid":"%s","ver":"2.0"}`,
		e2eTenant, now.Add(time.Hour).Unix(), now.Add(-time.Minute).Unix(), e2eTenant)
	sum := sha256.Sum256([]byte(nonce))
	signed := key.Sign(t, hdr(testjwt.B64(sum[:])), payload)
	sig := signed[strings.LastIndexByte(signed, '.')+1:]
	tok := testjwt.B64([]byte(hdr(nonce))) + "." + testjwt.B64([]byte(payload)) + "." + sig

	r := run(t, tok, nil, "verify", "--jwks", jwks)
	if r.code != 0 || !strings.Contains(r.stdout, "✓ token is valid") || !strings.Contains(r.stdout, "Microsoft Graph's undocumented nonce scheme") ||
		!strings.Contains(r.stderr, "only Microsoft Graph should accept it; for your API, request a token for your API") {
		t.Fatalf("code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, tok, nil, "verify", "--jwks", jwks, "-o", "json")
	var res struct {
		Verification struct {
			Valid           bool   `json:"valid"`
			SignatureScheme string `json:"signature_scheme"`
		} `json:"verification"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || !res.Verification.Valid || res.Verification.SignatureScheme != "graph_nonce" {
		t.Fatalf("json: %v %+v\n%s", err, res, r.stdout)
	}
	tampered := strings.Replace(tok, testjwt.B64([]byte(payload)), testjwt.B64([]byte(strings.Replace(payload, "00000003", "00000004", 1))), 1)
	r = run(t, tampered, nil, "verify", "--jwks", jwks)
	if r.code != 3 || !strings.Contains(r.stdout, "NOT valid") {
		t.Fatalf("tampered: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, tok, nil, "verify", "--jwks", jwks, "--audience", "api://e2e")
	if r.code != 3 || !strings.Contains(r.stderr, "audience") {
		t.Fatalf("audience pin: code %d\n%s", r.code, r.stderr)
	}
}

// No keys: the headline says "cannot verify" (exit 1), never "NOT valid",
// and the JSON says keys_unavailable, as --stream does.
func TestVerifyCannotVerifyHeadline(t *testing.T) {
	e := newIdP(t)
	tok := e.token(t, nil)
	r := run(t, tok, e.env, "verify", "--offline")
	if r.code != 1 || !strings.Contains(r.stdout, "cannot verify the token") || strings.Contains(r.stdout, "NOT valid") {
		t.Fatalf("code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, tok, e.env, "verify", "--offline", "-o", "json")
	if r.code != 1 || !strings.Contains(r.stdout, `"keys_unavailable": true`) || !strings.Contains(r.stdout, `"code": "keys_unavailable"`) {
		t.Fatalf("json: code %d\n%s", r.code, r.stdout)
	}
}

// Real-world key sets, an untrusted key cache and a token with two meanings,
// from the built binary.
func TestVerifyRealWorldMaterialE2E(t *testing.T) {
	e := newIdP(t)
	tok := e.token(t, nil)
	dir := t.TempDir()
	odd := filepath.Join(dir, "odd.json")
	os.WriteFile(odd, testjwt.JWKS(t, e.key.JWK(map[string]any{"alg": "SHA256", "key_ops": []string{"signing"}})), 0o600)
	r := run(t, tok, e.env, "verify", "--jwks", odd)
	if r.code != 0 || !strings.Contains(r.stderr, `alg "SHA256" is not a registered algorithm name`) {
		t.Fatalf("odd key set: code %d\n%s", r.code, r.stderr)
	}
	// "use":"enc" with "Use":"sig": no signing key.
	k := e.key.JWK(map[string]any{"Use": "sig"})
	k["use"] = "enc"
	enc := filepath.Join(dir, "enc.json")
	os.WriteFile(enc, testjwt.JWKS(t, k), 0o600)
	if r := run(t, tok, e.env, "verify", "--jwks", enc); r.code == 0 || !strings.Contains(r.stderr, "no usable RSA signing key") {
		t.Fatalf("use enc / Use sig: code %d\n%s", r.code, r.stderr)
	}
	// Fill the cache, make it group-writable: offline has no keys, with a warning.
	if r := run(t, tok, e.env, "verify"); r.code != 0 {
		t.Fatalf("fill: %d %s", r.code, r.stderr)
	}
	keysDir := filepath.Join(e.cache, "azid", "keys")
	if fi, err := os.Stat(keysDir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("cache dir: %v %v", err, fi)
	}
	os.Chmod(keysDir, 0o770)
	r = run(t, tok, e.env, "verify", "--offline")
	if r.code != 1 || !strings.Contains(r.stderr, "writable by group or others") || !strings.Contains(r.stdout, "cannot verify") {
		t.Fatalf("group-writable cache: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// A duplicate claim fails verification (exit 3), though the signature is good.
	now := time.Now().Unix()
	dup := e.key.Sign(t, `{"typ":"JWT","alg":"RS256","kid":"key-1"}`, fmt.Sprintf(`{"aud":"api://other","aud":"api://e2e","iss":"%s","exp":%d,"tid":"%s","ver":"2.0"}`,
		fakeidp.V2Issuer(e.idp.Host(), e2eTenant), now+3600, e2eTenant))
	os.Chmod(keysDir, 0o700)
	if r := run(t, dup, e.env, "verify", "--audience", "api://e2e"); r.code != 3 || !strings.Contains(r.stderr, "the claims repeat aud") {
		t.Fatalf("duplicate claim: code %d\n%s", r.code, r.stderr)
	}
}
