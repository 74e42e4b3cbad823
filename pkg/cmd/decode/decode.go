// Package decode implements `azid decode`: read a token in any common form,
// decode it without trusting it, classify it and explain every claim.
package decode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
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
	// At evaluates times at this instant instead of now ("" = now).
	At string

	// Verify also verifies the token, with VerifyFlags.
	Verify      bool
	VerifyFlags cmdutil.VerifyFlags
	Factory     *cmdutil.Factory
	Context     context.Context
}

// NewCmd builds the decode command. runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now, Factory: f}
	cmd := &cobra.Command{
		Use:   "decode [TOKEN|-]",
		Short: "Decode a JWT and explain its claims (without trusting it)",
		Long: `Decode a JSON Web Token, classify it (access or ID token, v1 or v2, user or app,
tenant and cloud) and explain every header member and claim, with times in UTC
and relative to now.

The token is read from the argument, or from standard input when the argument is
"-" or absent. It may be a bare JWT, "Bearer …", "Authorization: Bearer …", a URL
or fragment with access_token= or id_token=, or JSON holding access_token,
accessToken or id_token (the output of "az account get-access-token", or a saved
/.auth/me response).

Decoding alone does not verify the signature: nothing shown is proven genuine.
With --verify, the token is also verified as "azid verify" does (see its help).`,
		Example: `  azid decode eyJ0eXAiOiJKV1Qi…
  az account get-access-token | azid decode
  azid decode --claim roles < token.txt
  azid decode -o json "$TOKEN" | jq .token.expires_at
  azid decode --at 2026-11-30T12:00:00Z "$TOKEN"`,
		Args: cmdutil.MaximumArgs(1, "decode takes one token"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.Format = f.Global.Format()
			opts.Context = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Claims, "claim", "c", nil, "print only the raw value of this claim (repeatable)")
	cmd.Flags().StringVar(&opts.At, "at", "", "evaluate times at this instant (RFC 3339 or Unix seconds) instead of now")
	cmd.Flags().BoolVar(&opts.Verify, "verify", false, "also verify the signature, lifetime, issuer and audience (exit 3 if not valid)")
	opts.VerifyFlags.Register(cmd.Flags())
	return cmd
}

// ReadToken reads the token argument or standard input and extracts the token.
// A terminal on standard input with no argument is a usage error, not a hang.
func ReadToken(ios *iostreams.IOStreams, arg string) (token.Extracted, error) {
	var data []byte
	if arg != "" && arg != "-" {
		if len(arg) > token.MaxTokenSize {
			return token.Extracted{}, token.ErrTooLarge
		}
		if strings.Count(arg, ".") != 2 && len(arg) < 4096 {
			// a newcomer's azid decode token.txt: say how to read a file
			if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
				return token.Extracted{}, cmdutil.UsageErrorf("%q is a file, not a token: pass it on standard input instead (< %s)", arg, arg)
			}
		}
		data = []byte(arg)
	} else {
		if arg == "" && ios.IsStdinTTY() {
			return token.Extracted{}, cmdutil.UsageErrorf("no token given: pass a token as an argument, or pipe one on standard input")
		}
		var err error
		if data, err = cmdutil.ReadLimited(ios.In, token.MaxTokenSize, token.ErrTooLarge); err != nil {
			return token.Extracted{}, err
		}
	}
	return token.Extract(string(data))
}

// Result is the JSON and YAML form of `azid decode`.
type Result struct {
	Header       *token.Object       `json:"header"`
	Claims       *token.Object       `json:"claims"`
	Token        token.Summary       `json:"token"`
	Verification *token.Verification `json:"verification,omitempty"`
}

// Now resolves the evaluation instant: --at, or the clock.
func Now(at string, clock func() time.Time) (time.Time, error) {
	if at == "" {
		return clock(), nil
	}
	t, err := cmdutil.ParseInstant(at)
	if err != nil {
		return time.Time{}, &cmdutil.FlagError{Err: fmt.Errorf("--at: %w", err)}
	}
	return t, nil
}

