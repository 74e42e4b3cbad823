// Package token implements `azid token`: print an access token for scripts.
package token

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	signincmd "github.com/azid-cli/azid/pkg/cmd/internal/signin"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	signin "github.com/azid-cli/azid/pkg/login"
	"github.com/azid-cli/azid/pkg/output"
)

// Options are the inputs of `azid token`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	// Env reads an environment variable (AZURE_CLIENT_SECRET).
	Env func(string) string
	// Config builds the sign-in configuration for the sign-in flags.
	Config signincmd.ConfigFunc

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
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Env: f.Env, Config: signincmd.Config(f)}
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
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
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

// run prints the token.
func run(ctx context.Context, opts *Options) error {
	cfg, err := opts.Config(opts.SignIn)
	if err != nil {
		return err
	}
	scopes := opts.SignIn.ScopeList()
	var res signin.Result
	if opts.ServicePrincipal {
		cred, err := signincmd.AppCredential(opts.Env, opts.SecretFile, opts.Certificate)
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
			return cmdutil.AuthFailure(err, signincmd.LoginHint(opts.SignIn))
		}
	}
	if format := opts.Format; format != output.FormatText {
		sc := res.Scopes
		if sc == nil {
			sc = scopes
		}
		return output.Write(opts.IO.Out, format, JSON{AccessToken: res.AccessToken, TokenType: "Bearer", ExpiresOn: res.ExpiresOn.Unix(),
			ExpiresAt: res.ExpiresOn.UTC(), Scopes: sc, Account: res.Account})
	}
	_, err = fmt.Fprintln(opts.IO.Out, res.AccessToken)
	return err
}
