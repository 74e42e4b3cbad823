// Package tokenview renders a decoded token for people: a summary, the header
// and every claim with its meaning, times in UTC with relative times.
package tokenview

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/timefmt"
	"github.com/azid-cli/azid/pkg/token"
)

// timeClaims are the claims whose values are NumericDates.
var timeClaims = [...]string{"iat", "nbf", "exp", "auth_time", "pwd_exp", "xms_tcdt"}

func isTimeClaim(name string) bool {
	for _, n := range timeClaims {
		if n == name {
			return true
		}
	}
	return false
}

// KindLine describes the token in one line: "access token (likely) · v2.0 · user-delegated".
func KindLine(s token.Summary) string {
	var parts []string
	kind := map[string]string{token.KindAccess: "access token", token.KindID: "ID token"}[s.Kind]
	if kind == "" {
		kind = "token of unknown kind"
	} else if s.KindLikely {
		kind = "likely " + kind
	}
	parts = append(parts, kind)
	if s.Version != "" {
		parts = append(parts, "v"+s.Version)
	}
	switch {
	case s.SubjectType == token.SubjectUser && s.Kind == token.KindID:
		parts = append(parts, "a user's sign-in")
	case s.SubjectType == token.SubjectUser:
		parts = append(parts, withReason("user-delegated", s.SubjectReason))
	case s.SubjectType == token.SubjectApp:
		parts = append(parts, withReason("app-only", s.SubjectReason))
	}
	if s.Cloud != entra.CloudUnknown {
		parts = append(parts, s.Cloud.Description())
	}
	return strings.Join(parts, " · ")
}

// withReason adds why a token was judged app-only or user-delegated: the
// claims that decided it.
func withReason(label, reason string) string {
	if reason == "" {
		return label
	}
	return label + " (" + reason + ")"
}

// Summary writes the summary block: who, tenant, audience, client, lifetime, notes.
func Summary(w io.Writer, p *output.Palette, s token.Summary, now time.Time) {
	fmt.Fprintln(w, p.Bold(capitalize(KindLine(s))))
	var rows []output.KV
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, output.KV{Key: k, Value: v})
		}
	}
	clean := output.Sanitize
	who := clean(s.Name)
	if s.Username != "" {
		if who != "" {
			who += " <" + clean(s.Username) + ">"
		} else {
			who = clean(s.Username)
		}
	}
	if s.SubjectType == token.SubjectApp {
		add("app", clean(cmp.Or(s.ObjectID, s.Subject))+" (service principal object ID)")
	} else {
		add("user", who)
		add("object id", clean(s.ObjectID))
	}
	tenant := clean(s.TenantID)
	if s.PersonalAccount {
		tenant += " (personal Microsoft accounts)"
	}
	add("tenant", tenant)
	add("issuer", clean(s.Issuer))
	add("audience", clean(strings.Join(s.Audience, ", ")))
	if s.ClientID != "" {
		client := clean(s.ClientID)
		if s.ClientAuth != "" {
			client += " (" + s.ClientAuth + ")"
		}
		add("client", client)
	}
	add("scopes", clean(strings.Join(s.Scopes, " ")))
	add("roles", clean(strings.Join(s.Roles, ", ")))
	if s.IssuedAt != nil {
		add("issued", timefmt.Timestamp(*s.IssuedAt)+" ("+timefmt.Relative(*s.IssuedAt, now)+")")
	}
	if s.NotBefore != nil && s.NotYetValid {
		add("valid from", timefmt.Timestamp(*s.NotBefore)+" ("+timefmt.Relative(*s.NotBefore, now)+")  "+p.Red("NOT YET VALID"))
	}
	if s.ExpiresAt != nil {
		if s.Expired {
			add("expired", timefmt.Timestamp(*s.ExpiresAt)+" ("+timefmt.Relative(*s.ExpiresAt, now)+")  "+p.Red("EXPIRED"))
		} else {
			add("expires", timefmt.Timestamp(*s.ExpiresAt)+" ("+p.Green(timefmt.Relative(*s.ExpiresAt, now))+")")
		}
	}
	_ = output.KeyValues(w, rows, 2, p.Dim)
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  %s %s\n", p.Yellow("!"), clean(n))
	}
	if o := s.GroupsOverageSource; o != nil {
		fmt.Fprintf(w, "  %s %s\n", p.Dim("hint:"), "resolve the groups: "+clean(OverageCommand(o)))
	}
}