// Run decodes (and with --verify, verifies) and prints.
func Run(opts *Options) error {
	now, err := Now(opts.At, opts.Now)
	if err != nil {
		return err
	}
	ex, err := ReadToken(opts.IO, opts.Input)
	if err != nil {
		return err
	}
	t, err := token.Parse(ex.Token)
	if err != nil {
		return err
	}
	errPalette := output.NewPalette(opts.IO.ColorErr())
	if len(ex.Others) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "%s the input also holds %v; decoding %s\n", errPalette.Yellow("note:"), ex.Others, ex.Field)
	}
	var v *token.Verification
	if opts.Verify {
		if v, err = VerifyToken(opts.Context, opts.Factory, &opts.VerifyFlags, t, now); err != nil {
			return err
		}
		PrintWarnings(opts.IO, v)
	}
	if len(opts.Claims) > 0 {
		if v != nil && !v.Valid {
			return InvalidError(v)
		}
		return PrintClaims(opts.IO.Out, t, opts.Claims, opts.IO.IsStdoutTTY())
	}
	if v == nil {
		fmt.Fprintln(opts.IO.ErrOut, errPalette.Yellow("signature not verified (use --verify)"))
	}
	summary := token.Classify(t, now)
	if opts.Format != output.FormatText {
		if err := output.Write(opts.IO.Out, opts.Format, Result{Header: t.Header, Claims: t.Claims, Token: summary, Verification: v}); err != nil {
			return err
		}
		return InvalidError(v)
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
	tokenview.Claims(&buf, p, t, now)
	if _, err = opts.IO.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	return InvalidError(v)
}

// VerifyToken verifies t with the verification flags.
func VerifyToken(ctx context.Context, f *cmdutil.Factory, flags *cmdutil.VerifyFlags, t *token.Token, now time.Time) (*token.Verification, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	authority := ""
	if f.Global != nil {
		authority = f.Global.AuthorityHost
	}
	vo, err := flags.Options(ctx, f, now, authority)
	if err != nil {
		return nil, err
	}
	return token.Verify(ctx, t, vo), nil
}

// PrintWarnings writes the verification's warnings on stderr.
func PrintWarnings(ios *iostreams.IOStreams, v *token.Verification) {
	p := output.NewPalette(ios.ColorErr())
	for _, w := range v.Warnings {
		fmt.Fprintf(ios.ErrOut, "%s %s\n", p.Yellow("warning:"), w)
	}
}

// InvalidError is the exit-3 error for a token that failed verification,
// listing every failed check; nil when v is nil or valid.
func InvalidError(v *token.Verification) error {
	if v == nil || v.Valid {
		return nil
	}
	var details []string
	failed := v.Failed()
	for _, c := range failed {
		details = append(details, c.Name+": "+c.Detail)
	}
	if v.Unverifiable() {
		// Nothing is wrong with the token as far as azid could see: it could
		// not get the keys to judge it, which is a runtime error, not a verdict.
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: errors.New("cannot verify the token: " + failed[0].Detail),
			Hint: "check the network (with --offline: run once online to fill the key cache), or give the keys with --jwks FILE"}
	}
	msg := "token is not valid"
	if n := len(details); n > 1 {
		msg = fmt.Sprintf("token is not valid: %d checks failed", n)
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitInvalid, Err: errors.New(msg), Details: details, Hint: checkHint(failed)}
}

// checkHint turns the domain's check codes into the next step, naming flags
// (the token package never does).
func checkHint(failed []token.Check) string {
	for _, c := range failed {
		switch c.Code {
		case token.CodeUnknownKid:
			return "an app with a custom signing key: add --appid <client-id>; or give the key set with --jwks"
		case token.CodeUntrustedIssuer:
			return "give the issuer's key set with --jwks, or trust its host with --authority-host"
		case token.CodeExpired, token.CodeNotYetValid:
			return "get a fresh token, or judge it at another instant with --at"
		case token.CodeAudience:
			return "request a token for your API's scope (api://<client-id>/.default)"
		}
	}
	return ""
}

// PrintClaims prints the raw values of the named claims, for scripts: strings
// unquoted, arrays one element a line, objects and numbers as JSON. A missing
// claim is an error. On a terminal, control characters are escaped.
func PrintClaims(w io.Writer, t *token.Token, names []string, tty bool) error {
	var buf bytes.Buffer
	for _, name := range names {
		raw, ok := t.Claims.Raw(name)
		if !ok {
			return fmt.Errorf("claim %q is not in the token", name)
		}
		for _, line := range rawLines(raw) {
			if tty {
				line = output.Sanitize(line)
			}
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func rawLines(raw json.RawMessage) []string {
	switch {
	case len(raw) > 0 && raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
	case len(raw) > 0 && raw[0] == '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			var lines []string
			for _, it := range items {
				lines = append(lines, rawLines(it)...)
			}
			return lines
		}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return []string{string(raw)}
	}
	return []string{buf.String()}
}

// MarshalJSON writes the result without reflection over its parts (start-up
// cost of `azid decode -o json`); the field names are those of the struct tags.
func (r Result) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"header":`)
	for i, part := range []json.Marshaler{r.Header, r.Claims, r.Token} {
		b, err := part.MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		switch i {
		case 0:
			buf.WriteString(`,"claims":`)
		case 1:
			buf.WriteString(`,"token":`)
		}
	}
	if r.Verification != nil {
		b, err := json.Marshal(r.Verification)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"verification":`)
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
