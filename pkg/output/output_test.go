package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain text ü":       "plain text ü",
		"\x1b[31mred\x1b[0m": `\x1b[31mred\x1b[0m`,
		"bell\a":             `bell\x07`,
		"line\nbreak":        `line\x0abreak`,
		"rtl\u202eoverride":  `rtl\u202eoverride`,
		"c1\u009bcsi":        `c1\x9bcsi`,
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got := Sanitize(in); got != want {
				t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestPalette(t *testing.T) {
	if got := NewPalette(false).Red("x"); got != "x" {
		t.Errorf("disabled palette coloured: %q", got)
	}
	if got := NewPalette(true).Red("x"); !strings.Contains(got, "\x1b[") {
		t.Errorf("enabled palette did not colour: %q", got)
	}
}

func TestWriteYAMLKeepsOrderAndNumbers(t *testing.T) {
	raw := json.RawMessage(`{"z":1,"a":12345678901234567890,"f":1.5,"s":"yes","n":null,"b":true,"l":["x",2]}`)
	var buf bytes.Buffer
	if err := WriteYAML(&buf, raw); err != nil {
		t.Fatal(err)
	}
	want := "z: 1\na: 12345678901234567890\nf: 1.5\ns: \"yes\"\n\"n\": null\nb: true\nl:\n  - x\n  - 2\n"
	if buf.String() != want {
		t.Errorf("YAML =\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteJSONDoesNotEscapeHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, map[string]string{"u": "https://x/?a=1&b=<2>"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "a=1&b=<2>") {
		t.Errorf("HTML escaped: %s", buf.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, ok := range []string{"text", "json", "yaml", "JSON"} {
		if _, err := ParseFormat(ok); err != nil {
			t.Errorf("ParseFormat(%q): %v", ok, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}
