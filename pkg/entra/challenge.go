package entra

import (
	"encoding/base64"
	"encoding/json"
	"strings"
)

// Challenge is a WWW-Authenticate challenge, such as an API's answer to a
// token that lacks claims: Bearer realm="", error="insufficient_claims",
// claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==".
type Challenge struct {
	// Scheme is the authentication scheme, such as Bearer or PoP.
	Scheme string
	// Params are the auth-params by lower-case name, and Names their order.
	Params map[string]string
	Names  []string
	// Claims is the JSON of the claims parameter, decoded from Base64 (or
	// given as JSON), or nil.
	Claims json.RawMessage
}

// maxChallenge bounds a challenge (a header is a few KiB).
const maxChallenge = 16 << 10

// ParseChallenge reads the first challenge of a WWW-Authenticate value, with
// or without the "WWW-Authenticate:" name (and curl -v's "< "). It reports
// false for text that is not a challenge with at least one parameter.
func ParseChallenge(s string) (Challenge, bool) {
	s = strings.TrimSpace(s)
	if len(s) > maxChallenge {
		return Challenge{}, false
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "< "))
	if name, rest, ok := strings.Cut(s, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "www-authenticate") {
		s = strings.TrimSpace(rest)
	}
	scheme, rest, ok := strings.Cut(s, " ")
	if !ok || scheme == "" || !isToken68Word(scheme) {
		return Challenge{}, false
	}
	c := Challenge{Scheme: scheme, Params: map[string]string{}}
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimLeft(rest, " \t,") {
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			break
		}
		name := strings.ToLower(strings.TrimSpace(rest[:eq]))
		if !isToken68Word(name) {
			break // another scheme, or not a parameter
		}
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var value string
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			if i >= len(rest) {
				return Challenge{}, false // an unclosed quote
			}
			value, rest = b.String(), rest[i+1:]
		} else {
			end := strings.IndexAny(rest, ", \t")
			if end < 0 {
				end = len(rest)
			}
			value, rest = rest[:end], rest[end:]
		}
		if _, dup := c.Params[name]; !dup {
			c.Names = append(c.Names, name)
		}
		c.Params[name] = value
	}
	if len(c.Params) == 0 {
		return Challenge{}, false
	}
	c.Claims = decodeClaims(c.Params["claims"])
	return c, true
}

// decodeClaims reads a claims parameter: Base64 (standard or URL-safe,
// padded or not) of a JSON object, or the JSON itself.
func decodeClaims(v string) json.RawMessage {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if strings.HasPrefix(v, "{") && json.Valid([]byte(v)) {
		return json.RawMessage(v)
	}
	raw := strings.TrimRight(v, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(raw); err == nil && json.Valid(b) && strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
			return json.RawMessage(b)
		}
	}
	return nil
}

func isToken68Word(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// ChallengeError explains the error values of Bearer challenges (RFC 6750,
// and the claims challenges of Conditional Access and Continuous Access
// Evaluation).
func ChallengeError(code string) string {
	switch code {
	case "insufficient_claims":
		return "the token lacks claims the resource requires: a Conditional Access step-up (MFA, a compliant device) or a Continuous Access Evaluation revocation (password change, sign-out, a location change); get a new token that carries the claims in the challenge"
	case "invalid_token":
		return "the token is expired, revoked, malformed or not for this resource"
	case "insufficient_scope":
		return "the token is valid but lacks the scope (or app role) the request needs"
	case "invalid_request":
		return "the request is malformed: no token, or a token in two places"
	}
	return ""
}
