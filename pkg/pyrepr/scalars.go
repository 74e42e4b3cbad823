package pyrepr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Strings, escapes, numbers and bare words of a Python literal.

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
