package explain

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// isChallenge tells a WWW-Authenticate challenge from other text with "=":
// it is named so, or its scheme is Bearer or PoP.
func isChallenge(key string, ch entra.Challenge) bool {
	k := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(key), "< ")))
	return strings.HasPrefix(k, "www-authenticate") || strings.EqualFold(ch.Scheme, "Bearer") || strings.EqualFold(ch.Scheme, "PoP")
}

// challengeEntry explains a challenge, and for a claims challenge gives the
// command that gets a token satisfying it.
func challengeEntry(ch entra.Challenge) Entry {
	e := Entry{Kind: "challenge", Key: "WWW-Authenticate", Name: ch.Scheme, Params: ch.Params, Claims: ch.Claims}
	code := ch.Params["error"]
	e.Meaning = entra.ChallengeError(code)
	if e.Meaning == "" {
		e.Meaning = "the resource asks for a " + ch.Scheme + " token"
		if code != "" {
			e.Meaning += " (error " + output.Sanitize(code) + ")"
		}
	}
	if raw := ch.Params["claims"]; raw != "" {
		if ch.Claims == nil {
			e.Fix = "the claims parameter is neither Base64 of JSON nor JSON: copy the whole header again"
		} else {
			e.Cause = "the API's Conditional Access or Continuous Access Evaluation requires the claims shown; a token from the cache does not carry them"
			e.Fix = "azid token --scope " + shellQuote(challengeScope(ch)) + " --claims " + shellQuote(raw)
		}
	} else if code == "invalid_token" {
		e.Fix = "decode the token you sent (azid decode) to check its audience and expiry, then get a new one (azid token --scope …)"
	} else if code == "insufficient_scope" {
		e.Fix = "request the scope the API needs (azid token --scope <api>/<permission>), or grant the app role to the client"
	}
	return e
}

// challengeScope is the scope to ask for: the challenge's scope, else its
// resource's .default, else a placeholder the user fills in.
func challengeScope(ch entra.Challenge) string {
	if s := ch.Params["scope"]; s != "" {
		return s
	}
	for _, k := range []string{"resource_id", "resource", "client_id"} {
		if r := ch.Params[k]; r != "" {
			if r == graphAppID {
				return "https://graph.microsoft.com/.default"
			}
			return strings.TrimRight(r, "/") + "/.default"
		}
	}
	return "<api>/.default"
}

// graphAppID is Microsoft Graph's application ID, which Graph's claims
// challenges name as client_id.
const graphAppID = "00000003-0000-0000-c000-000000000000"

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeChallenge(w io.Writer, p *output.Palette, e Entry) {
	fmt.Fprintln(w, p.Bold("WWW-Authenticate challenge ("+output.Sanitize(e.Name)+")"))
	rows := []output.KV{{Key: "meaning", Value: e.Meaning}}
	names := make([]string, 0, len(e.Params))
	for k := range e.Params {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v := e.Params[k]
		if v == "" {
			v = `""`
		}
		if k == "claims" && e.Claims != nil {
			v = string(e.Claims) + "  " + p.Dim("(decoded)")
		}
		rows = append(rows, output.KV{Key: k, Value: output.Sanitize(v)})
	}
	if e.Cause != "" {
		rows = append(rows, output.KV{Key: "cause", Value: e.Cause})
	}
	if e.Fix != "" {
		rows = append(rows, output.KV{Key: "fix", Value: output.Sanitize(e.Fix)})
	}
	_ = output.KeyValues(w, rows, 2, p.Dim)
}

// suggest returns up to three known keys near key (by edit distance, any
// case), nearest first.
func suggest(key string) []string {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == "" || len(k) > 64 {
		return nil
	}
	type cand struct {
		name string
		d    int
	}
	var cands []cand
	seen := map[string]bool{}
	for _, list := range [][]string{token.ClaimNames(), token.HeaderNames(), easyauth.TermNames(), entra.RoleNames()} {
		for _, n := range list {
			ln := strings.ToLower(n)
			if seen[ln] {
				continue
			}
			seen[ln] = true
			limit := max(1, min(len(k), len(ln))/3)
			if d := distance(k, ln); d <= limit {
				cands = append(cands, cand{n, d})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.d - b.d })
	out := make([]string, 0, 3)
	for _, c := range cands[:min(3, len(cands))] {
		out = append(out, c.name)
	}
	return out
}

// distance is the Levenshtein distance of a and b (bytes).
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
