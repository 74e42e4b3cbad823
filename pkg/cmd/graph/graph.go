// Package graph implements `azid graph me|groups|get`: Microsoft Graph as the
// signed-in user, with the token from azid's cache.
package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	signincmd "github.com/azid-cli/azid/pkg/cmd/internal/signin"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/graph"
	"github.com/azid-cli/azid/pkg/httpclient"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

type common struct {
	f       *cmdutil.Factory
	signIn  cmdutil.SignInFlags
	account string
}

func (c *common) register(cmd *cobra.Command) {
	c.signIn.Register(cmd.Flags(), c.f, false)
	cmd.Flags().StringVar(&c.account, "account", "", "the account to use when several are signed in")
}

// client builds a Graph client whose token comes silently from the cache for
// the endpoint's .default scope, and a context bounded by --timeout.
func (c *common) client(ctx context.Context) (*graph.Client, context.Context, context.CancelFunc, error) {
	f := c.f
	httpc, err := f.HTTPClient()
	if err != nil {
		return nil, nil, nil, err
	}
	endpoint := strings.TrimSuffix(f.Global.GraphEndpoint, "/")
	if endpoint == "" {
		endpoint = graph.DefaultEndpoint
	}
	gc := &graph.Client{HTTP: httpc, Endpoint: endpoint}
	if _, err := gc.URL("/me"); err != nil {
		return nil, nil, nil, &cmdutil.FlagError{Err: fmt.Errorf("--graph-endpoint: %w", err)}
	}
	scope := endpoint + "/.default"
	c.signIn.Scopes = []string{scope}
	gc.Token = func(ctx context.Context) (string, error) {
		cfg, err := c.signIn.LoginConfig(f)
		if err != nil {
			return "", err
		}
		res, err := signin.Silent(ctx, cfg, []string{scope}, c.account, c.signIn.Tenant)
		if err != nil {
			return "", cmdutil.AuthFailure(err, signincmd.LoginHint(c.signIn))
		}
		return res.AccessToken, nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	timeout := f.Global.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return gc, ctx, cancel, nil
}

// explain maps Graph failures to exit codes and hints.
func (c *common) explain(err error) error {
	var ge *graph.Error
	var re *graph.RequestError
	var pd *graph.PastDeadlineError
	var fh *graph.ForeignHostError
	var pe *graph.PermissionError
	switch {
	case errors.As(err, &pd):
		return fmt.Errorf("%s; Graph asks to retry after %s, past --timeout", pd.Err, pd.Wait)
	case errors.As(err, &fh):
		return cmdutil.WithExit(cmdutil.ExitUsage, fh, "pass a path such as /v1.0/me, or a URL on the Graph endpoint (--graph-endpoint)")
	case errors.As(err, &pe):
		return cmdutil.WithExit(cmdutil.ExitFailure, pe, "grant the app "+strings.Join(pe.Needs, " or ")+" (and consent), or sign in as someone who has it")
	case errors.As(err, &ge) && ge.Status == http.StatusUnauthorized:
		return cmdutil.WithExit(cmdutil.ExitAuth, ge, signincmd.LoginHint(c.signIn))
	case errors.As(err, &ge) && strings.Contains(ge.Message, "/me request is only valid with delegated authentication flow"):
		return cmdutil.WithExit(cmdutil.ExitFailure, ge, "this is an app-only token, and there is no \"me\" for an application: use azid graph get \"/servicePrincipals(appId='<client-id>')\"")
	case errors.As(err, &ge) && ge.Status == http.StatusForbidden:
		return cmdutil.WithExit(cmdutil.ExitFailure, ge, "the token lacks a permission this call needs: check the app's API permissions and consent")
	case errors.As(err, &re):
		return fmt.Errorf("calling Microsoft Graph: %s", httpclient.Describe(re.Err))
	case errors.Is(err, context.DeadlineExceeded):
		return errors.New("calling Microsoft Graph: timed out (see --timeout)")
	}
	return err
}

// NewCmd builds `azid graph` and its subcommands.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Query Microsoft Graph as the signed-in user (me, groups, get)",
		Long: `Query Microsoft Graph with the token from "azid login", taken silently from the
cache for the Graph endpoint's .default scope. --graph-endpoint (AZID_GRAPH_ENDPOINT)
sets the base for national clouds. Throttled answers (429, 503, 504) are retried
as Retry-After says, a bounded number of times within --timeout; next-page links
to another host are refused, so the token never leaves the Graph host.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.UsageErrorf("unknown graph command %q: use me, groups or get", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newMeCmd(f), newGroupsCmd(f), newGetCmd(f))
	return cmd
}

func newMeCmd(f *cmdutil.Factory) *cobra.Command {
	c := &common{f: f}
	var sel []string
	cmd := &cobra.Command{
		Use:   "me",
		Short: "Show the signed-in user",
		Example: `  azid graph me
  azid graph me --select displayName,department,employeeId -o json`,
		Args: cmdutil.MaximumArgs(0, "graph me takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			gc, ctx, cancel, err := c.client(cmd.Context())
			if err != nil {
				return err
			}
			defer cancel()
			path := "/me"
			var fields []string
			for _, s := range sel {
				for _, p := range strings.Split(s, ",") {
					if p = strings.TrimSpace(p); p != "" {
						fields = append(fields, p)
					}
				}
			}
			if len(fields) > 0 {
				path += "?$select=" + strings.Join(fields, ",")
			}
			u, _ := gc.URL(path)
			body, err := gc.Get(ctx, u, nil)
			if err != nil {
				return c.explain(err)
			}
			if f.Global.Format() != output.FormatText {
				return output.Write(f.IOStreams.Out, f.Global.Format(), json.RawMessage(body))
			}
			return printUser(f, body, fields)
		},
	}
	c.register(cmd)
	cmd.Flags().StringSliceVar(&sel, "select", nil, "properties to ask for, comma-separated (Graph $select)")
	return cmd
}

func printUser(f *cmdutil.Factory, body []byte, fields []string) error {
	var u map[string]json.RawMessage
	if err := json.Unmarshal(body, &u); err != nil {
		return errors.New("graph: /me did not return a JSON object")
	}
	p := output.NewPalette(f.IOStreams.ColorOut())
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
	return output.KeyValues(f.IOStreams.Out, rows, 0, p.Dim)
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

func newGroupsCmd(f *cmdutil.Factory) *cobra.Command {
	c := &common{f: f}
	var direct bool
	cmd := &cobra.Command{
		Use:   "groups",
		Short: "List the groups and directory roles the user is a member of",
		Long: `List the groups, directory roles and administrative units the signed-in user is a
member of: transitively by default (nested groups too), or --direct only,
following every page.`,
		Args: cmdutil.MaximumArgs(0, "graph groups takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			gc, ctx, cancel, err := c.client(cmd.Context())
			if err != nil {
				return err
			}
			defer cancel()
			path := "/me/transitiveMemberOf"
			if direct {
				path = "/me/memberOf"
			}
			items, err := gc.GetAll(ctx, path, nil)
			if err != nil {
				return c.explain(err)
			}
			if f.Global.Format() != output.FormatText {
				return output.Write(f.IOStreams.Out, f.Global.Format(), items)
			}
			return printGroups(f, items)
		},
	}
	c.register(cmd)
	cmd.Flags().BoolVar(&direct, "direct", false, "direct memberships only (memberOf instead of transitiveMemberOf)")
	return cmd
}

func printGroups(f *cmdutil.Factory, items []json.RawMessage) error {
	type row struct{ typ, name, id, security string }
	rows := []row{{"TYPE", "NAME", "ID", "SECURITY"}}
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
		rows = append(rows, row{strings.TrimPrefix(o.Type, "#microsoft.graph."), output.Sanitize(o.Name), output.Sanitize(o.ID), sec})
	}
	if len(rows) == 1 {
		fmt.Fprintln(f.IOStreams.Out, "no memberships")
		return nil
	}
	w := [3]int{}
	for _, r := range rows {
		w[0], w[1], w[2] = max(w[0], output.Width(r.typ)), max(w[1], output.Width(r.name)), max(w[2], output.Width(r.id))
	}
	p := output.NewPalette(f.IOStreams.ColorOut())
	for i, r := range rows {
		line := output.PadRight(r.typ, output.Width(r.typ), w[0]) + "  " + output.PadRight(r.name, output.Width(r.name), w[1]) + "  " +
			output.PadRight(r.id, output.Width(r.id), w[2]) + "  " + r.security
		if i == 0 {
			line = p.Bold(line)
		}
		fmt.Fprintln(f.IOStreams.Out, strings.TrimRight(line, " "))
	}
	return nil
}

func newGetCmd(f *cmdutil.Factory) *cobra.Command {
	c := &common{f: f}
	var all bool
	var headers []string
	cmd := &cobra.Command{
		Use:   "get PATH",
		Short: "GET any Graph path and print the JSON",
		Example: `  azid graph get /me/manager
  azid graph get /organization
  azid graph get '/groups?$count=true&$filter=startswith(displayName,%27eng%27)' --header 'ConsistencyLevel: eventual' --all`,
		Args: cmdutil.ExactArgs(1, "graph get takes one path, such as /me/manager"),
		RunE: func(cmd *cobra.Command, args []string) error {
			h := http.Header{}
			for _, kv := range headers {
				k, v, ok := strings.Cut(kv, ":")
				if !ok || strings.TrimSpace(k) == "" {
					return cmdutil.UsageErrorf("--header %q: use Name: value", kv)
				}
				if strings.EqualFold(strings.TrimSpace(k), "Authorization") {
					return cmdutil.UsageErrorf("--header: azid sends the Authorization header itself")
				}
				h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
			}
			gc, ctx, cancel, err := c.client(cmd.Context())
			if err != nil {
				return err
			}
			defer cancel()
			if all {
				items, err := gc.GetAll(ctx, args[0], h)
				if err != nil {
					return c.explain(err)
				}
				return output.Write(f.IOStreams.Out, jsonOr(f), map[string]any{"value": items})
			}
			u, err := gc.URL(args[0])
			if err != nil {
				return c.explain(err)
			}
			body, err := gc.Get(ctx, u, h)
			if err != nil {
				return c.explain(err)
			}
			return output.Write(f.IOStreams.Out, jsonOr(f), json.RawMessage(body))
		},
	}
	c.register(cmd)
	cmd.Flags().BoolVar(&all, "all", false, "follow @odata.nextLink and merge the value arrays")
	cmd.Flags().StringArrayVar(&headers, "header", nil, "extra request header, Name: value (repeatable)")
	return cmd
}

// jsonOr prints JSON for text output too: the answer is Graph's JSON.
func jsonOr(f *cmdutil.Factory) output.Format {
	if f.Global.Format() == output.FormatYAML {
		return output.FormatYAML
	}
	return output.FormatJSON
}
