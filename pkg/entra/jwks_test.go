package entra

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseRealMicrosoftKeySet(t *testing.T) {
	// a snapshot of the live common v2 key set (shared/reference/samples)
	data, err := os.ReadFile("testdata/entra-common-v2-keys.json")
	if err != nil {
		t.Fatal(err)
	}
	set, err := ParseJWKS(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 7 || len(set.Skipped) != 0 {
		t.Fatalf("keys %d skipped %+v", len(set.Keys), set.Skipped)
	}
	k := set.Candidates("8IIDH6M8c3cXoeojKme8Jvqsr2Y", "")
	if len(k) != 1 || k[0].Issuer != "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0" {
		t.Errorf("MSA key: %+v", k)
	}
	if c := set.Candidates("", "Mc7l3Iz93g7uwgNeEmmw_WYGPko"); len(c) != 1 {
		t.Errorf("lookup by x5t: %d", len(c))
	}
}

func rsaKey(t *testing.T, bits int) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func jwk(k *rsa.PublicKey, extra map[string]any) map[string]any {
	m := map[string]any{"kty": "RSA", "kid": "k", "n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes())}
	for n, v := range extra {
		if v == nil {
			delete(m, n)
		} else {
			m[n] = v
		}
	}
	return m
}

func set(keys ...map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"keys": keys})
	return b
}

func TestParseJWKSLiberalStrict(t *testing.T) {
	k := rsaKey(t, 2048)
	weak := rsaKey(t, 1024)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	x5cOnly := map[string]any{"kty": "RSA", "kid": "cert", "x5c": []string{base64.StdEncoding.EncodeToString(der)}}
	padded := jwk(&k.PublicKey, map[string]any{"kid": "padded", "n": base64.URLEncoding.EncodeToString(k.N.Bytes())})
	numericKid := jwk(&k.PublicKey, map[string]any{"kid": 42})
	cases := []struct {
		name    string
		doc     []byte
		keys    int
		skipped string
	}{
		{"plain", set(jwk(&k.PublicKey, nil)), 1, ""},
		{"no use, no alg (Entra)", set(jwk(&k.PublicKey, map[string]any{"use": nil})), 1, ""},
		{"x5c only", set(x5cOnly), 1, ""},
		{"padded base64", set(padded), 1, ""},
		{"numeric kid", set(numericKid), 1, ""},
		{"bare JWK", func() []byte { b, _ := json.Marshal(jwk(&k.PublicKey, nil)); return b }(), 1, ""},
		{"unknown members", set(jwk(&k.PublicKey, map[string]any{"issuer": "x", "x5t": "k", "extra": []int{1}})), 1, ""},
		{"enc key", set(jwk(&k.PublicKey, map[string]any{"use": "enc"})), 0, `use "enc"`},
		{"RS512 key", set(jwk(&k.PublicKey, map[string]any{"alg": "RS512"})), 0, `alg "RS512"`},
		{"HS256 oct key", set(map[string]any{"kty": "oct", "k": "c2VjcmV0", "alg": "HS256"}), 0, "not RSA"},
		{"EC key", set(map[string]any{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}), 0, "not RSA"},
		{"weak key", set(jwk(&weak.PublicKey, nil)), 0, "too weak"},
		{"exponent 1", set(jwk(&k.PublicKey, map[string]any{"e": "AQ"})), 0, "exponent"},
		{"even exponent", set(jwk(&k.PublicKey, map[string]any{"e": "AQA"})), 0, "exponent"},
		{"bad n", set(jwk(&k.PublicKey, map[string]any{"n": "!!"})), 0, "base64"},
		{"missing n", set(jwk(&k.PublicKey, map[string]any{"n": nil})), 0, "without n and e"},
		{"key_ops sign only", set(jwk(&k.PublicKey, map[string]any{"key_ops": []string{"sign"}})), 0, "key_ops"},
		{"mixed", set(jwk(&k.PublicKey, nil), map[string]any{"kty": "EC"}), 1, "not RSA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseJWKS(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Keys) != tc.keys {
				t.Errorf("keys = %d, want %d (skipped %+v)", len(s.Keys), tc.keys, s.Skipped)
			}
			if tc.skipped != "" && (len(s.Skipped) == 0 || !strings.Contains(s.Skipped[0].Reason, tc.skipped)) {
				t.Errorf("skipped = %+v, want %q", s.Skipped, tc.skipped)
			}
		})
	}
	for _, bad := range []string{"", "[]", "null", `{"keys":{}}`, `{"foo":1}`, `{"keys":"x"}`, strings.Repeat(" ", MaxJWKSSize+1)} {
		if _, err := ParseJWKS([]byte(bad)); err == nil {
			t.Errorf("ParseJWKS(%.20q) accepted", bad)
		}
	}
}

