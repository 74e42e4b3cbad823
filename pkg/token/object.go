package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Object is a JSON object that keeps its members in the order they were
// written and their values as raw JSON, so numbers are never rounded.
type Object struct {
	// text is the object's JSON; names and values are substrings of it, so
	// reading a plain string member allocates nothing.
	text    string
	members []member // in order of first appearance; a repeated name keeps its last value
	// table is an open-addressing hash table of member positions (+1; 0 is
	// empty), for objects that may have more than smallObject members: made
	// once, at twice the most members the text can hold, so it never grows
	// and a large token's lookups cost what a small one's do. nil for the
	// usual token, whose lookups scan the members.
	table []int32
	// names has bit nameBit(n) set for every member name n: most lookups of
	// an absent name, and the duplicate check of most new names, end there.
	names uint64
	// Duplicates lists member names that occur more than once; like
	// encoding/json (and so most verifiers), the last occurrence wins.
	Duplicates []string
	// earlier holds, for each duplicated name, the raw values that a later
	// occurrence replaced, in order; nil for the usual object.
	earlier map[string][]string
}

// member is a name and where its raw JSON value lies in Object.text (which
// is at most MaxTokenSize long).
type member struct {
	name       string
	start, end int32
}

var errNotObject = errors.New("is not a JSON object")

// parseObject decodes a JSON object, keeping member order. It validates the
// document and splits its members in one pass (scanJSON, which answers as
// json.Valid does) without building values: this is on the hot path of
// `azid verify --stream`.
func parseObject(data []byte) (*Object, error) {
	trimmed := bytes.Trim(data, " \t\r\n") // JSON's whitespace, no more
	isObject := len(trimmed) > 0 && trimmed[0] == '{'
	var o *Object
	if isObject {
		// Each member has a colon, so their count bounds the members; past 64
		// (no real token has so many), append grows the slice as it goes.
		colons := bytes.Count(trimmed, []byte{':'})
		o = &Object{text: string(trimmed), members: make([]member, 0, min(colons, 64))}
		if colons > smallObject {
			o.table = make([]int32, tableSize(colons))
		}
	}
	switch scan := scanJSON(trimmed, o); {
	case scan == jsonValid && isObject:
		return o, nil
	case scan == jsonValid:
		return nil, errNotObject
	case scan == jsonTrailing && isObject:
		return nil, errors.New("has data after the JSON object")
	case isObject:
		return nil, errors.New("is not valid JSON")
	}
	return nil, errors.New("is not JSON")
}

func decodeKey(quoted string) string {
	if plainJSONString(quoted) {
		return quoted[1 : len(quoted)-1]
	}
	var s string
	_ = json.Unmarshal([]byte(quoted), &s)
	return s
}

// smallObject is the most members an object can have (by its colons) and
// still be looked up by scanning its members rather than through a table.
const smallObject = 32

// tableSize is the smallest power of two at least twice n: a table that
// full at most half keeps probe sequences short.
func tableSize(n int) int {
	size := 64
	for size < 2*n {
		size *= 2
	}
	return size
}

// set adds a member whose value is text[start:end]; a repeated name keeps
// its first position and takes the last value, as encoding/json does.
func (o *Object) set(name string, start, end int) {
	i, slot := o.lookup(name)
	if i >= 0 {
		o.Duplicates = append(o.Duplicates, name)
		if o.earlier == nil {
			o.earlier = make(map[string][]string)
		}
		o.earlier[name] = append(o.earlier[name], o.text[o.members[i].start:o.members[i].end])
		o.members[i].start, o.members[i].end = int32(start), int32(end)
		return
	}
	o.members = append(o.members, member{name: name, start: int32(start), end: int32(end)})
	if o.table != nil {
		o.table[slot] = int32(len(o.members))
	} else {
		o.names |= nameBit(name)
	}
}

// nameBit is a member name's bit in Object.names.
func nameBit(name string) uint64 {
	h := uint(len(name))
	if len(name) > 0 {
		h = h*31 + uint(name[0])*7 + uint(name[len(name)-1])
	}
	return 1 << (h & 63)
}

// nameHash is FNV-1a of a member name, for Object.table. Names are short
// and chosen by the token's issuer: a crafted set of colliding names makes
// probes longer, never a lookup wrong, and a token's size bounds them.
func nameHash(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return h
}

func (o *Object) find(name string) int {
	i, _ := o.lookup(name)
	return i
}

