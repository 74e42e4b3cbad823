package token

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
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
		// A Parser, which remembers headers, must answer as Parse does,
		// the first time and the next.
		var p Parser
		for range 2 {
			ptok, perr := p.Parse(in)
			if (err == nil) != (perr == nil) || err != nil && err.Error() != perr.Error() {
				t.Fatalf("Parse: %v; Parser.Parse: %v", err, perr)
			}
			if err == nil && (ptok.Header.text != tok.Header.text || ptok.Claims.text != tok.Claims.text || string(ptok.Signature) != string(tok.Signature)) {
				t.Fatal("Parser.Parse decoded another token than Parse")
			}
		}
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
		if tok.SigningInput() != in[:strings.LastIndexByte(in, '.')] {
			t.Fatalf("SigningInput %q is not the part before the last dot", tok.SigningInput())
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
		ex, err := Extract(string(in))
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
	f.Add([]byte(`{"aaaaaaaaaaaaaaa\"bbbbbbbbbbb":"cccccccccccccccc\\dddddddd\u0041eeeeeeeeeeeee", "n" : [ {"x":"yyyyyyyyyyyyyyyyyy"} ] , "z":-1.5e3}`))
	f.Add([]byte("{\"k\":\"aaaaaaaaaaaa\x1fbbbbbbbbb\"}"))
	f.Add([]byte(`{"a":{},"b":[],"c":{"d":{}},"a":"again"}`))
	f.Add(enterprisePayload) // past smallObject: looked up through the table
	f.Add([]byte(`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"r":18,"s":19,"t":20,"u":21,"v":22,"w":23,"x":24,"y":25,"z":26,"A":27,"B":28,"C":29,"D":30,"E":31,"F":32,"G":33,"a":"dup","z":"dup"}`))
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
		if names := memberNames(t, data); !slices.Equal(names, o.Keys()) {
			t.Fatalf("member order %q, encoding/json reads %q", o.Keys(), names)
		}
		for k, v := range want {
			got, ok := o.Raw(k)
			if !ok {
				t.Fatalf("member %q missing", k)
			}
			if len(bytes.Trim(got, " \t\r\n")) != len(got) {
				t.Fatalf("member %q's value %q holds surrounding space", k, got)
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

// FuzzValidJSON holds validJSON to encoding/json's answer on every input.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, ` {"a":[1,-2.5e+3,true,false,null,"\u00e9\n"]} `, `{"a":}`, `[1,]`,
		`{"a" 1}`, `01`, `-`, `1.`, `1e`, `"\x"`, `"\u12"`, "\"\x01\"", `{"a":1}{}`, `[[[[]]]]`, `{"a":{"b":[{}]}}`,
		"\"\xff\"", `tru`, `nulll`, `[1 2]`, `{,}`, `"abc`, `{"a":"b",}`, `1E+2`, `-0.0e-0`, ``, ` `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := validJSON(in), json.Valid(in); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", in, got, want)
		}
	})
}

// memberNames lists the names of a valid JSON object's members in order of
// first appearance, read with encoding/json.
func memberNames(t *testing.T, doc []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var names []string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		name := tok.(string)
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// FuzzParseInput holds Parser.ParseInput to Extract followed by Parse.
func FuzzParseInput(f *testing.F) {
	for _, s := range []string{jwt3, " " + jwt3 + "\r\n", "Bearer " + jwt3, `"` + jwt3 + `"`, jwt3[:10] + "\r" + jwt3[10:],
		jwt3[:10] + "\n" + jwt3[10:], "access_token=" + jwt3, "\ufeff" + jwt3, jwt3 + "==", "eyJ\x00.a.b", `{"id_token":"` + jwt3 + `"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var want *Token
		ex, err := Extract(in)
		if err == nil {
			want, err = Parse(ex.Token)
		}
		var p Parser
		got, gotErr := p.ParseInput(in)
		if (err == nil) != (gotErr == nil) || err != nil && err.Error() != gotErr.Error() {
			t.Fatalf("Extract+Parse: %v; ParseInput: %v", err, gotErr)
		}
		if err == nil && (got.Raw != want.Raw || got.Claims.text != want.Claims.text || got.Header.text != want.Header.text) {
			t.Fatalf("ParseInput read %q, Extract+Parse %q", got.Raw, want.Raw)
		}
	})
}
