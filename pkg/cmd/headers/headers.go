// Package headers implements `azid headers`: decode the request headers Easy
// Auth injects into an app (X-MS-CLIENT-PRINCIPAL*, X-MS-TOKEN-*).
package headers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmd/internal/claimsview"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
	"github.com/azid-cli/azid/pkg/tokenview"
)

// Options are the inputs of `azid headers`.
type Options struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	Format     output.Format
	Input      string // file, or "" / "-" for standard input
	ShowTokens bool
	// Claims lists principal claims to print raw, for scripts.
	Claims []string
}

// NewCmd builds the headers command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "headers [FILE|-]",
		Short: "Decode the X-MS-CLIENT-PRINCIPAL and X-MS-TOKEN-* headers Easy Auth injects",
		Long: `Decode the request headers App Service Authentication adds to requests that
reach an app: X-MS-CLIENT-PRINCIPAL (the user's claims), -NAME, -ID and -IDP, and
the X-MS-TOKEN-<PROVIDER>-* token headers (ID and access tokens are summarised,
expiries shown as times; raw tokens only with --show-tokens).

The headers may be given as "Name: value" lines, a raw HTTP request, curl -v
output (the "> " lines), a JSON object of headers, or the same printed by Python
(print(headers) or pprint of Streamlit's st.context.headers, "headers = {…}", the
text copied from st.write's JSON viewer). A bare X-MS-CLIENT-PRINCIPAL value is
read as that header. Names are matched in any case. The Static Web Apps
principal shape is understood too.

With -c, only the values of the principal's claims are printed, for scripts:
by short name (oid, roles, email) or by claim type URI.

These headers can be trusted only when the request came through Easy Auth:
anyone who can reach the app directly can send them.`,
		Example: `  azid headers examples/easyauth-request.txt
  azid headers -c roles examples/easyauth-request.txt
  azid headers -c oid,email -o json examples/easyauth-request.txt
  pbpaste | azid headers                  # what print(st.context.headers) printed
  printenv HTTP_X_MS_CLIENT_PRINCIPAL | azid headers`,
		Args: cmdutil.MaximumArgs(1, "headers takes one file (or - for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ShowTokens, "show-tokens", false, "also print the raw token header values (secrets!)")
	cmd.Flags().StringArrayVarP(&opts.Claims, "claim", "c", nil, "print only the values of this client principal claim, by short name or claim type URI (repeatable, or comma-separated)")
	return cmd
}

// Report is the JSON form of `azid headers`.
type Report struct {
	Principal      *PrincipalJSON `json:"principal"`
	PrincipalError string         `json:"principal_error,omitempty"`
	PrincipalName  string         `json:"principal_name,omitempty"`
	PrincipalID    string         `json:"principal_id,omitempty"`
	PrincipalIDP   string         `json:"principal_idp,omitempty"`
	Tokens         []TokenJSON    `json:"tokens"`
	Warnings       []string       `json:"warnings"`
}

// PrincipalJSON is the decoded X-MS-CLIENT-PRINCIPAL.
type PrincipalJSON struct {
	Shape    string      `json:"shape"`
	AuthType string      `json:"auth_typ"`
	Name     string      `json:"name,omitempty"`
	NameType string      `json:"name_typ,omitempty"`
	RoleType string      `json:"role_typ,omitempty"`
	Roles    []string    `json:"roles"`
	UserID   string      `json:"user_id,omitempty"`
	Claims   []ClaimJSON `json:"claims"`
}

// ClaimJSON is one claim of the client principal, with its short name. It is
// headers' own schema (the same members as azid me's claims today).
type ClaimJSON struct {
	Type  string `json:"typ"`
	Short string `json:"short"`
	Value string `json:"val"`
}

// TokenJSON is one X-MS-TOKEN-* header.
type TokenJSON struct {
	Header    string         `json:"header"`
	Provider  string         `json:"provider"`
	Kind      string         `json:"kind"`
	ExpiresOn *time.Time     `json:"expires_on,omitempty"`
	Expired   *bool          `json:"expired,omitempty"`
	Summary   *token.Summary `json:"summary,omitempty"`
	Opaque    bool           `json:"opaque,omitempty"`
	Raw       string         `json:"raw,omitempty"`
}

