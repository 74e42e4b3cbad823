package token

import (
	"errors"
	"fmt"
)

// CheckCode is the machine-readable outcome of a check that did not pass:
// commands map codes to hints, tests match codes, not prose.
type CheckCode string

// Check codes. A passed check has no code.
const (
	CodeUnsigned          CheckCode = "unsigned"           // alg none or missing
	CodeAlgorithmHMAC     CheckCode = "algorithm_hmac"     // HS*: algorithm confusion
	CodeAlgorithm         CheckCode = "algorithm"          // any other algorithm but RS256
	CodeAlgorithmRejected CheckCode = "algorithm_rejected" // not checked: the algorithm failed first
	CodeNoKeySource       CheckCode = "no_key_source"      // the caller gave no key source
	CodeKeysUnavailable   CheckCode = "keys_unavailable"   // network failure, or offline with nothing cached
	CodeUntrustedIssuer   CheckCode = "untrusted_issuer"   // discovery refused: the issuer's host is not trusted
	CodeIssuerCap         CheckCode = "issuer_cap"         // past the run's cap on discovered issuers
	CodeNoKeys            CheckCode = "no_keys"            // another failure to get keys
	CodeUnknownKid        CheckCode = "unknown_kid"        // no key with the token's kid
	CodeNoKey             CheckCode = "no_key"             // not checked: no key to check with
	CodeBadSignature      CheckCode = "bad_signature"
	CodeKeyIssuer         CheckCode = "key_issuer" // the key signs for another issuer
	CodeNoClock           CheckCode = "no_clock"   // the caller gave no evaluation instant
	CodeNoExpiry          CheckCode = "no_expiry"
	CodeBadTime           CheckCode = "bad_time" // exp or nbf is not a JSON number
	CodeExpired           CheckCode = "expired"
	CodeNotYetValid       CheckCode = "not_yet_valid"
	CodeIssuer            CheckCode = "issuer"
	CodeIssuerNotPinned   CheckCode = "issuer_not_pinned"
	CodeAudience          CheckCode = "audience"
	CodeAudienceNotPinned CheckCode = "audience_not_pinned"
	CodeMalformed         CheckCode = "malformed" // duplicate members, crit, b64
)

// Sentinel errors, as golang-jwt has them: Verification.Err wraps one per
// failed check, so callers test with errors.Is.
var (
	// ErrTokenUnverifiable: the token could not be judged (no keys, no key
	// source, no clock). It is not a verdict on the token.
	ErrTokenUnverifiable    = errors.New("token could not be verified")
	ErrTokenMalformed       = errors.New("token is malformed")
	ErrAlgorithmRejected    = errors.New("signing algorithm rejected")
	ErrKeyNotFound          = errors.New("no signing key found")
	ErrSignatureInvalid     = errors.New("signature is invalid")
	ErrKeyIssuerMismatch    = errors.New("signing key belongs to another issuer")
	ErrTokenExpired         = errors.New("token is expired")
	ErrTokenNotValidYet     = errors.New("token is not valid yet")
	ErrTokenRequiredMissing = errors.New("token is missing a required claim")
	ErrIssuerInvalid        = errors.New("token has an invalid issuer")
	ErrAudienceInvalid      = errors.New("token has an invalid audience")
)

// sentinel maps a failed check's code to its sentinel error.
func (c CheckCode) sentinel() error {
	switch c {
	case CodeNoKeySource, CodeKeysUnavailable, CodeIssuerCap, CodeNoClock:
		return ErrTokenUnverifiable
	case CodeUnsigned, CodeAlgorithmHMAC, CodeAlgorithm:
		return ErrAlgorithmRejected
	case CodeUntrustedIssuer, CodeNoKeys, CodeUnknownKid:
		return ErrKeyNotFound
	case CodeBadSignature:
		return ErrSignatureInvalid
	case CodeKeyIssuer:
		return ErrKeyIssuerMismatch
	case CodeExpired:
		return ErrTokenExpired
	case CodeNotYetValid:
		return ErrTokenNotValidYet
	case CodeNoExpiry:
		return ErrTokenRequiredMissing
	case CodeIssuer:
		return ErrIssuerInvalid
	case CodeAudience:
		return ErrAudienceInvalid
	}
	return ErrTokenMalformed
}

// CheckError is one failed check as an error: it matches its sentinel with
// errors.Is and carries the check for errors.As.
type CheckError struct{ Check Check }

func (e *CheckError) Error() string { return e.Check.Name + ": " + e.Check.Detail }

// Unwrap returns the check's sentinel error.
func (e *CheckError) Unwrap() error { return e.Check.Code.sentinel() }

// Err returns nil when the token is valid, else an error joining one
// CheckError per failed check (errors.Is(err, ErrTokenExpired), and so on).
func (v *Verification) Err() error {
	if v.Valid {
		return nil
	}
	var errs []error
	for _, c := range v.Failed() {
		errs = append(errs, &CheckError{Check: c})
	}
	if len(errs) == 0 { // cannot happen: not valid means a check failed
		return fmt.Errorf("%w: no check passed", ErrTokenUnverifiable)
	}
	return errors.Join(errs...)
}

// Unverifiable reports whether the token was not judged at all: every
// failed check is one the caller or the network caused (no keys, no key
// source, no clock), not the token. Such a result is "cannot verify", never
// "not valid".
func (v *Verification) Unverifiable() bool {
	failed := v.Failed()
	if len(failed) == 0 {
		return false
	}
	for _, c := range failed {
		if c.Code.sentinel() != ErrTokenUnverifiable {
			return false
		}
	}
	return true
}
