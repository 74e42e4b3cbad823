// Package graph implements `azid graph me|groups|get`: Microsoft Graph as the
// signed-in user, with the token from azid's cache.
package graph

import (
	"context"
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
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs every graph subcommand shares.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Now    func() time.Time
	// HTTPClient builds the client for Graph (the global trust policy).
	HTTPClient func() (*http.Client, error)
	// Endpoint is Graph's base URL (--graph-endpoint); "" is the public cloud's.
	Endpoint string
	// Timeout is --timeout: each request's limit, and the longest
	// Retry-After wait honoured.
	Timeout time.Duration
	// Token returns the access token for scope; by default it is taken
	// silently from azid's cache with Config, SignIn and Account.
	Token func(ctx context.Context, scope string) (string, error)

	Config  signincmd.ConfigFunc
	SignIn  cmdutil.SignInFlags
	Account string
}

// newOptions fills the parts of Options that come from f when the command is
// built; bind fills the global flags once they are parsed.
func newOptions(f *cmdutil.Factory) Options {
	return Options{IO: f.IOStreams, Now: f.Now, HTTPClient: f.HTTPClient, Config: signincmd.Config(f)}
}

func (o *Options) bind(f *cmdutil.Factory) {
	o.Format = f.Global.Format()
	o.Endpoint = f.Global.GraphEndpoint
	o.Timeout = f.Global.Timeout
}

func (o *Options) register(cmd *cobra.Command, f *cmdutil.Factory) {
	o.SignIn.Register(cmd.Flags(), f, false)
	cmd.Flags().StringVar(&o.Account, "account", "", "the account to use when several are signed in")
}

// silentToken takes the token for scope from the cache, refreshing it
// silently when needed.
func (o *Options) silentToken(ctx context.Context, scope string) (string, error) {
	cfg, err := o.Config(o.SignIn)
	if err != nil {
		return "", err
	}
	res, err := signin.Silent(ctx, cfg, []string{scope}, o.Account, o.SignIn.Tenant)
	if err != nil {
		return "", cmdutil.AuthFailure(err, signincmd.LoginHint(o.SignIn))
	}
	return res.AccessToken, nil
}

// client builds a Graph client whose token is for the endpoint's .default
// scope, and a context for the command's requests.
func (o *Options) client(ctx context.Context) (*graph.Client, context.Context, context.CancelFunc, error) {
	httpc, err := o.HTTPClient()
	if err != nil {
		return nil, nil, nil, err
	}
	endpoint := strings.TrimSuffix(o.Endpoint, "/")
	if endpoint == "" {
		endpoint = graph.DefaultEndpoint
	}
	gc := &graph.Client{HTTP: httpc, Endpoint: endpoint, Now: o.Now}
	if _, err := gc.URL("/me"); err != nil {
		return nil, nil, nil, &cmdutil.FlagError{Err: fmt.Errorf("--graph-endpoint: %w", err)}
	}
	scope := endpoint + "/.default"
	if endpoint != graph.DefaultEndpoint {
		o.SignIn.Scopes = []string{scope} // so that the login hint names it (login's default is the public cloud's)
	}
	token := o.Token
	if token == nil {
		token = o.silentToken
	}
	gc.Token = func(ctx context.Context) (string, error) { return token(ctx, scope) }
	// --timeout bounds each request (the HTTP client's own limit) and, as in
	// every command, is not a budget for the whole command: a Retry-After
	// longer than it is not waited out.
	gc.MaxWait = o.Timeout
	if gc.MaxWait <= 0 {
		gc.MaxWait = 30 * time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	return gc, ctx, cancel, nil
}

// explain maps Graph failures to exit codes and hints.
func (o *Options) explain(err error) error {
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
		return cmdutil.WithExit(cmdutil.ExitAuth, ge, signincmd.LoginHint(o.SignIn))
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
		Short: "Query Microsoft Graph as the signed-in user (me, groups, get, post)",
		Long: `Query Microsoft Graph with the token from "azid login", taken silently from the
cache for the Graph endpoint's .default scope. --graph-endpoint (AZID_GRAPH_ENDPOINT)
sets the base for national clouds. Throttled answers (429, 503, 504) are retried
as Retry-After says, a bounded number of times within --timeout; next-page links
to another host are refused, so the token never leaves the Graph host.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.UsageErrorf("unknown graph command %q: use me, groups, get or post", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(NewMeCmd(f, nil), NewGroupsCmd(f, nil), NewGetCmd(f, nil), NewPostCmd(f, nil))
	return cmd
}
