// Package entra knows Microsoft Entra ID: its clouds and login hosts, issuer
// rules, OpenID discovery and signing keys, and the catalogues of directory
// roles and AADSTS error codes.
package entra

import "strings"

// Role is an Entra built-in directory role, as found in the wids claim.
type Role struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Privileged bool   `json:"privileged"`
	Note       string `json:"note,omitempty"`
}

// LookupRole finds a directory role by its template ID (case-insensitive).
func LookupRole(id string) (Role, bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, r := range builtinRoles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}

// LookupRoleByName finds a directory role by its display name (case-insensitive).
func LookupRoleByName(name string) (Role, bool) {
	name = strings.TrimSpace(name)
	for _, r := range builtinRoles {
		if strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return Role{}, false
}

// SearchRoles finds the roles whose names a loose query names: every word of
// the query starts a word of the name, in order ("global admin" finds Global
// Administrator; "admin" finds every administrator role). An exact name, or
// names that have no words beyond the query's, are the only matches.
func SearchRoles(query string) []Role {
	if r, ok := LookupRoleByName(query); ok {
		return []Role{r}
	}
	q := strings.Fields(strings.ToLower(query))
	if len(q) == 0 {
		return nil
	}
	var out []Role
	exact := false
	for _, r := range builtinRoles {
		words := strings.Fields(strings.ToLower(r.Name))
		i := 0
		for _, w := range words {
			if i < len(q) && strings.HasPrefix(w, q[i]) {
				i++
			}
		}
		if i == len(q) {
			if len(words) == len(q) && (len(out) == 0 || !exact) {
				out, exact = nil, true // every word of the name given: that role alone
			}
			if !exact || len(words) == len(q) {
				out = append(out, r)
			}
		}
	}
	return out
}

// RoleNames lists the built-in roles' names (for suggestions).
func RoleNames() []string {
	out := make([]string, len(builtinRoles))
	for i, r := range builtinRoles {
		out[i] = r.Name
	}
	return out
}
