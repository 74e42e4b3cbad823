package explain

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestLookup(t *testing.T) {
	cases := []struct{ key, kind, name string }{
		{"AADSTS50011", "aadsts", "InvalidReplyTo"},
		{"aadsts700016", "aadsts", "UnauthorizedClient_DoesNotMatchRequest"},
		{"50076", "aadsts", "UserStrongAuthClientAuthNRequired"},
		{"62e90394-69f5-4237-9190-012177145e10", "role", "Global Administrator"},
		{"Security Reader", "role", "Security Reader"},
		{"oid", "claim", ""},
		{"kid", "header", ""},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			entries, err := Lookup(tc.key)
			if err != nil {
				t.Errorf("Lookup(%q): %v", tc.key, err)
				return
			}
			if entries[0].Kind != tc.kind || entries[0].Name != tc.name {
				t.Errorf("Lookup(%q) = %+v", tc.key, entries[0])
			}
		})
	}
	// nonce is both a header member and an ID token claim
	if entries, _ := Lookup("nonce"); len(entries) != 2 {
		t.Errorf("nonce: %+v", entries)
	}
}

func TestLookupErrors(t *testing.T) {
	for key, msg := range map[string]string{
		"":                                     "nothing to explain",
		"AADSTS1234567":                        "not in azid's catalogue",
		"00000000-0000-0000-0000-000000000000": "not a known directory role",
		"bogus\x1b[31m":                        `nothing known about "bogus\\x1b[31m"`,
	} {
		_, err := Lookup(key)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Lookup(%q) err = %v, want %q", key, err, msg)
		}
		if code, _ := cmdutil.ExitCode(err); code != 1 {
			t.Errorf("Lookup(%q) exit code %d", key, code)
		}
	}
	_, err := Lookup("AADSTS1234567")
	if _, hint := cmdutil.ExitCode(err); !strings.Contains(hint, "login.microsoftonline.com/error?code=1234567") {
		t.Errorf("hint = %q", hint)
	}
}

func TestRunGolden(t *testing.T) {
	for _, key := range []string{"AADSTS50011", "62e90394-69f5-4237-9190-012177145e10", "nonce"} {
		ios, _, out, _ := iostreams.Test()
		if err := run(t.Context(), &Options{IO: ios, Format: output.FormatText, Key: key}); err != nil {
			t.Fatal(err)
		}
		golden.Assert(t, "explain-"+strings.ToLower(key[:min(8, len(key))])+".txt", out.Bytes())
	}
	ios, _, out, _ := iostreams.Test()
	if err := run(t.Context(), &Options{IO: ios, Format: output.FormatJSON, Key: "50011"}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "explain-50011.json", out.Bytes())
}

func TestNewCmdFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"AADSTS50011"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Key != "AADSTS50011" || got.Format != output.FormatJSON || got.IO != ios {
		t.Errorf("options = %+v", got)
	}
	for _, args := range [][]string{{}, {"a", "b"}} {
		cmd = NewCmd(f, func(context.Context, *Options) error { t.Error("ran with bad arguments"); return nil })
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		var flagErr *cmdutil.FlagError
		if err := cmd.Execute(); !errors.As(err, &flagErr) {
			t.Errorf("args %q: err = %v, want a usage error", args, err)
		}
	}
}
