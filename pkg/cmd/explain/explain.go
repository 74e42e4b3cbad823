// Package explain implements `azid explain`: an offline reference for AADSTS
// error codes, claim names and directory role template IDs.
package explain

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// Options are the inputs of `azid explain`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Key    string
}

// NewCmd builds the explain command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "explain CODE|CLAIM|ROLE",
		Short: "Explain an AADSTS error code, a claim or a directory role (offline)",
		Long: `Explain, without any network call, one of:
  - an Entra sign-in error code: AADSTS50011 or 50011
  - a token claim or header member: oid, scp, wids, kid, …
  - a directory role template ID (as found in wids), or a role's name`,
		Example: `  azid explain AADSTS50011
  azid explain 700016
  azid explain oid
  azid explain 62e90394-69f5-4237-9190-012177145e10`,
		Args: cmdutil.ExactArgs(1, "explain takes one code, claim or role ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = args[0]
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

// Entry is the JSON form of one explanation.
type Entry struct {
	Kind       string `json:"kind"` // aadsts, claim, header, role
	Key        string `json:"key"`
	Name       string `json:"name,omitempty"`
	Meaning    string `json:"meaning"`
	Privileged *bool  `json:"privileged,omitempty"`
	URL        string `json:"url,omitempty"`
}

// Lookup finds every explanation for key.
func Lookup(key string) ([]Entry, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, fmt.Errorf("nothing to explain: give an AADSTS code, a claim name or a role ID")
	}
	if code, ok := entra.ParseAADSTS(key); ok {
		url := "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code)
		a, found := entra.LookupAADSTS(code)
		if !found {
			return nil, cmdutil.WithExit(cmdutil.ExitFailure,
				fmt.Errorf("AADSTS%d is not in azid's catalogue", code), "look it up at "+url)
		}
		return []Entry{{Kind: "aadsts", Key: "AADSTS" + strconv.Itoa(code), Name: a.Name(), Meaning: a.Meaning(), URL: url}}, nil
	}
	if r, ok := entra.LookupRole(key); ok {
		return []Entry{roleEntry(r)}, nil
	}
	if r, ok := entra.LookupRoleByName(key); ok {
		return []Entry{roleEntry(r)}, nil
	}
	var out []Entry
	if m, ok := token.ExplainClaim(key); ok {
		out = append(out, Entry{Kind: "claim", Key: key, Meaning: m})
	}
	if m, ok := token.ExplainHeader(key); ok {
		out = append(out, Entry{Kind: "header", Key: key, Meaning: m})
	}
	if len(out) > 0 {
		return out, nil
	}
	if entra.IsGUID(key) {
		return nil, fmt.Errorf("%s is not a known directory role template ID", key)
	}
	return nil, fmt.Errorf("nothing known about %q: not an AADSTS code, claim name or directory role in azid's catalogue", output.Sanitize(key))
}

func roleEntry(r entra.Role) Entry {
	priv := r.Privileged
	meaning := "Entra built-in directory role"
	if r.Note != "" {
		meaning += " (" + r.Note + ")"
	}
	return Entry{Kind: "role", Key: r.ID, Name: r.Name, Meaning: meaning, Privileged: &priv}
}

// run looks the key up and prints it.
func run(_ context.Context, opts *Options) error {
	entries, err := Lookup(opts.Key)
	if err != nil {
		return err
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, entries)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	for _, e := range entries {
		switch e.Kind {
		case "aadsts":
			title := e.Key
			if e.Name != "" {
				title += " " + e.Name
			}
			fmt.Fprintf(opts.IO.Out, "%s\n  %s\n  %s\n", p.Bold(title), e.Meaning, p.Dim("more: "+e.URL))
		case "role":
			priv := ""
			if e.Privileged != nil && *e.Privileged {
				priv = "  " + p.Red("privileged")
			}
			fmt.Fprintf(opts.IO.Out, "%s%s\n  %s\n  %s\n", p.Bold(e.Name), priv, e.Meaning, p.Dim("template ID "+e.Key))
		default:
			fmt.Fprintf(opts.IO.Out, "%s %s\n  %s\n", p.Bold(e.Key), p.Dim("("+e.Kind+")"), e.Meaning)
		}
	}
	return nil
}
