// Package pyrepr reads Python literals as Python prints them — the repr or
// pprint of a dict, list or tuple of str, int, float, bool and None — and
// turns them into JSON, so that a pasted print(headers) or a printed MSAL
// Python token response can be read like a JSON document.
//
// It is lenient where people's pastes are: an "x = " assignment or a
// "Name(" wrapper around the literal, pprint's implicit concatenation of
// adjacent string literals, trailing commas, and missing commas between
// members (text copied from a rendered JSON viewer such as st.write's).
// JSON itself is a Python literal too, and is read the same way.
package pyrepr

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds nesting, so hostile input cannot exhaust the stack.
const maxDepth = 64

// SyntaxError reports where a literal could not be read.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not a Python literal at offset %d: %s", e.Offset, e.Msg)
}

// ErrNotLiteral is returned when the input does not start like a Python
// dict, list or tuple (after an optional assignment or wrapper).
var ErrNotLiteral = errors.New("not a Python dict, list or tuple")

// LooksLike reports whether s looks like a Python dict or list as printed:
// after an optional "x = " or "Name(", a '{' or '[' whose first member uses
// single quotes or Python's True/False/None. It is cheap and does not parse.
func LooksLike(s string) bool {
	s = strings.TrimSpace(stripPrefix(strings.TrimSpace(s)))
	if s == "" || !startsLiteral(s) {
		return false
	}
	return strings.ContainsAny(s, "'") || strings.Contains(s, "True") ||
		strings.Contains(s, "False") || strings.Contains(s, "None")
}

// ToJSON converts one Python literal (a dict, list or tuple at the top) to
// JSON text. Keys that are not strings become their printed form; tuples and
// sets become arrays; bytes become strings; inf and nan become null.
func ToJSON(s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, &SyntaxError{Msg: "the input is not UTF-8 text"}
	}
	body := stripPrefix(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	p := &parser{s: body}
	p.space()
	if p.i >= len(p.s) || !startsLiteral(p.s[p.i:]) {
		return nil, ErrNotLiteral
	}
	var out bytes.Buffer
	if err := p.value(&out, 0); err != nil {
		return nil, err
	}
	p.space()
	// a wrapper's closing parenthesis, then nothing but whitespace
	for p.i < len(p.s) && p.s[p.i] == ')' && p.wrapped > 0 {
		p.i++
		p.wrapped--
		p.space()
	}
	if p.i != len(p.s) {
		return nil, p.errf("unexpected %q after the literal", p.s[p.i])
	}
	return out.Bytes(), nil
}

// stripPrefix removes "name = " and "Name(" before the literal.
func stripPrefix(s string) string {
	i := 0
	for i < len(s) && (isIdent(s[i]) || s[i] == '.') {
		i++
	}
	if i == 0 {
		return s
	}
	rest := strings.TrimLeft(s[i:], " \t")
	switch {
	case strings.HasPrefix(rest, "=") && !strings.HasPrefix(rest, "=="):
		return strings.TrimSpace(rest[1:])
	case strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, "::"):
		return strings.TrimSpace(rest[1:]) // a log line "headers: {...}"
	case strings.HasPrefix(rest, "("):
		return rest // the parser unwraps one call
	}
	return s
}

// startsLiteral reports whether s starts with '{', '[', '(' or a call "Name(".
func startsLiteral(s string) bool {
	if s[0] == '{' || s[0] == '[' || s[0] == '(' {
		return true
	}
	i := 0
	for i < len(s) && (isIdent(s[i]) || s[i] == '.') {
		i++
	}
	return i > 0 && i < len(s) && s[i] == '('
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

type parser struct {
	s       string
	i       int
	wrapped int
}

func (p *parser) errf(format string, a ...any) error {
	return &SyntaxError{Offset: p.i, Msg: fmt.Sprintf(format, a...)}
}

func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		case '#': // a comment to the end of the line
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *parser) value(out *bytes.Buffer, depth int) error {
	if depth > maxDepth {
		return p.errf("nested more than %d levels", maxDepth)
	}
	p.space()
	if p.i >= len(p.s) {
		return p.errf("unexpected end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.dict(out, depth)
	case c == '[':
		return p.seq(out, depth, ']')
	case c == '(':
		return p.seq(out, depth, ')')
	case c == '\'' || c == '"':
		return p.strings(out)
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		return p.number(out)
	case isIdent(c):
		return p.word(out, depth)
	default:
		return p.errf("unexpected %q", c)
	}
}

func (p *parser) dict(out *bytes.Buffer, depth int) error {
	p.i++ // {
	out.WriteByte('{')
	first := true
	for {
		p.space()
		if p.i >= len(p.s) {
			return p.errf("a dict is not closed")
		}
		if p.s[p.i] == '}' {
			p.i++
			out.WriteByte('}')
			return nil
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		var key bytes.Buffer
		if err := p.value(&key, depth+1); err != nil {
			return err
		}
		k := key.Bytes()
		if len(k) == 0 || k[0] != '"' {
			k = jsonQuote(string(k))
		}
		out.Write(k)
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			if p.i < len(p.s) && (p.s[p.i] == ',' || p.s[p.i] == '}') {
				// a set: {'a', 'b'}; keep the members as keys of true
				out.WriteString(":true")
				if p.s[p.i] == ',' {
					p.i++
				}
				continue
			}
			return p.errf("expected ':' after a dict key")
		}
		p.i++
		out.WriteByte(':')
		if err := p.value(out, depth+1); err != nil {
			return err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

func (p *parser) seq(out *bytes.Buffer, depth int, end byte) error {
	p.i++
	var items bytes.Buffer
	n, commas := 0, 0
	for {
		p.space()
		if p.i >= len(p.s) {
			return p.errf("a list or tuple is not closed")
		}
		if p.s[p.i] == end {
			p.i++
			if end == ')' && n == 1 && commas == 0 {
				out.Write(items.Bytes()) // (x) is x, as pprint's wrapped strings are
				return nil
			}
			out.WriteByte('[')
			out.Write(items.Bytes())
			out.WriteByte(']')
			return nil
		}
		if n > 0 {
			items.WriteByte(',')
		}
		n++
		if err := p.value(&items, depth+1); err != nil {
			return err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			commas++
		}
	}
}
