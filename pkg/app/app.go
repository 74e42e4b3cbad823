// Package app wires azid together: the root command, global flags, the real
// dependencies, and the mapping from errors to exit codes.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/buildinfo"
	"github.com/azid-cli/azid/pkg/cmd/completion"
	"github.com/azid-cli/azid/pkg/cmd/decode"
	doctorcmd "github.com/azid-cli/azid/pkg/cmd/doctor"
	emulatecmd "github.com/azid-cli/azid/pkg/cmd/emulate"
	"github.com/azid-cli/azid/pkg/cmd/explain"
	graphcmd "github.com/azid-cli/azid/pkg/cmd/graph"
	"github.com/azid-cli/azid/pkg/cmd/headers"
	logincmd "github.com/azid-cli/azid/pkg/cmd/login"
	"github.com/azid-cli/azid/pkg/cmd/me"
	"github.com/azid-cli/azid/pkg/cmd/status"
	tokencmd "github.com/azid-cli/azid/pkg/cmd/token"
	"github.com/azid-cli/azid/pkg/cmd/verify"
	versioncmd "github.com/azid-cli/azid/pkg/cmd/version"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// Main runs azid with the process's arguments, streams and environment, and
// returns the exit code.
//
// No signal handler is installed here: an interrupted command that has
// nothing to clean up is best ended by the default action of SIGINT (the
// shell reports status 130), and a handler costs a thread at every start.
// Commands that must stop cleanly (polling, writing a cache) use
// cmdutil.InterruptContext.
func Main() int {
	ctx := context.Background()
	f := &cmdutil.Factory{
		IOStreams: iostreams.System(os.Getenv),
		Global:    &cmdutil.GlobalOptions{},
		Now:       time.Now,
		Getenv:    os.Getenv,
	}
	f.HTTPClient = httpClientFunc(f)
	f.CacheDir = func() (string, error) {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("finding the cache directory: %w", err)
		}
		return filepath.Join(dir, "azid"), nil
	}
	return Run(ctx, f, os.Args[1:])
}

// Run executes one command line with the given factory and returns the exit
// code, printing any error on the factory's standard error.
//
// A panic anywhere below is a bug: it is recovered here, reported as one
// "internal error" line asking for a bug report, and exits 1 (never 2: it
// is not the user's mistake).
func Run(ctx context.Context, f *cmdutil.Factory, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(f.IOStreams.ErrOut, "azid: internal error: %s; please report this at %s\n", panicText(r), bugURL)
			code = cmdutil.ExitFailure
		}
	}()
	root := NewRootCmd(f, args)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && (ctx.Err() != nil || errors.Is(err, context.Canceled)) {
		fmt.Fprintln(f.IOStreams.ErrOut, "azid: interrupted")
		return cmdutil.ExitInterrupted
	}
	return reportError(f.IOStreams, root, args, err)
}

// NewRootCmd builds the command tree. Given the command line, it builds only
// the subcommand that line names (start-up is most of a decode's cost);
// with no args, a flag first, help, completion requests or an unknown name,
// it builds them all.
func NewRootCmd(f *cmdutil.Factory, args []string) *cobra.Command {
	g := f.Global
	root := &cobra.Command{
		Use:   "azid",
		Short: "Inspect Microsoft Entra ID tokens and App Service Easy Auth from a shell",
		Long: `azid answers the questions people ask when signing in to Entra ID or App Service
Authentication goes wrong: what is in this token, is it genuine, who is this
user, what does AADSTS50011 mean.`,
		Version:       versioncmd.Line(buildinfo.Get()),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if strings.EqualFold(g.Output, "tsv") {
				if cmd.Name() == "token" {
					g.Output = "text" // the token alone, as az … --query accessToken -o tsv prints it
				} else {
					return cmdutil.WithExit(cmdutil.ExitUsage, errors.New("--output: azid has no tsv: use text, json or yaml"),
						"for one value, use -c NAME (decode, headers) or -o json | jq -r")
				}
			}
			if _, err := output.ParseFormat(g.Output); err != nil {
				return &cmdutil.FlagError{Err: fmt.Errorf("--output: %w", err)}
			}
			switch m := iostreams.ColorMode(strings.ToLower(g.Color)); m {
			case iostreams.ColorAuto, iostreams.ColorAlways, iostreams.ColorNever:
				f.IOStreams.SetColorMode(m)
			default:
				return cmdutil.UsageErrorf("--color: invalid value %q: use auto, always or never", g.Color)
			}
			return nil
		},
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(flagError)
	root.SetVersionTemplate("{{.Version}}\n")

	pf := root.PersistentFlags()
	pf.StringVarP(&g.Output, "output", "o", "text", "output format: text, json or yaml")
	pf.StringVar(&g.Color, "color", "auto", "colour: auto, always or never (NO_COLOR is honoured)")
	pf.DurationVar(&g.Timeout, "timeout", 30*time.Second, "time limit for each network request (and the longest Retry-After waited)")
	f.SettingFlag(pf, &g.CAFile, "AZID_CA_FILE", "PEM file of extra trusted root certificates")
	f.SettingFlag(pf, &g.AuthorityHost, "AZURE_AUTHORITY_HOST", "an extra trusted Entra authority, such as a private or test one")
	f.SettingFlag(pf, &g.GraphEndpoint, "AZID_GRAPH_ENDPOINT", "Microsoft Graph base URL, for national clouds (default https://graph.microsoft.com)")
	pf.BoolVar(&g.Debug, "debug", false, "trace HTTP requests on stderr (secrets redacted)")

	root.CompletionOptions.DisableDefaultCmd = true
	root.SetHelpCommand(helpCmd())
	commands := []struct {
		name  string
		build func() *cobra.Command
	}{
		{"completion", func() *cobra.Command { return completion.NewCmd(f, nil) }},
		{"decode", func() *cobra.Command { return decode.NewCmd(f, nil) }},
		{"doctor", func() *cobra.Command { return doctorcmd.NewCmd(f, nil) }},
		{"emulate", func() *cobra.Command { return emulatecmd.NewCmd(f, nil) }},
		{"explain", func() *cobra.Command { return explain.NewCmd(f, nil) }},
		{"graph", func() *cobra.Command { return graphcmd.NewCmd(f) }},
		{"headers", func() *cobra.Command { return headers.NewCmd(f, nil) }},
		{"login", func() *cobra.Command { return logincmd.NewCmd(f, nil) }},
		{"logout", func() *cobra.Command { return logincmd.NewLogoutCmd(f, nil) }},
		{"me", func() *cobra.Command { return me.NewCmd(f, nil) }},
		{"status", func() *cobra.Command { return status.NewCmd(f, nil) }},
		{"token", func() *cobra.Command { return tokencmd.NewCmd(f, nil) }},
		{"verify", func() *cobra.Command { return verify.NewCmd(f, nil) }},
		{"version", func() *cobra.Command { return versioncmd.NewCmd(f, nil) }},
		{"exit-codes", func() *cobra.Command {
			return helpTopic("exit-codes", "Exit codes and what they mean", exitCodesHelp)
		}},
		{"environment", func() *cobra.Command {
			return helpTopic("environment", "Environment variables azid reads", cmdutil.EnvironmentHelp())
		}},
	}
	only := ""
	if len(args) > 0 {
		for _, c := range commands {
			if c.name == args[0] {
				only = args[0]
			}
		}
	}
	for _, c := range commands {
		if only == "" || c.name == only {
			root.AddCommand(c.build())
		}
	}
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json", "yaml"}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{"auto", "always", "never"}, cobra.ShellCompDirectiveNoFileComp))
	return root
}

