package entra

import (
	"crypto/rsa"

	"github.com/azid-cli/azid/pkg/rs256"
)

// PrepareKey makes a Key of a trusted public key, prepared once for RS256
// verification. It returns a reason instead when the key cannot verify
// RS256 signatures at all.
func PrepareKey(pub *rsa.PublicKey) (Key, string) {
	v, err := rs256.NewPublicKey(pub)
	if err != nil {
		return Key{}, "the RSA key cannot verify RS256 signatures"
	}
	return Key{Public: pub, Verifier: v}, ""
}

// RS256Verifier returns the key prepared for RS256 verification, preparing
// it now when the Key was not made by ParseJWKS or PrepareKey (nil when it
// cannot verify RS256 signatures).
func (k *Key) RS256Verifier() *rs256.PublicKey {
	if k.Verifier != nil || k.Public == nil {
		return k.Verifier
	}
	v, _ := rs256.NewPublicKey(k.Public)
	return v
}
