// Package completion implements `azid completion SHELL`.
package completion

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
)

// Shells lists the supported shells.
var Shells = []string{"bash", "zsh", "fish", "powershell"}

// NewCmd builds the completion command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Print the completion script for a shell. Load it in the current shell, or save
it where the shell looks for completions:

  source <(azid completion bash)
  azid completion zsh > "${fpath[1]}/_azid"
  azid completion fish | source
  azid completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: Shells,
		Args:      cmdutil.ExactArgs(1, "completion takes one shell: bash, zsh, fish or powershell"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return Generate(cmd.Root(), f.IOStreams.Out, args[0])
		},
	}
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
