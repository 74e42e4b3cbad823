package me

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// TestFromGolden shows saved answers (testdata/paste) as a live call would:
// the view of a body and of curl -i output, the diagnosis of curl -v's 302.
func TestFromGolden(t *testing.T) {
	for _, tc := range []struct{ file, golden string }{
		{"auth_me_aad.json", "from-auth-me.txt"},
		{"curl_i_auth_me_200.txt", "from-auth-me.txt"},
		{"google_auth_me.json", "from-google-auth-me.txt"},
		{"curl_v_auth_me_302.txt", "from-curl-302.txt"},
		{"curl_v_swa_auth_me_null.txt", "from-curl-swa-null.txt"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			opts := &Options{IO: ios, Now: func() time.Time { return time.Date(2025, 12, 2, 19, 10, 0, 0, time.UTC) }, Format: output.FormatText,
				From: filepath.Join("..", "..", "..", "testdata", "paste", tc.file)}
			err := run(t.Context(), opts)
			text := "--- stdout\n" + out.String() + "--- stderr\n" + errOut.String()
			if err != nil {
				code, hint := cmdutil.ExitCode(err)
				text += "--- error (exit " + string(rune('0'+code)) + ")\n" + err.Error() + "\nhint: " + hint + "\n"
			}
			golden.Assert(t, tc.golden, []byte(text))
		})
	}
}

func TestFromFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(k string) string { return map[string]string{"AZID_COOKIE": "from-env-cookie"}[k] }}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--from", "-"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.From != "-" || got.Cookie != "" {
		t.Errorf("--from: options %+v (AZID_COOKIE must not be read)", got)
	}
	for _, args := range [][]string{{"--from", "-", "--cookie", "x"}, {"--from", "-", "--zumo", "x"}, {"--from", "x", "--refresh"}} {
		cmd := NewCmd(f, func(context.Context, *Options) error { return nil })
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if code, _ := cmdutil.ExitCode(cmd.Execute()); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d, want a usage error", args, code)
		}
	}
}