// OverageCommand is the azid command that resolves the groups an overage
// pointer stands for: the token itself goes to azid graph groups --of,
// which asks Graph about the token's user (its oid) as the pointer means.
func OverageCommand(o *token.Overage) string {
	if o.SubjectKind == "me" {
		return "azid graph groups   (the token names no user: these are the signed-in user's)"
	}
	return "azid graph groups --of TOKEN   (or --of - with the token on standard input)"
}

// Header writes the JOSE header members with their meanings.
func Header(w io.Writer, p *output.Palette, t *token.Token) {
	fmt.Fprintln(w, p.Bold("Header"))
	keys := t.Header.Keys()
	width := keyWidth(keys)
	for _, k := range keys {
		raw, _ := t.Header.Raw(k)
		meaning, known := token.ExplainHeader(k)
		writeRow(w, p, k, width, displayValue(raw), meaning, known)
	}
}

// Claims writes every claim with its value, rendered for people, and its
// meaning in this kind of token (s is the token's classification).
func Claims(w io.Writer, p *output.Palette, t *token.Token, s token.Summary, now time.Time) {
	fmt.Fprintln(w, p.Bold("Claims"))
	keys := t.Claims.Keys()
	width := keyWidth(keys)
	for _, k := range keys {
		raw, _ := t.Claims.Raw(k)
		meaning, known := token.ExplainClaimIn(k, s.Kind, s.SubjectType)
		writeRow(w, p, k, width, ClaimValue(p, t, k, raw, now), meaning, known)
	}
}

func keyWidth(keys []string) int {
	w := 0
	for _, k := range keys {
		if n := output.DisplayWidth(k); n > w && n <= 24 {
			w = n
		}
	}
	return w
}

func writeRow(w io.Writer, p *output.Palette, key string, width int, value, meaning string, known bool) {
	pad := output.PadRight(p.Cyan(output.Sanitize(key)), output.DisplayWidth(output.Sanitize(key)), width)
	fmt.Fprintf(w, "  %s  %s\n", pad, value)
	indent := strings.Repeat(" ", 4+max(width, output.DisplayWidth(key)))
	if !known {
		fmt.Fprintf(w, "%s%s\n", indent, p.Yellow("unknown claim: not in Microsoft's or the JWT references"))
		return
	}
	fmt.Fprintf(w, "%s%s\n", indent, p.Dim(meaning))
}

// ClaimValue renders one claim's value for people: times with UTC and
// relative times, role IDs and method codes with their names.
func ClaimValue(p *output.Palette, t *token.Token, name string, raw json.RawMessage, now time.Time) string {
	c := t.Claims
	switch {
	case isTimeClaim(name):
		if tm, ok := c.Time(name); ok {
			return string(raw) + "  " + TimeValue(p, name, tm, now)
		}
		return output.Sanitize(string(raw)) + "  " + p.Yellow("(not a valid time)")
	case name == "wids":
		var parts []string
		for _, id := range c.Strings(name) {
			r, ok := entra.LookupRole(id)
			switch {
			case !ok:
				parts = append(parts, output.Sanitize(id)+" (unknown role)")
			case r.Privileged:
				parts = append(parts, id+" ("+r.Name+", "+p.Red("privileged")+")")
			default:
				parts = append(parts, id+" ("+r.Name+")")
			}
		}
		return listValue(parts)
	case name == "amr":
		var parts []string
		for _, v := range c.Strings(name) {
			v = output.Sanitize(v)
			if m, ok := token.ExplainAMR(v); ok {
				v += " (" + m + ")"
			}
			parts = append(parts, v)
		}
		return strings.Join(parts, ", ")
	case name == "appidacr" || name == "azpacr":
		v := output.Sanitize(c.Str(name))
		if m := token.ClientAuthMethod(v); m != "" {
			return v + " (" + m + ")"
		}
	case name == "acct":
		if n, ok := c.Number(name); ok {
			switch n {
			case 0:
				return string(raw) + " (member)"
			case 1:
				return string(raw) + " (guest)"
			}
		}
	case name == "tid":
		if c.Str(name) == entra.MSATenantID {
			return c.Str(name) + " (personal Microsoft accounts)"
		}
	case name == "aud":
		var parts []string
		for _, a := range c.Strings(name) {
			a = output.Sanitize(a)
			if entra.IsGraphAudience(a) {
				a += " (Microsoft Graph)"
			}
			parts = append(parts, a)
		}
		return strings.Join(parts, ", ")
	case name == "xms_cc":
		var parts []string
		for _, v := range c.Strings(name) {
			v = output.Sanitize(v)
			if v == "cp1" {
				v += " (handles claims challenges)"
			}
			parts = append(parts, v)
		}
		return strings.Join(parts, ", ")
	}
	return displayValue(raw)
}

