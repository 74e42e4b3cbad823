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
