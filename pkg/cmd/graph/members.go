package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/graph"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// MembershipJSON is the JSON of `azid graph groups --of` and `--check`.
type MembershipJSON struct {
	Subject      SubjectJSON `json:"subject"`
	SecurityOnly bool        `json:"security_only"`
	// Groups are the memberships resolved (--of, or --all-groups).
	Groups []GroupJSON `json:"groups,omitempty"`
	// Checked answers --check, in the order asked.
	Checked []CheckJSON `json:"checked,omitempty"`
	// NamesMissing says why groups carry IDs only (getByIds was refused).
	NamesMissing string `json:"names_missing,omitempty"`
}

// SubjectJSON is whose memberships were asked for.
type SubjectJSON struct {
	// Kind is "me", "user" or "servicePrincipal".
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
	// Name is the token's username, when the subject came from a token.
	Name string `json:"name,omitempty"`
	// SignedIn is true when the subject is the signed-in user (asked as /me).
	SignedIn bool `json:"signed_in_user"`
}

// GroupJSON is one membership.
type GroupJSON struct {
	ID              string `json:"id"`
	Type            string `json:"type,omitempty"`
	DisplayName     string `json:"display_name,omitempty"`
	SecurityEnabled *bool  `json:"security_enabled,omitempty"`
}

// CheckJSON is one --check answer.
type CheckJSON struct {
	ID     string `json:"id"`
	Member bool   `json:"member"`
}

// checkIDs validates --check's group object IDs.
func checkIDs(ids []string) ([]string, error) {
	out := splitList(ids)
	for _, id := range out {
		if !entra.IsGUID(id) {
			return nil, cmdutil.UsageErrorf("--check %q: a group is named by its object ID (a GUID such as 00000000-0000-0000-0000-000000000000)", id)
		}
	}
	return out, nil
}

// subjectOf decides whose groups a token stands for: the overage pointer's
// subject, else the token's oid as a user or (app-only) a service principal.
func subjectOf(t *token.Token, s token.Summary) (graph.Subject, SubjectJSON, error) {
	name := s.Username
	if o := s.GroupsOverageSource; o != nil && o.SubjectID != "" {
		return graph.Subject{Kind: o.SubjectKind, ID: o.SubjectID}, SubjectJSON{Kind: o.SubjectKind, ID: o.SubjectID, Name: name}, nil
	}
	if s.ObjectID == "" {
		return graph.Subject{}, SubjectJSON{}, errors.New("the token has no oid claim, so there is no directory object to ask Graph about (a personal Microsoft account or a non-Entra token?)")
	}
	kind := graph.SubjectUser
	if s.SubjectType == token.SubjectApp {
		kind = graph.SubjectServicePrincipal
	}
	return graph.Subject{Kind: kind, ID: s.ObjectID}, SubjectJSON{Kind: kind, ID: s.ObjectID, Name: name}, nil
}

// meIfSame turns a user subject into /me when the signed-in user is that
// user: /me needs only User.Read.
func meIfSame(ctx context.Context, gc *graph.Client, sub graph.Subject) graph.Subject {
	if sub.Kind != graph.SubjectUser {
		return sub
	}
	u, _ := gc.URL("/me?$select=id")
	body, err := gc.Get(ctx, u, nil)
	if err != nil {
		return sub
	}
	var me struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(body, &me) == nil && strings.EqualFold(me.ID, sub.ID) {
		return graph.Subject{Kind: graph.SubjectMe}
	}
	return sub
}