func readInput(opts *Options) ([]byte, error) {
	tooLarge := fmt.Errorf("input is over %d KiB: not a set of request headers", easyauth.MaxHeadersInput>>10)
	if opts.Input != "" && opts.Input != "-" {
		f, err := os.Open(opts.Input)
		if errors.Is(err, os.ErrNotExist) {
			return nil, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("%s: no such file", opts.Input), "give the file the headers were saved in, or - for standard input")
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", opts.Input, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, cmdutil.UsageErrorf("%s is a directory: give the file the headers were saved in", opts.Input)
		}
		return cmdutil.ReadLimited(f, easyauth.MaxHeadersInput, tooLarge)
	}
	if opts.Input == "" && opts.IO.IsStdinTTY() {
		// the same answer as an empty pipe gets (easyauth.ParseHeaders of nothing)
		return nil, easyauth.ErrNoHeaders
	}
	if opts.IO.IsStdinTTY() {
		fmt.Fprintln(opts.IO.ErrOut, "Reading the headers from standard input: paste them, then press Ctrl-D")
	}
	return cmdutil.ReadLimited(opts.IO.In, easyauth.MaxHeadersInput, tooLarge)
}

// run reads, decodes and prints the headers.
func run(_ context.Context, opts *Options) error {
	data, err := readInput(opts)
	if err != nil {
		return err
	}
	hs, err := easyauth.ParseHeaders(data)
	if err != nil {
		return err
	}
	if len(opts.Claims) > 0 {
		v := hs.Get("X-MS-CLIENT-PRINCIPAL")
		if v == "" {
			return cmdutil.WithExit(cmdutil.ExitFailure, errors.New("no X-MS-CLIENT-PRINCIPAL header in the input: no claims to print"),
				"the header comes only with requests Easy Auth signed in")
		}
		pr, err := easyauth.DecodePrincipal(v)
		if err != nil {
			return err
		}
		return printClaims(opts.IO.Out, pr, opts.Claims, opts.Format != output.FormatText, opts.IO.IsStdoutTTY())
	}
	now := opts.Now()
	rep := Analyze(hs, now, opts.ShowTokens)
	if rep.Principal == nil && rep.PrincipalError == "" && rep.PrincipalName == "" && rep.PrincipalID == "" && len(rep.Tokens) == 0 {
		return cmdutil.WithExit(cmdutil.ExitFailure, errors.New("no Easy Auth headers (X-MS-CLIENT-PRINCIPAL*, X-MS-TOKEN-*) in the input"),
			"Easy Auth adds them only to signed-in requests: require authentication for the app, and capture the headers the app receives")
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, rep)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	var buf bytes.Buffer
	write(&buf, p, rep, hs, now)
	if _, err := opts.IO.Out.Write(buf.Bytes()); err != nil {
		return err
	}
	errP := output.NewPalette(opts.IO.ColorErr())
	for _, w := range rep.Warnings {
		output.Warning(opts.IO.ErrOut, errP, "%s", w)
	}
	if rep.PrincipalError != "" {
		return errors.New(rep.PrincipalError)
	}
	return nil
}