// httpClientFunc builds the HTTP client once, from the global flags, when a
// command first needs it.
func httpClientFunc(f *cmdutil.Factory) func() (*http.Client, error) {
	var (
		once   sync.Once
		client *http.Client
		err    error
	)
	return func() (*http.Client, error) {
		once.Do(func() {
			o := httpclient.Options{Timeout: f.Global.Timeout, CAFile: f.Global.CAFile}
			if f.Global.Debug {
				o.Debug = f.IOStreams.ErrOut
			}
			client, err = httpclient.New(o)
		})
		return client, err
	}
}

// reportError prints err as one line (plus a hint) and returns the exit code.
func reportError(ios *iostreams.IOStreams, root *cobra.Command, args []string, err error) int {
	if err == nil {
		return cmdutil.ExitOK
	}
	code, hint := cmdutil.ExitCode(err)
	var silent *cmdutil.SilentError
	if errors.As(err, &silent) {
		return code
	}
	msg := err.Error()
	if code == cmdutil.ExitFailure && isCobraUsageError(msg) {
		code = cmdutil.ExitUsage
	}
	if _, after, ok := strings.Cut(msg, "Did you mean this?"); ok && hint == "" {
		var names []string
		for _, n := range strings.Fields(after) {
			names = append(names, `"`+root.Name()+" "+n+`"`)
		}
		if len(names) > 0 {
			hint = "did you mean " + strings.Join(names, " or ") + "?"
		}
	}
	if code == cmdutil.ExitUsage && hint == "" {
		hint = `run "azid --help" for usage`
		if cmd, _, ferr := root.Find(args); ferr == nil && cmd != root {
			hint = `run "` + cmd.CommandPath() + ` --help" for usage`
		}
	}
	printError(ios, msg, cmdutil.Details(err), hint)
	return code
}

// bugURL is where panics are to be reported.
const bugURL = "https://github.com/azid-cli/azid/issues"

// panicText describes a recovered value in one line, without quoting more
// than a short message (a panic value could hold input).
func panicText(r any) string {
	var msg string
	switch v := r.(type) {
	case error:
		msg = v.Error()
	case string:
		msg = v
	default:
		msg = fmt.Sprintf("%T", r)
	}
	msg = output.Sanitize(firstLine(msg))
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return msg
}

func isCobraUsageError(msg string) bool {
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func printError(ios *iostreams.IOStreams, msg string, details []string, hint string) {
	p := output.NewPalette(ios.ColorErr())
	w := ios.ErrOut
	// Errors carry text from the network (a token endpoint's
	// error_description, a Graph error) and from input: nothing in them may
	// drive the terminal.
	fmt.Fprintf(w, "%s %s\n", p.Red("azid:"), output.Sanitize(firstLine(msg)))
	for _, d := range details {
		fmt.Fprintf(w, "  - %s\n", output.Sanitize(d))
	}
	if hint != "" {
		fmt.Fprintf(w, "%s %s\n", p.Dim("hint:"), output.Sanitize(hint))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
