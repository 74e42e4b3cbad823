// Package version implements `azid version`.
package version

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/buildinfo"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid version`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	// Info returns the build's version information.
	Info func() buildinfo.Info
}

// NewCmd builds the version command. runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Info: buildinfo.Get}
	return &cobra.Command{
		Use:   "version",
		Short: "Print azid's version",
		Long: `Print azid's version, the commit and date it was built from, the Go version and
the platform. With -o json or -o yaml, the same as an object, for bug reports.`,
		Example: `  azid version
  azid version -o json | jq -r .version`,
		Args: cmdutil.MaximumArgs(0, "version takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

func run(_ context.Context, opts *Options) error {
	info := opts.Info()
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, info)
	}
	_, err := fmt.Fprintln(opts.IO.Out, Line(info))
	return err
}

// Line is the one-line version text, also used by --version.
func Line(info buildinfo.Info) string {
	s := "azid " + info.Version
	if info.Commit != "" {
		c := info.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (" + c
		if info.Date != "" {
			s += ", " + info.Date
		}
		s += ")"
	}
	return s + " " + info.GoVersion + " " + info.Platform
}
