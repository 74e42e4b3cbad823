package token

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

const vTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

var vNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

type env struct {
	idp     *fakeidp.Server
	key     *testjwt.Key
	fetcher *entra.Fetcher
	keys    *DiscoveryKeys
}

func newEnv(t testing.TB, cacheDir string) *env {
	t.Helper()
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	f := &entra.Fetcher{Client: idp.Client(), CacheDir: cacheDir, Now: func() time.Time { return vNow }}
	return &env{idp: idp, key: key, fetcher: f, keys: &DiscoveryKeys{Fetcher: f}}
}

// claims returns a v2 access token payload for the public cloud, with overrides.
func claims(over map[string]any) map[string]any {
	c := map[string]any{
		"aud": "api://my-api", "iss": "https://login.microsoftonline.com/" + vTenant + "/v2.0",
		"iat": vNow.Add(-10 * time.Minute).Unix(), "nbf": vNow.Add(-10 * time.Minute).Unix(), "exp": vNow.Add(50 * time.Minute).Unix(),
		"azp": "client", "scp": "read", "sub": "s", "oid": "o", "tid": vTenant, "ver": "2.0",
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func verify(t *testing.T, raw string, o VerifyOptions) *Verification {
	t.Helper()
	tok, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if o.Now.IsZero() {
		o.Now = vNow
	}
	if o.Leeway == 0 {
		o.Leeway = DefaultLeeway
	}
	return Verify(context.Background(), tok, o)
}

func check(t *testing.T, v *Verification, name, status, detail string) {
	t.Helper()
	for _, c := range v.Checks {
		if c.Name == name {
			if c.Status != status || !strings.Contains(c.Detail, detail) {
				t.Errorf("check %s = %s %q; want %s with %q", name, c.Status, c.Detail, status, detail)
			}
			return
		}
	}
	t.Errorf("no check %s in %+v", name, v.Checks)
}

func TestVerifyValid(t *testing.T) {
	e := newEnv(t, "")
	v := verify(t, e.key.SignClaims(t, claims(nil)), VerifyOptions{Keys: e.keys, Tenant: vTenant, Audiences: []string{"api://my-api"}})
	if !v.Valid {
		t.Fatalf("not valid: %s", v.Error)
	}
	for _, name := range []string{"algorithm", "key", "signature", "lifetime", "issuer", "audience"} {
		check(t, v, name, Passed, "")
	}
	if v.KeyID != "key-1" || v.Keys == nil || v.Keys.MetadataIssuer != "https://login.microsoftonline.com/"+vTenant+"/v2.0" {
		t.Errorf("keys = %+v kid %q", v.Keys, v.KeyID)
	}
	if len(v.Warnings) != 0 {
		t.Errorf("warnings = %v", v.Warnings)
	}
}

func TestVerifyWithoutPinsWarns(t *testing.T) {
	e := newEnv(t, "")
	v := verify(t, e.key.SignClaims(t, claims(nil)), VerifyOptions{Keys: e.keys})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	check(t, v, "audience", NotChecked, "no audience pinned")
	check(t, v, "issuer", Passed, "") // checked against the metadata's issuer
	if len(v.Warnings) != 1 || !strings.Contains(v.Warnings[0], "any tenant or app") {
		t.Errorf("warnings = %v", v.Warnings)
	}
}

func TestVerifyAttacks(t *testing.T) {
	e := newEnv(t, "")
	good := e.key.SignClaims(t, claims(nil))
	parts := strings.Split(good, ".")
	pubDER, _ := x509.MarshalPKIXPublicKey(&e.key.Private.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hs256 := func(secret []byte) string {
		in := testjwt.B64([]byte(`{"typ":"JWT","alg":"HS256","kid":"key-1"}`)) + "." + parts[1]
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(in))
		return in + "." + testjwt.B64(m.Sum(nil))
	}
	var jkuHits atomic.Int32
	attacker := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { jkuHits.Add(1) }))
	defer attacker.Close()
	evil := testjwt.NewKey(t, "key-1")
	tamperedPayload := testjwt.B64([]byte(strings.Replace(mustB64Decode(t, parts[1]), `"scp":"read"`, `"scp":"admin"`, 1)))

	cases := []struct {
		name, token, check, status, detail string
	}{
		{"alg none", testjwt.Unsigned(`{"typ":"JWT","alg":"none"}`, mustB64Decode(t, parts[1])), "algorithm", Failed, "unsigned token"},
		{"alg None mixed case", testjwt.Unsigned(`{"alg":"None"}`, mustB64Decode(t, parts[1])), "algorithm", Failed, "unsigned token"},
		{"alg missing", testjwt.Unsigned(`{"typ":"JWT"}`, mustB64Decode(t, parts[1])) + "c2ln", "algorithm", Failed, "unsigned token"},
		{"HS256 with public key PEM as secret", hs256(pubPEM), "algorithm", Failed, "shared-secret"},
		{"HS256 with modulus as secret", hs256(e.key.Private.N.Bytes()), "algorithm", Failed, "shared-secret"},
		{"RS512", testjwt.Unsigned(`{"alg":"RS512","kid":"key-1"}`, mustB64Decode(t, parts[1])) + "c2ln", "algorithm", Failed, "not accepted"},
		{"PS256", testjwt.Unsigned(`{"alg":"PS256","kid":"key-1"}`, mustB64Decode(t, parts[1])) + "c2ln", "algorithm", Failed, "not accepted"},
		{"tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2], "signature", Failed, "does not match"},
		{"stripped signature", parts[0] + "." + parts[1] + ".", "signature", Failed, "does not match"},
		{"signature of another token", parts[0] + "." + parts[1] + "." + strings.Split(e.key.SignClaims(t, claims(map[string]any{"sub": "x"})), ".")[2], "signature", Failed, "does not match"},
		{"attacker key with same kid", evil.SignClaims(t, claims(nil)), "signature", Failed, "does not match"},
		{"wrong kid", e.key.Sign(t, `{"typ":"JWT","alg":"RS256","kid":"nope"}`, mustB64Decode(t, parts[1])), "key", Failed, "no published key has kid \"nope\""},
		{"jku to attacker", evil.Sign(t, `{"alg":"RS256","kid":"evil","jku":"`+attacker.URL+`/keys"}`, mustB64Decode(t, parts[1])), "key", Failed, "no published key"},
		{"x5u to attacker", evil.Sign(t, `{"alg":"RS256","kid":"evil","x5u":"`+attacker.URL+`/cert"}`, mustB64Decode(t, parts[1])), "key", Failed, "no published key"},
		{"embedded jwk", evil.Sign(t, `{"alg":"RS256","kid":"key-1","jwk":`+mustJSON(t, evil.JWK(nil))+`}`, mustB64Decode(t, parts[1])), "signature", Failed, "does not match"},
		{"expired", e.key.SignClaims(t, claims(map[string]any{"exp": vNow.Add(-3*time.Hour - 12*time.Minute).Unix()})), "lifetime", Failed, "expired 3h12m ago at 2026-11-30T08:48:00Z"},
		{"not yet valid", e.key.SignClaims(t, claims(map[string]any{"nbf": vNow.Add(time.Hour).Unix()})), "lifetime", Failed, "not valid yet"},
		{"no exp", e.key.SignClaims(t, claims(map[string]any{"exp": nil})), "lifetime", Failed, "no exp claim"},
		{"exp not a number", e.key.SignClaims(t, claims(map[string]any{"exp": "tomorrow"})), "lifetime", Failed, "not a valid time"},
		{"issuer of another tenant", e.key.SignClaims(t, claims(map[string]any{"iss": "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0"})), "issuer", Failed, "is not the token's tid"},
		{"untrusted issuer host", e.key.SignClaims(t, claims(map[string]any{"iss": "https://" + attacker.Listener.Addr().String() + "/" + vTenant + "/v2.0"})), "key", Failed, "not on a known Microsoft login host"},
		{"lookalike issuer host", e.key.SignClaims(t, claims(map[string]any{"iss": "https://login.microsoftonline.com.evil.example/" + vTenant + "/v2.0"})), "key", Failed, "not on a known Microsoft login host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := verify(t, tc.token, VerifyOptions{Keys: e.keys})
			if v.Valid {
				t.Fatal("attack token verified as valid")
			}
			check(t, v, tc.check, tc.status, tc.detail)
			if v.Error == "" {
				t.Error("no error text")
			}
		})
	}
	if jkuHits.Load() != 0 {
		t.Errorf("the URL a token header named received %d requests", jkuHits.Load())
	}
}

