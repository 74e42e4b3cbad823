package headers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/output"
)

// claimNames splits comma-separated -c values, dropping empty and repeated
// names, in the order given.
func claimNames(values []string) []string {
	var names []string
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			if n = strings.TrimSpace(n); n != "" && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names
}

// printClaims prints the values of the principal's claims named (by short
// name, such as oid or roles, or by claim type URI), for scripts. One claim:
// each value a line. Several: one line each, the value if there is one,
// else a compact JSON array. With JSON: one object mapping each name as
// asked to the array of its values (Easy Auth repeats a type for each
// value). A value holding a line break is printed JSON-quoted; on a
// terminal, control characters are escaped.
func printClaims(w io.Writer, pr *easyauth.Principal, names []string, asJSON, tty bool) error {
	names = claimNames(names)
	values := make([][]string, len(names))
	for i, n := range names {
		values[i] = principalValues(pr, n)
		if len(values[i]) == 0 {
			return missingPrincipalClaim(pr, n)
		}
	}
	var buf bytes.Buffer
	line := func(s string) {
		if strings.ContainsAny(s, "\r\n") {
			b, _ := json.Marshal(s)
			s = string(b)
		} else if tty {
			s = output.Sanitize(s)
		}
		buf.WriteString(s)
		buf.WriteByte('\n')
	}
	switch {
	case asJSON:
		obj := make(map[string][]string, len(names))
		for i, n := range names {
			obj[n] = values[i]
		}
		buf.WriteByte('{')
		for i, n := range names {
			if i > 0 {
				buf.WriteByte(',')
			}
			k, _ := json.Marshal(n)
			v, _ := json.Marshal(obj[n])
			buf.Write(k)
			buf.WriteByte(':')
			buf.Write(v)
		}
		buf.WriteString("}\n")
	case len(names) == 1:
		for _, v := range values[0] {
			line(v)
		}
	default:
		for _, vs := range values {
			if len(vs) == 1 {
				line(vs[0])
			} else {
				b, _ := json.Marshal(vs)
				line(string(b))
			}
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// principalValues finds a claim's values: by type, short name or URI, any
// case; "roles" also finds the type role_typ names.
func principalValues(pr *easyauth.Principal, name string) []string {
	if strings.EqualFold(name, "roles") || strings.EqualFold(name, "role") {
		return pr.Roles()
	}
	var out []string
	for _, c := range pr.Claims {
		if strings.EqualFold(c.Type, name) || strings.EqualFold(easyauth.ShortClaimType(c.Type), name) {
			out = append(out, c.Value)
		}
	}
	if len(out) == 0 && pr.Shape == "static-web-apps" && strings.EqualFold(name, "userDetails") && pr.UserDetails != "" {
		out = []string{pr.UserDetails}
	}
	return out
}

// missingPrincipalClaim names the claims present that look like the one asked for.
func missingPrincipalClaim(pr *easyauth.Principal, name string) error {
	err := fmt.Errorf("claim %q is not in the client principal", output.Sanitize(name))
	var short []string
	for _, c := range pr.Claims {
		if s := easyauth.ShortClaimType(c.Type); !slices.Contains(short, s) {
			short = append(short, s)
		}
	}
	similar := similarNames(name, short)
	if len(similar) == 0 {
		return cmdutil.WithExit(cmdutil.ExitFailure, err, "the principal has "+output.Sanitize(strings.Join(short, ", ")))
	}
	return cmdutil.WithExit(cmdutil.ExitFailure, err, "the principal has "+output.Sanitize(strings.Join(similar, ", "))+": try -c "+output.Sanitize(similar[0]))
}

// identityClaims are names that stand for the same thing: asked for one,
// the others are the similar claims.
var identityClaims = [][]string{
	{"upn", "preferred_username", "email", "name", "unique_name"},
	{"oid", "sub", "objectidentifier"},
	{"roles", "groups", "wids"},
}

func similarNames(name string, present []string) []string {
	var out []string
	for _, group := range identityClaims {
		if !slices.Contains(group, strings.ToLower(name)) {
			continue
		}
		for _, g := range group {
			for _, p := range present {
				if strings.EqualFold(p, g) && !strings.EqualFold(p, name) && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	for _, p := range present {
		if !slices.Contains(out, p) && (strings.Contains(strings.ToLower(p), strings.ToLower(name)) || strings.Contains(strings.ToLower(name), strings.ToLower(p))) {
			out = append(out, p)
		}
	}
	return out
}
