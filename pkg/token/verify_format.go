package token

import (
	"encoding/json"
	"strings"
)

// checkFormat fails a token that has more than one meaning or spelling
// (RFC 7515 §4, §4.1.11, RFC 7797): duplicate member names, a crit header
// (azid implements no extension), b64 false, non-canonical base64url. The
// check is reported only when it fails.
func checkFormat(t *Token, v *Verification) {
	var problems []string
	if d := t.Header.Duplicates; len(d) > 0 {
		problems = append(problems, "the header repeats "+strings.Join(d, ", ")+": readers disagree on which value counts")
	}
	if d := t.Claims.Duplicates; len(d) > 0 {
		problems = append(problems, "the claims repeat "+strings.Join(d, ", ")+": readers disagree on which value counts")
	}
	if t.Header.Has("crit") {
		problems = append(problems, "the header lists critical extensions (crit), which azid does not implement")
	}
	if raw, ok := t.Header.get("b64"); ok && raw != "true" {
		problems = append(problems, "the header sets b64 (unencoded payload, RFC 7797), which Entra never uses")
	}
	if !canonicalToken(t.Raw) {
		problems = append(problems, "a part is not canonical base64url (padding, or stray bits in its last character): one token must have one spelling")
	}
	if len(problems) > 0 {
		v.add(Check{Name: "format", Status: Failed, Code: CodeMalformed, Detail: strings.Join(problems, "; ")})
	}
}

// canonicalToken reports whether every part of a compact JWT is base64url
// as RFC 7515 writes it: no padding, and zero unused bits in the last
// character, so no other string decodes to the same bytes.
func canonicalToken(raw string) bool {
	for part := range strings.SplitSeq(raw, ".") {
		if !canonicalSegment(part) {
			return false
		}
	}
	return true
}

func canonicalSegment(s string) bool {
	if strings.IndexByte(s, '=') >= 0 {
		return false
	}
	if len(s) == 0 {
		return true
	}
	val := func(c byte) int {
		switch {
		case 'A' <= c && c <= 'Z':
			return int(c - 'A')
		case 'a' <= c && c <= 'z':
			return int(c-'a') + 26
		case '0' <= c && c <= '9':
			return int(c-'0') + 52
		case c == '-':
			return 62
		case c == '_':
			return 63
		}
		return -1
	}
	last := val(s[len(s)-1])
	switch len(s) % 4 {
	case 1:
		return false
	case 2:
		return last&0x0f == 0
	case 3:
		return last&0x03 == 0
	}
	return last >= 0
}

// numericDate reports whether a claim's raw value is a JSON number, as a
// NumericDate must be (a string such as "0x1p33" is not an expiry).
func numericDate(o *Object, name string) bool {
	raw, ok := o.get(name)
	return ok && len(raw) > 0 && (raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9')
}

// audiences returns aud when it is a string or an array of strings only;
// ok is false for any other shape (a number in the array is not an audience).
//
// A single string audience is returned in one, so the usual token's
// audience check allocates nothing when one does not escape.
func audiences(o *Object, one *[1]string) (auds []string, ok bool) {
	raw, present := o.get("aud")
	if !present {
		return nil, true
	}
	if s, isStr := o.String("aud"); isStr {
		one[0] = s
		return one[:], true
	}
	if err := json.Unmarshal([]byte(raw), &auds); err != nil {
		return nil, false
	}
	return auds, true
}
