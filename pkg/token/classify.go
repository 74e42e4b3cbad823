package token

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
)

// Kinds of token.
const (
	KindAccess  = "access"
	KindID      = "id"
	KindUnknown = "unknown"
)

// Subject types.
const (
	SubjectUser    = "user"
	SubjectApp     = "app"
	SubjectUnknown = "unknown"
)

// Summary is what azid can tell about a token without verifying it. Its JSON
// form is the "token" object of `azid decode -o json`.
type Summary struct {
	Kind string `json:"kind"`
	// KindLikely is true when the kind is a heuristic, not stated by the token.
	KindLikely  bool   `json:"kind_likely"`
	KindReason  string `json:"kind_reason,omitempty"`
	Version     string `json:"version,omitempty"`
	SubjectType string `json:"subject_type"`
	// SubjectReason says how the subject type was decided.
	SubjectReason string      `json:"subject_reason,omitempty"`
	Issuer        string      `json:"issuer,omitempty"`
	TenantID      string      `json:"tenant_id,omitempty"`
	Cloud         entra.Cloud `json:"cloud"`
	Audience      []string    `json:"audience"`
	ClientID      string      `json:"client_id,omitempty"`
	ClientAuth    string      `json:"client_auth,omitempty"`
	Subject       string      `json:"subject,omitempty"`
	ObjectID      string      `json:"object_id,omitempty"`
	Username      string      `json:"username,omitempty"`
	Name          string      `json:"name,omitempty"`
	Scopes        []string    `json:"scopes,omitempty"`
	Roles         []string    `json:"roles,omitempty"`
	IssuedAt      *time.Time  `json:"issued_at"`
	NotBefore     *time.Time  `json:"not_before"`
	ExpiresAt     *time.Time  `json:"expires_at"`
	Expired       bool        `json:"expired"`
	NotYetValid   bool        `json:"not_yet_valid"`
	// PersonalAccount is true for a personal Microsoft account (MSA tenant).
	PersonalAccount bool `json:"personal_account"`
	Guest           bool `json:"guest"`
	Graph           bool `json:"graph"`
	Unsigned        bool `json:"unsigned"`
	GroupsOverage   bool `json:"groups_overage"`
	// GroupsOverageSource is the overage pointer and its Graph replacement.
	GroupsOverageSource *Overage     `json:"groups_overage_source,omitempty"`
	DirectoryRoles      []entra.Role `json:"directory_roles,omitempty"`
	AuthMethods         []string     `json:"auth_methods,omitempty"`
	// Notes are findings worth a person's attention, one sentence each.
	Notes []string `json:"notes"`
}

// Classify summarises an Entra token at the instant now. Token times are
// compared without leeway: the summary says what the token claims.
func Classify(t *Token, now time.Time) Summary {
	c := t.Claims
	s := Summary{Audience: c.Strings("aud"), Cloud: entra.CloudUnknown, Notes: []string{}}
	if s.Audience == nil {
		s.Audience = []string{}
	}
	s.Issuer = c.Str("iss")
	s.Subject = c.Str("sub")
	s.ObjectID = c.Str("oid")
	s.Name = c.Str("name")
	s.Username = cmp.Or(c.Str("preferred_username"), c.Str("upn"), c.Str("unique_name"), c.Str("email"))
	s.ClientID = cmp.Or(c.Str("azp"), c.Str("appid"))
	s.ClientAuth = ClientAuthMethod(cmp.Or(c.Str("azpacr"), c.Str("appidacr")))
	if scp := c.Str("scp"); scp != "" {
		s.Scopes = strings.Fields(scp)
	}
	s.Roles = c.Strings("roles")
	s.AuthMethods = c.Strings("amr")

	// version
	switch v := c.Str("ver"); v {
	case "1.0", "2.0":
		s.Version = v
	default:
		if info, ok := entra.ParseIssuer(s.Issuer); ok && info.Cloud != entra.CloudUnknown {
			if info.V2 {
				s.Version = "2.0"
			} else if strings.HasPrefix(info.Host, "sts.") {
				s.Version = "1.0"
			}
		}
	}

	// issuer, tenant, cloud
	info, issOK := entra.ParseIssuer(s.Issuer)
	if issOK {
		s.Cloud = info.Cloud
	}
	s.TenantID = c.Str("tid")
	if s.TenantID == "" && issOK && info.Cloud != entra.CloudUnknown {
		s.TenantID = info.Tenant
	}
	if s.Issuer != "" && !issOK {
		s.Notes = append(s.Notes, "the issuer is not an https URL")
	} else if issOK && info.Cloud == entra.CloudUnknown {
		s.Notes = append(s.Notes, "the issuer "+info.Host+" is not a Microsoft login host")
	}
	if s.TenantID == entra.MSATenantID || strings.EqualFold(c.Str("idp"), "live.com") {
		s.PersonalAccount = true
		s.Notes = append(s.Notes, "personal Microsoft account (consumer tenant 9188040d-…)")
	}
	if acct, ok := c.Number("acct"); ok && acct == 1 {
		s.Guest = true
	} else if idp := c.Str("idp"); idp != "" && s.Issuer != "" && idp != s.Issuer && !s.PersonalAccount &&
		!strings.Contains(idp, "/"+s.TenantID+"/") {
		s.Guest = true
	}
	if s.Guest {
		s.Notes = append(s.Notes, "guest user: authenticated by another tenant or identity provider ("+cmp.Or(c.Str("idp"), "acct=1")+")")
	}
	switch s.Cloud {
	case entra.CloudB2C:
		s.Notes = append(s.Notes, "Azure AD B2C token: keys and metadata are per user flow (policy)")
	case entra.CloudExternalID:
		s.Notes = append(s.Notes, "Microsoft Entra External ID (CIAM) token")
	}

	classifyKind(t, &s)
	classifySubject(t, &s)

	// Graph and unsigned
	for _, a := range s.Audience {
		if entra.IsGraphAudience(a) {
			s.Graph = true
		}
	}
	if t.Header.Has("nonce") && !s.Graph {
		s.Notes = append(s.Notes, "the header carries a nonce: a Microsoft first-party token whose signature only that service can verify")
	}
	if s.Graph {
		s.Notes = append(s.Notes, "Microsoft Graph token: only Graph can verify it; to test your own API, request a token for your API's scope (api://<app-id>/.default)")
	}
	if alg := t.Alg(); strings.EqualFold(alg, "none") || alg == "" {
		s.Unsigned = true
		s.Notes = append(s.Notes, "unsigned token (alg "+quoteOr(alg, "missing")+"): it proves nothing and cannot be verified")
	}

	// groups overage and directory roles
	if o := DetectOverage(c, s.SubjectType, s.ObjectID, s.Cloud); o != nil {
		s.GroupsOverage, s.GroupsOverageSource = true, o
		s.Notes = append(s.Notes, o.Note())
	}
	for _, id := range c.Strings("wids") {
		r, ok := entra.LookupRole(id)
		if !ok {
			r = entra.Role{ID: id, Name: "unknown role"}
		}
		s.DirectoryRoles = append(s.DirectoryRoles, r)
		if r.Privileged {
			s.Notes = append(s.Notes, "privileged directory role: "+r.Name)
		}
	}
	for _, cc := range c.Strings("xms_cc") {
		if cc == "cp1" {
			s.Notes = append(s.Notes, "the client can handle claims challenges (xms_cc cp1): Continuous Access Evaluation may revoke this token early")
		}
	}
	s.Notes = append(s.Notes, duplicateNotes("header member", t.Header)...)
	s.Notes = append(s.Notes, duplicateNotes("claim", c)...)

	// times
	if tm, ok := c.Time("iat"); ok {
		s.IssuedAt = &tm
	}
	if tm, ok := c.Time("nbf"); ok {
		s.NotBefore = &tm
		s.NotYetValid = now.Before(tm)
	}
	if tm, ok := c.Time("exp"); ok {
		s.ExpiresAt = &tm
		s.Expired = !now.Before(tm)
	} else {
		s.Notes = append(s.Notes, "no valid exp claim: the token never expires, and Entra validators reject it")
	}
	return s
}

