package decode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// ClaimsFormat says how --claim values are printed.
type ClaimsFormat struct {
	// JSON prints one JSON object of the chosen claims (-o json or yaml).
	JSON bool
	// TTY sanitises control characters for a terminal.
	TTY bool
}

// headerPrefix selects a header member: -c header.kid.
const headerPrefix = "header."

// ClaimNames splits comma-separated --claim values and drops empty and
// repeated names, keeping the order given.
func ClaimNames(values []string) []string {
	var names []string
	seen := map[string]bool{}
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			n = strings.TrimSpace(n)
			if n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	return names
}

// PrintClaims prints the raw values of the named claims, for scripts.
//
// One claim: its value alone; a string as it is, an array one element a
// line, anything else compact JSON. Several claims: exactly one line each,
// in the order asked: a string as it is, anything else (arrays too) compact
// JSON. In both, a string holding a line break is printed JSON-quoted, so
// that a line is never more than one value. With
// JSON, one object maps each name as asked to its value, verbatim.
//
// "header.NAME" selects a header member (unless the payload has a claim of
// that very name). A missing name prints nothing and fails, naming the
// similar claims the token does have.
func PrintClaims(w io.Writer, t *token.Token, names []string, format ClaimsFormat) error {
	names = ClaimNames(names)
	values := make([]json.RawMessage, len(names))
	for i, name := range names {
		raw, ok := lookupClaim(t, name)
		if !ok {
			return missingClaim(t, name)
		}
		values[i] = raw
	}
	var buf bytes.Buffer
	if format.JSON {
		buf.WriteByte('{')
		for i, name := range names {
			if i > 0 {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(name)
			buf.Write(key)
			buf.WriteByte(':')
			if err := json.Compact(&buf, values[i]); err != nil {
				buf.Write(values[i])
			}
		}
		buf.WriteString("}\n")
		_, err := w.Write(buf.Bytes())
		return err
	}
	for _, raw := range values {
		var lines []string
		if len(names) == 1 {
			lines = rawLines(raw)
		} else {
			lines = []string{oneLine(raw)}
		}
		for _, line := range lines {
			if format.TTY {
				line = output.Sanitize(line)
			}
			buf.WriteString(line)
			buf.WriteByte('\n')
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func lookupClaim(t *token.Token, name string) (json.RawMessage, bool) {
	if raw, ok := t.Claims.Raw(name); ok {
		return raw, true
	}
	if member, ok := strings.CutPrefix(name, headerPrefix); ok && t.Header != nil {
		return t.Header.Raw(member)
	}
	return nil, false
}

// rawLines is the one-claim form: arrays one element a line.
func rawLines(raw json.RawMessage) []string {
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil {
			var lines []string
			for _, it := range items {
				lines = append(lines, rawLines(it)...)
			}
			return lines
		}
	}
	return []string{oneLine(raw)}
}

// oneLine prints a value on one line: a string as it is (JSON-quoted when it
// holds a line break), anything else compact JSON.
func oneLine(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if !strings.ContainsAny(s, "\r\n") {
				return s
			}
			q, _ := json.Marshal(s)
			return string(q)
		}
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// claimFamilies groups claims that people mistake for one another across
// token versions and kinds.
func claimFamilies() [][]string {
	return [][]string{
		{"upn", "preferred_username", "unique_name", "email", "emails", "name", "login_hint", "verified_primary_email", "given_name", "family_name"},
		{"oid", "sub"},
		{"appid", "azp", "client_id"},
		{"appidacr", "azpacr"},
		{"scp", "roles", "wids"},
		{"groups", "hasgroups", "_claim_names", "_claim_sources"},
		{"tid", "iss", "idp"},
		{"exp", "iat", "nbf", "auth_time"},
	}
}

// missingClaim is the error for a claim the token lacks, with the similar
// claims it has.
func missingClaim(t *token.Token, name string) error {
	err := fmt.Errorf("claim %q is not in the token", name)
	similar := similarClaims(name, t.Claims.Keys())
	if member, ok := strings.CutPrefix(name, headerPrefix); ok && t.Header != nil {
		similar = nil
		for _, k := range similarClaims(member, t.Header.Keys()) {
			similar = append(similar, headerPrefix+k)
		}
	} else if t.Header != nil && t.Header.Has(name) {
		similar = append([]string{headerPrefix + name}, similar...)
	}
	if len(similar) == 0 {
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err,
			Hint: `see every claim with "azid decode" (header members as -c header.NAME)`}
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err,
		Hint: fmt.Sprintf("the token has %s: try -c %s", strings.Join(similar, ", "), similar[0])}
}

// similarClaims returns the present claims that name is likely meant as:
// the same family first, then near spellings.
func similarClaims(name string, present []string) []string {
	lower := strings.ToLower(name)
	has := map[string]bool{}
	for _, p := range present {
		has[p] = true
	}
	var out []string
	add := func(c string) {
		if has[c] && c != name {
			for _, o := range out {
				if o == c {
					return
				}
			}
			out = append(out, c)
		}
	}
	for _, fam := range claimFamilies() {
		for _, member := range fam {
			if member == lower {
				for _, c := range fam {
					add(c)
				}
			}
		}
	}
	maxEdits := 2
	if len(lower) <= 4 {
		maxEdits = 1
	}
	var near []string
	for _, p := range present {
		pl := strings.ToLower(p)
		if pl == lower || editDistance(pl, lower) <= maxEdits || (len(lower) >= 3 && strings.Contains(pl, lower)) {
			near = append(near, p)
		}
	}
	sort.Strings(near)
	for _, c := range near {
		add(c)
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// editDistance is the optimal-string-alignment distance of two short
// strings: insertions, deletions, substitutions and adjacent transpositions
// ("nmae" is one edit from "name").
func editDistance(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}
