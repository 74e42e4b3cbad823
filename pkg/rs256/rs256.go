// Package rs256 verifies RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures
// with public keys prepared once.
//
// crypto/rsa rebuilds a public key's Montgomery modulus on every call to
// rsa.VerifyPKCS1v15, about a third of a 2048-bit verification; no public
// API of the standard library keeps it. A PublicKey does that work once, when
// a key set is loaded, and then checks signatures with the same arithmetic
// the standard library uses (filippo.io/bigmod is its crypto/internal
// bigmod, re-exported by its author), as RFC 8017 §8.2.2 prescribes: the
// signature must be exactly as long as the modulus and less than it, and s^e
// mod n must equal the EMSA-PKCS1-v1_5 encoding of the SHA-256 digest in
// full. Keys whose exponent is not 65537 are checked by crypto/rsa itself.
//
// SigningMethod plugs the prepared keys into golang-jwt, so a token's
// signature has one verification path whatever its signing input.
package rs256

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"

	"filippo.io/bigmod"
)

// ErrVerification is returned for any signature that does not verify.
var ErrVerification = errors.New("rs256: verification error")

// fastExponent is the public exponent the prepared path handles; Entra's
// keys (and nearly all others) use it.
const fastExponent = 65537

// sha256Prefix is the DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1).
var sha256Prefix = [...]byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}

// PublicKey is an RSA public key prepared for RS256 verification. It is
// immutable once made and safe for concurrent use.
type PublicKey struct {
	pub *rsa.PublicKey
	// n is the prepared modulus; nil when e is not 65537 (crypto/rsa checks
	// such keys).
	n *bigmod.Modulus
	// size is the modulus length in bytes (k in RFC 8017).
	size int
	// emPrefix is the encoded message up to the digest:
	// 0x00 0x01 0xff… 0x00 DigestInfo-prefix, size-32 bytes.
	emPrefix []byte
}

// NewPublicKey prepares pub. It fails for a key crypto/rsa would refuse to
// verify with (no modulus, an even modulus, an exponent under 2, even, or
// over 2³¹-1) and for a modulus too short to hold an RS256 signature.
func NewPublicKey(pub *rsa.PublicKey) (*PublicKey, error) {
	if pub == nil || pub.N == nil || pub.N.Sign() <= 0 {
		return nil, errors.New("rs256: missing public modulus")
	}
	if pub.N.Bit(0) == 0 {
		return nil, errors.New("rs256: public modulus is even")
	}
	if pub.E < 2 || pub.E&1 == 0 || pub.E > 1<<31-1 {
		return nil, fmt.Errorf("rs256: public exponent %d is not usable", pub.E)
	}
	k := &PublicKey{pub: pub, size: (pub.N.BitLen() + 7) / 8}
	tLen := len(sha256Prefix) + sha256.Size
	if k.size < tLen+11 {
		return nil, errors.New("rs256: modulus too short for an RS256 signature")
	}
	if pub.E != fastExponent {
		return k, nil
	}
	n, err := bigmod.NewModulus(pub.N.Bytes())
	if err != nil {
		return nil, fmt.Errorf("rs256: preparing the modulus: %w", err)
	}
	k.n = n
	em := make([]byte, k.size-sha256.Size)
	em[1] = 0x01
	ps := em[2 : k.size-tLen-1]
	for i := range ps {
		ps[i] = 0xff
	}
	copy(em[k.size-tLen:], sha256Prefix[:])
	k.emPrefix = em
	return k, nil
}

// Public returns the key as crypto/rsa holds it.
func (k *PublicKey) Public() *rsa.PublicKey { return k.pub }

// Size is the modulus length in bytes: an RS256 signature's exact length.
func (k *PublicKey) Size() int { return k.size }

// VerifyDigest checks an RS256 signature over a SHA-256 digest; it answers
// exactly as rsa.VerifyPKCS1v15(k.Public(), crypto.SHA256, digest, sig) does,
// nil or an error.
func (k *PublicKey) VerifyDigest(digest, sig []byte) error {
	if k.n == nil {
		if rsa.VerifyPKCS1v15(k.pub, crypto.SHA256, digest, sig) != nil {
			return ErrVerification
		}
		return nil
	}
	// RFC 8017 §8.2.2 step 1: the signature is exactly k octets long.
	if len(digest) != sha256.Size || len(sig) != k.size {
		return ErrVerification
	}
	// Step 2.a and 2.b: s is an integer under n (SetBytes refuses s ≥ n).
	s, err := bigmod.NewNat().SetBytes(sig, k.n)
	if err != nil {
		return ErrVerification
	}
	// Step 2.b: m = s^e mod n, as k octets; step 3 and 4: compared in full
	// with EMSA-PKCS1-v1_5-ENCODE(M).
	em := s.ExpShortVarTime(s, fastExponent, k.n).Bytes(k.n)
	split := len(k.emPrefix)
	if !bytes.Equal(em[:split], k.emPrefix) || !bytes.Equal(em[split:], digest) {
		return ErrVerification
	}
	return nil
}

// Verify checks an RS256 signature over a signing input (for a JWT, the
// ASCII of base64url(header) "." base64url(payload)).
func (k *PublicKey) Verify(signingInput string, sig []byte) error {
	// Hashed through a stack buffer: []byte(signingInput) would copy the
	// whole token to the heap on every check.
	h := sha256.New()
	var chunk [512]byte
	for s := signingInput; len(s) > 0; {
		n := copy(chunk[:], s)
		h.Write(chunk[:n])
		s = s[n:]
	}
	var d [sha256.Size]byte
	return k.VerifyDigest(h.Sum(d[:0]), sig)
}
