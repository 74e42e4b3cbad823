package entra

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/azid-cli/azid/pkg/rs256"
)

// MaxJWKSSize bounds a key set or discovery document azid will read (1 MiB).
const MaxJWKSSize = 1 << 20

// MinRSABits is the smallest RSA key azid trusts.
const MinRSABits = 2048

// Key is one usable RSA signing key from a key set.
type Key struct {
	ID         string
	Thumbprint string // x5t
	Alg        string // may be empty: Entra publishes no alg
	// Issuer is Entra's non-standard per-key issuer (may hold {tenantid}).
	Issuer string
	Public *rsa.PublicKey
	// Verifier is Public prepared for RS256 verification, once, when the
	// set is parsed (see PrepareKey).
	Verifier *rs256.PublicKey
	// Notes say what was odd about the key but did not stop its use (an
	// unregistered alg label, a non-standard key_ops word), for the report.
	Notes []string
}

// SkippedKey is a key the set holds that azid will not use, and why.
type SkippedKey struct {
	ID     string `json:"kid,omitempty"`
	Reason string `json:"reason"`
}

// KeySet is a parsed JWKS: the keys azid trusts for RS256, and the rest.
type KeySet struct {
	Keys    []Key
	Skipped []SkippedKey
}

type rawJWK struct {
	Kty    string   `json:"kty"`
	Use    string   `json:"use"`
	Alg    string   `json:"alg"`
	Kid    any      `json:"kid"`
	X5t    string   `json:"x5t"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X5c    []string `json:"x5c"`
	Issuer string   `json:"issuer"`
	KeyOps []string `json:"key_ops"`
}

// ParseJWKS reads a JSON Web Key Set. It is liberal in what it accepts
// (a bare JWK, keys given only as an x5c certificate, padded base64, unknown
// members, keys of other types, which are skipped with a reason) and strict
// in what it trusts (RSA keys of at least 2048 bits, meant for signatures).
func ParseJWKS(data []byte) (*KeySet, error) {
	if len(data) > MaxJWKSSize {
		return nil, fmt.Errorf("key set is over %d KiB", MaxJWKSSize>>10)
	}
	data = bytes.TrimSpace(data)
	var doc struct {
		Keys json.RawMessage `json:"keys"`
		Kty  string          `json:"kty"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, errors.New("key set is not a JSON object")
	}
	var raws []json.RawMessage
	switch {
	case len(doc.Keys) > 0 && doc.Keys[0] == '[':
		if err := json.Unmarshal(doc.Keys, &raws); err != nil {
			return nil, errors.New(`key set "keys" is not an array of objects`)
		}
	case doc.Kty != "":
		raws = []json.RawMessage{data} // a single JWK
	default:
		return nil, errors.New(`key set has no "keys" array`)
	}
	set := &KeySet{}
	for i, raw := range raws {
		j, err := decodeJWK(raw)
		if err != nil {
			set.Skipped = append(set.Skipped, SkippedKey{ID: fmt.Sprintf("#%d", i), Reason: "not a JSON object with the usual members"})
			continue
		}
		kid := ""
		switch v := j.Kid.(type) {
		case string:
			kid = v
		case float64:
			kid = fmt.Sprint(v)
		}
		key, reason := parseRSAJWK(j)
		if reason != "" {
			set.Skipped = append(set.Skipped, SkippedKey{ID: kid, Reason: reason})
			continue
		}
		key.ID, key.Thumbprint, key.Alg, key.Issuer = kid, j.X5t, j.Alg, j.Issuer
		key.Notes = keyNotes(j)
		set.Keys = append(set.Keys, key)
	}
	return set, nil
}

func parseRSAJWK(j rawJWK) (Key, string) {
	if j.Kty != "RSA" {
		return Key{}, fmt.Sprintf("key type %q is not RSA", j.Kty)
	}
	if j.Use != "" && j.Use != "sig" {
		return Key{}, fmt.Sprintf("use %q is not sig", j.Use)
	}
	// Liberal like Microsoft.IdentityModel: only a registered JWA name other
	// than RS256 rules a key out; an unregistered label ("SHA256", as in
	// Microsoft's own test key sets) is noted, not fatal.
	if j.Alg != "" && j.Alg != "RS256" && registeredAlgs[j.Alg] {
		return Key{}, fmt.Sprintf("alg %q is not RS256", j.Alg)
	}
	// key_ops rules a key out only when every word is a registered
	// operation and none is verify; a non-standard word ("signing") is noted.
	if len(j.KeyOps) > 0 && !contains(j.KeyOps, "verify") && !hasUnregisteredOp(j.KeyOps) {
		return Key{}, "key_ops does not allow verify"
	}
	var pub *rsa.PublicKey
	switch {
	case j.N != "" && j.E != "":
		n, err1 := b64uint(j.N)
		e, err2 := b64uint(j.E)
		if err1 != nil || err2 != nil {
			return Key{}, "n or e is not valid base64url"
		}
		if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
			return Key{}, "exponent e is out of range"
		}
		pub = &rsa.PublicKey{N: n, E: int(e.Int64())}
	case len(j.X5c) > 0:
		der, err := base64.StdEncoding.DecodeString(j.X5c[0])
		if err != nil {
			return Key{}, "x5c certificate is not valid base64"
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return Key{}, "x5c certificate cannot be parsed"
		}
		rsaPub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return Key{}, "x5c certificate does not hold an RSA key"
		}
		pub = rsaPub
	default:
		return Key{}, "RSA key without n and e"
	}
	if pub.N.Sign() <= 0 || pub.N.Bit(0) == 0 {
		return Key{}, "modulus n is not a valid RSA modulus"
	}
	if bits := pub.N.BitLen(); bits < MinRSABits {
		return Key{}, fmt.Sprintf("RSA key of %d bits is too weak (minimum %d)", bits, MinRSABits)
	} else if bits > 8192 {
		return Key{}, fmt.Sprintf("RSA key of %d bits is larger than azid accepts", bits)
	}
	return PrepareKey(pub)
}

