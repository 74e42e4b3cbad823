// Package explain implements `azid explain`: an offline reference for AADSTS
// error codes, claim names and directory role template IDs.
package explain

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// Options are the inputs of `azid explain`.
type Options struct {
	IO     *iostreams.IOStreams
	Format output.Format
	Key    string
}

// NewCmd builds the explain command.
func NewCmd(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	return &cobra.Command{
		Use:   "explain CODE|CLAIM|ROLE|TEXT|-",
		Short: "Explain an AADSTS error or pasted error text, a claim, an Easy Auth header, a role or a challenge (offline)",
		Long: `Explain, without any network call, one of:
  - an Entra sign-in error code: AADSTS50011 or 50011
  - pasted error text: every AADSTS code in it is explained (meaning, likely
    cause, fix), with the trace and correlation IDs found: an error line, Entra's
    JSON error response, a redirect URL with error_description=, a whole error
    page's text. Give it as arguments, or on standard input with "-" or no
    argument.
  - a token claim or header member: oid, scp, wids, kid, …, or the claim type
    URI Easy Auth uses for one
  - an Easy Auth header or cookie: X-MS-CLIENT-PRINCIPAL, X-MS-TOKEN-AAD-ID-TOKEN,
    AppServiceAuthSession, StaticWebAppsAuthCookie, …
  - a directory role template ID (as found in wids), or a role's name, in part
    ("global admin")
  - a WWW-Authenticate challenge: its claims are decoded, and a claims challenge
    is answered with the azid token command that satisfies it
An unknown key gets the nearest known ones as suggestions.`,
		Example: `  azid explain AADSTS50011
  azid explain 700016
  azid explain "AADSTS700054: response_type 'id_token' is not enabled for the application."
  pbpaste | azid explain
  azid explain oid
  azid explain "global admin"
  azid explain 'WWW-Authenticate: Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsi…"'
  azid explain 62e90394-69f5-4237-9190-012177145e10`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Key = strings.Join(args, " ")
			if len(args) == 0 {
				opts.Key = "-"
			}
			opts.Format = f.Global.Format()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return run(cmd.Context(), opts)
		},
	}
}

