package token

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/azid-cli/azid/internal/testjwt"
)

func TestParseValid(t *testing.T) {
	tok := testjwt.Unsigned(`{"typ":"JWT","alg":"RS256","kid":"k1"}`, `{"aud":"a","exp":1700000000.5,"big":12345678901234567890,"b":"x"}`) + "c2ln"
	got, err := Parse(tok)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got.Alg() != "RS256" || got.Header.Str("kid") != "k1" {
		t.Errorf("header = %+v", got.Header.Keys())
	}
	if keys := strings.Join(got.Claims.Keys(), ","); keys != "aud,exp,big,b" {
		t.Errorf("claim order = %s, want aud,exp,big,b", keys)
	}
	raw, _ := got.Claims.Raw("big")
	if string(raw) != "12345678901234567890" {
		t.Errorf("big number = %s, want it verbatim", raw)
	}
	if string(got.Signature) != "sig" {
		t.Errorf("signature = %q", got.Signature)
	}
	if got.SigningInput() != tok[:strings.LastIndex(tok, ".")] {
		t.Error("SigningInput is not header.payload")
	}
	if tm, ok := got.Claims.Time("exp"); !ok || tm.Unix() != 1700000000 || tm.Nanosecond() != 5e8 {
		t.Errorf("exp = %v %v", tm, ok)
	}
}