// registeredAlgs are the JWS and JWE algorithm names of the IANA JOSE
// registry (RFC 7518, RFC 8037, RFC 8812).
var registeredAlgs = map[string]bool{
	"HS256": true, "HS384": true, "HS512": true, "RS256": true, "RS384": true, "RS512": true,
	"ES256": true, "ES384": true, "ES512": true, "ES256K": true, "PS256": true, "PS384": true, "PS512": true,
	"none": true, "EdDSA": true, "Ed25519": true, "Ed448": true,
	"RSA1_5": true, "RSA-OAEP": true, "RSA-OAEP-256": true, "RSA-OAEP-384": true, "RSA-OAEP-512": true,
	"A128KW": true, "A192KW": true, "A256KW": true, "dir": true,
	"ECDH-ES": true, "ECDH-ES+A128KW": true, "ECDH-ES+A192KW": true, "ECDH-ES+A256KW": true,
	"A128GCMKW": true, "A192GCMKW": true, "A256GCMKW": true,
	"PBES2-HS256+A128KW": true, "PBES2-HS384+A192KW": true, "PBES2-HS512+A256KW": true,
}

// registeredOps are the key_ops values of RFC 7517 §4.3.
var registeredOps = map[string]bool{"sign": true, "verify": true, "encrypt": true, "decrypt": true,
	"wrapKey": true, "unwrapKey": true, "deriveKey": true, "deriveBits": true}

func hasUnregisteredOp(ops []string) bool {
	for _, op := range ops {
		if !registeredOps[op] {
			return true
		}
	}
	return false
}

func keyNotes(j rawJWK) []string {
	var notes []string
	if j.Alg != "" && j.Alg != "RS256" {
		notes = append(notes, fmt.Sprintf("alg %q is not a registered algorithm name: read as an RSA signing key (as Microsoft.IdentityModel does)", j.Alg))
	}
	if len(j.KeyOps) > 0 && !contains(j.KeyOps, "verify") {
		notes = append(notes, fmt.Sprintf("key_ops %q holds no registered operation allowing verify, but a non-standard word: read as a signing key", j.KeyOps))
	}
	return notes
}

// decodeJWK reads one JWK with member names matched exactly (RFC 7517 names
// are case-sensitive; encoding/json's struct decoding is not, so "Use" would
// pass for "use"). A member of an unexpected type is treated as absent,
// except kid, which may be a number.
func decodeJWK(raw []byte) (rawJWK, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return rawJWK{}, errors.New("not an object")
	}
	var j rawJWK
	str := func(name string) string {
		var s string
		if v, ok := m[name]; ok {
			_ = json.Unmarshal(v, &s)
		}
		return s
	}
	strs := func(name string) []string {
		var l []string
		if v, ok := m[name]; ok {
			_ = json.Unmarshal(v, &l)
		}
		return l
	}
	j.Kty, j.Use, j.Alg, j.X5t, j.N, j.E, j.Issuer = str("kty"), str("use"), str("alg"), str("x5t"), str("n"), str("e"), str("issuer")
	j.X5c, j.KeyOps = strs("x5c"), strs("key_ops")
	if v, ok := m["kid"]; ok {
		_ = json.Unmarshal(v, &j.Kid)
	}
	return j, nil
}

func b64uint(s string) (*big.Int, error) {
	s = strings.TrimRight(s, "=")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		// some publishers use standard base64
		if b, err = base64.RawStdEncoding.DecodeString(s); err != nil {
			return nil, err
		}
	}
	if len(b) == 0 {
		return nil, errors.New("empty")
	}
	return new(big.Int).SetBytes(b), nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// Candidates returns the keys that may have signed a token with the given
// kid and x5t: those with that ID (or thumbprint); every key when the token
// names none.
func (s *KeySet) Candidates(kid, x5t string) []Key {
	if kid == "" && x5t == "" {
		return s.Keys
	}
	match := func(k *Key) bool {
		if kid != "" {
			return k.ID == kid || k.Thumbprint == kid
		}
		return k.ID == x5t || k.Thumbprint == x5t
	}
	first, last, n := -1, -1, 0
	for i := range s.Keys {
		if match(&s.Keys[i]) {
			if first < 0 {
				first = i
			}
			last, n = i, n+1
		}
	}
	if n == 0 {
		return nil
	}
	if last-first+1 == n { // one run of keys (the usual single match): no copy
		return s.Keys[first : last+1 : last+1]
	}
	out := make([]Key, 0, n)
	for i := range s.Keys {
		if match(&s.Keys[i]) {
			out = append(out, s.Keys[i])
		}
	}
	return out
}

// IDs lists the key IDs in the set, for messages.
func (s *KeySet) IDs() []string {
	ids := make([]string, 0, len(s.Keys))
	for _, k := range s.Keys {
		ids = append(ids, k.ID)
	}
	return ids
}
