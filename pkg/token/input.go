package token

import (
	"errors"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/azid-cli/azid/pkg/pyrepr"
)

// Extracted is the token chosen from user input, where it was found, and the
// other tokens the input held.
type Extracted struct {
	// Token is the chosen token. It is a secret: never print or log it.
	Token string
	// Source names the form the input came in: "jwt", "bearer",
	// "authorization header", "url", "json", "python" (a printed Python
	// literal) or "text" (tokens found inside other text).
	Source string
	// Field is the name the chosen token came under (JSON key, URL
	// parameter, header name or label), if any.
	Field string
	// Kind is the chosen token's kind, as in Candidate.
	Kind string
	// Candidates lists every distinct token in the input, in input order;
	// Candidates[Chosen] is the chosen one.
	Candidates []Candidate
	Chosen     int
	// Reason says why the token was chosen: one of the Chose* constants.
	Reason string
}

// tokenFields are the names under which URLs carry a token, most preferred
// first.
var tokenFields = [...]string{"access_token", "accessToken", "id_token", "idToken"}

// Extract finds the tokens in input given in any of the forms azid accepts,
// and chooses one:
//
//   - a bare JWT, "Bearer …", "Authorization: Bearer …", with surrounding
//     whitespace or quotes, or wrapped over several lines;
//   - a URL, query or fragment with access_token= or id_token=;
//   - a JSON document, at any depth (a token endpoint response, a saved
//     /.auth/me response, a JSON object of request headers): every string
//     that is or holds a JWT, and opaque values under token names;
//   - the same as a printed Python literal (repr or pprint of a dict, an
//     "x = {…}" assignment), read through pyrepr;
//   - any other text: every JWT written in it (a header line, a log line, a
//     curl command), named by the label before it.
//
// Of several tokens, the first readable access token is chosen (by its name,
// else by its claims); if there is none, the first readable token (Reason
// ChoseOpaqueAccess when an access token beside it is not a JWT); ChooseKind
// and ChooseIndex choose another.
func Extract(input string) (Extracted, error) {
	if len(input) > MaxTokenSize {
		return Extracted{}, ErrTooLarge
	}
	if bare := strings.TrimSpace(input); len(bare) > 0 && isCompact(bare) {
		return single(bare, "jwt"), nil // the common case, in one pass
	}
	if strings.IndexByte(input, 0) >= 0 || !utf8.ValidString(input) {
		return Extracted{}, ErrBinary
	}
	s := strings.TrimSpace(strings.TrimPrefix(input, "\ufeff"))
	if s == "" {
		return Extracted{}, ErrEmpty
	}
	if s[0] == '{' || s[0] == '[' || pyrepr.LooksLike(s) {
		return extractDocument(s)
	}
	u := unquote(s)
	source := "jwt"
	if name, value, ok := strings.Cut(u, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "authorization") {
		u, source = strings.TrimSpace(value), "authorization header"
	}
	if len(u) > 7 && strings.EqualFold(u[:7], "bearer ") {
		u = strings.TrimSpace(u[7:])
		if source == "jwt" {
			source = "bearer"
		}
	}
	if strings.Contains(u, "access_token=") || strings.Contains(u, "id_token=") {
		if ex, err := extractURL(u); err == nil {
			return ex, nil
		} else if ex, ok := extractText(s); ok {
			return ex, nil
		} else {
			return Extracted{}, err
		}
	}
	u = unquote(u)
	if u == "" {
		return Extracted{}, ErrEmpty
	}
	if tok := removeSpace(u); isTokenLike(tok) && (tok == u || isWrapped(u)) {
		return single(tok, source), nil
	}
	if ex, ok := extractText(s); ok {
		return ex, nil
	}
	// no JWT anywhere: let Parse say what the input is
	return single(removeSpace(u), source), nil
}

// isWrapped reports whether s is one JWT wrapped over several lines: its
// words are token characters, the first starts like a JWT header and is not
// a whole token itself, and no later one starts like another JWT.
func isWrapped(s string) bool {
	words := strings.Fields(s)
	if !strings.HasPrefix(words[0], "eyJ") || strings.Count(words[0], ".") == 2 && strings.Count(s, ".") == 2 {
		return false
	}
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "eyJ") {
			return false
		}
	}
	return true
}

// single is the result for input that is one token.
func single(tok, source string) Extracted {
	return Extracted{Token: tok, Source: source, Kind: KindUnknown, Reason: ChoseOnly,
		Candidates: []Candidate{{Token: tok, Kind: KindUnknown, JWT: true, unread: true}}}
}

// isTokenLike reports whether s is one word of token characters: base64url
// or standard base64 (with padding) and dots.
func isTokenLike(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isTokenChar(c) && c != '=' && c != '+' && c != '/' {
			return false
		}
	}
	return s != ""
}

func unquote(s string) string {
	for len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// removeSpace drops whitespace inside a token, as when one was pasted wrapped
// over several lines.
func removeSpace(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// extractText takes the JWTs written inside text.
func extractText(s string) (Extracted, bool) {
	found := Scan(s)
	if len(found) == 0 {
		return Extracted{}, false
	}
	ex := Extracted{Source: "text"}
	for _, f := range found {
		ex.Candidates = append(ex.Candidates, newCandidate(f.Token, f.Label))
	}
	ex.choose()
	return ex, true
}

func extractURL(s string) (Extracted, error) {
	query := s
	if i := strings.IndexAny(s, "#?"); i >= 0 {
		query = s[i+1:]
		// a fragment may follow a query: prefer the part that holds the token
		if j := strings.IndexByte(query, '#'); j >= 0 && !strings.Contains(query[:j], "_token=") {
			query = query[j+1:]
		}
	}
	values, err := url.ParseQuery(query)
	if err != nil && len(values) == 0 {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the URL's query or fragment cannot be parsed"}
	}
	ex := Extracted{Source: "url"}
	for _, f := range tokenFields {
		if v := strings.TrimSpace(values.Get(f)); v != "" {
			ex.Candidates = append(ex.Candidates, newCandidate(removeSpace(v), f))
		}
	}
	if len(ex.Candidates) == 0 {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the URL holds no access_token or id_token value"}
	}
	ex.choose()
	return ex, nil
}

// errNotJSON marks input that starts like JSON and is not.
var errNotJSON = errors.New("not JSON")

// extractDocument reads JSON, or else a Python literal, or else scans the
// text for tokens.
func extractDocument(s string) (Extracted, error) {
	if s[0] == '{' || s[0] == '[' {
		ex, err := extractJSON([]byte(s), "json")
		if !errors.Is(err, errNotJSON) {
			return ex, err
		}
	}
	if js, err := pyrepr.ToJSON(s); err == nil {
		ex, err := extractJSON(js, "python")
		if !errors.Is(err, errNotJSON) {
			return ex, err
		}
	}
	if ex, ok := extractText(s); ok {
		return ex, nil
	}
	return Extracted{}, &MalformedError{Part: "token", Reason: "the input starts like JSON but is neither valid JSON nor a Python literal"}
}
