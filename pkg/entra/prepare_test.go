package entra

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"os"
	"testing"
)

// TestKeySetKeysArePrepared checks that every trusted key of a parsed set
// comes prepared for RS256, and verifies with it.
func TestKeySetKeysArePrepared(t *testing.T) {
	data, err := os.ReadFile("testdata/entra-common-v2-keys.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseJWKS(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Keys {
		if k.Verifier == nil || k.Verifier.Public() != k.Public || k.RS256Verifier() != k.Verifier {
			t.Errorf("key %s is not prepared", k.ID)
		}
	}
	priv := rsaKey(t, 2048)
	s, err = ParseJWKS(set(jwk(&priv.PublicKey, nil)))
	if err != nil || len(s.Keys) != 1 {
		t.Fatalf("%v %+v", err, s)
	}
	d := sha256.Sum256([]byte("a.b"))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Keys[0].Verifier.Verify("a.b", sig); err != nil {
		t.Fatalf("prepared key: %v", err)
	}
	// A Key made by hand is prepared when first asked for.
	hand := Key{ID: "hand", Public: &priv.PublicKey}
	if v := hand.RS256Verifier(); v == nil || v.Verify("a.b", sig) != nil {
		t.Fatal("a hand-made key did not verify")
	}
	if v := (&Key{ID: "none"}).RS256Verifier(); v != nil {
		t.Fatal("a key without a public key has a verifier")
	}
}
