package version

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/azid-cli/azid/pkg/buildinfo"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestNewCmdFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Format != output.FormatJSON || got.Info == nil {
		t.Fatalf("options = %+v", got)
	}

	cmd = NewCmd(f, func(context.Context, *Options) error { t.Error("ran with an argument"); return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SetErr(&testWriter{})
	err := cmd.Execute()
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
		t.Errorf("extra argument: err %v, exit %d", err, code)
	}
}

type testWriter struct{}

func (*testWriter) Write(p []byte) (int, error) { return len(p), nil }

func TestRun(t *testing.T) {
	info := buildinfo.Info{Version: "v1.2.3", Commit: "0123456789abcdef0123", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.26.0", Platform: "linux/amd64"}
	cases := []struct {
		name   string
		format output.Format
		want   string
	}{
		{"text", output.FormatText, "azid v1.2.3 (0123456789ab, 2026-12-01T10:00:00Z) go1.26.0 linux/amd64\n"},
		{"json", output.FormatJSON, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			opts := &Options{IO: ios, Format: tc.format, Info: func() buildinfo.Info { return info }}
			if err := run(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if errOut.Len() != 0 {
				t.Errorf("stderr %q", errOut)
			}
			if tc.want != "" {
				if out.String() != tc.want {
					t.Errorf("got %q, want %q", out, tc.want)
				}
				return
			}
			var back buildinfo.Info
			if err := json.Unmarshal(out.Bytes(), &back); err != nil || back != info {
				t.Errorf("json %q: %v, %+v", out, err, back)
			}
		})
	}
}

func TestLine(t *testing.T) {
	cases := map[string]buildinfo.Info{
		"azid (devel) go1.26.0 linux/arm64":               {Version: "(devel)", GoVersion: "go1.26.0", Platform: "linux/arm64"},
		"azid v1.0.0 (abc) go1.26.0 darwin/arm64":         {Version: "v1.0.0", Commit: "abc", GoVersion: "go1.26.0", Platform: "darwin/arm64"},
		"azid v1.0.0 (abcdefabcdef, d) go1 windows/amd64": {Version: "v1.0.0", Commit: "abcdefabcdef99", Date: "d", GoVersion: "go1", Platform: "windows/amd64"},
	}
	for want, info := range cases {
		t.Run(want, func(t *testing.T) {
			if got := Line(info); got != want {
				t.Errorf("Line(%+v) = %q, want %q", info, got, want)
			}
		})
	}
}
