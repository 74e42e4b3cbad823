package token

import (
	"encoding/json"
	"reflect"
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

// FuzzParseObject checks the fast member splitter against encoding/json.
func FuzzParseObject(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":"x\"y","c":[1,{"d":"}"}],"a":2}`))
	f.Add([]byte(` {"k\u0041":true , "e":{} } `))
	f.Add([]byte(`{"a":"\\","b":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := parseObject(data)
		var want map[string]json.RawMessage
		stdErr := json.Unmarshal(data, &want)
		if (err == nil) != (stdErr == nil) {
			// encoding/json rejects a JSON null as an object only by leaving the map nil
			if !(err != nil && stdErr == nil && want == nil) {
				t.Fatalf("parseObject err=%v, encoding/json err=%v", err, stdErr)
			}
			return
		}
		if err != nil {
			return
		}
		if len(want) != o.Len() {
			t.Fatalf("%d members, encoding/json found %d", o.Len(), len(want))
		}
		for k, v := range want {
			got, ok := o.Raw(k)
			if !ok {
				t.Fatalf("member %q missing", k)
			}
			var a, b any
			if json.Unmarshal(got, &a) != nil || json.Unmarshal(v, &b) != nil || !reflect.DeepEqual(a, b) {
				t.Fatalf("member %q = %s, encoding/json says %s", k, got, v)
			}
			if s, ok := o.String(k); ok {
				var std string
				if json.Unmarshal(v, &std) != nil || std != s {
					t.Fatalf("String(%q) = %q, want %q", k, s, std)
				}
			}
		}
	})
}
