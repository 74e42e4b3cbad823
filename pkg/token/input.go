package token

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Extracted is a token found in user input, and where it was found.
type Extracted struct {
	Token string
	// Source names the form the token came in: "jwt", "bearer",
	// "authorization header", "url", "json".
	Source string
	// Field is the JSON key or URL parameter the token came from, if any.
	Field string
	// Others lists the other token fields the input held (e.g. an ID token
	// next to the access token that was picked).
	Others []string
}

// tokenFields are the names under which JSON documents and URLs carry a token,
// most preferred first.
var tokenFields = [...]string{"access_token", "accessToken", "id_token", "idToken"}

// Extract finds the token in input given in any of the forms azid accepts: a
// bare JWT; "Bearer …"; "Authorization: Bearer …"; a URL, query or fragment
// with access_token= or id_token=; a JSON document holding access_token,
// accessToken or id_token (at any depth, e.g. a saved /.auth/me response); all
// with surrounding whitespace or quotes. It never decodes the token itself.
//
// The token returned is a substring of input when it needs no unescaping.
func Extract(input string) (Extracted, error) {
	if len(input) > MaxTokenSize {
		return Extracted{}, ErrTooLarge
	}
	if bare := strings.TrimSpace(input); len(bare) > 0 && isCompact(bare) {
		return Extracted{Token: bare, Source: "jwt"}, nil // the common case, in one pass
	}
	if strings.IndexByte(input, 0) >= 0 || !utf8.ValidString(input) {
		return Extracted{}, ErrBinary
	}
	s := strings.TrimSpace(strings.TrimPrefix(input, "\ufeff"))
	if s == "" {
		return Extracted{}, ErrEmpty
	}
	if s[0] == '{' || s[0] == '[' {
		return extractJSON(s)
	}
	s = unquote(s)
	source := "jwt"
	if name, value, ok := strings.Cut(s, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "authorization") {
		s, source = strings.TrimSpace(value), "authorization header"
	}
	if len(s) > 7 && strings.EqualFold(s[:7], "bearer ") {
		s = strings.TrimSpace(s[7:])
		if source == "jwt" {
			source = "bearer"
		}
	}
	if strings.Contains(s, "access_token=") || strings.Contains(s, "id_token=") {
		return extractURL(s)
	}
	s = unquote(s)
	if s == "" {
		return Extracted{}, ErrEmpty
	}
	return Extracted{Token: removeSpace(s), Source: source}, nil
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
	var found Extracted
	for _, f := range tokenFields {
		v := strings.TrimSpace(values.Get(f))
		if v == "" {
			continue
		}
		if found.Token == "" {
			found = Extracted{Token: removeSpace(v), Source: "url", Field: f}
		} else {
			found.Others = append(found.Others, f)
		}
	}
	if found.Token == "" {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the URL holds no access_token or id_token value"}
	}
	return found, nil
}

const maxJSONDepth = 16

func extractJSON(s string) (Extracted, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the input starts like JSON but is not valid JSON"}
	}
	var found Extracted
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > maxJSONDepth {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for _, f := range tokenFields {
				if tok, ok := v[f].(string); ok && strings.TrimSpace(tok) != "" {
					if found.Token == "" {
						found = Extracted{Token: removeSpace(unquote(strings.TrimSpace(tok))), Source: "json", Field: f}
					} else {
						found.Others = append(found.Others, f)
					}
				}
			}
			for _, k := range sortedKeys(v) {
				walk(v[k], depth+1)
			}
		case []any:
			for _, e := range v {
				walk(e, depth+1)
			}
		}
	}
	walk(doc, 0)
	if found.Token == "" {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the JSON input holds no access_token, accessToken or id_token"}
	}
	return found, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
