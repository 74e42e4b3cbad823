package entra

import (
	"testing"
)

func FuzzParseJWKS(f *testing.F) {
	f.Add([]byte(`{"keys":[{"kty":"RSA","use":"sig","kid":"a","n":"xjlCRBqkOaO9hzM7Uq3Zy1cF0t9v3pqoFv1NwUQ9jE8","e":"AQAB"}]}`))
	f.Add([]byte(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"},{"kty":"RSA","x5c":["MIIB"]}]}`))
	f.Add([]byte(`{"keys":[1,"x",null,{"kid":5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseJWKS(data)
		if err != nil {
			return
		}
		for _, k := range set.Keys {
			if k.Public == nil || k.Public.N.BitLen() < MinRSABits || k.Public.E < 3 {
				t.Fatalf("an unusable key was accepted: %+v", k)
			}
		}
		_ = set.Candidates("a", "")
		_ = set.Candidates("", "")
	})
}
