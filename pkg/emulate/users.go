package emulate

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/azid-cli/azid/pkg/entra"
)

// User is a mock user.
type User struct {
	Name     string `json:"name"`
	Username string `json:"username"` // UPN or e-mail: preferred_username
	Email    string `json:"email,omitempty"`
	ObjectID string `json:"oid,omitempty"`
	Roles    []string
	Groups   []string
	// Claims are extra claims, in order; a name may repeat (an array claim).
	Claims []ExtraClaim
}

// ExtraClaim is one extra claim of a mock user.
type ExtraClaim struct{ Name, Value string }

// reservedClaim reports a claim the issuer sets, which extra claims cannot override.
func reservedClaim(name string) bool {
	switch name {
	case "iss", "aud", "iat", "nbf", "exp", "tid", "ver", "sub", "oid", "name", "preferred_username",
		"roles", "groups", "email", "nonce", "uti", "azp", "scp":
		return true
	}
	return false
}

// ParseClaim reads an extra claim given as key=value.
func ParseClaim(s string) (ExtraClaim, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return ExtraClaim{}, fmt.Errorf("claim %q is not key=value", s)
	}
	if reservedClaim(k) {
		return ExtraClaim{}, fmt.Errorf("claim %q is set by the emulator (use the user's own fields for name, roles, groups, oid)", k)
	}
	return ExtraClaim{k, v}, nil
}

// Complete fills in what a user leaves out: the object ID (stable per
// username), the username (from the e-mail or name) and the name.
func (u User) Complete() (User, error) {
	u.Name, u.Username, u.Email = strings.TrimSpace(u.Name), strings.TrimSpace(u.Username), strings.TrimSpace(u.Email)
	if u.Username == "" {
		u.Username = u.Email
	}
	if u.Username == "" {
		return u, errors.New("a user needs a username (UPN or e-mail address)")
	}
	if u.Name == "" {
		u.Name, _, _ = strings.Cut(u.Username, "@")
	}
	if u.Email == "" && strings.Contains(u.Username, "@") {
		u.Email = u.Username
	}
	if u.ObjectID == "" {
		u.ObjectID = stableGUID("oid:" + strings.ToLower(u.Username))
	} else if !entra.IsGUID(u.ObjectID) {
		return u, fmt.Errorf("user %s: oid %q is not a GUID", u.Username, u.ObjectID)
	}
	for _, c := range u.Claims {
		if c.Name == "" || reservedClaim(c.Name) {
			return u, fmt.Errorf("user %s: claim %q is set by the emulator", u.Username, c.Name)
		}
	}
	return u, nil
}

// stableGUID derives a GUID-shaped identifier from s (a name-based UUID, version 8).
func stableGUID(s string) string {
	h := sha256.Sum256([]byte(s))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < 16; i++ {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b.WriteByte('-')
		}
		b.WriteByte(hex[h[i]>>4])
		b.WriteByte(hex[h[i]&15])
	}
	return b.String()
}

// MaxUsersFile bounds a users file (1 MiB).
const MaxUsersFile = 1 << 20

// userJSON is a user as a users file writes it.
type userJSON struct {
	Name     *string          `json:"name"`
	Username *string          `json:"username"`
	Email    *string          `json:"email"`
	ObjectID *string          `json:"oid"`
	Roles    []string         `json:"roles"`
	Groups   []string         `json:"groups"`
	Claims   *json.RawMessage `json:"claims"`
}

// ParseUsers reads a users file: a JSON array of users, or {"users": [...]}.
// A user is {"name", "username", "email", "oid", "roles": [], "groups": [],
// "claims": {"key": "value" or ["v1", "v2"]}}. Errors name the user and, for
// JSON syntax errors, the line.
func ParseUsers(data []byte) ([]User, error) {
	if len(data) > MaxUsersFile {
		return nil, errors.New("the users file is over 1 MiB")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("the users file is not UTF-8 text")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("the users file is empty")
	}
	var list []json.RawMessage
	if trimmed[0] == '{' {
		var doc struct {
			Users *[]json.RawMessage `json:"users"`
		}
		if err := strictUnmarshal(data, &doc); err != nil {
			return nil, jsonError(data, err)
		}
		if doc.Users == nil {
			return nil, errors.New(`the users file is an object without "users": expected [ {...}, … ] or {"users": [ … ]}`)
		}
		list = *doc.Users
	} else if err := strictUnmarshal(data, &list); err != nil {
		return nil, jsonError(data, err)
	}
	if len(list) == 0 {
		return nil, errors.New("the users file lists no users")
	}
	users := make([]User, 0, len(list))
	for i, raw := range list {
		var uj userJSON
		if err := strictUnmarshal(raw, &uj); err != nil {
			return nil, fmt.Errorf("user %d: %s", i+1, plainJSONError(err))
		}
		u := User{Roles: uj.Roles, Groups: uj.Groups}
		for _, f := range []struct {
			dst *string
			src *string
		}{{&u.Name, uj.Name}, {&u.Username, uj.Username}, {&u.Email, uj.Email}, {&u.ObjectID, uj.ObjectID}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		if uj.Claims != nil {
			claims, err := parseClaimObject(*uj.Claims)
			if err != nil {
				return nil, fmt.Errorf("user %d: claims: %w", i+1, err)
			}
			u.Claims = claims
		}
		done, err := u.Complete()
		if err != nil {
			return nil, fmt.Errorf("user %d: %w", i+1, err)
		}
		users = append(users, done)
	}
	return users, nil
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more data after the JSON value")
	}
	return nil
}

// parseClaimObject reads {"key": "value" | ["v", …] | number | bool}, keeping order.
func parseClaimObject(raw json.RawMessage) ([]ExtraClaim, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New(`expected an object such as {"department": "Sales"}`)
	}
	var out []ExtraClaim
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, errors.New("not valid JSON")
		}
		name := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("not valid JSON")
		}
		switch v := v.(type) {
		case string:
			out = append(out, ExtraClaim{name, v})
		case float64, bool:
			b, _ := json.Marshal(v)
			out = append(out, ExtraClaim{name, string(b)})
		case []any:
			for _, e := range v {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("claim %q: array values must be strings", name)
				}
				out = append(out, ExtraClaim{name, s})
			}
		default:
			return nil, fmt.Errorf("claim %q: value must be a string, number, boolean or array of strings", name)
		}
	}
	return out, nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("line %d: %s", lineOf(data, syn.Offset), syn.Error())
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("line %d: %s", lineOf(data, typ.Offset), plainJSONError(err))
	}
	return errors.New(plainJSONError(err))
}

func plainJSONError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field != "" {
			return fmt.Sprintf("%q must be a %s, not a JSON %s", typ.Field, jsonKind(typ.Type.String()), typ.Value)
		}
		return "expected a JSON " + jsonKind(typ.Type.String()) + ", found a " + typ.Value
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]json.RawMessage"):
		return "array of users"
	case strings.HasPrefix(goType, "[]"):
		return "array of strings"
	case strings.Contains(goType, "string"):
		return "string"
	case strings.Contains(goType, "userJSON"):
		return "object (a user)"
	}
	return "value"
}

func lineOf(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}
