package entra

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

func oddKey(t *testing.T, extra map[string]any) map[string]any {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{"kty": "RSA", "kid": "k", "n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes())}
	for n, v := range extra {
		m[n] = v
	}
	return m
}

// Key sets the way real publishers write them: Microsoft's own test sets
// carry "alg": "SHA256" and key_ops ["signing"]; member names are exact.
func TestParseJWKSRealWorldMembers(t *testing.T) {
	cases := []struct {
		name   string
		extra  map[string]any
		usable bool
		note   string // in Key.Notes, or in the skip reason
	}{
		{"unregistered alg label SHA256", map[string]any{"use": "sig", "alg": "SHA256"}, true, `alg "SHA256" is not a registered`},
		{"non-standard key_ops signing", map[string]any{"use": "sig", "key_ops": []string{"signing"}}, true, `key_ops ["signing"]`},
		{"registered other alg", map[string]any{"use": "sig", "alg": "RS512"}, false, `alg "RS512" is not RS256`},
		{"encryption alg", map[string]any{"alg": "RSA-OAEP"}, false, `alg "RSA-OAEP"`},
		{"key_ops encrypt only", map[string]any{"key_ops": []string{"encrypt", "wrapKey"}}, false, "key_ops does not allow verify"},
		{"key_ops verify", map[string]any{"key_ops": []string{"verify"}}, true, ""},
		{"Use is not use", map[string]any{"Use": "enc"}, true, ""},
		{"use enc and Use sig", map[string]any{"use": "enc", "Use": "sig"}, false, `use "enc" is not sig`},
		{"Kty is not kty", map[string]any{"kty": nil, "Kty": "RSA"}, false, "is not RSA"},
		{"ALG is not alg", map[string]any{"ALG": "HS256"}, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := oddKey(t, tc.extra)
			for n, v := range tc.extra {
				if v == nil {
					delete(k, n)
				}
			}
			doc, _ := json.Marshal(map[string]any{"keys": []any{k}})
			set, err := ParseJWKS(doc)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(set.Keys) == 1; got != tc.usable {
				t.Fatalf("usable %v, want %v (skipped %+v)", got, tc.usable, set.Skipped)
			}
			text := ""
			if tc.usable {
				text = strings.Join(set.Keys[0].Notes, "; ")
			} else {
				text = set.Skipped[0].Reason
			}
			if tc.note == "" && text != "" || !strings.Contains(text, tc.note) {
				t.Errorf("report %q, want %q", text, tc.note)
			}
		})
	}
}