// Entry is the JSON form of one explanation.
type Entry struct {
	Kind       string `json:"kind"` // aadsts, claim, header, role
	Key        string `json:"key"`
	Name       string `json:"name,omitempty"`
	Meaning    string `json:"meaning"`
	Cause      string `json:"cause,omitempty"`
	Fix        string `json:"fix,omitempty"`
	Privileged *bool  `json:"privileged,omitempty"`
	URL        string `json:"url,omitempty"`
	// Params and Claims are a WWW-Authenticate challenge's parameters and
	// its decoded claims request.
	Params map[string]string `json:"params,omitempty"`
	Claims json.RawMessage   `json:"claims,omitempty"`
	// TraceID, CorrelationID and Timestamp are those of pasted error text.
	TraceID       string `json:"trace_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	Timestamp     string `json:"timestamp,omitempty"`
}

// Lookup finds every explanation for key.
func Lookup(key string) ([]Entry, error) {
	key = strings.TrimSpace(key)
	if key == "" {
		return nil, fmt.Errorf("nothing to explain: give an AADSTS code, a claim name or a role ID")
	}
	if code, ok := entra.ParseAADSTS(strings.TrimRight(key, ":.,")); ok {
		e, found := aadstsEntry(code, entra.ErrorText{})
		if !found {
			return nil, cmdutil.WithExit(cmdutil.ExitFailure,
				fmt.Errorf("AADSTS%d is not in azid's catalogue", code), "look it up at "+e.URL)
		}
		return []Entry{e}, nil
	}
	if ch, ok := entra.ParseChallenge(key); ok && isChallenge(key, ch) {
		return []Entry{challengeEntry(ch)}, nil
	}
	if r, ok := entra.LookupRole(key); ok {
		return []Entry{roleEntry(r)}, nil
	}
	if r, ok := entra.LookupRoleByName(key); ok {
		return []Entry{roleEntry(r)}, nil
	}
	var out []Entry
	if m, ok := token.ExplainClaim(key); ok {
		out = append(out, Entry{Kind: "claim", Key: key, Meaning: m})
	} else if short := easyauth.ShortClaimType(key); short != key {
		if m, ok := token.ExplainClaim(short); ok {
			out = append(out, Entry{Kind: "claim", Key: key, Name: short, Meaning: m + " (the claim type Easy Auth gives " + short + ")"})
		}
	}
	if m, ok := token.ExplainHeader(key); ok {
		out = append(out, Entry{Kind: "header", Key: key, Meaning: m})
	}
	if t, ok := easyauth.LookupTerm(key); ok {
		out = append(out, Entry{Kind: "easyauth-" + t.Kind, Key: t.Name, Meaning: t.Meaning})
	}
	if len(out) > 0 {
		return out, nil
	}
	if roles := entra.SearchRoles(key); len(roles) > 0 && len(roles) <= maxRoleMatches {
		for _, r := range roles {
			out = append(out, roleEntry(r))
		}
		return out, nil
	} else if len(roles) > maxRoleMatches {
		return nil, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("%d directory roles match %q", len(roles), output.Sanitize(key)),
			"give more of the name, such as "+roles[0].Name)
	}
	if entra.IsGUID(key) {
		return nil, fmt.Errorf("%s is not a known directory role template ID", key)
	}
	err := fmt.Errorf("nothing known about %q: not an AADSTS code, claim, header member, Easy Auth header or cookie, directory role or WWW-Authenticate challenge in azid's catalogue", output.Sanitize(key))
	if near := suggest(key); len(near) > 0 {
		return nil, cmdutil.WithExit(cmdutil.ExitFailure, err, "did you mean "+strings.Join(near, ", ")+"?")
	}
	return nil, err
}

// maxRoleMatches is how many roles a loose name may match and still be
// listed.
const maxRoleMatches = 8

// aadstsEntry explains one code, with the advice that fits the text it came in.
func aadstsEntry(code int, et entra.ErrorText) (Entry, bool) {
	e := Entry{Kind: "aadsts", Key: "AADSTS" + strconv.Itoa(code), URL: "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code),
		TraceID: et.TraceID, CorrelationID: et.CorrelationID, Timestamp: et.Timestamp}
	a, found := entra.LookupAADSTS(code)
	if found {
		e.Name, e.Meaning, e.Fix = a.Name, a.Meaning, a.Fix
	} else {
		e.Meaning = "not in azid's catalogue: Microsoft's page for the code (below) has its text"
	}
	if adv, ok := adviceFor(code, et); ok {
		if adv.cause != e.Meaning {
			e.Cause = adv.cause
		}
		if adv.fix != "" {
			e.Fix = adv.fix // fitted to what the pasted text quotes
		}
	}
	return e, found
}

// LookupText explains every AADSTS code in pasted error text; with none in
// it, the text is looked up as one key.
func LookupText(text string) ([]Entry, error) {
	et := entra.ParseErrorText(text)
	if len(et.Codes) == 0 {
		return Lookup(text)
	}
	out := make([]Entry, 0, len(et.Codes))
	for _, code := range et.Codes {
		e, _ := aadstsEntry(code, et)
		out = append(out, e)
	}
	return out, nil
}

func roleEntry(r entra.Role) Entry {
	priv := r.Privileged
	meaning := "Entra built-in directory role"
	if r.Note != "" {
		meaning += " (" + r.Note + ")"
	}
	return Entry{Kind: "role", Key: r.ID, Name: r.Name, Meaning: meaning, Privileged: &priv}
}

// maxText bounds pasted text (a whole error page is a few KiB).
const maxText = 256 << 10

// run looks the key up, or reads the pasted text, and prints.
func run(_ context.Context, opts *Options) error {
	key := opts.Key
	if key == "-" {
		if opts.IO.IsStdinTTY() {
			fmt.Fprintln(opts.IO.ErrOut, "Paste the error text, then press Ctrl-D:")
		}
		data, err := cmdutil.ReadLimited(opts.IO.In, maxText, fmt.Errorf("the text on standard input is over %d KiB", maxText>>10))
		if err != nil {
			return err
		}
		key = string(data)
	}
	var entries []Entry
	var err error
	if single := strings.TrimSpace(key); !strings.ContainsAny(single, " \t\r\n") && !strings.Contains(strings.ToLower(single), "aadsts") || isBareCode(single) {
		entries, err = Lookup(single)
	} else {
		entries, err = LookupText(key)
	}
	if err != nil {
		return err
	}
	if opts.Format != output.FormatText {
		return output.Write(opts.IO.Out, opts.Format, entries)
	}
	p := output.NewPalette(opts.IO.ColorOut())
	var buf bytes.Buffer
	for i, e := range entries {
		if i > 0 && e.Kind == "aadsts" {
			buf.WriteByte('\n')
		}
		switch e.Kind {
		case "aadsts":
			writeAADSTS(&buf, p, e)
		case "challenge":
			writeChallenge(&buf, p, e)
		case "role":
			priv := ""
			if e.Privileged != nil && *e.Privileged {
				priv = "  " + p.Red("privileged")
			}
			fmt.Fprintf(&buf, "%s%s\n  %s\n  %s\n", p.Bold(e.Name), priv, e.Meaning, p.Dim("template ID "+e.Key))
		default:
			label := map[string]string{"easyauth-header": "Easy Auth header", "easyauth-cookie": "Easy Auth cookie"}[e.Kind]
			if label == "" {
				label = e.Kind
			}
			if e.Name != "" {
				label += " " + e.Name
			}
			fmt.Fprintf(&buf, "%s %s\n  %s\n", p.Bold(output.Sanitize(e.Key)), p.Dim("("+label+")"), e.Meaning)
		}
	}
	if len(entries) > 0 && entries[0].Kind == "aadsts" {
		writeRequestIDs(&buf, p, entries[0])
	}
	_, err = opts.IO.Out.Write(buf.Bytes())
	return err
}

// isBareCode reports whether s is one AADSTS code, as "AADSTS50011:" or "50011".
func isBareCode(s string) bool {
	_, ok := entra.ParseAADSTS(strings.TrimRight(s, ":.,"))
	return ok
}

func writeAADSTS(w io.Writer, p *output.Palette, e Entry) {
	title := e.Key
	if e.Name != "" {
		title += " " + e.Name
	}
	fmt.Fprintln(w, p.Bold(title))
	rows := []output.KV{{Key: "meaning", Value: e.Meaning}}
	if e.Cause != "" {
		rows = append(rows, output.KV{Key: "cause", Value: e.Cause})
	}
	if e.Fix != "" {
		rows = append(rows, output.KV{Key: "fix", Value: e.Fix})
	}
	rows = append(rows, output.KV{Key: "more", Value: p.Dim(e.URL)})
	_ = output.KeyValues(w, rows, 2, p.Dim)
}

// writeRequestIDs prints the trace and correlation IDs of pasted text, and
// what they are for.
func writeRequestIDs(w io.Writer, p *output.Palette, e Entry) {
	var rows []output.KV
	for _, kv := range [][2]string{{"trace ID", e.TraceID}, {"correlation ID", e.CorrelationID}, {"timestamp", e.Timestamp}} {
		if kv[1] != "" {
			rows = append(rows, output.KV{Key: kv[0], Value: kv[1]})
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, p.Bold("Request"))
	_ = output.KeyValues(w, rows, 2, p.Dim)
	fmt.Fprintln(w, p.Dim("  the correlation ID and timestamp find this sign-in in Entra's sign-in logs; quote them in a support request"))
}
