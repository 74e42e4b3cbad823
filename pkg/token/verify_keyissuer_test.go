package token

import (
	"testing"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

// The per-key issuer rule, as Microsoft.IdentityModel applies it (§2.1): a
// v1 token (sts.windows.net) verified with a v2 key whose issuer names the
// same tenant passes; another tenant's key does not.
func TestVerifyKeyIssuerV1Token(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	other := "11111111-1111-1111-1111-111111111111"
	cases := []struct {
		name      string
		keyIssuer string
		iss       string
		valid     bool
	}{
		{"v1 token, templated v2 key", "https://login.microsoftonline.com/{tenantid}/v2.0", "https://sts.windows.net/" + vTenant + "/", true},
		{"v1 token, concrete v2 key of its tenant", "https://login.microsoftonline.com/" + vTenant + "/v2.0", "https://sts.windows.net/" + vTenant + "/", true},
		{"v1 token, v2 key of another tenant", "https://login.microsoftonline.com/" + other + "/v2.0", "https://sts.windows.net/" + vTenant + "/", false},
		{"v2 token, v2 key of another tenant", "https://login.microsoftonline.com/" + other + "/v2.0", "https://login.microsoftonline.com/" + vTenant + "/v2.0", false},
		{"v1 token, v2 key on another cloud", "https://login.microsoftonline.us/" + vTenant + "/v2.0", "https://sts.windows.net/" + vTenant + "/", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			set, err := entra.ParseJWKS(testjwt.JWKS(t, key.JWK(map[string]any{"issuer": tc.keyIssuer})))
			if err != nil {
				t.Fatal(err)
			}
			tok := key.SignClaims(t, claims(map[string]any{"iss": tc.iss, "ver": "1.0"}))
			v := verify(t, tok, VerifyOptions{Keys: StaticKeys{Set: set}})
			if v.Valid != tc.valid {
				t.Fatalf("valid %v, want %v: %s", v.Valid, tc.valid, v.Error)
			}
			if !tc.valid && !hasCode(v, CodeKeyIssuer) {
				t.Errorf("want code %s: %+v", CodeKeyIssuer, v.Checks)
			}
		})
	}
}

// A key set with an odd alg label still verifies, and the report says so.
func TestVerifyOddKeyNoted(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	set, err := entra.ParseJWKS(testjwt.JWKS(t, key.JWK(map[string]any{"alg": "SHA256", "key_ops": []string{"signing"}})))
	if err != nil || len(set.Keys) != 1 {
		t.Fatalf("%v %+v", err, set)
	}
	v := verify(t, key.SignClaims(t, claims(nil)), VerifyOptions{Keys: StaticKeys{Set: set}})
	if !v.Valid || len(v.Warnings) < 2 {
		t.Fatalf("valid %v warnings %q", v.Valid, v.Warnings)
	}
}
