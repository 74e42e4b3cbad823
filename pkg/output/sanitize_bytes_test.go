package output

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Bytes from the network never reach the terminal raw: invalid UTF-8 (a
// lone byte >= 0x80), C1 controls and bidi overrides are escaped.
func TestSanitizeHighBytes(t *testing.T) {
	for _, in := range []string{"a\x9bb", "\xff\xfe", `{"x":"` + "\x1b[31m" + `"}`, "\u009b2J", "\u202eevil"} {
		got := Sanitize(in)
		if !utf8.ValidString(got) || strings.ContainsAny(got, "\x1b\u009b\u202e") {
			t.Errorf("Sanitize(%q) = %q", in, got)
		}
		for i := 0; i < len(got); i++ {
			if got[i] >= 0x80 && !utf8.ValidString(got) {
				t.Errorf("raw byte in %q", got)
			}
		}
	}
}
