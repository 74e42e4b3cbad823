package token

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/rs256"
)

// VerifySignature reports whether sig is a valid RS256 signature over input
// with a trusted key. It is the one place a signature is checked, whatever
// the signing input (plain, or Graph's transformed header): through
// golang-jwt, with the key prepared once when its set was loaded
// (rs256.SigningMethod, whose key type is the prepared key).
func VerifySignature(input string, sig []byte, k *entra.Key) bool {
	return rs256.SigningMethod.Verify(input, sig, k.RS256Verifier()) == nil
}

// GraphSigningInput returns the input Microsoft Graph tokens are signed over:
// the header with its nonce value replaced by base64url(SHA-256(nonce)),
// spliced into the original header bytes (never re-marshalled: member order
// and spacing are what was signed), then ".payload". It refuses (false) a
// header whose nonce is repeated, is not a string, or holds JSON escapes:
// the bytes that were hashed would then be ambiguous.
func GraphSigningInput(t *Token) (string, bool) {
	if t.Header == nil || !t.Header.Has("nonce") || t.Alg() != "RS256" {
		return "", false
	}
	for _, d := range t.Header.Duplicates {
		if d == "nonce" {
			return "", false
		}
	}
	signing := t.SigningInput()
	dot := strings.IndexByte(signing, '.')
	if dot < 0 {
		return "", false
	}
	raw, err := decodeSegment(signing[:dot])
	if err != nil {
		return "", false
	}
	hdr, err := parseObject(raw)
	if err != nil {
		return "", false
	}
	i := hdr.find("nonce")
	if i < 0 {
		return "", false
	}
	m := hdr.members[i]
	val := hdr.text[m.start:m.end]
	if len(val) < 2 || val[0] != '"' || strings.IndexByte(val, '\\') >= 0 {
		return "", false
	}
	// hdr.text is raw with JSON whitespace trimmed from both ends.
	lead := len(raw) - len(strings.TrimLeft(string(raw), " \t\r\n"))
	start, end := lead+int(m.start)+1, lead+int(m.end)-1 // inside the quotes
	sum := sha256.Sum256(raw[start:end])
	hashed := base64.RawURLEncoding.EncodeToString(sum[:])
	spliced := make([]byte, 0, len(raw)-(end-start)+len(hashed))
	spliced = append(spliced, raw[:start]...)
	spliced = append(spliced, hashed...)
	spliced = append(spliced, raw[end:]...)
	return base64.RawURLEncoding.EncodeToString(spliced) + signing[dot:], true
}
