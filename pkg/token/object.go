package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Object is a JSON object that keeps its members in the order they were
// written and their values as raw JSON, so numbers are never rounded.
type Object struct {
	keys   []string
	values map[string]json.RawMessage
	// Duplicates lists member names that occur more than once; like
	// encoding/json (and so most verifiers), the last occurrence wins.
	Duplicates []string
	raw        []byte
}

var errNotObject = errors.New("is not a JSON object")

// parseObject decodes a JSON object, keeping member order.
func parseObject(data []byte) (*Object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, errors.New("is not JSON")
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errNotObject
	}
	o := &Object{values: map[string]json.RawMessage{}, raw: data}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, errors.New("is not valid JSON")
		}
		key, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, errors.New("is not valid JSON")
		}
		if _, seen := o.values[key]; seen {
			o.Duplicates = append(o.Duplicates, key)
		} else {
			o.keys = append(o.keys, key)
		}
		o.values[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, errors.New("is not valid JSON")
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, errors.New("has data after the JSON object")
	}
	return o, nil
}

// Keys returns the member names in order of first appearance.
func (o *Object) Keys() []string { return o.keys }

// Len returns the number of distinct members.
func (o *Object) Len() int { return len(o.keys) }

// Has reports whether the member exists.
func (o *Object) Has(name string) bool { _, ok := o.values[name]; return ok }

// Raw returns a member's raw JSON value.
func (o *Object) Raw(name string) (json.RawMessage, bool) {
	v, ok := o.values[name]
	return v, ok
}

// MarshalJSON writes the object as it was received (compact), so claims are
// reproduced exactly, numbers included.
func (o *Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, o.raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// String returns a member that is a JSON string.
func (o *Object) String(name string) (string, bool) {
	v, ok := o.values[name]
	if !ok || len(v) == 0 || v[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return "", false
	}
	return s, true
}

// Str returns a string member, or "" when absent or not a string.
func (o *Object) Str(name string) string { s, _ := o.String(name); return s }

// Strings returns a member that is a string or an array of strings (as aud may be).
func (o *Object) Strings(name string) []string {
	v, ok := o.values[name]
	if !ok {
		return nil
	}
	if s, ok := o.String(name); ok {
		return []string{s}
	}
	var list []any
	if json.Unmarshal(v, &list) != nil {
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
	v, ok := o.values[name]
	if !ok {
		return 0, false
	}
	s := string(v)
	if strings.HasPrefix(s, `"`) {
		s, _ = o.String(name)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
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
