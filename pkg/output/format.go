package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Format is an output format chosen with -o/--output.
type Format string

// The output formats azid supports.
const (
	FormatText Format = "text"
	FormatJSON Format = "json"
	FormatYAML Format = "yaml"
)

// ParseFormat validates a --output value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case FormatText, FormatJSON, FormatYAML:
		return f, nil
	}
	return "", fmt.Errorf("invalid output format %q: use text, json or yaml", s)
}

// WriteJSON writes v as indented JSON followed by a newline. HTML characters
// are not escaped, so URLs stay readable.
func WriteJSON(w io.Writer, v any) error {
	if m, ok := v.(json.Marshaler); ok {
		// a type that encodes itself: indent its bytes, with no reflection
		raw, err := m.MarshalJSON()
		if err != nil {
			return fmt.Errorf("encoding JSON: %w", err)
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			return fmt.Errorf("encoding JSON: %w", err)
		}
		buf.WriteByte('\n')
		_, err = w.Write(buf.Bytes())
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding JSON: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteYAML writes v as block-style YAML with the same structure, key order
// and number literals as WriteJSON would (see yaml.go).
func WriteYAML(w io.Writer, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding YAML: %w", err)
	}
	out, err := JSONToYAML(raw)
	if err != nil {
		return fmt.Errorf("encoding YAML: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// Write writes v in the given machine format (json or yaml).
func Write(w io.Writer, f Format, v any) error {
	if f == FormatYAML {
		return WriteYAML(w, v)
	}
	return WriteJSON(w, v)
}
