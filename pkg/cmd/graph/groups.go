package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

// GroupsOptions are the inputs of `azid graph groups`.
type GroupsOptions struct {
	Options
	// Direct lists direct memberships only (memberOf, not transitiveMemberOf).
	Direct bool
}

// NewGroupsCmd builds `azid graph groups`.
func NewGroupsCmd(f *cmdutil.Factory, runF func(context.Context, *GroupsOptions) error) *cobra.Command {
	opts := &GroupsOptions{Options: newOptions(f)}
	cmd := &cobra.Command{
		Use:   "groups",
		Short: "List the groups and directory roles the user is a member of",
		Long: `List the groups, directory roles and administrative units the signed-in user is a
member of: transitively by default (nested groups too), or --direct only,
following every page.`,
		Args: cmdutil.MaximumArgs(0, "graph groups takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(f)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runGroups(cmd.Context(), opts)
		},
	}
	opts.register(cmd, f)
	cmd.Flags().BoolVar(&opts.Direct, "direct", false, "direct memberships only (memberOf instead of transitiveMemberOf)")
	return cmd
}

func runGroups(ctx context.Context, opts *GroupsOptions) error {
	gc, ctx, cancel, err := opts.client(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	path := "/me/transitiveMemberOf"
	if opts.Direct {
		path = "/me/memberOf"
	}
	items, err := gc.GetAll(ctx, path, nil)
	if err != nil {
		return opts.explain(err)
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, items)
	}
	return printGroups(opts.IO.Out, output.NewPalette(opts.IO.ColorOut()), items)
}

func printGroups(w io.Writer, p *output.Palette, items []json.RawMessage) error {
	if len(items) == 0 {
		_, err := fmt.Fprintln(w, "no memberships")
		return err
	}
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		var o struct {
			Type     string `json:"@odata.type"`
			Name     string `json:"displayName"`
			ID       string `json:"id"`
			Security *bool  `json:"securityEnabled"`
		}
		_ = json.Unmarshal(it, &o)
		sec := "-"
		if o.Security != nil {
			sec = map[bool]string{true: "yes", false: "no"}[*o.Security]
		}
		rows = append(rows, []string{output.Sanitize(strings.TrimPrefix(o.Type, "#microsoft.graph.")), output.Sanitize(o.Name), output.Sanitize(o.ID), sec})
	}
	return output.Table(w, []string{"TYPE", "NAME", "ID", "SECURITY"}, rows, p.Bold)
}