// graphToken signs a token the way Graph does: over a header whose nonce was
// replaced by its SHA-256, while the token carries the original nonce.
func graphToken(t *testing.T, k *testjwt.Key) string {
	nonce := "AQABAAAAAABnfiG"
	sum := sha256.Sum256([]byte(nonce))
	signedHeader := `{"typ":"JWT","nonce":"` + testjwt.B64(sum[:]) + `","alg":"RS256","kid":"key-1"}`
	payload := `{"aud":"00000003-0000-0000-c000-000000000000","iss":"https://login.microsoftonline.com/` + vTenant + `/v2.0","exp":` + fmt.Sprint(vNow.Add(time.Hour).Unix()) + `,"tid":"` + vTenant + `"}`
	signed := k.Sign(t, signedHeader, payload)
	sig := strings.Split(signed, ".")[2]
	return testjwt.B64([]byte(`{"typ":"JWT","nonce":"`+nonce+`","alg":"RS256","kid":"key-1"}`)) + "." + testjwt.B64([]byte(payload)) + "." + sig
}

func mustB64Decode(t *testing.T, s string) string {
	t.Helper()
	b, err := decodeSegment(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := jsonMarshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestVerifyPins(t *testing.T) {
	e := newEnv(t, "")
	tok := e.key.SignClaims(t, claims(nil))
	other := "11111111-1111-1111-1111-111111111111"
	cases := []struct {
		name        string
		o           VerifyOptions
		valid       bool
		check, want string
	}{
		{"tenant", VerifyOptions{Tenant: vTenant}, true, "issuer", ""},
		{"tenant upper case", VerifyOptions{Tenant: strings.ToUpper(vTenant)}, true, "issuer", ""},
		{"wrong tenant", VerifyOptions{Tenant: other}, false, "issuer", "is not the pinned tenant " + other},
		{"issuer exact", VerifyOptions{Issuers: []string{"https://login.microsoftonline.com/" + vTenant + "/v2.0"}}, true, "issuer", ""},
		{"issuer template", VerifyOptions{Issuers: []string{"https://login.microsoftonline.com/{tenantid}/v2.0"}}, true, "issuer", ""},
		{"issuer v1 only", VerifyOptions{Issuers: []string{"https://sts.windows.net/" + vTenant + "/"}}, false, "issuer", "issuer is not https://sts.windows.net/"},
		{"one of two issuers", VerifyOptions{Issuers: []string{"https://sts.windows.net/" + vTenant + "/", "https://login.microsoftonline.com/" + vTenant + "/v2.0"}}, true, "issuer", ""},
		{"audience", VerifyOptions{Audiences: []string{"api://my-api"}}, true, "audience", ""},
		{"audience trailing slash", VerifyOptions{Audiences: []string{"api://my-api/"}}, true, "audience", ""},
		{"wrong audience", VerifyOptions{Audiences: []string{"api://other"}}, false, "audience", "the token is for api://my-api, not for api://other"},
		{"any of audiences", VerifyOptions{Audiences: []string{"api://other", "api://my-api"}}, true, "audience", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.o.Keys = e.keys
			v := verify(t, tok, tc.o)
			if v.Valid != tc.valid {
				t.Fatalf("valid = %v (%s)", v.Valid, v.Error)
			}
			status := Passed
			if !tc.valid {
				status = Failed
			}
			check(t, v, tc.check, status, tc.want)
		})
	}
}

func TestAudienceMatches(t *testing.T) {
	g := "6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a"
	yes := [][2]string{{g, g}, {g, "api://" + g}, {"api://" + g, g}, {strings.ToUpper(g), g}, {"https://contoso.com/api/", "https://contoso.com/api"}}
	no := [][2]string{{g, "api://other"}, {"", ""}, {"api://a", "api://b"}, {"https://contoso.com/api", "https://contoso.com/API2"}}
	for _, p := range yes {
		if !AudienceMatches(p[0], p[1]) {
			t.Errorf("%q vs %q: no match", p[0], p[1])
		}
	}
	for _, p := range no {
		if AudienceMatches(p[0], p[1]) {
			t.Errorf("%q vs %q: match", p[0], p[1])
		}
	}
}

func TestVerifyLeewayAndAt(t *testing.T) {
	e := newEnv(t, "")
	tok := e.key.SignClaims(t, claims(map[string]any{"exp": vNow.Add(-4 * time.Minute).Unix()}))
	if v := verify(t, tok, VerifyOptions{Keys: e.keys}); !v.Valid {
		t.Errorf("4 minutes past exp with 5m leeway: %s", v.Error)
	}
	if v := verify(t, tok, VerifyOptions{Keys: e.keys, Leeway: time.Second}); v.Valid {
		t.Error("valid with 1s leeway")
	}
	if v := verify(t, tok, VerifyOptions{Keys: e.keys, Now: vNow.Add(-6 * time.Minute), Leeway: time.Second}); !v.Valid {
		t.Errorf("at an earlier instant: %s", v.Error)
	}
}

func TestVerifyMultiTenantTemplate(t *testing.T) {
	e := newEnv(t, "")
	// a token of a tenant, verified with keys found through that tenant's metadata
	// whose keys carry the {tenantid} template
	tok := e.key.SignClaims(t, claims(nil))
	v := verify(t, tok, VerifyOptions{Keys: e.keys, Issuers: []string{"https://login.microsoftonline.com/{tenantid}/v2.0"}})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	// a non-GUID tid cannot satisfy a template
	bad := e.key.SignClaims(t, claims(map[string]any{"tid": "contoso", "iss": "https://login.microsoftonline.com/contoso/v2.0"}))
	v = verify(t, bad, VerifyOptions{Keys: e.keys, Issuers: []string{"https://login.microsoftonline.com/{tenantid}/v2.0"}})
	if v.Valid {
		t.Fatal("non-GUID tid accepted against a template")
	}
	check(t, v, "key issuer", Failed, "not a GUID")
}

func TestVerifyKeyIssuerBindsKeyToTenant(t *testing.T) {
	e := newEnv(t, "")
	msa := testjwt.NewKey(t, "msa-key")
	// the MSA key signs only for the consumer tenant
	e.idp.SetRawKeys(e.key.JWK(nil), msa.JWK(map[string]any{"issuer": "https://login.microsoftonline.com/" + entra.MSATenantID + "/v2.0"}))
	tok := msa.SignClaims(t, claims(nil))
	v := verify(t, tok, VerifyOptions{Keys: e.keys})
	if v.Valid {
		t.Fatal("a token of a work tenant verified with the consumer tenant's key")
	}
	check(t, v, "key issuer", Failed, "belongs to issuer https://login.microsoftonline.com/"+entra.MSATenantID)
}

func TestVerifyV1TokenUsesV1Metadata(t *testing.T) {
	e := newEnv(t, "")
	tok := e.key.SignClaims(t, claims(map[string]any{"iss": "https://sts.windows.net/" + vTenant + "/", "ver": "1.0", "aud": "https://my-api.contoso.com/", "appid": "c", "azp": nil}))
	v := verify(t, tok, VerifyOptions{Keys: e.keys, Tenant: vTenant, Audiences: []string{"https://my-api.contoso.com"}})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	if got := v.Keys.MetadataURL; got != "https://login.microsoftonline.com/"+vTenant+"/.well-known/openid-configuration" {
		t.Errorf("metadata URL = %s", got)
	}
	if e.idp.Hits("/"+vTenant+"/discovery/keys") != 1 {
		t.Error("v1 keys not fetched from the v1 key set")
	}
}

func TestVerifySovereignAndB2C(t *testing.T) {
	e := newEnv(t, "")
	cases := []struct{ name, iss, metadata string }{
		{"us gov", "https://login.microsoftonline.us/" + vTenant + "/v2.0", "https://login.microsoftonline.us/" + vTenant + "/v2.0/.well-known/openid-configuration"},
		{"china v2", "https://login.partner.microsoftonline.cn/" + vTenant + "/v2.0", "https://login.partner.microsoftonline.cn/" + vTenant + "/v2.0/.well-known/openid-configuration"},
		{"china v1", "https://sts.chinacloudapi.cn/" + vTenant + "/", "https://login.chinacloudapi.cn/" + vTenant + "/.well-known/openid-configuration"},
		{"external id", "https://" + vTenant + ".ciamlogin.com/" + vTenant + "/v2.0", "https://" + vTenant + ".ciamlogin.com/" + vTenant + "/v2.0/.well-known/openid-configuration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := verify(t, e.key.SignClaims(t, claims(map[string]any{"iss": tc.iss})), VerifyOptions{Keys: e.keys, Tenant: vTenant})
			if !v.Valid {
				t.Fatal(v.Error)
			}
			if v.Keys.MetadataURL != tc.metadata {
				t.Errorf("metadata = %s", v.Keys.MetadataURL)
			}
		})
	}
	t.Run("b2c", func(t *testing.T) {
		iss := "https://contoso.b2clogin.com/tfp/" + vTenant + "/B2C_1_signin/v2.0/"
		v := verify(t, e.key.SignClaims(t, claims(map[string]any{"iss": iss, "tid": nil, "tfp": "B2C_1_signin"})), VerifyOptions{Keys: e.keys})
		if !v.Valid {
			t.Fatal(v.Error)
		}
		if v.Keys.MetadataURL != "https://contoso.b2clogin.com/"+vTenant+"/B2C_1_signin/v2.0/.well-known/openid-configuration" {
			t.Errorf("metadata = %s", v.Keys.MetadataURL)
		}
	})
}

