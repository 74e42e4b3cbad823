package app

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
)

const exitCodesHelp = `azid's exit codes, for scripts:

  0    success; for verify, the token is valid (with --stream: every token)
  1    runtime error: network, I/O, malformed input, unknown key for explain;
       for verify, keys that could not be had, so no verdict was reached
  2    usage error: unknown command or flag, bad flag value, wrong arguments
  3    the token failed verification (every failed check is listed on stderr);
       with verify --stream, a line was invalid or malformed; for doctor, a
       check failed
  4    authentication required: not signed in, cookie rejected, interaction
       or consent needed
  130  interrupted (Ctrl-C)

Errors are printed on standard error as one line, sometimes followed by a
"hint:" line with the next step. Results go to standard output.`

func helpTopic(name, short, long string) *cobra.Command {
	return &cobra.Command{
		Use:   name,
		Short: short,
		Long:  long,
		// no Run: cobra lists this under "Additional help topics"
	}
}

// helpCmd replaces cobra's help command, which answers an unknown topic with
// the whole usage on standard output and exit status 0; scripts and people
// both need to see that the topic does not exist.
func helpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  `Help for any command or topic: azid help decode, azid help exit-codes.`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
					if strings.HasPrefix(sub.Name(), toComplete) {
						names = append(names, cobra.CompletionWithDesc(sub.Name(), sub.Short))
					}
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("unknown help topic %q", strings.Join(args, " ")),
					Hint: `run "azid --help" for the commands and topics`}
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}
