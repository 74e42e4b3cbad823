package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	cases := map[time.Duration]string{
		0:                               "0s",
		42 * time.Second:                "42s",
		90 * time.Second:                "1m30s",
		42 * time.Minute:                "42m",
		42*time.Minute + 10*time.Second: "42m",
		3*time.Hour + 12*time.Minute:    "3h12m",
		3 * time.Hour:                   "3h",
		50 * time.Hour:                  "2d2h",
		-(3*time.Hour + 12*time.Minute): "3h12m",
		400 * 24 * time.Hour:            "1y35d",
		2 * 365 * 24 * time.Hour:        "2y",
	}
	for d, want := range cases {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRelative(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	if got := Relative(now.Add(42*time.Minute), now); got != "in 42m" {
		t.Errorf("future = %q", got)
	}
	if got := Relative(now.Add(-3*time.Hour), now); got != "3h ago" {
		t.Errorf("past = %q", got)
	}
	if got := Relative(now, now); got != "now" {
		t.Errorf("now = %q", got)
	}
	if got := Timestamp(now.In(time.FixedZone("X", 3600))); got != "2026-11-30 12:00:00 UTC" {
		t.Errorf("Timestamp = %q", got)
	}
}

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
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
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