// runMembership answers --of, --all-groups and --check.
func runMembership(ctx context.Context, opts *GroupsOptions) error {
	gc, ctx, cancel, err := opts.client(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	sub, res := graph.Subject{Kind: graph.SubjectMe}, MembershipJSON{Subject: SubjectJSON{Kind: graph.SubjectMe, SignedIn: true}}
	if opts.Of != "" {
		ex, err := tokenarg.Read(opts.IO, opts.Of)
		if err != nil {
			return fmt.Errorf("--of: %w", err)
		}
		t, err := token.Parse(ex.Token)
		if err != nil {
			return fmt.Errorf("--of: %w", err)
		}
		if sub, res.Subject, err = subjectOf(t, token.Classify(t, opts.Now())); err != nil {
			return cmdutil.WithExit(cmdutil.ExitFailure, err, "")
		}
		if me := meIfSame(ctx, gc, sub); me.Kind == graph.SubjectMe {
			sub, res.Subject.SignedIn = me, true
		}
	}
	if len(opts.Check) > 0 {
		found, err := gc.CheckMemberGroups(ctx, sub, opts.Check)
		if err != nil {
			return opts.explainSubject(err, res.Subject)
		}
		member := map[string]bool{}
		for _, id := range found {
			member[strings.ToLower(id)] = true
		}
		all := true
		for _, id := range opts.Check {
			res.Checked = append(res.Checked, CheckJSON{ID: id, Member: member[strings.ToLower(id)]})
			all = all && member[strings.ToLower(id)]
		}
		if err := printMembership(opts, res); err != nil {
			return err
		}
		if !all {
			return cmdutil.WithExit(cmdutil.ExitInvalid, errors.New("not a member of every group checked"), "")
		}
		return nil
	}
	res.SecurityOnly = !opts.AllGroups
	ids, err := gc.MemberObjects(ctx, sub, res.SecurityOnly)
	if err != nil {
		return opts.explainSubject(err, res.Subject)
	}
	objects, err := gc.GetByIDs(ctx, ids)
	var pe *graph.PermissionError
	switch {
	case errors.As(err, &pe):
		res.NamesMissing = "Graph refused " + pe.Call + ": names need " + strings.Join(pe.Needs, " or ")
		objects = make([]graph.Object, len(ids))
		for i, id := range ids {
			objects[i] = graph.Object{ID: id}
		}
	case err != nil:
		return opts.explain(err)
	}
	res.Groups = make([]GroupJSON, len(objects))
	for i, o := range objects {
		res.Groups[i] = GroupJSON{ID: o.ID, Type: o.TypeName(), DisplayName: o.DisplayName, SecurityEnabled: o.SecurityEnabled}
	}
	return printMembership(opts, res)
}

// explainSubject adds to explain what a 404 for the token's subject means.
func (o *Options) explainSubject(err error, s SubjectJSON) error {
	var ge *graph.Error
	if errors.As(err, &ge) && ge.Status == 404 && s.ID != "" {
		return cmdutil.WithExit(cmdutil.ExitFailure, ge, "the token's "+s.Kind+" "+s.ID+" is not in the signed-in tenant: sign in to the token's tenant (azid login --tenant <its tid>)")
	}
	return o.explain(err)
}

func printMembership(opts *GroupsOptions, res MembershipJSON) error {
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, res)
	}
	w, p := opts.IO.Out, output.NewPalette(opts.IO.ColorOut())
	who := describeSubject(res.Subject)
	ep := output.NewPalette(opts.IO.ColorErr())
	if res.Checked != nil {
		n := 0
		rows := make([][]string, len(res.Checked))
		for i, c := range res.Checked {
			mark := p.Red("✗ not a member")
			if c.Member {
				mark, n = p.Green("✓ member"), n+1
			}
			rows[i] = []string{c.ID, mark}
		}
		fmt.Fprintf(w, "%s is a member of %d of the %d groups checked\n", who, n, len(res.Checked))
		if err := output.Table(w, nil, indent(rows), nil); err != nil {
			return err
		}
		if n < len(res.Checked) {
			fmt.Fprintf(opts.IO.ErrOut, "%s checkMemberGroups counts nested groups too; a user outside a group needs to be added to it (or to a group inside it)\n", ep.Dim("hint:"))
		}
		return nil
	}
	kind := "security groups"
	if !res.SecurityOnly {
		kind = "groups, directory roles and administrative units"
	}
	fmt.Fprintf(w, "%s is a transitive member of %d %s\n", who, len(res.Groups), kind)
	if len(res.Groups) > 0 {
		if err := printObjects(w, p, res.Groups); err != nil {
			return err
		}
	}
	if res.NamesMissing != "" {
		output.Warning(opts.IO.ErrOut, ep, "%s; showing IDs only", res.NamesMissing)
	}
	if res.SecurityOnly {
		fmt.Fprintf(opts.IO.ErrOut, "%s these are the security groups a token's groups claim would hold; --all-groups adds Microsoft 365 groups, roles and administrative units\n", ep.Dim("hint:"))
	}
	return nil
}

func indent(rows [][]string) [][]string {
	for _, r := range rows {
		r[0] = "  " + r[0]
	}
	return rows
}

func describeSubject(s SubjectJSON) string {
	switch {
	case s.SignedIn && s.Name != "":
		return output.Sanitize(s.Name) + " (the signed-in user)"
	case s.SignedIn:
		return "the signed-in user"
	case s.Name != "":
		return output.Sanitize(s.Name) + " (" + s.Kind + " " + s.ID + ")"
	}
	return s.Kind + " " + output.Sanitize(s.ID)
}

func printObjects(w io.Writer, p *output.Palette, groups []GroupJSON) error {
	rows := make([][]string, len(groups))
	for i, g := range groups {
		rows[i] = []string{output.Sanitize(cmpOr(g.Type, "?")), output.Sanitize(g.DisplayName), output.Sanitize(g.ID), yesNo(g.SecurityEnabled)}
	}
	return output.Table(w, []string{"TYPE", "NAME", "ID", "SECURITY"}, rows, p.Bold)
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "-"
	case *b:
		return "yes"
	}
	return "no"
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
