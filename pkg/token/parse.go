package token

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Token is a JWT decoded without verification: nothing in it is trusted.
type Token struct {
	// Raw is the compact serialisation. It is a secret: never print or log it.
	Raw       string
	Header    *Object
	Claims    *Object
	Signature []byte

	// signed is the length of the signing input, known from parsing.
	signed int
}

// SigningInput returns "header.payload", the bytes the signature covers.
func (t *Token) SigningInput() string {
	if t.signed > 0 {
		return t.Raw[:t.signed]
	}
	return t.Raw[:strings.LastIndexByte(t.Raw, '.')]
}

// Alg returns the header's alg, or "".
func (t *Token) Alg() string { return t.Header.Str("alg") }

// Parse decodes a compact JWT without verifying it. Errors say which part is
// wrong and never quote the token.
func Parse(raw string) (*Token, error) { return parse(raw, nil) }

// Parser parses tokens as Parse does, remembering the headers it has
// decoded: the tokens of a stream from one issuer share a handful of headers,
// so each is decoded once. A Parser is for one goroutine at a time; its zero
// value is ready to use.
type Parser struct {
	headers map[string]*Object
	// scratch holds a decoded payload until parseObject has copied it.
	scratch []byte
}

// maxRememberedHeaders bounds a Parser's memory whatever its input.
const maxRememberedHeaders = 64

// Parse decodes a compact JWT without verifying it, like the function Parse.
func (p *Parser) Parse(raw string) (*Token, error) { return parse(raw, p) }

// ParseInput finds the token in input as Extract does, and parses it. A bare
// JWT (the usual line of a stream) is parsed without Extract's scan of every
// character: the base64 decoder checks them anyway. It skips only '\r' and
// '\n', so input holding one takes the long way, where they are removed.
func (p *Parser) ParseInput(input string) (*Token, error) {
	if len(input) > MaxTokenSize {
		return nil, ErrTooLarge
	}
	if bare := strings.TrimSpace(input); strings.IndexByte(bare, '\r') < 0 && strings.IndexByte(bare, '\n') < 0 {
		if t, err := p.Parse(bare); err == nil {
			return t, nil
		}
	}
	ex, err := Extract(input)
	if err != nil {
		return nil, err
	}
	return p.Parse(ex.Token)
}

func parse(raw string, p *Parser) (*Token, error) {
	if len(raw) > MaxTokenSize {
		return nil, ErrTooLarge
	}
	if raw == "" {
		return nil, ErrEmpty
	}
	switch n := strings.Count(raw, ".") + 1; {
	case n == 5:
		return nil, ErrEncrypted
	case n == 1:
		if looksOpaque(raw) {
			return nil, &MalformedError{Part: "token", Reason: "this looks like an opaque token (no dots), which only its issuer or intended recipient can read; Microsoft account and some Microsoft service tokens are like this"}
		}
		return nil, &MalformedError{Part: "token", Reason: "expected three dot-separated parts (header.payload.signature), found one"}
	case n != 3:
		return nil, &MalformedError{Part: "token", Reason: "expected three dot-separated parts (header.payload.signature), found " + strconv.Itoa(n)}
	}
	h, pl, s := split3(raw)
	if h == "" || pl == "" {
		return nil, &MalformedError{Part: "token", Reason: "the header or payload part is empty"}
	}
	var header *Object
	if p != nil {
		header = p.headers[h]
	}
	var headerJSON []byte
	if header == nil {
		var err error
		if headerJSON, err = decodeSegment(h); err != nil {
			return nil, &MalformedError{Part: "header", Reason: "is not valid base64url"}
		}
	}
	var payloadJSON []byte
	var err error
	if p != nil {
		p.scratch, err = decodeSegmentTo(p.scratch[:0], pl)
		payloadJSON = p.scratch
	} else {
		payloadJSON, err = decodeSegment(pl)
	}
	if err != nil {
		return nil, &MalformedError{Part: "payload", Reason: "is not valid base64url"}
	}
	sig, err := decodeSegment(s)
	if err != nil {
		return nil, &MalformedError{Part: "signature", Reason: "is not valid base64url"}
	}
	if header == nil {
		if header, err = parseObject(headerJSON); err != nil {
			return nil, &MalformedError{Part: "header", Reason: err.Error()}
		}
		if p != nil && len(p.headers) < maxRememberedHeaders {
			if p.headers == nil {
				p.headers = make(map[string]*Object)
			}
			p.headers[strings.Clone(h)] = header // h may share memory with a large buffer
		}
	}
	if header.Has("enc") {
		return nil, ErrEncrypted
	}
	claims, err := parseObject(payloadJSON)
	if err != nil {
		return nil, &MalformedError{Part: "payload", Reason: err.Error()}
	}
	return &Token{Raw: raw, Header: header, Claims: claims, Signature: sig, signed: len(h) + 1 + len(pl)}, nil
}

func split3(raw string) (string, string, string) {
	i := strings.IndexByte(raw, '.')
	j := i + 1 + strings.IndexByte(raw[i+1:], '.')
	return raw[:i], raw[i+1 : j], raw[j+1:]
}

// decodeSegment decodes base64url, with or without padding. Standard base64
// characters (+ and /) are not base64url and are refused.
func decodeSegment(seg string) ([]byte, error) {
	seg = strings.TrimRight(seg, "=")
	return base64.RawURLEncoding.DecodeString(seg)
}

// decodeSegmentTo is decodeSegment appending to dst.
func decodeSegmentTo(dst []byte, seg string) ([]byte, error) {
	seg = strings.TrimRight(seg, "=")
	return base64.RawURLEncoding.AppendDecode(dst, []byte(seg))
}

// looksOpaque reports whether s is made of token-like characters and long
// enough to be an access token rather than a typo.
func looksOpaque(s string) bool {
	if len(s) < 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_+/=!*~%", c) >= 0) {
			return false
		}
	}
	return true
}
