package rs256

import (
	"github.com/golang-jwt/jwt/v5"
)

// SigningMethod is RS256 for golang-jwt with prepared keys: Verify takes a
// *PublicKey, Sign an *rsa.PrivateKey (as jwt.SigningMethodRS256 does). It is
// deliberately not registered with jwt.RegisterSigningMethod: callers name it,
// and golang-jwt's own RS256 stays what it is.
var SigningMethod jwt.SigningMethod = signingMethod{}

type signingMethod struct{}

// Alg is "RS256".
func (signingMethod) Alg() string { return "RS256" }

// Verify checks sig over signingString with key, a *PublicKey.
func (signingMethod) Verify(signingString string, sig []byte, key any) error {
	k, ok := key.(*PublicKey)
	if !ok || k == nil {
		return jwt.ErrInvalidKeyType
	}
	return k.Verify(signingString, sig)
}

// Sign signs with an *rsa.PrivateKey, exactly as jwt.SigningMethodRS256.
func (signingMethod) Sign(signingString string, key any) ([]byte, error) {
	return jwt.SigningMethodRS256.Sign(signingString, key)
}