func TestMetadataURL(t *testing.T) {
	tid := "72f988bf-86f1-41af-91ab-2d7cd011db47"
	p := TrustPolicy{AuthorityHosts: []string{"127.0.0.1:8443"}}
	ok := map[string]string{
		"https://login.microsoftonline.com/" + tid + "/v2.0":         "https://login.microsoftonline.com/" + tid + "/v2.0/.well-known/openid-configuration",
		"https://sts.windows.net/" + tid + "/":                       "https://login.microsoftonline.com/" + tid + "/.well-known/openid-configuration",
		"https://login.microsoftonline.us/" + tid + "/v2.0":          "https://login.microsoftonline.us/" + tid + "/v2.0/.well-known/openid-configuration",
		"https://sts.chinacloudapi.cn/" + tid + "/":                  "https://login.chinacloudapi.cn/" + tid + "/.well-known/openid-configuration",
		"https://contoso.b2clogin.com/tfp/" + tid + "/B2C_1_x/v2.0/": "https://contoso.b2clogin.com/" + tid + "/B2C_1_x/v2.0/.well-known/openid-configuration",
		"https://127.0.0.1:8443/" + tid + "/v2.0":                    "https://127.0.0.1:8443/" + tid + "/v2.0/.well-known/openid-configuration",
		"https://login.microsoftonline.com:443/" + tid + "/v2.0":     "https://login.microsoftonline.com:443/" + tid + "/v2.0/.well-known/openid-configuration",
	}
	for iss, want := range ok {
		t.Run(iss, func(t *testing.T) {
			got, err := MetadataURL(TokenIssuer{Issuer: iss}, "", p)
			if err != nil || got != want {
				t.Errorf("MetadataURL(%s) = %s, %v; want %s", iss, got, err, want)
			}
		})
	}
	if got, _ := MetadataURL(TokenIssuer{Issuer: "https://contoso.b2clogin.com/" + tid + "/v2.0/", Policy: "B2C_1_y"}, "", p); got != "https://contoso.b2clogin.com/"+tid+"/B2C_1_y/v2.0/.well-known/openid-configuration" {
		t.Errorf("B2C without tfp in iss: %s", got)
	}
	if got, _ := MetadataURL(TokenIssuer{Issuer: "https://login.microsoftonline.com/" + tid + "/v2.0"}, "a b&c", p); !strings.HasSuffix(got, "?appid=a+b%26c") {
		t.Errorf("appid: %s", got)
	}
	bad := []string{
		"https://evil.example/" + tid + "/v2.0",
		"https://login.microsoftonline.com.evil.example/" + tid + "/v2.0",
		"https://login.microsoftonline.com:8443/" + tid + "/v2.0",
		"http://login.microsoftonline.com/" + tid + "/v2.0",
		"https://127.0.0.1:9999/" + tid + "/v2.0",
		"https://login.microsoftonline.com/../../evil/v2.0",
		"https://login.microsoftonline.com/" + tid + "/v2.0?x=1",
		"https://user@login.microsoftonline.com/" + tid + "/v2.0",
		"https://login.microsoftonline.com/a%2Fb/v2.0",
		"https://login.microsoftonline.com/a/b/c/v2.0",
		"https://contoso.b2clogin.com/" + tid + "/v2.0/",
		"https://login.microsoftonline.com/",
		"not a url",
		"",
	}
	for _, iss := range bad {
		t.Run(iss, func(t *testing.T) {
			if got, err := MetadataURL(TokenIssuer{Issuer: iss}, "", p); err == nil {
				t.Errorf("MetadataURL(%q) = %s, want an error", iss, got)
			}
		})
	}
}

func TestCandidatesKeepsEveryMatchInOrder(t *testing.T) {
	set := &KeySet{Keys: []Key{{ID: "x", Issuer: "1"}, {ID: "y"}, {ID: "x", Issuer: "3"}, {ID: "z", Thumbprint: "x"}, {ID: "w", Thumbprint: "t"}}}
	issuers := func(keys []Key) string {
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k.ID + k.Issuer + ",")
		}
		return b.String()
	}
	for _, tc := range []struct{ kid, x5t, want string }{
		{"x", "", "x1,x3,z,"},
		{"y", "", "y,"},
		{"", "t", "w,"},
		{"", "x", "x1,x3,z,"},
		{"q", "", ""},
		{"", "", "x1,y,x3,z,w,"},
	} {
		got := set.Candidates(tc.kid, tc.x5t)
		if issuers(got) != tc.want {
			t.Errorf("Candidates(%q, %q) = %s, want %s", tc.kid, tc.x5t, issuers(got), tc.want)
		}
		if tc.kid != "" || tc.x5t != "" {
			_ = append(got, Key{ID: "appended"}) // must not overwrite the set
		}
	}
	if set.Keys[2].Issuer != "3" || set.Keys[1].ID != "y" {
		t.Error("appending to candidates changed the key set")
	}
}
