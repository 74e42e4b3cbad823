package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// JSONToYAML converts a JSON document to block-style YAML 1.2 that reads the
// same in YAML 1.1 parsers: member order and number literals are kept,
// strings that could be read as anything but a string are double-quoted
// (JSON string syntax is valid YAML). azid only writes YAML, so this small
// emitter replaces a YAML library and its start-up cost.
func JSONToYAML(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeYAMLValue(&b, v, 0, false)
	if b.Len() == 0 || b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

type member struct {
	key   string
	value any
}

// orderedMap is a JSON object with its members in order.
type orderedMap []member

// set adds a member; a repeated key replaces the earlier value in place (YAML
// forbids duplicate keys; like encoding/json, the last value wins).
func (m orderedMap) set(key string, v any) orderedMap {
	for i := range m {
		if m[i].key == key {
			m[i].value = v
			return m
		}
	}
	return append(m, member{key, v})
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := orderedMap{}
			var seen map[string]int // built once the object is large: set stays linear
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				switch {
				case seen != nil:
					if i, dup := seen[key]; dup {
						m[i].value = v
					} else {
						seen[key] = len(m)
						m = append(m, member{key, v})
					}
				default:
					m = m.set(key, v)
					if len(m) > 32 {
						seen = make(map[string]int, 2*len(m))
						for i, mb := range m {
							seen[mb.key] = i
						}
					}
				}
			}
			_, err := dec.Token()
			return m, err
		case '[':
			l := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
			}
			_, err := dec.Token()
			return l, err
		}
		return nil, errors.New("unexpected delimiter")
	default:
		return t, nil
	}
}

// writeYAMLValue writes v at the given indent. inline is true when v follows
// "key:" or "- " on the same line.
func writeYAMLValue(b *bytes.Buffer, v any, indent int, inline bool) {
	pad := strings.Repeat("  ", indent)
	switch v := v.(type) {
	case orderedMap:
		if len(v) == 0 {
			b.WriteString(" {}\n")
			return
		}
		if inline {
			b.WriteByte('\n')
		}
		for _, m := range v {
			key := yamlString(m.key)
			b.WriteString(pad)
			if utf8.RuneCountInString(key) > maxImplicitKey {
				// YAML limits implicit keys to 1024 characters: say it is a key.
				b.WriteString("? ")
				b.WriteString(key)
				b.WriteByte('\n')
				b.WriteString(pad)
			} else {
				b.WriteString(key)
			}
			b.WriteByte(':')
			writeYAMLChild(b, m.value, indent+1)
		}
	case []any:
		if len(v) == 0 {
			b.WriteString(" []\n")
			return
		}
		if inline {
			b.WriteByte('\n')
		}
		for _, e := range v {
			b.WriteString(pad)
			b.WriteByte('-')
			writeYAMLChild(b, e, indent+1)
		}
	default:
		if inline {
			b.WriteByte(' ')
		}
		b.WriteString(yamlScalar(v))
		b.WriteByte('\n')
	}
}

// maxImplicitKey is the length (in characters) up to which a key is written
// as "key:"; YAML readers refuse longer implicit keys (the limit is 1024),
// so longer ones are written as "? key" and ": value".
const maxImplicitKey = 1000

// maxBlockDepth is how deep block style goes; deeper values are written in
// flow style (as JSON, which YAML reads), so hostile nesting cannot blow the
// output up quadratically with indentation.
const maxBlockDepth = 16

func writeYAMLChild(b *bytes.Buffer, v any, indent int) {
	switch v.(type) {
	case orderedMap, []any:
		if indent > maxBlockDepth {
			b.WriteByte(' ')
			writeFlow(b, v)
			b.WriteByte('\n')
			return
		}
		writeYAMLValue(b, v, indent, true)
	default:
		b.WriteByte(' ')
		b.WriteString(yamlScalar(v))
		b.WriteByte('\n')
	}
}

func yamlScalar(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case json.Number:
		return yamlNumber(string(v))
	case string:
		return yamlString(v)
	}
	return "null"
}

// yamlNumber writes a JSON number so that YAML 1.1 readers (PyYAML), whose
// floats need a dot and a signed exponent, read the same number as YAML 1.2
// readers: 4e9 becomes 4.0e+9. Only the spelling changes, never a digit.
func yamlNumber(n string) string {
	e := strings.IndexAny(n, "eE")
	if e < 0 {
		return n
	}
	mantissa, exp := n[:e], n[e+1:]
	if !strings.Contains(mantissa, ".") {
		mantissa += ".0"
	}
	if exp != "" && exp[0] != '+' && exp[0] != '-' {
		exp = "+" + exp
	}
	return mantissa + "e" + exp
}

// yamlString writes s plain when no YAML reader could take it for anything
// else, and double-quoted otherwise.
func yamlString(s string) string {
	if plainSafe(s) {
		return s
	}
	return yamlQuote(s)
}

// yamlQuote writes s as a YAML double-quoted scalar, escaping every character
// outside YAML's printable set.
// U+2028 and U+2029 are escaped too: YAML 1.1 readers take them for line
// breaks and fold them with the white space around them.
func yamlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\ufffd") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0xd800 && r < 0xe000) || r == 0xfffe || r == 0xffff || r == 0xfeff || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func plainSafe(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsAny(s[:1], "-?:,[]{}#&*!|><'\"%@`~=") {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n", ".nan", ".inf", "-.inf", "+.inf":
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if looksNumeric(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\ufeff' || r == 0xfffe || r == 0xffff || r == utf8.RuneError || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 {
			return false
		}
	}
	return true
}

// looksNumeric reports whether a YAML 1.1 or 1.2 reader might read s as a
// number, date or time (digits with signs, dots, colons, dashes, x, o, e, _).
func looksNumeric(s string) bool {
	if s[0] != '+' && s[0] != '.' && (s[0] < '0' || s[0] > '9') {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-.:_eExXoObBabcdefABCDEFTtZz ", r) {
			return false
		}
	}
	return true
}

// writeFlow writes v in flow style: JSON syntax with YAML-safe strings.
func writeFlow(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case orderedMap:
		b.WriteByte('{')
		for i, m := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			key := yamlQuote(m.key)
			if utf8.RuneCountInString(key) > maxImplicitKey {
				b.WriteString("? ")
			}
			b.WriteString(key)
			b.WriteString(": ")
			writeFlow(b, m.value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFlow(b, e)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(yamlQuote(v))
	default:
		b.WriteString(yamlScalar(v))
	}
}
