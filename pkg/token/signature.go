package token

import (
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/rs256"
)

// VerifySignature checks an RS256 signature over signingInput with a trusted
// key, through golang-jwt with the key prepared when its set was loaded
// (rs256.SigningMethod). It is the one signature check of every verification;
// callers with another signing input (a Graph token's transformed nonce) pass
// that input here.
func VerifySignature(signingInput string, sig []byte, k *entra.Key) error {
	return rs256.SigningMethod.Verify(signingInput, sig, k.RS256Verifier())
}
