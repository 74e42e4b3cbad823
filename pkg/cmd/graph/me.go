package graph

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

// MeOptions are the inputs of `azid graph me`.
type MeOptions struct {
	Options
	// Select lists the properties to ask for ($select); empty is Graph's default set.
	Select []string
}

// NewMeCmd builds `azid graph me`.
func NewMeCmd(f *cmdutil.Factory, runF func(context.Context, *MeOptions) error) *cobra.Command {
	opts := &MeOptions{Options: newOptions(f)}
	var sel []string
	cmd := &cobra.Command{
		Use:   "me",
		Short: "Show the signed-in user",
		Example: `  azid graph me
  azid graph me --select displayName,department,employeeId -o json`,
		Args: cmdutil.MaximumArgs(0, "graph me takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(f)
			opts.Select = splitList(sel)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runMe(cmd.Context(), opts)
		},
	}
	opts.register(cmd, f)
	cmd.Flags().StringSliceVar(&sel, "select", nil, "properties to ask for, comma-separated (Graph $select)")
	return cmd
}

// splitList splits comma-separated values and drops empty ones.
func splitList(values []string) []string {
	var out []string
	for _, s := range values {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func runMe(ctx context.Context, opts *MeOptions) error {
	gc, ctx, cancel, err := opts.client(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	path := "/me"
	if len(opts.Select) > 0 {
		path += "?$select=" + strings.Join(opts.Select, ",")
	}
	u, _ := gc.URL(path)
	body, err := gc.Get(ctx, u, nil)
	if err != nil {
		return opts.explain(err)
	}
	if opts.Format != output.FormatText {
		return writeBody(opts.IO.Out, opts.Format, body)
	}
	return printUser(opts.IO.Out, output.NewPalette(opts.IO.ColorOut()), body, opts.Select)
}

func printUser(w io.Writer, p *output.Palette, body []byte, fields []string) error {
	var u map[string]json.RawMessage
	if err := json.Unmarshal(body, &u); err != nil {
		return errors.New("graph: /me did not return a JSON object")
	}
	keys := []struct{ label, field string }{{"name", "displayName"}, {"upn", "userPrincipalName"}, {"mail", "mail"}, {"id", "id"}, {"job title", "jobTitle"}}
	var rows []output.KV
	shown := map[string]bool{}
	for _, k := range keys {
		if v := text(u[k.field]); v != "" {
			rows = append(rows, output.KV{Key: k.label, Value: v})
		}
		shown[k.field] = true
	}
	for _, fld := range fields {
		if !shown[fld] {
			rows = append(rows, output.KV{Key: fld, Value: text(u[fld])})
			shown[fld] = true
		}
	}
	for i := range rows {
		rows[i].Value = output.Sanitize(rows[i].Value)
	}
	return output.KeyValues(w, rows, 0, p.Dim)
}

func text(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
