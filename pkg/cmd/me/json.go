package me

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/cmd/internal/claimsview"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/timefmt"
	"github.com/azid-cli/azid/pkg/token"
	"github.com/azid-cli/azid/pkg/tokenview"
)

// The JSON shape of azid me, and the before/after of --refresh.

// Result is the JSON form of `azid me`.
type Result struct {
	App        string         `json:"app"`
	Identities []IdentityJSON `json:"identities"`
	Refresh    *RefreshChange `json:"refresh,omitempty"`
}

// IdentityJSON is one provider's identity, parsed.
type IdentityJSON struct {
	Provider  string      `json:"provider"`
	UserID    string      `json:"user_id"`
	Name      string      `json:"name,omitempty"`
	Email     string      `json:"email,omitempty"`
	ObjectID  string      `json:"object_id,omitempty"`
	TenantID  string      `json:"tenant_id,omitempty"`
	Roles     []string    `json:"roles"`
	Claims    []ClaimJSON `json:"claims"`
	ExpiresOn *time.Time  `json:"expires_on"`
	Expired   bool        `json:"expired"`
	Tokens    Tokens      `json:"tokens"`
}

// ClaimJSON is a claim with its short name.
type ClaimJSON struct {
	Type  string `json:"typ"`
	Short string `json:"short"`
	Value string `json:"val"`
}

// Tokens says which tokens the store holds.
type Tokens struct {
	AccessToken         *TokenJSON `json:"access_token,omitempty"`
	IDToken             *TokenJSON `json:"id_token,omitempty"`
	RefreshToken        *TokenJSON `json:"refresh_token,omitempty"`
	AccessTokenSecret   *TokenJSON `json:"access_token_secret,omitempty"`
	AuthenticationToken *TokenJSON `json:"authentication_token,omitempty"`
}

// TokenJSON describes one stored token; Raw only with --show-tokens.
type TokenJSON struct {
	Present bool           `json:"present"`
	Summary *token.Summary `json:"summary,omitempty"`
	Raw     string         `json:"raw,omitempty"`
}

// RefreshChange is what /.auth/refresh changed.
type RefreshChange struct {
	Provider string     `json:"provider"`
	Before   *time.Time `json:"expires_on_before"`
	After    *time.Time `json:"expires_on_after"`
	Changed  bool       `json:"changed"`
}

func toJSON(id *easyauth.Identity, now time.Time, show bool) IdentityJSON {
	out := IdentityJSON{
		Provider: id.Provider, UserID: id.UserID,
		Name:     id.First("name", "preferred_username"),
		Email:    id.First("email", "preferred_username", "upn"),
		ObjectID: id.First("oid"), TenantID: id.First("tid"),
		Roles: id.Get("roles"), ExpiresOn: id.ExpiresOn,
		Claims: make([]ClaimJSON, 0, len(id.Claims)),
	}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	for _, c := range id.Claims {
		out.Claims = append(out.Claims, ClaimJSON{Type: c.Type, Short: easyauth.ShortClaimType(c.Type), Value: c.Value})
	}
	if id.ExpiresOn != nil {
		out.Expired = !now.Before(*id.ExpiresOn)
	}
	tok := func(raw string, decode bool) *TokenJSON {
		if raw == "" {
			return nil
		}
		t := &TokenJSON{Present: true}
		if decode {
			if parsed, err := token.Parse(raw); err == nil {
				s := token.Classify(parsed, now)
				t.Summary = &s
			}
		}
		if show {
			t.Raw = raw
		}
		return t
	}
	out.Tokens = Tokens{
		AccessToken: tok(id.AccessToken, true), IDToken: tok(id.IDToken, true), RefreshToken: tok(id.RefreshToken, false),
		AccessTokenSecret: tok(id.AccessTokenSecret, false), AuthenticationToken: tok(id.AuthenticationToken, true),
	}
	return out
}

func refreshChange(before, after []easyauth.Identity) *RefreshChange {
	if len(after) == 0 {
		return nil
	}
	rc := &RefreshChange{Provider: after[0].Provider, After: after[0].ExpiresOn}
	for _, b := range before {
		if b.Provider == after[0].Provider {
			rc.Before = b.ExpiresOn
		}
	}
	rc.Changed = (rc.Before == nil) != (rc.After == nil) || (rc.Before != nil && !rc.Before.Equal(*rc.After))
	return rc
}

func writeRefresh(w io.Writer, p *output.Palette, rc *RefreshChange, now time.Time) {
	when := func(t *time.Time) string {
		if t == nil {
			return "unknown"
		}
		return timefmt.Timestamp(*t) + " (" + timefmt.Relative(*t, now) + ")"
	}
	if rc.Changed {
		fmt.Fprintf(w, "%s access token expiry %s → %s\n\n", p.Green("✓ refreshed:"), when(rc.Before), when(rc.After))
	} else {
		fmt.Fprintf(w, "%s the access token's expiry did not change (%s)\n\n", p.Yellow("refreshed, but"), when(rc.After))
	}
}

func writeIdentity(w io.Writer, p *output.Palette, id *easyauth.Identity, j *IdentityJSON, now time.Time, show bool) {
	clean := output.Sanitize
	fmt.Fprintf(w, "%s · %s\n", p.Bold(clean(cmp.Or(id.Provider, "unknown provider"))), clean(id.UserID))
	var rows []output.KV
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, output.KV{Key: k, Value: v})
		}
	}
	add("name", clean(j.Name))
	if j.Email != j.Name {
		add("email", clean(j.Email))
	}
	add("object id", clean(j.ObjectID))
	add("tenant", clean(j.TenantID))
	add("roles", clean(strings.Join(j.Roles, ", ")))
	var held []string
	for _, t := range []struct {
		name string
		tok  *TokenJSON
	}{{"access token", j.Tokens.AccessToken}, {"ID token", j.Tokens.IDToken}, {"refresh token", j.Tokens.RefreshToken},
		{"access token secret", j.Tokens.AccessTokenSecret}, {"authentication token", j.Tokens.AuthenticationToken}} {
		if t.tok != nil {
			held = append(held, t.name)
		}
	}
	if len(held) == 0 {
		add("tokens", p.Yellow("none in the token store"))
	} else {
		add("tokens", strings.Join(held, ", "))
	}
	if id.ExpiresOn != nil {
		v := tokenview.TimeValue(p, "exp", *id.ExpiresOn, now) // "… (expires in 42m)", or EXPIRED
		if j.Expired {
			v += p.Dim(" (azid me --refresh renews it)")
		}
		add("expires on", v)
	} else if id.ExpiresOnRaw != "" {
		add("expires on", clean(id.ExpiresOnRaw)+p.Yellow(" (not a time azid can read)"))
	}
	if id.AccessToken != "" {
		line, _ := tokenview.Brief(p, id.AccessToken, now)
		add("access token", line)
	}
	if id.IDToken != "" {
		line, _ := tokenview.Brief(p, id.IDToken, now)
		add("ID token", line)
	}
	_ = output.KeyValues(w, rows, 2, p.Dim)
	if show {
		for _, t := range []struct{ name, raw string }{{"access_token", id.AccessToken}, {"id_token", id.IDToken}, {"refresh_token", id.RefreshToken}} {
			if t.raw != "" {
				fmt.Fprintf(w, "  %s %s\n", p.Yellow(t.name+":"), clean(t.raw))
			}
		}
	}
	claimsview.Write(w, p, id.Claims, now)
}
