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
	// Of is a token (or "-" for standard input) whose user's groups to resolve.
	Of string
	// AllGroups resolves every group, role and administrative unit, not
	// only security groups.
	AllGroups bool
	// Check lists group object IDs to test membership of.
	Check []string
}

// NewGroupsCmd builds `azid graph groups`.
func NewGroupsCmd(f *cmdutil.Factory, runF func(context.Context, *GroupsOptions) error) *cobra.Command {
	opts := &GroupsOptions{Options: newOptions(f)}
	var checkFlag []string
	cmd := &cobra.Command{
		Use:   "groups",
		Short: "List the groups and directory roles the user is a member of",
		Long: `List the groups, directory roles and administrative units the signed-in user is a
member of: transitively by default (nested groups too), or --direct only,
following every page.

--of TOKEN (or --of - for standard input, in any form decode reads) resolves
the groups of the token's user, as a groups overage asks: its oid (or /me when
that is the signed-in user; an app-only token's service principal), through
getMemberObjects, security groups only unless --all-groups, then names through
directoryObjects/getByIds, 1,000 a request. --check GROUP_ID... answers "is the
user in these groups" with checkMemberGroups (20 IDs a request): exit 0 when a
member of every one, 3 when not. When Graph refuses, the permission it needed
is named.`,
		Example: `  azid graph groups
  azid decode "$TOKEN"        # says "groups overage" when the groups claim is missing
  echo "$TOKEN" | azid graph groups --of -
  azid graph groups --of - --all-groups -o json < token.txt
  azid graph groups --check 3a1f…,8c2d…`,
		Args: cmdutil.MaximumArgs(0, "graph groups takes no arguments (the token goes after --of)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.bind(f)
			check, err := checkIDs(checkFlag)
			if err != nil {
				return err
			}
			opts.Check = check
			if opts.Direct && (opts.Of != "" || opts.AllGroups || len(opts.Check) > 0) {
				return cmdutil.UsageErrorf("--direct lists the signed-in user's own memberships; it does not go with --of, --all-groups or --check")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runGroups(cmd.Context(), opts)
		},
	}
	opts.register(cmd, f)
	cmd.Flags().BoolVar(&opts.Direct, "direct", false, "direct memberships only (memberOf instead of transitiveMemberOf)")
	cmd.Flags().StringVar(&opts.Of, "of", "", "resolve the groups of this token's user (- reads it from standard input)")
	cmd.Flags().BoolVar(&opts.AllGroups, "all-groups", false, "every group, directory role and administrative unit, not only security groups")
	cmd.Flags().StringSliceVar(&checkFlag, "check", nil, "group object IDs to check membership of (comma-separated or repeated)")
	return cmd
}

func runGroups(ctx context.Context, opts *GroupsOptions) error {
	if opts.Of != "" || opts.AllGroups || len(opts.Check) > 0 {
		return runMembership(ctx, opts)
	}
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
