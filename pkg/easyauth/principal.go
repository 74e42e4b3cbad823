// Package easyauth understands Azure App Service Authentication ("Easy
// Auth"): the X-MS-CLIENT-PRINCIPAL* and X-MS-TOKEN-* headers it injects, the
// /.auth/me and /.auth/refresh endpoints, and its session cookie.
package easyauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Claim is one claim as Easy Auth passes it on: a type (often a long URI
// from the default claims mapping) and a value. Types may repeat.
type Claim struct {
	Type  string `json:"typ"`
	Value string `json:"val"`
}

// Principal is a decoded X-MS-CLIENT-PRINCIPAL header, in App Service's shape
// or Static Web Apps'.
type Principal struct {
	// AuthType is the identity provider (auth_typ, or identityProvider for SWA).
	AuthType string  `json:"auth_typ"`
	Claims   []Claim `json:"claims"`
	NameType string  `json:"name_typ,omitempty"`
	RoleType string  `json:"role_typ,omitempty"`
	// StaticWebApps fields (SWA's principal shape).
	UserID      string   `json:"userId,omitempty"`
	UserDetails string   `json:"userDetails,omitempty"`
	UserRoles   []string `json:"userRoles,omitempty"`
	// Shape is "app-service" or "static-web-apps".
	Shape string `json:"shape"`
}

// MaxHeaderValue bounds a decoded header (Easy Auth headers are a few KiB).
const MaxHeaderValue = 256 << 10

// DecodePrincipal decodes an X-MS-CLIENT-PRINCIPAL value: Base64 (standard,
// or URL-safe, padded or not) of UTF-8 JSON.
func DecodePrincipal(value string) (*Principal, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, errors.New("X-MS-CLIENT-PRINCIPAL is empty")
	}
	if len(value) > MaxHeaderValue {
		return nil, errors.New("X-MS-CLIENT-PRINCIPAL is too large")
	}
	raw, err := decodeBase64(value)
	if err != nil {
		return nil, errors.New("X-MS-CLIENT-PRINCIPAL is not valid Base64")
	}
	return ParsePrincipalJSON(raw)
}

// LooksLikePrincipal reports whether s is a whole X-MS-CLIENT-PRINCIPAL value
// (one word of Base64 that DecodePrincipal reads), as when one was copied
// without its header name.
func LooksLikePrincipal(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 8 || strings.ContainsAny(s, " \t\r\n.:") {
		return false
	}
	_, err := DecodePrincipal(s)
	return err == nil
}

// ParsePrincipalJSON reads the JSON of a client principal in either shape.
func ParsePrincipalJSON(raw []byte) (*Principal, error) {
	var doc struct {
		AuthType         *string         `json:"auth_typ"`
		Claims           json.RawMessage `json:"claims"`
		NameType         string          `json:"name_typ"`
		RoleType         string          `json:"role_typ"`
		IdentityProvider *string         `json:"identityProvider"`
		UserID           string          `json:"userId"`
		UserDetails      string          `json:"userDetails"`
		UserRoles        []string        `json:"userRoles"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		return nil, errors.New("X-MS-CLIENT-PRINCIPAL does not hold a JSON object with the client principal")
	}
	p := &Principal{NameType: doc.NameType, RoleType: doc.RoleType}
	switch {
	case doc.AuthType != nil:
		p.Shape, p.AuthType = "app-service", *doc.AuthType
	case doc.IdentityProvider != nil:
		p.Shape, p.AuthType = "static-web-apps", *doc.IdentityProvider
		p.UserID, p.UserDetails, p.UserRoles = doc.UserID, doc.UserDetails, doc.UserRoles
	default:
		return nil, errors.New("X-MS-CLIENT-PRINCIPAL has neither auth_typ (App Service) nor identityProvider (Static Web Apps)")
	}
	if len(doc.Claims) > 0 && string(doc.Claims) != "null" {
		claims, err := parseClaims(doc.Claims)
		if err != nil {
			return nil, fmt.Errorf("X-MS-CLIENT-PRINCIPAL claims: %w", err)
		}
		p.Claims = claims
	}
	if p.Claims == nil {
		p.Claims = []Claim{}
	}
	return p, nil
}

// parseClaims reads [{"typ":…,"val":…}], tolerating non-string values.
func parseClaims(raw json.RawMessage) ([]Claim, error) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errors.New("not an array of {typ, val} objects")
	}
	out := make([]Claim, 0, len(items))
	for _, it := range items {
		out = append(out, Claim{Type: jsonText(it["typ"]), Value: jsonText(it["val"])})
	}
	return out, nil
}

func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("invalid base64")
}

// Get returns the values of a claim type, matching the long URI types and
// their short names alike ("email" finds …/claims/emailaddress).
func (p *Principal) Get(typ string) []string {
	return claimValues(p.Claims, typ)
}

func claimValues(claims []Claim, typ string) []string {
	var out []string
	for _, c := range claims {
		if c.Type == typ || ShortClaimType(c.Type) == typ {
			out = append(out, c.Value)
		}
	}
	return out
}

// Name returns the user's name: the claim named by name_typ, else userDetails
// (SWA), else the usual name claims.
func (p *Principal) Name() string {
	if p.UserDetails != "" {
		return p.UserDetails
	}
	for _, typ := range []string{p.NameType, "name", "preferred_username", "email", "upn"} {
		if typ == "" {
			continue
		}
		if v := p.Get(typ); len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Roles returns the user's roles: claims of role_typ (and the short "roles"
// that legacy claims mapping keeps), or userRoles (SWA).
func (p *Principal) Roles() []string {
	if p.Shape == "static-web-apps" {
		return p.UserRoles
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range p.Claims {
		if (p.RoleType != "" && c.Type == p.RoleType) || c.Type == "roles" || c.Type == "role" || ShortClaimType(c.Type) == "roles" {
			if !seen[c.Value] {
				seen[c.Value] = true
				out = append(out, c.Value)
			}
		}
	}
	return out
}
