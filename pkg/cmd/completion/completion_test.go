package completion

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

func TestNewCmdFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}}
	for _, tc := range []struct {
		name string
		args []string
		code int // 0: runs
	}{
		{"zsh", []string{"zsh"}, 0},
		{"none", nil, cmdutil.ExitUsage},
		{"two", []string{"bash", "zsh"}, cmdutil.ExitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *Options
			root := &cobra.Command{Use: "azid"}
			root.AddCommand(NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil }))
			root.SetArgs(append([]string{"completion"}, tc.args...))
			root.SetErr(io.Discard)
			err := root.Execute()
			if code, _ := cmdutil.ExitCode(err); code != tc.code {
				t.Fatalf("err %v exit %d, want %d", err, code, tc.code)
			}
			if tc.code == 0 && (got == nil || got.Shell != tc.args[0] || got.Root != root) {
				t.Errorf("options = %+v", got)
			}
		})
	}
}

func TestRun(t *testing.T) {
	root := &cobra.Command{Use: "azid"}
	root.AddCommand(&cobra.Command{Use: "decode", Run: func(*cobra.Command, []string) {}})
	marks := map[string]string{"bash": "__azid_", "zsh": "#compdef azid", "fish": "complete -c azid", "powershell": "Register-ArgumentCompleter"}
	for _, shell := range Shells() {
		t.Run(shell, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			if err := run(context.Background(), &Options{IO: ios, Root: root, Shell: shell}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), marks[shell]) {
				t.Errorf("%s script lacks %q", shell, marks[shell])
			}
		})
	}
	ios, _, out, _ := iostreams.Test()
	err := run(context.Background(), &Options{IO: ios, Root: root, Shell: "tcsh"})
	if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage || out.Len() != 0 || !strings.Contains(err.Error(), "tcsh") {
		t.Errorf("tcsh: err %v exit %d out %q", err, code, out)
	}
}
