// Package jsonw appends JSON to byte slices by hand, for the few hot paths
// (decode's result, verify --stream's lines) where encoding/json's reflection
// costs more than the work itself. Strings are escaped as encoding/json does,
// except that <, > and & are left alone (json.Marshal escapes them again when
// its caller asks).
package jsonw

import (
	"bytes"
	"encoding/json"
)

// String appends s as a JSON string; plain ASCII takes the fast path.
func String(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(s)
			return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Strings appends a JSON array of strings; nil is null, as encoding/json writes it.
func Strings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = String(b, s)
	}
	return append(b, ']')
}

// Key appends `,"name":`.
func Key(b []byte, name string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// OptString appends `,"name":"v"` unless v is empty (omitempty).
func OptString(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return String(Key(b, name), v)
}
