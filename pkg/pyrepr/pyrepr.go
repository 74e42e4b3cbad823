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
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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

// strings reads one or more adjacent string literals (pprint wraps a long
// string as 'abc' 'def' inside parentheses) and writes them as one JSON string.
func (p *parser) strings(out *bytes.Buffer) error {
	var sb strings.Builder
	if err := p.str(&sb); err != nil {
		return err
	}
	for {
		save, n := p.i, sb.Len()
		p.space()
		if p.i >= len(p.s) || !(p.s[p.i] == '\'' || p.s[p.i] == '"' || p.prefixedString()) {
			p.i = save
			break
		}
		if err := p.str(&sb); err != nil {
			return err
		}
		// "a"\n"b": … is the next member's key (a JSON viewer's copied
		// text has no commas), not a continuation of this string
		after := p.i
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ':' {
			p.i = save
			s := sb.String()[:n]
			sb.Reset()
			sb.WriteString(s)
			break
		}
		p.i = after
	}
	out.Write(jsonQuote(sb.String()))
	return nil
}

// prefixedString reports whether a string literal with a b, r, u or f prefix starts here.
func (p *parser) prefixedString() bool {
	j := p.i
	for j < len(p.s) && j-p.i < 2 && strings.IndexByte("bBrRuUfF", p.s[j]) >= 0 {
		j++
	}
	return j > p.i && j < len(p.s) && (p.s[j] == '\'' || p.s[j] == '"')
}

func (p *parser) str(sb *strings.Builder) error {
	raw := false
	for p.i < len(p.s) && strings.IndexByte("bBrRuUfF", p.s[p.i]) >= 0 {
		if p.s[p.i] == 'r' || p.s[p.i] == 'R' {
			raw = true
		}
		p.i++
	}
	if p.i >= len(p.s) {
		return p.errf("unexpected end of input")
	}
	q := p.s[p.i]
	triple := strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3))
	if triple {
		p.i += 3
	} else {
		p.i++
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q && (!triple || strings.HasPrefix(p.s[p.i:], strings.Repeat(string(q), 3))):
			if triple {
				p.i += 3
			} else {
				p.i++
			}
			return nil
		case c == '\n' && !triple:
			return &SyntaxError{Offset: start, Msg: "a string is not closed on its line"}
		case c == '\\' && !raw:
			if err := p.escape(sb); err != nil {
				return err
			}
		case c == '\\' && raw && p.i+1 < len(p.s):
			sb.WriteString(p.s[p.i : p.i+2])
			p.i += 2
		default:
			sb.WriteByte(c)
			p.i++
		}
	}
	return &SyntaxError{Offset: start, Msg: "a string is not closed"}
}

func (p *parser) escape(sb *strings.Builder) error {
	p.i++ // backslash
	if p.i >= len(p.s) {
		return p.errf("a string ends in a backslash")
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case '\\', '\'', '"':
		sb.WriteByte(c)
	case 'n':
		sb.WriteByte('\n')
	case 'r':
		sb.WriteByte('\r')
	case 't':
		sb.WriteByte('\t')
	case 'a':
		sb.WriteByte('\a')
	case 'b':
		sb.WriteByte('\b')
	case 'f':
		sb.WriteByte('\f')
	case 'v':
		sb.WriteByte('\v')
	case '/':
		sb.WriteByte('/') // JSON's escape, in JSON input
	case '\n':
		// a line continuation
	case 'x', 'u', 'U':
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if p.i+n > len(p.s) {
			return p.errf("a \\%c escape is cut short", c)
		}
		v, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
		if err != nil {
			return p.errf("a \\%c escape is not hexadecimal", c)
		}
		p.i += n
		if c == 'u' && v >= 0xd800 && v < 0xdc00 && strings.HasPrefix(p.s[p.i:], `\u`) && p.i+6 <= len(p.s) {
			// a JSON surrogate pair
			if lo, err := strconv.ParseUint(p.s[p.i+2:p.i+6], 16, 32); err == nil && lo >= 0xdc00 && lo < 0xe000 {
				v = 0x10000 + (v-0xd800)<<10 + (lo - 0xdc00)
				p.i += 6
			}
		}
		if !utf8.ValidRune(rune(v)) {
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.WriteRune(rune(v))
		}
	default:
		if c >= '0' && c <= '7' { // an octal escape
			v := int(c - '0')
			for k := 0; k < 2 && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '7'; k++ {
				v = v*8 + int(p.s[p.i]-'0')
				p.i++
			}
			sb.WriteRune(rune(v))
			return nil
		}
		sb.WriteByte('\\') // Python keeps unknown escapes as written
		sb.WriteByte(c)
	}
	return nil
}

func (p *parser) number(out *bytes.Buffer) error {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-.0123456789eEjxXoObB_abcdefABCDEF", p.s[p.i]) >= 0 {
		p.i++
	}
	lit := strings.ReplaceAll(p.s[start:p.i], "_", "")
	if n, err := strconv.ParseInt(lit, 0, 64); err == nil {
		out.WriteString(strconv.FormatInt(n, 10))
		return nil
	}
	if f, err := strconv.ParseFloat(lit, 64); err == nil {
		out.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		return nil
	}
	if lit == "" {
		return p.errf("unexpected %q", p.s[start])
	}
	out.Write(jsonQuote(lit)) // a big or complex number, kept as text
	return nil
}

func (p *parser) word(out *bytes.Buffer, depth int) error {
	if p.prefixedString() {
		return p.strings(out)
	}
	start := p.i
	for p.i < len(p.s) && (isIdent(p.s[p.i]) || p.s[p.i] == '.') {
		p.i++
	}
	w := p.s[start:p.i]
	switch w {
	case "True", "true":
		out.WriteString("true")
		return nil
	case "False", "false":
		out.WriteString("false")
		return nil
	case "None", "null", "nan", "inf":
		out.WriteString("null")
		return nil
	}
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		// a call such as Headers({...}), datetime.datetime(2026, 1, 2) or set()
		p.i++
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
			out.WriteString("null")
			return nil
		}
		if depth == 0 {
			p.wrapped++
			return p.value(out, depth+1)
		}
		var discard bytes.Buffer
		if err := p.seqBody(&discard, depth+1); err != nil {
			return err
		}
		out.Write(jsonQuote(p.s[start:p.i]))
		return nil
	}
	return &SyntaxError{Offset: start, Msg: fmt.Sprintf("unknown name %q", w)}
}

// seqBody reads a call's arguments up to its closing parenthesis.
func (p *parser) seqBody(out *bytes.Buffer, depth int) error {
	for {
		p.space()
		if p.i >= len(p.s) {
			return p.errf("a call is not closed")
		}
		if p.s[p.i] == ')' {
			p.i++
			return nil
		}
		if p.i+1 < len(p.s) && isIdent(p.s[p.i]) {
			// keyword argument name=
			j := p.i
			for j < len(p.s) && isIdent(p.s[j]) {
				j++
			}
			if j < len(p.s) && p.s[j] == '=' {
				p.i = j + 1
			}
		}
		if err := p.value(out, depth); err != nil {
			return err
		}
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
		}
	}
}

// jsonQuote returns s as a JSON string.
func jsonQuote(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