func TestVerifyAppIDCustomKey(t *testing.T) {
	e := newEnv(t, "")
	appKey := testjwt.NewKey(t, "app-key")
	e.idp.SetAppKeys("my-app", appKey)
	tok := appKey.SignClaims(t, claims(nil))
	v := verify(t, tok, VerifyOptions{Keys: e.keys})
	if v.Valid {
		t.Fatal("app-specific key found without --appid")
	}
	check(t, v, "key", Failed, "?appid=")
	v = verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: e.fetcher, AppID: "my-app"}})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	if !strings.HasSuffix(v.Keys.MetadataURL, "?appid=my-app") {
		t.Errorf("metadata = %s", v.Keys.MetadataURL)
	}
}

func TestVerifyStaticKeys(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	set, err := entra.ParseJWKS(testjwt.JWKS(t, key.JWK(nil)))
	if err != nil {
		t.Fatal(err)
	}
	v := verify(t, key.SignClaims(t, claims(nil)), VerifyOptions{Keys: StaticKeys{Set: set, Origin: KeyOrigin{File: "jwks.json"}}})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	check(t, v, "issuer", NotChecked, "no issuer or tenant pinned")
	// no kid: every key is tried
	v = verify(t, key.Sign(t, `{"alg":"RS256"}`, mustJSONClaims(t)), VerifyOptions{Keys: StaticKeys{Set: set}})
	if !v.Valid {
		t.Fatal(v.Error)
	}
	check(t, v, "key", Passed, "every key")
}

