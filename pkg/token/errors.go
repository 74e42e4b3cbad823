// Package token parses JSON Web Tokens without trusting them, classifies
// Entra ID tokens, explains their claims and verifies them.
package token

import (
	"errors"
	"fmt"
)

// MaxTokenSize is the largest input azid reads as a token (256 KiB).
// Larger input is rejected before any decoding.
const MaxTokenSize = 256 << 10

// Errors for input that is not a readable JWT. Each message is one line,
// names the problem and never contains the token.
var (
	ErrEmpty     = errors.New("no token given: pass one as an argument or on standard input")
	ErrTooLarge  = fmt.Errorf("input is over %d KiB: not a token azid will decode", MaxTokenSize>>10)
	ErrBinary    = errors.New("input is binary data, not a token")
	ErrEncrypted = errors.New("encrypted token (JWE, five segments): only its intended recipient can read it")
)

// MalformedError says why input is not a well-formed JWT.
type MalformedError struct {
	// Part is "token", "header", "payload" or "signature".
	Part   string
	Reason string
}

func (e *MalformedError) Error() string {
	if e.Part == "token" {
		return "not a JWT: " + e.Reason
	}
	return fmt.Sprintf("malformed token: %s %s", e.Part, e.Reason)
}

// IsInputError reports whether err means the input was not a readable token.
func IsInputError(err error) bool {
	var m *MalformedError
	return errors.As(err, &m) || errors.Is(err, ErrEmpty) || errors.Is(err, ErrTooLarge) ||
		errors.Is(err, ErrBinary) || errors.Is(err, ErrEncrypted)
}
