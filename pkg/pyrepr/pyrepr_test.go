package pyrepr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func decode(t *testing.T, in string) any {
	t.Helper()
	out, err := ToJSON(in)
	if err != nil {
		t.Fatalf("ToJSON(%.60q): %v", in, err)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("ToJSON(%.60q) gave invalid JSON %s: %v", in, out, err)
	}
	return v
}

func TestLiterals(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{'a': 'b'}`, `{"a":"b"}`},
		{`{"a": "it's"}`, `{"a":"it's"}`},
		{`{'a': True, 'b': False, 'c': None}`, `{"a":true,"b":false,"c":null}`},
		{`{'n': 3599, 'f': 1.5, 'e': 1e+16, 'neg': -2}`, `{"e":1e+16,"f":1.5,"n":3599,"neg":-2}`},
		{`{'t': (1, 2), 'l': [], 'd': {}}`, `{"d":{},"l":[],"t":[1,2]}`},
		{`{'esc': 'a\'b\\c\n\x41\u00e9\U0001F600'}`, `{"esc":"a'b\\c\nAé😀"}`},
		{`{'b': b'bytes', 'r': r'\d+'}`, `{"b":"bytes","r":"\\d+"}`},
		{"{'wrapped': ('abc '\n             'def')}", `{"wrapped":"abc def"}`},
		{"{'wrapped': 'abc '\n             'def'}", `{"wrapped":"abc def"}`},
		{`{1: 'one', 2.5: 'x'}`, `{"1":"one","2.5":"x"}`},
		{`headers = {'a': 'b'}`, `{"a":"b"}`},
		{`Headers({'a': 'b'})`, `{"a":"b"}`},
		{`headers: {'a': 'b'}`, `{"a":"b"}`},
		{"{\n\"a\":\"b\"\n\"c\":\"d\"\n}", `{"a":"b","c":"d"}`},
		{`{'a': 'b',}`, `{"a":"b"}`},
		{`[{'x': 1}, {'x': 2}]`, `[{"x":1},{"x":2}]`},
		{`{'when': datetime.datetime(2025, 12, 2, 19, 6)}`, `{"when":"datetime.datetime(2025, 12, 2, 19, 6)"}`},
		{`{'s': {'a', 'b'}}`, `{"s":{"a":true,"b":true}}`},
		{`{'x': float('inf')}`, `{"x":"float('inf')"}`},
		{`{"json": true, "null": null, "u": "\u00e9\/"}`, `{"json":true,"null":null,"u":"é/"}`},
		{`{'a': 1}  # a comment`, `{"a":1}`},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got := decode(t, tc.in)
			var want any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ToJSON(%q) = %v, want %v", tc.in, got, want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	cases := map[string]string{
		"":                  "not a Python dict",
		"hello":             "not a Python dict",
		`{'a': 'b'`:         "not closed",
		`{'a' 1}`:           "expected ':'",
		`{'a': 'b}`:         "not closed",
		`{'a': undefined}`:  `unknown name "undefined"`,
		`{'a': 1} trailing`: "after the literal",
		`{'a': '\x4'}`:      "escape",
		strings.Repeat("[", 100) + strings.Repeat("]", 100): "nested",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			_, err := ToJSON(in)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("ToJSON(%q) error = %v, want one containing %q", in, err, want)
			}
		})
	}
}

func TestLooksLike(t *testing.T) {
	for in, want := range map[string]bool{
		`{'a': 'b'}`:         true,
		`x = {'a': True}`:    true,
		`Headers({'a': 1})`:  true,
		`{"a": "b"}`:         false,
		`eyJhbGciOi.eyJ.sig`: false,
		`[1, None]`:          true,
	} {
		if got := LooksLike(in); got != want {
			t.Errorf("LooksLike(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestSamples reads the samples python3 printed (testdata/paste/make_samples.py):
// print, pprint, an assignment and st.write's copied text of one dict all give
// the same document.
func TestSamples(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "paste")
	read := func(name string) any {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, string(data))
	}
	want := read("streamlit_headers_print.txt")
	for _, name := range []string{"streamlit_headers_pprint.txt", "streamlit_headers_assign.txt", "streamlit_stwrite_copy.txt"} {
		if got := read(name); !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from print's form:\n%v\n%v", name, got, want)
		}
	}
	ua := want.(map[string]any)["User-Agent"].(string)
	if !strings.HasPrefix(ua, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)") {
		t.Errorf("pprint's wrapped User-Agent read as %q", ua)
	}
	m1, m2 := read("msal_response_print.txt"), read("msal_response_pprint.txt")
	if !reflect.DeepEqual(m1, m2) {
		t.Errorf("MSAL response: print and pprint differ")
	}
	if m1.(map[string]any)["id_token_claims"].(map[string]any)["preferred_username"] != "ada@contoso.com" {
		t.Errorf("MSAL id_token_claims not read: %v", m1)
	}
}

func FuzzToJSON(f *testing.F) {
	for _, s := range []string{`{'a': 'b'}`, `x = {'a': (1, 2.5, None)}`, `Headers({'k': 'v' 'w'})`, "{\n\"a\":\"b\"\n\"c\":1\n}", `{'a': '\x41\u00e9'}`, `[b'x', r'\d']`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := ToJSON(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("ToJSON(%q) = %s: not JSON", in, out)
		}
	})
}
