// Package token implements `azid token`: print an access token for scripts.
package token

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	logincmd "github.com/azid-cli/azid/pkg/cmd/login"
	"github.com/azid-cli/azid/pkg/cmdutil"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid token`.
type Options struct {
	Factory          *cmdutil.Factory
	SignIn           cmdutil.SignInFlags
	Account          string
	ServicePrincipal bool
	SecretFile       string
	Certificate      string
	// Claims is a claims request (JSON) from a Conditional Access / CAE challenge.
	Claims string
}

// JSON is the JSON form of `azid token -o json`.
type JSON struct {
	AccessToken string         `json:"access_token"`
	TokenType   string         `json:"token_type"`
	ExpiresOn   int64          `json:"expires_on"`
	ExpiresAt   time.Time      `json:"expires_at"`
	Scopes      []string       `json:"scopes"`
	Account     signin.Account `json:"account"`
}

// NewCmd builds the token command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	opts := &Options{Factory: f}
	var secret cmdutil.SecretFlag
	var claimsFlag string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print an access token for a scope (for scripts: $(azid token))",
		Long: `Print an access token for --scope and a newline, taken from the token cache, or
refreshed silently with the cached refresh token. This is the one command that
prints a raw token.

Not signed in, or Entra wants interaction (MFA, consent, an expired refresh
token): exit 4, with the azid login command to run.`,
		Example: `  curl -H "Authorization: Bearer $(azid token)" https://graph.microsoft.com/v1.0/me
  azid token --scope api://my-api/.default -o json | jq .expires_at
  azid token --account alex@contoso.com`,
		Args: cmdutil.MaximumArgs(0, "token takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := secret.Check(cmd.Flags()); err != nil {
				return err
			}
			claims, err := cmdutil.ParseClaims(claimsFlag)
			if err != nil {
				return err
			}
			opts.Claims = claims
			if !opts.ServicePrincipal && (opts.SecretFile != "" || opts.Certificate != "") {
				return cmdutil.UsageErrorf("--client-secret-file and --certificate need --service-principal")
			}
			return Run(cmd.Context(), opts)
		},
	}
	secret.Register(cmd.Flags())
	cmd.Flags().StringVar(&claimsFlag, "claims", "", "a claims request (JSON, or the base64 of a claims challenge) to satisfy Conditional Access or CAE; never served from the cache")
	opts.SignIn.Register(cmd.Flags(), f, true)
	cmd.Flags().StringVar(&opts.Account, "account", "", "the account to use (username or home account ID) when several are signed in")
	cmd.Flags().BoolVar(&opts.ServicePrincipal, "service-principal", false, "an app-only token with client credentials (see azid login --help)")
	cmd.Flags().StringVar(&opts.SecretFile, "client-secret-file", "", "file holding the client secret (instead of AZURE_CLIENT_SECRET)")
	cmd.Flags().StringVar(&opts.Certificate, "certificate", "", "PEM file holding the app's certificate and private key")
	return cmd
}

// LoginHint is the azid login command that would fix "not signed in".
func LoginHint(s cmdutil.SignInFlags) string {
	parts := []string{"azid", "login"}
	if s.Tenant != "" {
		parts = append(parts, "--tenant", s.Tenant)
	}
	if s.ClientID != "" {
		parts = append(parts, "--client-id", s.ClientID)
	}
	for _, sc := range s.Scopes {
		parts = append(parts, "--scope", sc)
	}
	return `run "` + strings.Join(parts, " ") + `"`
}

// Run prints the token.
func Run(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.Factory
	cfg, err := opts.SignIn.LoginConfig(f)
	if err != nil {
		return err
	}
	scopes := opts.SignIn.ScopeList()
	var res signin.Result
	if opts.ServicePrincipal {
		cred, err := logincmd.AppCredential(f, opts.SecretFile, opts.Certificate)
		if err != nil {
			return err
		}
		res, err = signin.ServicePrincipal(ctx, cfg, scopes, cred, signin.Request{Claims: opts.Claims}, false)
		if err != nil {
			return cmdutil.AuthFailure(err, "check the app's --client-id, --tenant and credential, then retry")
		}
	} else {
		res, err = signin.SilentRequest(ctx, cfg, scopes, opts.Account, opts.SignIn.Tenant, signin.Request{Claims: opts.Claims})
		if err != nil {
			return cmdutil.AuthFailure(err, LoginHint(opts.SignIn))
		}
	}
	if format := f.Global.Format(); format != output.FormatText {
		sc := res.Scopes
		if sc == nil {
			sc = scopes
		}
		return output.Write(f.IOStreams.Out, format, JSON{AccessToken: res.AccessToken, TokenType: "Bearer", ExpiresOn: res.ExpiresOn.Unix(),
			ExpiresAt: res.ExpiresOn.UTC(), Scopes: sc, Account: res.Account})
	}
	_, err = fmt.Fprintln(f.IOStreams.Out, res.AccessToken)
	return err
}
