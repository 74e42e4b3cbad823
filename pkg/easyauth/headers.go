package easyauth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/azid-cli/azid/pkg/pyrepr"
)

// Header is one request header as given.
type Header struct {
	Name  string
	Value string
}

// Headers is a list of request headers, looked up case-insensitively
// (frameworks present Easy Auth's headers in any case).
type Headers []Header

// Get returns the first value of a header, or "".
func (h Headers) Get(name string) string {
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			return x.Value
		}
	}
	return ""
}

// WithPrefix returns the headers whose names start with prefix (any case).
func (h Headers) WithPrefix(prefix string) Headers {
	var out Headers
	for _, x := range h {
		if len(x.Name) >= len(prefix) && strings.EqualFold(x.Name[:len(prefix)], prefix) {
			out = append(out, x)
		}
	}
	return out
}

// MaxHeadersInput bounds the input of ParseHeaders (1 MiB).
const MaxHeadersInput = 1 << 20

// ErrNoHeaders means the input was empty.
var ErrNoHeaders = errors.New("no headers given: pass a file, or pipe them on standard input")

// ParseHeaders reads request headers given as a raw HTTP request, "Name:
// value" lines, `curl -v` output (the "> " lines), a JSON object of
// headers (what Streamlit's st.context.headers gives; values may be strings
// or arrays of strings), or the same printed as a Python dict: print's or
// pprint's repr, an "x = {…}" assignment, or the text copied from a rendered
// JSON viewer such as st.write's. A bare X-MS-CLIENT-PRINCIPAL value (the
// Base64 alone, padded or not) is read as that header.
func ParseHeaders(input []byte) (Headers, error) {
	if len(input) > MaxHeadersInput {
		return nil, errors.New("input is over 1 MiB: not a set of request headers")
	}
	if bytes.IndexByte(input, 0) >= 0 || !utf8.Valid(input) {
		return nil, errors.New("input is binary data, not request headers")
	}
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(input, []byte("\ufeff")))
	if len(trimmed) == 0 {
		return nil, ErrNoHeaders
	}
	if trimmed[0] == '{' {
		hs, err := parseJSONHeaders(trimmed)
		if !errors.Is(err, errNotJSON) {
			return hs, err
		}
		// a printed Python dict (print(headers), pprint, st.write's copied text)
		if js, perr := pyrepr.ToJSON(string(trimmed)); perr == nil {
			return parseJSONHeaders(js)
		}
		return nil, errors.New("the input starts like JSON but is neither valid JSON nor a printed Python dict of headers")
	}
	if LooksLikePrincipal(string(trimmed)) { // a bare X-MS-CLIENT-PRINCIPAL value
		return Headers{{Name: "X-MS-CLIENT-PRINCIPAL", Value: string(trimmed)}}, nil
	}
	if pyrepr.LooksLike(string(trimmed)) { // headers = {...}, Headers({...})
		if js, err := pyrepr.ToJSON(string(trimmed)); err == nil {
			return parseJSONHeaders(js)
		}
	}
	return parseLines(trimmed)
}

// errNotJSON is the error of parseJSONHeaders for input that is not JSON.
var errNotJSON = errors.New("the input starts like JSON but is not valid JSON")

func parseJSONHeaders(data []byte) (Headers, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, errNotJSON
	}
	if tok != json.Delim('{') {
		return nil, errors.New("the input starts like JSON but is not a JSON object of headers")
	}
	var out Headers
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, errNotJSON
		}
		name, _ := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, errNotJSON
		}
		switch v := v.(type) {
		case string:
			out = append(out, Header{name, v})
		case []any:
			for _, e := range v {
				if s, ok := e.(string); ok {
					out = append(out, Header{name, s})
				}
			}
		case nil:
		default:
			b, _ := json.Marshal(v)
			out = append(out, Header{name, string(b)})
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, errNotJSON
	}
	if len(out) == 0 {
		return nil, errors.New("no headers found: the JSON object is empty")
	}
	return out, nil
}

func parseLines(data []byte) (Headers, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), MaxHeadersInput)
	var lines []string
	curl := false
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "> ") || l == ">" {
			curl = true
			break
		}
	}
	rawRequest := len(lines) > 0 && isRequestLine(lines[0])
	var out Headers
	for i, l := range lines {
		if curl {
			if !strings.HasPrefix(l, "> ") {
				continue // response ("< "), progress ("* ") and body lines
			}
			l = l[2:]
		}
		if strings.TrimSpace(l) == "" {
			if len(out) > 0 && rawRequest {
				break // end of a raw request's header block: the body follows
			}
			continue
		}
		if i == 0 || (curl && len(out) == 0) {
			if isRequestLine(l) {
				continue
			}
		}
		if (l[0] == ' ' || l[0] == '\t') && len(out) > 0 {
			out[len(out)-1].Value += " " + strings.TrimSpace(l) // obsolete line folding
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok || !validHeaderName(strings.TrimSpace(name)) {
			continue
		}
		out = append(out, Header{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	if len(out) == 0 {
		return nil, errors.New("no headers found: expected \"Name: value\" lines, a raw HTTP request, curl -v output or a JSON object")
	}
	return out, nil
}

func isRequestLine(l string) bool {
	f := strings.Fields(l)
	return len(f) == 3 && strings.HasPrefix(f[2], "HTTP/") && strings.ToUpper(f[0]) == f[0]
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
