// Package completion implements `azid completion SHELL`.
package completion

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

// Shells returns the supported shells.
func Shells() []string { return []string{"bash", "zsh", "fish", "powershell"} }

// Options are the inputs of `azid completion`.
type Options struct {
	IO *iostreams.IOStreams
	// Root is the command tree the script completes.
	Root *cobra.Command
	// Shell is bash, zsh, fish or powershell.
	Shell string
}

// NewCmd builds the completion command. runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Print the completion script for a shell. Load it in the current shell, or save
it where the shell looks for completions:

  source <(azid completion bash)
  azid completion zsh > "${fpath[1]}/_azid"
  azid completion fish | source
  azid completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: Shells(),
		Args:      cmdutil.ExactArgs(1, "completion takes one shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Root, opts.Shell = cmd.Root(), args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

func run(_ context.Context, opts *Options) error {
	return Generate(opts.Root, opts.IO.Out, opts.Shell)
}

// Generate writes the completion script for shell.
func Generate(root *cobra.Command, w io.Writer, shell string) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	case "powershell":
		return root.GenPowerShellCompletionWithDesc(w)
	}
	return cmdutil.UsageErrorf("unsupported shell %q: use bash, zsh, fish or powershell", shell)
}
