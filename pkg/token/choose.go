package token

import (
	"fmt"
	"strings"
)

// Candidate is one token found in the input.
type Candidate struct {
	// Token is the token itself. It is a secret: never print or log it.
	Token string
	// Field is the name the token came under: a JSON key, URL parameter,
	// header name or the label written before it in text; "" if none.
	Field string
	// Kind is KindAccess, KindID or KindUnknown: from Field when it names a
	// kind (access_token, X-MS-TOKEN-AAD-ID-TOKEN, credential…), else from
	// the token's claims as Classify reads them.
	Kind string
	// JWT is true for a compact signed token whose header and payload decode;
	// an opaque token (no dots) or an encrypted one is false.
	JWT bool

	// unread is true when Kind and JWT were not worked out (a bare token,
	// taken without decoding it).
	unread bool
}

// Why a token was chosen among those in the input (Extracted.Reason).
const (
	// ChoseOnly: the input held one token.
	ChoseOnly = "only"
	// ChoseAccess: the first readable access token is preferred.
	ChoseAccess = "access"
	// ChoseFirst: no readable access token, so the first readable token.
	ChoseFirst = "first"
	// ChoseOpaqueAccess: the access token is not a JWT (personal Microsoft
	// accounts, Google and other providers), so the JWT beside it.
	ChoseOpaqueAccess = "opaque-access"
	// ChoseKind: the caller asked for a kind (ChooseKind).
	ChoseKind = "asked-kind"
	// ChoseIndex: the caller asked for a position (ChooseIndex).
	ChoseIndex = "asked-index"
)

// ChoiceError says that the token asked for is not in the input.
type ChoiceError struct {
	Want  string // "ID token", "token 3"
	Found []Candidate
}

func (e *ChoiceError) Error() string {
	return fmt.Sprintf("the input holds no %s (it holds %s)", e.Want, Describe(e.Found))
}

// Describe names the candidates in one phrase, without their values:
// "2 tokens: access_token (access token), id_token (ID token)".
func Describe(cs []Candidate) string {
	if len(cs) == 0 {
		return "no token"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Describe()
	}
	if len(cs) == 1 {
		return "1 token: " + parts[0]
	}
	return fmt.Sprintf("%d tokens: %s", len(cs), strings.Join(parts, ", "))
}

// Describe names one candidate by its field and kind: "id_token (ID token)",
// "access token", "opaque access_token".
func (c Candidate) Describe() string {
	kind := KindName(c.Kind)
	if !c.JWT {
		kind = "not a JWT"
	}
	if c.Field == "" {
		return kind
	}
	return c.Field + " (" + kind + ")"
}

// KindName is the human name of a kind: "access token", "ID token", "token".
func KindName(kind string) string {
	switch kind {
	case KindAccess:
		return "access token"
	case KindID:
		return "ID token"
	}
	return "token"
}

// kindFromName reads the kind of token a name announces, or "".
func kindFromName(name string) string {
	n := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '_' || r == '.' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, name)
	switch {
	case strings.Contains(n, "idtoken"), n == "id", n == "credential":
		return KindID
	case strings.Contains(n, "accesstoken"), n == "access", n == "authorization", n == "bearer":
		return KindAccess
	}
	return ""
}

// tokenName reports whether a name says its value is a token (so that a
// value under it that is not a JWT is still worth reporting as opaque).
func tokenName(name string) bool {
	return kindFromName(name) != "" || strings.EqualFold(name, "token")
}

// newCandidate classifies a token found under field.
func newCandidate(tok, field string) Candidate {
	c := Candidate{Token: tok, Field: field, Kind: kindFromName(field)}
	if strings.Count(tok, ".") == 2 {
		if t, err := Parse(tok); err == nil {
			c.JWT = true
			if c.Kind == "" {
				var s Summary
				classifyKind(t, &s)
				c.Kind = s.Kind
			}
		}
	}
	if c.Kind == "" {
		c.Kind = KindUnknown
	}
	return c
}

// choose picks the default token among the candidates: the first readable
// access token; else the first readable token (noting when an access token
// beside it is opaque); else the first candidate.
func (e *Extracted) choose() {
	pick, reason := -1, ChoseFirst
	for i, c := range e.Candidates {
		if c.JWT && c.Kind == KindAccess {
			pick, reason = i, ChoseAccess
			break
		}
	}
	if pick < 0 {
		for i, c := range e.Candidates {
			if c.JWT {
				pick = i
				break
			}
		}
		if pick >= 0 {
			for _, c := range e.Candidates {
				if !c.JWT && c.Kind == KindAccess {
					reason = ChoseOpaqueAccess
				}
			}
		}
	}
	if pick < 0 {
		pick = 0
	}
	if len(e.Candidates) == 1 {
		reason = ChoseOnly
	}
	e.set(pick, reason)
}

func (e *Extracted) set(i int, reason string) {
	c := e.Candidates[i]
	e.Chosen, e.Reason = i, reason
	e.Token, e.Field, e.Kind = c.Token, c.Field, c.Kind
}

// ChooseKind replaces the chosen token with the first readable token of a
// kind (KindID, KindAccess), or the first of that kind if none is readable.
func (e *Extracted) ChooseKind(kind string) error {
	first := -1
	for i, c := range e.Candidates {
		if c.unread {
			c = newCandidate(c.Token, c.Field)
			e.Candidates[i] = c
		}
		if c.Kind != kind {
			continue
		}
		if c.JWT {
			e.set(i, ChoseKind)
			return nil
		}
		if first < 0 {
			first = i
		}
	}
	if first >= 0 {
		e.set(first, ChoseKind)
		return nil
	}
	return &ChoiceError{Want: KindName(kind), Found: e.Candidates}
}

// ChooseIndex replaces the chosen token with the n-th candidate (1-based).
func (e *Extracted) ChooseIndex(n int) error {
	if n < 1 || n > len(e.Candidates) {
		return &ChoiceError{Want: fmt.Sprintf("token %d", n), Found: e.Candidates}
	}
	e.set(n-1, ChoseIndex)
	return nil
}

// Readable counts the candidates that are JWTs.
func (e *Extracted) Readable() int {
	n := 0
	for _, c := range e.Candidates {
		if c.JWT {
			n++
		}
	}
	return n
}
