package token

import "strings"

// Found is a JWT found inside other text by Scan.
type Found struct {
	// Token is the compact token: always a substring of the text scanned.
	Token string
	// Offset is where Token starts in the text.
	Offset int
	// Label is the name written just before the token, if any: the header
	// name of "X-MS-TOKEN-AAD-ID-TOKEN: eyJ…", the key of "access_token":
	// "eyJ…", the word of "token=eyJ…", "Authorization" for "Authorization:
	// Bearer eyJ…".
	Label string
}

// maxScanned bounds how many tokens Scan reports, whatever the input.
const maxScanned = 64

// Scan finds the compact JWTs (and JWEs) written inside text: a run of
// base64url characters and dots that starts with "eyJ" (the encoding of a
// JSON header's `{"`), is not part of a longer word, and has three segments
// (five for an encrypted token), the second not empty. A trailing dot, as at
// the end of a sentence, is not part of the token. Each distinct token is
// reported once, in the order of its first appearance.
func Scan(text string) []Found {
	var out []Found
	seen := map[string]bool{}
	for i := 0; i < len(text) && len(out) < maxScanned; {
		k := strings.Index(text[i:], "eyJ")
		if k < 0 {
			break
		}
		start := i + k
		if start > 0 && isTokenChar(text[start-1]) {
			// inside a longer run (a payload segment, a word): skip the run
			i = start + 3
			for i < len(text) && isTokenChar(text[i]) {
				i++
			}
			continue
		}
		end := start
		for end < len(text) && isTokenChar(text[end]) {
			end++
		}
		i = end
		cand := text[start:end]
		dots := strings.Count(cand, ".")
		if (dots == 3 || dots == 5) && cand[len(cand)-1] == '.' {
			cand, dots = cand[:len(cand)-1], dots-1
		}
		if dots != 2 && dots != 4 {
			continue
		}
		if seg := strings.SplitN(cand, ".", 3); seg[1] == "" {
			continue
		}
		if seen[cand] {
			continue
		}
		seen[cand] = true
		out = append(out, Found{Token: cand, Offset: start, Label: labelBefore(text[:start])})
	}
	return out
}

// isTokenChar reports whether c may appear in a compact JWT.
func isTokenChar(c byte) bool { return c < 0x80 && compactChars[c] == '1' }

// labelBefore returns the name written just before a token: it skips
// quotes, '=', ':', spaces and a "Bearer" word, then takes the identifier
// (letters, digits, '-', '_', '.') before them, on the same line.
func labelBefore(s string) string {
	const maxLook = 200
	if len(s) > maxLook {
		s = s[len(s)-maxLook:]
	}
	skip := func() {
		s = strings.TrimRight(s, " \t\"'`=:")
	}
	skip()
	if n := len(s); n >= 6 && strings.EqualFold(s[n-6:], "bearer") && (n == 6 || !isLabelChar(s[n-7])) {
		s = s[:n-6]
		skip()
	}
	end := len(s)
	i := end
	for i > 0 && isLabelChar(s[i-1]) {
		i--
	}
	return strings.Trim(s[i:end], ".-")
}

func isLabelChar(c byte) bool {
	return isIdent(c) || c == '-' || c == '.'
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// compactChars marks with '1' the bytes of a bare compact JWT: base64url and
// dots. One row per 16 byte values; rows 0x80–0xff are all '0'. Padding ('=')
// is left to the slower path, which also reads "access_token=…".
const compactChars = "" +
	"0000000000000000" + // 0x00
	"0000000000000000" + // 0x10
	"0000000000000110" + // 0x20: - .
	"1111111111000000" + // 0x30: 0-9
	"0111111111111111" + // 0x40: A-O
	"1111111111100001" + // 0x50: P-Z _
	"0111111111111111" + // 0x60: a-o
	"1111111111100000" // 0x70: p-z

// isCompact reports whether s holds only the characters of a compact JWT
// without padding (base64url and dots).
func isCompact(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || compactChars[c] != '1' {
			return false
		}
	}
	return true
}
