package jsonw

import (
	"bytes"
	"encoding/json"
	"testing"
)

// stdlib is what encoding/json writes for v, with HTML escaping off.
func stdlib(t testing.TB, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestStringMatchesEncodingJSON(t *testing.T) {
	for name, s := range map[string]string{
		"empty":            "",
		"ascii":            "alex@contoso.com",
		"quote, backslash": `a "b" \c`,
		"control":          "tab\tnl\n\x00\x1f",
		"html":             "<script>&</script>",
		"unicode":          "Zoë 東京 😀",
		"line separator":   "a\u2028b\u2029c",
		"invalid utf-8":    "bad\xffbyte",
		"delete":           "del\x7f",
	} {
		t.Run(name, func(t *testing.T) {
			if got, want := string(String(nil, s)), stdlib(t, s); got != want {
				t.Errorf("String(%q) = %s, want %s", s, got, want)
			}
		})
	}
}

func TestStringsAndKeys(t *testing.T) {
	if got := string(Strings(nil, nil)); got != "null" {
		t.Errorf("Strings(nil) = %s, want null as encoding/json writes it", got)
	}
	list := []string{"a", `"q"`, "ü"}
	if got, want := string(Strings(nil, list)), stdlib(t, list); got != want {
		t.Errorf("Strings = %s, want %s", got, want)
	}
	b := append([]byte(`{"valid":true`), nil...)
	b = OptString(b, "kid", "")
	b = OptString(b, "issuer", "https://login.microsoftonline.com/x/v2.0")
	b = append(b, '}')
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil || v["issuer"] == nil || v["kid"] != nil {
		t.Errorf("%s: %v (an empty OptString must be left out)", b, err)
	}
}

func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n", "<>&", "\u2028", "\xff", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := String(nil, s)
		if want := stdlib(t, s); string(got) != want {
			t.Fatalf("String(%q) = %s, want %s", s, got, want)
		}
	})
}
