// Package decode implements `azid decode`: read a token in any common form,
// decode it without trusting it, classify it and explain every claim.
package decode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
	"github.com/azid-cli/azid/pkg/cmd/internal/tokenjson"
	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmd/internal/verification"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
	"github.com/azid-cli/azid/pkg/tokenview"
)

// Options are the inputs of `azid decode`.
type Options struct {
	IO     *iostreams.IOStreams
	Now    func() time.Time
	Format output.Format

	// Input is the token argument; "" or "-" reads standard input.
	Input string
	// Claims lists claims to print raw, for scripts.
	Claims []string
	// Choice chooses among several tokens in the input.
	Choice tokenarg.Choice
	// At evaluates times at this instant instead of now ("" = now).
	At string

	// Verify also verifies the token, with VerifyFlags.
	Verify      bool
	VerifyFlags verification.Flags
	// Discovery is where --verify gets its keys from.
	Discovery trustpolicy.Deps
}

// NewCmd builds the decode command. runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "decode [TOKEN|-]",
		Short: "Decode a JWT and explain its claims (without trusting it)",
		Long: `Decode a JSON Web Token, classify it (access or ID token, v1 or v2, user or app,
tenant and cloud) and explain every header member and claim, with times in UTC
and relative to now.

The token is read from the argument (a file, when it names one), or from
standard input when the argument is "-" or absent. Paste what you have: a bare JWT, "Bearer …", "Authorization:
Bearer …", a URL or fragment with access_token= or id_token=, JSON holding tokens
(the output of "az account get-access-token", a token endpoint response, a saved
/.auth/me response, {"token": …}, {"credential": …}), the same printed by Python
(print or pprint of a dict, "x = {…}", an MSAL Python token response, Streamlit's
headers), or any text with a JWT in it (a header line, a log line, a curl
command).

Of several tokens, azid takes the first access token it can read; if there is
none (an opaque access token from Google or a personal Microsoft account), the
first JWT; and says on standard error which it took. --id-token takes the ID
token instead, --index N the N-th.

Decoding alone does not verify the signature: nothing shown is proven genuine.
With --verify, the token is also verified as "azid verify" does (see its help).`,
		Example: `  azid decode eyJ0eXAiOiJKV1Qi…
  az account get-access-token | azid decode
  python -c 'print(result)' | azid decode --id-token   # an MSAL Python token response
  azid decode --claim roles < token.txt
  azid decode -o json "$TOKEN" | jq .token.expires_at
  azid decode --at 2026-11-30T12:00:00Z "$TOKEN"`,
		Args: cmdutil.MaximumArgs(1, "decode takes one token"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.Format = f.Global.Format()
			opts.Discovery = trustpolicy.DepsFrom(f)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Claims, "claim", "c", nil, "print only the raw value of this claim (repeatable, or comma-separated; header.NAME for a header member)")
	cmd.Flags().StringVar(&opts.At, "at", "", "evaluate times at this instant (RFC 3339 or Unix seconds) instead of now")
	cmd.Flags().BoolVar(&opts.Verify, "verify", false, "also verify the signature, lifetime, issuer and audience (exit 3 if not valid)")
	opts.Choice.Register(cmd.Flags())
	opts.VerifyFlags.Register(cmd.Flags())
	return cmd
}

// run decodes (and with --verify, verifies) and prints.
func run(ctx context.Context, opts *Options) error {
	now, err := tokenarg.Now(opts.At, opts.Now)
	if err != nil {
		return err
	}
	raw, err := tokenarg.ReadInput(opts.IO, opts.Input)
	if err != nil {
		return err
	}
	ex, err := token.Extract(raw)
	if err != nil {
		return easyAuthInput(raw, err)
	}
	if err := opts.Choice.Apply(&ex); err != nil {
		return err
	}
	t, err := token.Parse(ex.Token)
	if err != nil {
		return easyAuthInput(raw, err)
	}
	errPalette := output.NewPalette(opts.IO.ColorErr())
	tokenarg.Note(opts.IO, &ex, "decoding")
	var v *token.Verification
	if opts.Verify {
		if v, err = verification.Verify(ctx, opts.Discovery, &opts.VerifyFlags, t, now); err != nil {
			return err
		}
		verification.PrintWarnings(opts.IO, v)
	}
	if len(opts.Claims) > 0 {
		if v != nil && !v.Valid {
			return verification.InvalidError(v)
		}
		return PrintClaims(opts.IO.Out, t, opts.Claims, ClaimsFormat{JSON: opts.Format != output.FormatText, TTY: opts.IO.IsStdoutTTY()})
	}
	if v == nil {
		fmt.Fprintln(opts.IO.ErrOut, errPalette.Yellow("signature not verified (use --verify)"))
	}
	summary := token.Classify(t, now)
	if opts.Format != output.FormatText {
		if err := output.Write(opts.IO.Out, opts.Format, tokenjson.Result{Header: t.Header, Claims: t.Claims, Token: summary, Verification: v}); err != nil {
			return err
		}
		return verification.InvalidError(v)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	var buf bytes.Buffer
	tokenview.Summary(&buf, p, summary, now)
	if v != nil {
		buf.WriteByte('\n')
		tokenview.Verification(&buf, p, v)
	}
	buf.WriteByte('\n')
	tokenview.Header(&buf, p, t)
	buf.WriteByte('\n')
	tokenview.Claims(&buf, p, t, summary, now)
	if _, err = opts.IO.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	return verification.InvalidError(v)
}

// easyAuthInput turns the error for input that holds no JWT into one that
// says what the input is when it is Easy Auth's: a bare X-MS-CLIENT-PRINCIPAL
// value, or request headers with a principal and no token.
func easyAuthInput(raw string, err error) error {
	if !token.IsInputError(err) {
		return err
	}
	if easyauth.LooksLikePrincipal(raw) {
		return cmdutil.WithExit(cmdutil.ExitFailure,
			errors.New("this is an X-MS-CLIENT-PRINCIPAL value (Base64 JSON of the signed-in user's claims, from Easy Auth), not a JWT"),
			`decode it with "azid headers": pipe the same input to azid headers`)
	}
	if strings.Contains(strings.ToLower(raw), "x-ms-client-principal") {
		return cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("%w; the input holds Easy Auth's X-MS-CLIENT-PRINCIPAL headers", err),
			`"azid headers" reads them: pipe the same input to azid headers`)
	}
	return err
}