func mustJSONClaims(t *testing.T) string {
	b, err := jsonMarshal(claims(nil))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func TestTenantPinNeedsTrustedIssuerHost(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	set, err := entra.ParseJWKS(testjwt.JWKS(t, key.JWK(nil)))
	if err != nil {
		t.Fatal(err)
	}
	tok := key.SignClaims(t, claims(map[string]any{"iss": "https://evil.example/" + vTenant + "/v2.0"}))
	v := verify(t, tok, VerifyOptions{Keys: StaticKeys{Set: set}, Tenant: vTenant})
	if v.Valid {
		t.Fatal("a tenant pin accepted an issuer on an untrusted host")
	}
	check(t, v, "issuer", Failed, "not the v1 or v2 issuer of tenant")
	trusted := func(h string) bool { return h == "evil.example" }
	if v := verify(t, tok, VerifyOptions{Keys: StaticKeys{Set: set}, Tenant: vTenant, TrustedHost: trusted}); !v.Valid {
		t.Errorf("configured authority host: %s", v.Error)
	}
	v1 := key.SignClaims(t, claims(map[string]any{"iss": "https://sts.windows.net/" + vTenant + "/"}))
	if v := verify(t, v1, VerifyOptions{Keys: StaticKeys{Set: set}, Tenant: vTenant}); !v.Valid {
		t.Errorf("v1 issuer with tenant pin: %s", v.Error)
	}
}
