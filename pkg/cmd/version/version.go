// Package version implements `azid version`.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/buildinfo"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

// NewCmd builds the version command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print azid's version",
		Args:  cmdutil.MaximumArgs(0, "version takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			info := buildinfo.Get()
			if format := f.Global.Format(); format != output.FormatText {
				return output.Write(f.IOStreams.Out, format, info)
			}
			_, err := fmt.Fprintln(f.IOStreams.Out, Line(info))
			return err
		},
	}
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