func classifyKind(t *Token, s *Summary) {
	c := t.Claims
	typ := strings.ToLower(t.Header.Str("typ"))
	switch {
	case typ == "at+jwt" || typ == "application/at+jwt":
		s.Kind, s.KindReason = KindAccess, "header typ is at+jwt"
	case c.Has("idtyp"):
		s.Kind, s.KindLikely, s.KindReason = KindAccess, true, "has idtyp, which Entra puts in access tokens"
	case c.Has("scp"):
		s.Kind, s.KindLikely, s.KindReason = KindAccess, true, "has delegated scopes (scp)"
	case c.Has("roles") && (c.Has("appid") || c.Has("azp")):
		s.Kind, s.KindLikely, s.KindReason = KindAccess, true, "has roles and a client ID"
	case c.Has("appid") || c.Has("azp"):
		s.Kind, s.KindLikely, s.KindReason = KindAccess, true, "names a client application (appid/azp)"
	case c.Has("nonce") || c.Has("at_hash") || c.Has("c_hash"):
		s.Kind, s.KindLikely, s.KindReason = KindID, true, "has nonce, at_hash or c_hash and no scopes"
	case c.Has("aud") && c.Has("sub") && (c.Has("preferred_username") || c.Has("name") || c.Has("email")) && !c.Has("scp") && !c.Has("roles"):
		s.Kind, s.KindLikely, s.KindReason = KindID, true, "has user profile claims and no scopes or client ID"
	default:
		s.Kind, s.KindLikely = KindUnknown, true
	}
}

func classifySubject(t *Token, s *Summary) {
	c := t.Claims
	switch idtyp := c.Str("idtyp"); {
	case idtyp == "app":
		s.SubjectType, s.SubjectReason = SubjectApp, "idtyp is app"
	case idtyp == "user":
		s.SubjectType, s.SubjectReason = SubjectUser, "idtyp is user"
	case c.Has("scp"):
		s.SubjectType, s.SubjectReason = SubjectUser, "scp holds delegated scopes"
	case s.Kind == KindID:
		s.SubjectType, s.SubjectReason = SubjectUser, "ID tokens describe a signed-in user"
	case s.ObjectID != "" && s.ObjectID == s.Subject:
		s.SubjectType, s.SubjectReason = SubjectApp, "no scp, and sub equals oid: the app itself"
	case s.Username != "" || s.Name != "":
		s.SubjectType, s.SubjectReason = SubjectUser, "names a user"
	default:
		s.SubjectType = SubjectUnknown
	}
}

func quoteOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return `"` + s + `"`
}

// duplicateNotes describes each name that o holds more than once, with every
// value written for it: readers disagree on which one counts (encoding/json
// takes the last, others the first), so the token cannot be trusted.
func duplicateNotes(what string, o *Object) []string {
	if o == nil || len(o.Duplicates) == 0 {
		return nil
	}
	var notes []string
	seen := make(map[string]bool, len(o.Duplicates))
	for _, name := range o.Duplicates {
		if seen[name] {
			continue
		}
		seen[name] = true
		notes = append(notes, fmt.Sprintf("duplicate %s %q written %s: readers disagree on which value counts (azid shows the last); treat the token as suspect",
			what, name, strings.Join(o.AllRaw(name), " then ")))
	}
	return notes
}
