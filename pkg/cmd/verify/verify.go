// Package verify implements `azid verify`: is this token genuine, and is it
// for me? One token with a short verdict, or a stream of tokens as NDJSON.
package verify

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
	"github.com/azid-cli/azid/pkg/cmd/internal/tokenjson"
	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmd/internal/verification"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
	"github.com/azid-cli/azid/pkg/tokenview"
)

// Options are the inputs of `azid verify`.
type Options struct {
	IO     *iostreams.IOStreams
	Now    func() time.Time
	Format output.Format
	// Discovery is where the keys come from when --jwks is not given.
	Discovery trustpolicy.Deps

	Input string
	// Choice chooses among several tokens in the input.
	Choice tokenarg.Choice
	At     string
	Stream bool
	// Workers is the number of parallel verifiers in stream mode (0 = one per core).
	Workers int
	// NoMemo checks every line's signature, even a token's repeated bytes
	// (--no-signature-memo, hidden: for benchmarks and the equivalence test).
	NoMemo bool
	Flags  verification.Flags
}

// NewCmd builds the verify command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "verify [TOKEN|-]",
		Short: "Verify a token: signature, lifetime, issuer and audience",
		Long: `Verify a token and say whether it is valid, with every check and why it passed,
failed or was not checked. Exit status 0 means valid, 3 not valid, 1 that the
keys could not be had (network, or --offline with nothing cached): no verdict.

The token is given as "azid decode" takes it (see its help): any form of input
holding one, and of several, the first readable access token unless --id-token
or --index chooses another.

Keys come from --jwks (a file or URL), or else from OpenID discovery of the
token's issuer, but only on Microsoft login hosts (public, US Government, China,
B2C, External ID) or --authority-host; v1 tokens use v1 metadata, v2 tokens v2.
Nothing the token says about keys (jku, x5u, jwk, x5c) is used. Metadata and key
sets are cached for 24 hours (an unknown kid refetches, at most every 5 minutes).

Checks: algorithm (RS256 only), key, signature, lifetime (exp and nbf, with
--leeway), issuer (--issuer, or --tenant for both the v1 and v2 issuer of a
tenant; otherwise against the issuer of the metadata the keys came from) and
audience (--audience). Without --tenant, --issuer and --audience, any tenant's or
app's genuine token passes: pin them for a real answer.

With --stream, standard input holds one token per line, and each gets one line
of JSON on standard output (NDJSON), in input order, verified on every core;
a summary goes to standard error. A token that appears more than once (a
gateway log) has its signature checked once per run: from its second sighting,
up to 16 MiB of verified tokens are remembered, compared byte for byte, and
every other check still runs on every line. Exit status 3 if any line was invalid or
malformed, else 1 if any could not be checked for want of keys, else 0.`,
		Example: `  azid verify "$TOKEN" --tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 --audience api://my-api
  azid verify --jwks examples/jwks.json < examples/access-token.jwt
  azid verify --offline "$TOKEN"        # only the key cache, no network
  azid verify --at 2026-11-30T10:00:00Z "$TOKEN"
  azid verify --stream --jwks keys.json < tokens.txt > results.ndjson`,
		Args: cmdutil.MaximumArgs(1, "verify takes one token (or --stream)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.Format = f.Global.Format()
			opts.Discovery = trustpolicy.DepsFrom(f)
			if opts.Stream && opts.Input != "" && opts.Input != "-" {
				return cmdutil.UsageErrorf("--stream reads tokens from standard input, not from an argument")
			}
			if opts.Stream && (opts.Choice.IDToken || opts.Choice.Index != 0) {
				return cmdutil.UsageErrorf("--stream verifies every line's token: --id-token and --index choose within one input")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			if opts.Stream {
				return runStream(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.At, "at", "", "evaluate the lifetime at this instant (RFC 3339 or Unix seconds)")
	cmd.Flags().BoolVar(&opts.Stream, "stream", false, "verify one token per line of standard input, writing NDJSON")
	cmd.Flags().BoolVar(&opts.NoMemo, "no-signature-memo", false, "with --stream, check the signature of every line, repeated or not")
	_ = cmd.Flags().MarkHidden("no-signature-memo")
	opts.Choice.Register(cmd.Flags())
	opts.Flags.Register(cmd.Flags())
	return cmd
}

// run verifies one token.
func run(ctx context.Context, opts *Options) error {
	now, err := tokenarg.Now(opts.At, opts.Now)
	if err != nil {
		return err
	}
	ex, err := tokenarg.Read(opts.IO, opts.Input)
	if err != nil {
		return err
	}
	if err := opts.Choice.Apply(&ex); err != nil {
		return err
	}
	tokenarg.Note(opts.IO, &ex, "verifying")
	t, err := token.Parse(ex.Token)
	if err != nil {
		return err
	}
	v, err := verification.Verify(ctx, opts.Discovery, &opts.Flags, t, now)
	if err != nil {
		return err
	}
	verification.PrintWarnings(opts.IO, v)
	summary := token.Classify(t, now)
	if opts.Format != output.FormatText {
		res := tokenjson.Result{Header: t.Header, Claims: t.Claims, Token: summary, Verification: v}
		if err := output.Write(opts.IO.Out, opts.Format, res); err != nil {
			return err
		}
		return verification.InvalidError(v)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	var buf bytes.Buffer
	tokenview.Verification(&buf, p, v)
	fmt.Fprintf(&buf, "  %s\n", p.Dim("token: "+describe(summary)))
	if _, err := opts.IO.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	return verification.InvalidError(v)
}

// describe says in one line what the token is and whose.
func describe(s token.Summary) string {
	parts := []string{tokenview.KindLine(s)}
	who := cmp.Or(s.Username, s.Name, s.ObjectID, s.Subject)
	if who != "" {
		parts = append(parts, "subject "+who)
	}
	if len(s.Audience) > 0 {
		parts = append(parts, "for "+strings.Join(s.Audience, ", "))
	}
	return output.Sanitize(strings.Join(parts, " · "))
}
