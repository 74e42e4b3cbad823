package token

import (
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	f.Add(jwt3)
	f.Add("a.b.c.d.e")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOiIxZTk5OSJ9.")
	f.Add("eyJhbGciOiJSUzI1NiJ9.W10.")
	f.Add("..")
	f.Add("eyJ9.eyJ9.e30")
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := Parse(in)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			if len(in) > 40 && strings.Contains(err.Error(), in) {
				t.Fatalf("error quotes the input")
			}
			return
		}
		if tok.Header == nil || tok.Claims == nil {
			t.Fatal("nil header or claims")
		}
		// Classification must never panic on any parsed token.
		s := Classify(tok, time.Unix(1796040000, 0))
		if s.Kind == "" || s.SubjectType == "" {
			t.Fatal("empty classification")
		}
		if _, err := tok.Claims.MarshalJSON(); err != nil {
			t.Fatalf("claims do not re-encode: %v", err)
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(jwt3))
	f.Add([]byte("Authorization: Bearer " + jwt3))
	f.Add([]byte(`[{"access_token":"` + jwt3 + `"}]`))
	f.Add([]byte("https://x/#id_token=" + jwt3 + "&state=1"))
	f.Add([]byte(`"'Bearer x'"`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ex, err := Extract(in)
		if err != nil {
			if !IsInputError(err) {
				t.Fatalf("error of an unexpected type: %v", err)
			}
			return
		}
		if ex.Token == "" {
			t.Fatal("empty token without an error")
		}
		if len(ex.Token) > len(in) {
			t.Fatalf("extracted token longer than the input")
		}
		_, _ = Parse(ex.Token)
	})
}
