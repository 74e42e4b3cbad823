package iostreams

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestEditLine(t *testing.T) {
	cases := []struct {
		name, typed, want string
		err               error
	}{
		{"a line", "s3cret\r", "s3cret", nil},
		{"newline ends it too", "s3cret\nrest", "s3cret", nil},
		{"backspace", "s3x\x7fcret\r", "s3cret", nil},
		{"ctrl-h", "s3x\x08cret\r", "s3cret", nil},
		{"backspace on empty", "\x7f\x7fok\r", "ok", nil},
		{"ctrl-u clears", "wrong\x15right\r", "right", nil},
		{"bracketed paste", "\x1b[200~AppServiceAuthSession=abc\x1b[201~\r", "AppServiceAuthSession=abc", nil},
		{"end of input after text", "no-newline", "no-newline", nil},
		{"ctrl-d on empty", "\x04", "", io.EOF},
		{"ctrl-d mid-line is ignored", "ab\x04c\r", "abc", nil},
		{"ctrl-c", "half\x03rest\r", "", context.Canceled},
		{"empty input", "", "", io.EOF},
		{"too long", strings.Repeat("x", 41) + "\r", "", ErrSecretTooLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := editLine(bufio.NewReader(strings.NewReader(tc.typed)), 40)
			if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Errorf("editLine(%q) = %q, %v; want %q, %v", tc.typed, got, err, tc.want, tc.err)
			}
		})
	}
}

func TestReadSecretWithoutTerminal(t *testing.T) {
	ios, in, _, errOut := Test()
	ios.SetTTY(true, false, true) // a terminal in name, a buffer in fact: no echo to turn off
	in.WriteString("cookie-value\n")
	got, err := ios.ReadSecret("Paste it: ", 1<<10)
	if err != nil || got != "cookie-value" {
		t.Errorf("ReadSecret = %q, %v", got, err)
	}
	if errOut.String() != "Paste it: " {
		t.Errorf("stderr %q, want the prompt", errOut.String())
	}
}
