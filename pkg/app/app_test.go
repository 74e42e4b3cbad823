package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

func runApp(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func TestCompletionsUpToDate(t *testing.T) {
	scripts, err := CompletionScripts()
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != 4 {
		t.Fatalf("%d scripts", len(scripts))
	}
	for name, want := range scripts {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join("..", "..", "completions", name))
			if err != nil {
				t.Fatalf("%v (run: go run ./internal/tools/gencompletions)", err)
			}
			if string(got) != string(want) {
				t.Errorf("completions/%s is out of date: run go run ./internal/tools/gencompletions", name)
			}
		})
	}
}

func TestHelpGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"root-help.txt":    {"--help"},
		"decode-help.txt":  {"decode", "--help"},
		"explain-help.txt": {"explain", "--help"},
		"emulate-help.txt": {"emulate", "--help"},
	} {
		code, out, _ := runApp(t, args...)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		golden.Assert(t, name, []byte(out))
	}
}

func TestExitCodeMapping(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"decode", "--bogus"}, 2, "unknown flag"},
		{[]string{"-o", "csv", "version"}, 2, "--output"},
		{[]string{"--color", "pink", "version"}, 2, "--color"},
		{[]string{"explain", "AADSTS99999999"}, 1, "not in azid's catalogue"},
		{[]string{"decode", "-"}, 1, "no token given"},
		{[]string{"version"}, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			code, _, errOut := runApp(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Errorf("%v: code %d stderr %q, want %d %q", tc.args, code, errOut, tc.code, tc.msg)
			}
		})
	}
}

func TestInterruptedIs130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, _, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
	// decode on empty stdin fails; with the context cancelled, that is reported as an interrupt.
	if code := Run(ctx, f, []string{"decode", "-"}); code != 130 {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("reader exploded\nsecond line") }

// A panic is a bug: one "internal error" line asking for a report, exit 1
// (never 2, never a stack trace).
func TestPanicIsInternalError(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	ios.In = panicReader{}
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), f, []string{"decode", "-"})
	if code != cmdutil.ExitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	msg := errOut.String()
	if !strings.HasPrefix(msg, "azid: internal error: reader exploded; please report this at ") || strings.Count(msg, "\n") != 1 {
		t.Fatalf("stderr = %q, want one internal-error line", msg)
	}
	if out.Len() != 0 {
		t.Fatalf("stdout = %q", out.String())
	}
}

// hostileReader fails with text a network peer could have chosen.
type hostileReader struct{}

func (hostileReader) Read([]byte) (int, error) {
	return 0, errors.New("boom \x1b]0;pwned\x07\x1b[2J\xff")
}

func TestErrorTextCannotDriveTheTerminal(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ios.In = hostileReader{}
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), f, []string{"decode", "-"}); code == cmdutil.ExitOK {
		t.Fatal("exit 0 for a failed read")
	}
	msg := errOut.String()
	if strings.ContainsAny(msg, "\x1b\x07") || !utf8.ValidString(msg) {
		t.Fatalf("stderr carries raw control or invalid bytes: %q", msg)
	}
	if !strings.Contains(msg, "boom") {
		t.Fatalf("stderr = %q, want the error's words", msg)
	}
}

// TestHabitsFromOtherTools: flags spelled as jwt-cli, step, az, gh or curl
// spell them are usage errors that name azid's spelling; a mistyped command
// gets "did you mean".
func TestHabitsFromOtherTools(t *testing.T) {
	cases := []struct {
		args      []string
		msg, hint string
	}{
		{[]string{"verify", "--aud", "api://x", "t"}, "azid: unknown flag --aud", "hint: azid spells it --audience"},
		{[]string{"verify", "--iss=https://x", "t"}, "azid: unknown flag --iss", "hint: azid spells it --issuer"},
		{[]string{"verify", "--key", "k.pem", "t"}, "azid: unknown flag --key", "--jwks FILE|URL"},
		{[]string{"decode", "-j", "t"}, "azid: unknown flag -j", "hint: azid spells it -o json"},
		{[]string{"decode", "--json", "t"}, "azid: unknown flag --json", "hint: azid spells it -o json"},
		{[]string{"token", "--resource", "https://graph.microsoft.com"}, "azid: unknown flag --resource", "--scope <resource>/.default"},
		{[]string{"decode", "--query", "oid", "t"}, "azid: unknown flag --query", "-c/--claim NAME"},
		{[]string{"me", "--insecure"}, "azid: unknown flag --insecure", "--ca-file FILE"},
		{[]string{"verify", "--client-secret", "s", "t"}, "azid: unknown flag --client-secret", "AZURE_CLIENT_SECRET, or use --client-secret-file FILE"},
		{[]string{"decod", "t"}, `azid: unknown command "decod"`, `hint: did you mean "azid decode"?`},
		{[]string{"decode", "-o", "tsv", "t"}, "azid has no tsv", "-o json | jq -r"},
	}
	for _, tc := range cases {
		code, _, errOut := runApp(t, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.msg) || !strings.Contains(errOut, tc.hint) || strings.Count(errOut, "\n") != 2 {
			t.Errorf("%v: code %d stderr %q; want 2, %q, %q", tc.args, code, errOut, tc.msg, tc.hint)
		}
	}
}