// displayValue shows a string unquoted, an array of strings comma-separated,
// anything else as compact JSON exactly as written; all made safe for a terminal.
func displayValue(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return output.Sanitize(s)
		}
	}
	if len(raw) > 0 && raw[0] == '[' {
		var list []string
		if json.Unmarshal(raw, &list) == nil {
			return listValue(list)
		}
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) == nil {
		return output.Sanitize(buf.String())
	}
	return output.Sanitize(string(raw))
}

func listValue(items []string) string {
	if len(items) == 0 {
		return "(empty)"
	}
	return output.Sanitize(strings.Join(items, ", "))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Verification writes the verdict and every check, aligned.
func Verification(w io.Writer, p *output.Palette, v *token.Verification) {
	switch {
	case v.Valid:
		fmt.Fprintln(w, p.Green("✓ token is valid"))
	case v.Unverifiable():
		// No keys (or no clock): no verdict on the token, so never "NOT valid".
		fmt.Fprintln(w, p.Yellow("? cannot verify the token: its keys are unavailable"))
	default:
		fmt.Fprintln(w, p.Red("✗ token is NOT valid"))
	}
	nameW, statusW := 0, 0
	for _, c := range v.Checks {
		nameW = max(nameW, output.DisplayWidth(c.Name))
		statusW = max(statusW, output.DisplayWidth(statusText(c.Status)))
	}
	for _, c := range v.Checks {
		st := statusText(c.Status)
		colored := st
		switch c.Status {
		case token.Passed:
			colored = p.Green(st)
		case token.Failed:
			colored = p.Red(st)
		default:
			colored = p.Yellow(st)
		}
		detail := output.Sanitize(c.Detail)
		fmt.Fprintf(w, "  %s  %s  %s\n", output.PadRight(c.Name, output.DisplayWidth(c.Name), nameW), output.PadRight(colored, output.DisplayWidth(st), statusW), detail)
	}
	if v.Keys != nil {
		fmt.Fprintf(w, "  %s\n", p.Dim("keys: "+KeySource(v.Keys)))
	}
}

func statusText(s string) string {
	if s == token.NotChecked {
		return "not checked"
	}
	return s
}

// KeySource describes where keys came from: "https://…/keys (cached 2026-…)".
func KeySource(o *token.KeyOrigin) string {
	src := cmp.Or(o.File, o.JWKSURL, o.MetadataURL)
	if o.FromCache && o.FetchedAt != nil {
		src += " (from the key cache, fetched " + timefmt.Timestamp(*o.FetchedAt) + ")"
	}
	return output.Sanitize(src)
}

// Brief describes an embedded token in one line, from the decoder: kind,
// audience, scopes or roles, and expiry. The token itself is never shown.
func Brief(p *output.Palette, raw string, now time.Time) (string, *token.Summary) {
	t, err := token.Parse(raw)
	if err != nil {
		if errors.Is(err, token.ErrEncrypted) {
			return "encrypted token (JWE)", nil
		}
		return "not a JWT (opaque to everyone but its audience)", nil
	}
	s := token.Classify(t, now)
	parts := []string{KindLine(s)}
	if len(s.Audience) > 0 {
		aud := "for " + strings.Join(s.Audience, ", ")
		if s.Graph {
			aud += " (Microsoft Graph)"
		}
		parts = append(parts, aud)
	}
	if len(s.Scopes) > 0 {
		parts = append(parts, "scopes "+strings.Join(s.Scopes, " "))
	}
	if len(s.Roles) > 0 {
		parts = append(parts, "roles "+strings.Join(s.Roles, ", "))
	}
	line := output.Sanitize(strings.Join(parts, " · "))
	if s.ExpiresAt != nil {
		if s.Expired {
			line += " · " + p.Red("expired "+timefmt.Relative(*s.ExpiresAt, now))
		} else {
			line += " · expires " + timefmt.Relative(*s.ExpiresAt, now)
		}
	}
	return line, &s
}