func TestParsePaddingTolerated(t *testing.T) {
	h := testjwt.B64([]byte(`{"alg":"RS256"}`)) + "=="
	p := testjwt.B64([]byte(`{"a":1}`)) + "="
	if _, err := Parse(h + "." + p + ".c2ln"); err != nil {
		t.Fatalf("padded segments: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	hdr := testjwt.B64([]byte(`{"alg":"RS256"}`))
	pay := testjwt.B64([]byte(`{"sub":"x"}`))
	cases := []struct {
		name, in string
		want     error  // sentinel, or nil to check the message
		msg      string // substring of the message
	}{
		{"empty", "", ErrEmpty, ""},
		{"jwe", "a.b.c.d.e", ErrEncrypted, ""},
		{"opaque", "EwBwA8l6BAAURSN_opaque_token_value_1234567890", nil, "opaque token"},
		{"one word", "hello", nil, "found one"},
		{"two parts", "abc.def", nil, "found 2"},
		{"four parts", "a.b.c.d", nil, "found 4"},
		{"six parts", "a.b.c.d.e.f", nil, "found 6"},
		{"empty header", "." + pay + ".sig", nil, "empty"},
		{"empty payload", hdr + "..sig", nil, "empty"},
		{"bad base64 header", "!!!." + pay + ".sig", nil, "header is not valid base64url"},
		{"std base64 header", "ab+/." + pay + ".sig", nil, "header is not valid base64url"},
		{"bad base64 payload", hdr + ".$$$.sig", nil, "payload is not valid base64url"},
		{"bad base64 signature", hdr + "." + pay + ".*", nil, "signature is not valid base64url"},
		{"header not json", testjwt.B64([]byte("hello")) + "." + pay + ".", nil, "header is not JSON"},
		{"header array", testjwt.B64([]byte("[1]")) + "." + pay + ".", nil, "header is not a JSON object"},
		{"payload not json", hdr + "." + testjwt.B64([]byte("plain text")) + ".", nil, "payload is not JSON"},
		{"payload string", hdr + "." + testjwt.B64([]byte(`"s"`)) + ".", nil, "payload is not a JSON object"},
		{"payload truncated", hdr + "." + testjwt.B64([]byte(`{"a":`)) + ".", nil, "payload is not valid JSON"},
		{"payload trailing", hdr + "." + testjwt.B64([]byte(`{"a":1} {}`)) + ".", nil, "payload has data after"},
		{"payload extra brace", hdr + "." + testjwt.B64([]byte(`{"a":1}}`)) + ".", nil, "payload has data after"},
		{"payload array then data", hdr + "." + testjwt.B64([]byte(`[1] x`)) + ".", nil, "payload is not JSON"},
		{"jwe header in 3 parts", testjwt.B64([]byte(`{"alg":"RSA-OAEP","enc":"A256GCM"}`)) + "." + pay + ".", ErrEncrypted, ""},
		{"too large", strings.Repeat("a", MaxTokenSize+1), ErrTooLarge, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q, want it to contain %q", err, tc.msg)
			}
			if !IsInputError(err) {
				t.Errorf("IsInputError(%v) = false", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if len(tc.in) > 20 && strings.Contains(err.Error(), tc.in) {
				t.Errorf("error quotes the token: %q", err)
			}
		})
	}
}

func TestDuplicateClaims(t *testing.T) {
	tok, err := Parse(testjwt.Unsigned(`{"alg":"RS256"}`, `{"aud":"a","aud":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Claims.Str("aud"); got != "b" {
		t.Errorf("aud = %q, want the last value like encoding/json", got)
	}
	if len(tok.Claims.Duplicates) != 1 || tok.Claims.Duplicates[0] != "aud" {
		t.Errorf("Duplicates = %v", tok.Claims.Duplicates)
	}
	if tok.Claims.Len() != 1 {
		t.Errorf("Len = %d", tok.Claims.Len())
	}
}

func TestObjectAccessors(t *testing.T) {
	tok, err := Parse(testjwt.Unsigned(`{"alg":"none"}`,
		`{"s":"x","n":42,"ns":"1700000000","arr":["a",1,true],"bad":"z","inf":1e400,"huge":1e300,"neg":-5}`))
	if err != nil {
		t.Fatal(err)
	}
	c := tok.Claims
	if got := c.Strings("arr"); strings.Join(got, "|") != "a|1|true" {
		t.Errorf("Strings(arr) = %v", got)
	}
	if got := c.Strings("s"); len(got) != 1 || got[0] != "x" {
		t.Errorf("Strings(s) = %v", got)
	}
	if c.Strings("missing") != nil {
		t.Error("Strings(missing) != nil")
	}
	if _, ok := c.String("n"); ok {
		t.Error("String(n) ok for a number")
	}
	if tm, ok := c.Time("ns"); !ok || tm.Unix() != 1700000000 {
		t.Errorf("Time(numeric string) = %v %v", tm, ok)
	}
	for _, name := range []string{"bad", "inf", "huge", "missing"} {
		if _, ok := c.Time(name); ok {
			t.Errorf("Time(%s) ok, want not a time", name)
		}
	}
	if tm, ok := c.Time("neg"); !ok || tm.Unix() != -5 {
		t.Errorf("Time(neg) = %v", tm)
	}
}

func TestValidJSONNestingLimit(t *testing.T) {
	for _, depth := range []int{maxJSONNesting, maxJSONNesting + 1} {
		doc := []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth))
		if got, want := validJSON(doc), json.Valid(doc); got != want {
			t.Errorf("depth %d: validJSON %v, json.Valid %v", depth, got, want)
		}
	}
}

func TestParserRemembersHeadersWithinBounds(t *testing.T) {
	var p Parser
	header := `{"typ":"JWT","alg":"RS256","kid":"k1"}`
	a, err := p.Parse(testjwt.Unsigned(header, `{"sub":"a"}`) + "c2ln")
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Parse(testjwt.Unsigned(header, `{"sub":"b"}`) + "c2ln")
	if err != nil {
		t.Fatal(err)
	}
	if a.Header != b.Header {
		t.Error("the same header was decoded twice")
	}
	if a.Claims.Str("sub") != "a" || b.Claims.Str("sub") != "b" || b.Header.Str("kid") != "k1" {
		t.Errorf("claims mixed up: %q %q", a.Claims.Str("sub"), b.Claims.Str("sub"))
	}
	for i := range maxRememberedHeaders * 2 {
		if _, err := p.Parse(testjwt.Unsigned(`{"alg":"RS256","kid":"k`+strconv.Itoa(i)+`"}`, `{}`) + "c2ln"); err != nil {
			t.Fatal(err)
		}
	}
	if len(p.headers) != maxRememberedHeaders {
		t.Errorf("%d headers remembered, want at most %d", len(p.headers), maxRememberedHeaders)
	}
}

func TestParseInputSizeLimitCountsSurroundingSpace(t *testing.T) {
	var p Parser
	padded := jwt3 + strings.Repeat(" ", MaxTokenSize)
	if _, err := p.ParseInput(padded); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ParseInput of %d bytes: %v, want ErrTooLarge as Extract gives", len(padded), err)
	}
	if _, err := p.ParseInput(" Bearer " + jwt3 + "\n"); err != nil {
		t.Errorf("ParseInput with a Bearer prefix: %v", err)
	}
}

func TestNumberSmallIntegerMatchesParseFloat(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "007", "1764460000", "-1764460000", "999999999999999", "1000000000000000",
		"12345678901234567890", "1.5", "1e3", "-", "", "0x10", "1_000", "+5", " 5", "Inf", "NaN"} {
		o, err := parseObject([]byte(`{"n":"` + s + `"}`))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := o.Number("n")
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && !math.IsInf(want, 0) && !math.IsNaN(want)
		if ok != wantOK || ok && got != want {
			t.Errorf("Number(%q) = %v %v, ParseFloat gives %v %v", s, got, ok, want, wantOK)
		}
	}
}