// Analyze decodes the Easy Auth headers among hs.
func Analyze(hs easyauth.Headers, now time.Time, show bool) *Report {
	rep := &Report{Tokens: []TokenJSON{}, Warnings: []string{},
		PrincipalName: hs.Get("X-MS-CLIENT-PRINCIPAL-NAME"), PrincipalID: hs.Get("X-MS-CLIENT-PRINCIPAL-ID"), PrincipalIDP: hs.Get("X-MS-CLIENT-PRINCIPAL-IDP")}
	if v := hs.Get("X-MS-CLIENT-PRINCIPAL"); v != "" {
		pr, err := easyauth.DecodePrincipal(v)
		if err != nil {
			rep.PrincipalError = err.Error()
		} else {
			pj := &PrincipalJSON{Shape: pr.Shape, AuthType: pr.AuthType, Name: pr.Name(), NameType: pr.NameType, RoleType: pr.RoleType,
				Roles: pr.Roles(), UserID: pr.UserID, Claims: make([]ClaimJSON, 0, len(pr.Claims))}
			if pj.Roles == nil {
				pj.Roles = []string{}
			}
			for _, c := range pr.Claims {
				pj.Claims = append(pj.Claims, ClaimJSON{Type: c.Type, Short: easyauth.ShortClaimType(c.Type), Value: c.Value})
			}
			rep.Principal = pj
		}
	}
	for _, th := range hs.TokenHeaders() {
		tj := TokenJSON{Header: th.Header, Provider: th.Provider, Kind: th.Kind}
		switch th.Kind {
		case "expires-on":
			if t, ok := easyauth.ParseExpiresOn(th.Value); ok {
				expired := !now.Before(t)
				tj.ExpiresOn, tj.Expired = &t, &expired
			}
		case "id-token", "access-token", "authentication-token":
			if parsed, err := token.Parse(th.Value); err == nil {
				s := token.Classify(parsed, now)
				tj.Summary = &s
			} else {
				tj.Opaque = true
			}
		}
		if show && th.Kind != "expires-on" {
			tj.Raw = th.Value
		}
		rep.Tokens = append(rep.Tokens, tj)
	}
	hasPrincipal := rep.Principal != nil || rep.PrincipalName != "" || rep.PrincipalID != ""
	if hasPrincipal && len(rep.Tokens) == 0 {
		rep.Warnings = append(rep.Warnings, "no X-MS-TOKEN-* headers: the token store is off (or the provider has no client secret), so the app gets no tokens")
	}
	if !hasPrincipal && len(rep.Tokens) > 0 {
		rep.Warnings = append(rep.Warnings, "X-MS-TOKEN-* headers without X-MS-CLIENT-PRINCIPAL: did this request come through Easy Auth?")
	}
	rep.Warnings = append(rep.Warnings, "trust these headers only on requests that came through Easy Auth: anyone who can reach the app directly can send them")
	return rep
}

func write(w io.Writer, p *output.Palette, rep *Report, hs easyauth.Headers, now time.Time) {
	clean := output.Sanitize
	var rows []output.KV
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, output.KV{Key: k, Value: v})
		}
	}
	title := "Easy Auth principal"
	if rep.Principal != nil {
		title += " · " + clean(rep.Principal.AuthType)
		if rep.Principal.Shape == "static-web-apps" {
			title += " (Static Web Apps)"
		}
	}
	fmt.Fprintln(w, p.Bold(title))
	if rep.Principal != nil {
		add("name", clean(rep.Principal.Name))
		add("user id", clean(rep.Principal.UserID))
		add("roles", clean(strings.Join(rep.Principal.Roles, ", ")))
		add("name_typ", clean(rep.Principal.NameType))
		add("role_typ", clean(rep.Principal.RoleType))
	}
	if rep.PrincipalError != "" {
		add("principal", p.Red(clean(rep.PrincipalError)))
	}
	add("-NAME", clean(rep.PrincipalName))
	add("-ID", clean(rep.PrincipalID))
	add("-IDP", clean(rep.PrincipalIDP))
	_ = output.KeyValues(w, rows, 2, p.Dim)
	if rep.Principal != nil {
		claims := make([]easyauth.Claim, 0, len(rep.Principal.Claims))
		for _, c := range rep.Principal.Claims {
			claims = append(claims, easyauth.Claim{Type: c.Type, Value: c.Value})
		}
		claimsview.Write(w, p, claims, now)
	}
	if len(rep.Tokens) > 0 {
		fmt.Fprintln(w, p.Bold("Tokens"))
		hw := 0
		for _, t := range rep.Tokens {
			hw = max(hw, output.DisplayWidth(t.Header))
		}
		for _, t := range rep.Tokens {
			var v string
			switch t.Kind {
			case "expires-on":
				if t.ExpiresOn != nil {
					v = tokenview.TimeValue(p, "exp", *t.ExpiresOn, now) // as decode shows exp
				} else {
					v = p.Yellow("not a time azid can read")
				}
			case "id-token", "access-token", "authentication-token":
				v, _ = tokenview.Brief(p, hs.Get(t.Header), now)
			default:
				v = p.Dim("present (a secret; not shown)")
			}
			if t.Raw != "" {
				v += "\n" + strings.Repeat(" ", hw+4) + clean(t.Raw)
			}
			fmt.Fprintf(w, "  %s  %s\n", output.PadRight(clean(t.Header), output.DisplayWidth(t.Header), hw), v)
		}
	}
}