// lookup returns the position of the member called name, or -1 and, for an
// object with a table, the empty slot where the name would go.
func (o *Object) lookup(name string) (i int, slot uint32) {
	if o.table != nil {
		mask := uint32(len(o.table) - 1)
		for h := nameHash(name) & mask; ; h = (h + 1) & mask {
			p := o.table[h]
			if p == 0 {
				return -1, h
			}
			if o.members[p-1].name == name {
				return int(p - 1), h
			}
		}
	}
	if o.names&nameBit(name) == 0 {
		return -1, 0
	}
	for i := range o.members {
		if o.members[i].name == name {
			return i, 0
		}
	}
	return -1, 0
}

// get returns a member's raw JSON value.
func (o *Object) get(name string) (string, bool) {
	if i := o.find(name); i >= 0 {
		m := o.members[i]
		return o.text[m.start:m.end], true
	}
	return "", false
}

// Keys returns the member names in order of first appearance.
func (o *Object) Keys() []string {
	names := make([]string, len(o.members))
	for i, m := range o.members {
		names[i] = m.name
	}
	return names
}

// Len returns the number of distinct members.
func (o *Object) Len() int { return len(o.members) }

// Has reports whether the member exists.
func (o *Object) Has(name string) bool { return o.find(name) >= 0 }

// AllRaw returns every raw JSON value written for name, in the order the
// object holds them: more than one only when the name is duplicated (the
// last is the one Raw returns). It is nil when name is absent.
func (o *Object) AllRaw(name string) []string {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	return append(append([]string(nil), o.earlier[name]...), v)
}

// Raw returns a member's raw JSON value.
func (o *Object) Raw(name string) (json.RawMessage, bool) {
	v, ok := o.get(name)
	if !ok {
		return nil, false
	}
	return json.RawMessage(v), true
}

// MarshalJSON writes the object as it was received (compact), so claims are
// reproduced exactly, numbers included.
func (o *Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(o.text)); err != nil {
		return nil, err
	}
	if !utf8.Valid(buf.Bytes()) {
		// Invalid UTF-8 can only sit inside strings (json.Valid allows it
		// there): write it as \ufffd, so the output is valid UTF-8 always.
		return bytes.ToValidUTF8(buf.Bytes(), []byte(`\ufffd`)), nil
	}
	return buf.Bytes(), nil
}

// String returns a member that is a JSON string.
func (o *Object) String(name string) (string, bool) {
	v, ok := o.get(name)
	if !ok || len(v) < 2 || v[0] != '"' {
		return "", false
	}
	if plainJSONString(v) {
		return v[1 : len(v)-1], true
	}
	var s string
	if json.Unmarshal([]byte(v), &s) != nil {
		return "", false
	}
	return s, true
}

// Str returns a string member, or "" when absent or not a string.
func (o *Object) Str(name string) string { s, _ := o.String(name); return s }

// Strings returns a member that is a string or an array of strings (as aud may be).
func (o *Object) Strings(name string) []string {
	v, ok := o.get(name)
	if !ok {
		return nil
	}
	if s, ok := o.String(name); ok {
		return []string{s}
	}
	var list []any
	if json.Unmarshal([]byte(v), &list) != nil {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		switch e := e.(type) {
		case string:
			out = append(out, e)
		default:
			b, _ := json.Marshal(e)
			out = append(out, string(b))
		}
	}
	return out
}

// Number returns a numeric member, also accepting a numeric string.
func (o *Object) Number(name string) (float64, bool) {
	v, ok := o.get(name)
	if !ok {
		return 0, false
	}
	s := v
	if strings.HasPrefix(s, `"`) {
		s, _ = o.String(name)
	}
	if n, ok := smallInteger(s); ok {
		return n, true // the usual exp, nbf, iat: no need for ParseFloat
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// smallInteger reads s when it is an integer of at most 15 decimal digits
// (exact in a float64), optionally negative.
func smallInteger(s string) (float64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if len(digits) == 0 || len(digits) > 15 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) < len(s) {
		n = -n
	}
	return float64(n), true
}

// Time returns a NumericDate member (seconds since the Unix epoch) as a time.
func (o *Object) Time(name string) (time.Time, bool) {
	f, ok := o.Number(name)
	if !ok || f < -1e12 || f > 1e12 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// plainJSONString reports whether a JSON string literal has no escapes and
// only printable ASCII, so its content is the bytes between the quotes.
func plainJSONString(v string) bool {
	for i := 1; i < len(v)-1; i++ {
		if c := v[i]; c == '\\' || c < 0x20 || c >= 0x80 {
			return false
		}
	}
	return true
}
