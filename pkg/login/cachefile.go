package login

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// This file is the one place that reads MSAL's unified cache schema
// (AccessToken, RefreshToken, IdToken, Account, AppMetadata) directly. MSAL
// keys user entries by the tenant *alias* the authority named (realm
// "organizations", a domain, a GUID), so one identity signed in once and
// used through several aliases ends up as several accounts. canonicalize
// rewrites every realm to the tenant's ID, as Entra itself reports it (the
// ID token's tid), so one identity in one tenant is one entry whatever alias
// a later call uses.

// aliasesKey is azid's own top-level member of the cache file: tenant alias
// (a domain, lower case) → tenant ID, learnt from ID tokens. MSAL keeps
// unknown top-level members when it rewrites the file.
const aliasesKey = "AzidTenantAliases"

// canonicalKey marks a file azid wrote canonical (canonicalize's rules of
// this version): loading it need not parse and canonicalise it again.
// Bump canonicalVersion when canonicalize's rules change.
const (
	canonicalKey     = "AzidCanonical"
	canonicalVersion = "1"
)

// canonicalMark is how the mark appears in a file json.Marshal wrote; no
// cache value can hold it (they are JSON strings, whose quotes are escaped).
const canonicalMark = `"` + canonicalKey + `":` + canonicalVersion

// cacheSections are the members of the file whose entries carry a realm.
var realmSections = []string{"AccessToken", "IdToken", "Account"}

type cacheDoc struct {
	top      map[string]json.RawMessage
	sections map[string]map[string]map[string]any
	aliases  map[string]string
}

func parseCache(data []byte) (*cacheDoc, error) {
	d := &cacheDoc{top: map[string]json.RawMessage{}, sections: map[string]map[string]map[string]any{}, aliases: map[string]string{}}
	if len(strings.TrimSpace(string(data))) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(data, &d.top); err != nil {
		return nil, err
	}
	for _, name := range []string{"AccessToken", "RefreshToken", "IdToken", "Account"} {
		raw, ok := d.top[name]
		if !ok {
			continue
		}
		m := map[string]map[string]any{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		d.sections[name] = m
	}
	if raw, ok := d.top[aliasesKey]; ok {
		_ = json.Unmarshal(raw, &d.aliases) // a damaged alias table is only lost knowledge
	}
	return d, nil
}

func (d *cacheDoc) marshal() ([]byte, error) {
	d.top[canonicalKey] = json.RawMessage(canonicalVersion)
	for name, m := range d.sections {
		raw, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		d.top[name] = raw
	}
	if len(d.aliases) > 0 {
		raw, err := json.Marshal(d.aliases)
		if err != nil {
			return nil, err
		}
		d.top[aliasesKey] = raw
	}
	return json.Marshal(d.top)
}

func str(e map[string]any, k string) string {
	s, _ := e[k].(string)
	return s
}

// unixField reads MSAL's timestamps, written as decimal strings (or numbers).
func unixField(e map[string]any, k string) int64 {
	switch v := e[k].(type) {
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	case float64:
		return int64(v)
	}
	return 0
}

// IsTenantID reports whether s has the shape of a tenant ID (a GUID).
func IsTenantID(s string) bool { return entra.IsGUID(s) }

// isMultiTenant reports whether tenant is one of Entra's multi-tenant aliases.
func isMultiTenant(tenant string) bool {
	switch strings.ToLower(tenant) {
	case "", "organizations", "common", "consumers":
		return true
	}
	return false
}

// homeTenant is the utid of a home account ID (uid.utid).
func homeTenant(home string) string {
	_, utid, _ := strings.Cut(home, ".")
	return utid
}

// idTokenTenant reads the tid claim of an unverified ID token; the cache
// wrote it from Entra's own answer, and azid uses it only to name a realm.
func idTokenTenant(raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) < 2 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var c struct {
		TID string `json:"tid"`
	}
	if json.Unmarshal(payload, &c) != nil || !IsTenantID(c.TID) {
		return ""
	}
	return strings.ToLower(c.TID)
}

// canonicalize rewrites every user entry's realm to its tenant ID, merges
// entries that then coincide (keeping the newest), and records what each
// domain alias stood for. It reports whether anything changed.
func (d *cacheDoc) canonicalize() bool {
	changed := false
	// learn realm → tenant from the ID tokens (Entra's answer)
	type rk struct{ home, env, realm string }
	tenantOf := map[rk]string{}
	for _, e := range d.sections["IdToken"] {
		realm := str(e, "realm")
		if tid := idTokenTenant(str(e, "secret")); tid != "" {
			tenantOf[rk{str(e, "home_account_id"), str(e, "environment"), strings.ToLower(realm)}] = tid
			if !IsTenantID(realm) && !isMultiTenant(realm) && d.aliases[strings.ToLower(realm)] != tid {
				d.aliases[strings.ToLower(realm)] = tid
				changed = true
			}
		}
	}
	canonical := func(e map[string]any) string {
		realm, home := str(e, "realm"), str(e, "home_account_id")
		switch {
		case realm == "" || IsTenantID(realm):
			return strings.ToLower(realm)
		case home == "":
			return realm // an app's token: MSAL looks it up under the tenant it was asked for
		}
		if t := tenantOf[rk{home, str(e, "environment"), strings.ToLower(realm)}]; t != "" {
			return t
		}
		if t := d.aliases[strings.ToLower(realm)]; t != "" {
			return t
		}
		if strings.EqualFold(realm, "organizations") || strings.EqualFold(realm, "common") {
			if IsTenantID(homeTenant(home)) {
				return strings.ToLower(homeTenant(home)) // these aliases sign a user in to their home tenant
			}
		}
		return realm
	}
	for _, name := range realmSections {
		m := d.sections[name]
		if m == nil {
			continue
		}
		out := make(map[string]map[string]any, len(m))
		for key, e := range m {
			if r := canonical(e); r != str(e, "realm") {
				e["realm"] = r
				changed = true
			}
			nk := entryKey(name, e)
			if nk != key {
				changed = true
			}
			if old, ok := out[nk]; ok {
				changed = true
				if unixField(old, "cached_at") > unixField(e, "cached_at") {
					continue
				}
			}
			out[nk] = e
		}
		d.sections[name] = out
	}
	return changed
}

// entryKey is MSAL's map key for an entry (storage/items.go, shared.go).
func entryKey(section string, e map[string]any) string {
	var ks []string
	switch section {
	case "Account":
		ks = []string{str(e, "home_account_id"), str(e, "environment"), str(e, "realm")}
	case "IdToken":
		ks = []string{str(e, "home_account_id"), str(e, "environment"), str(e, "credential_type"), str(e, "client_id"), str(e, "realm")}
	case "AccessToken":
		ks = []string{str(e, "home_account_id"), str(e, "environment"), str(e, "credential_type"), str(e, "client_id"), str(e, "realm"), str(e, "target")}
		if tt := str(e, "token_type"); tt != "" && !strings.EqualFold(tt, "bearer") {
			ks = append(ks, tt)
		}
		if ext := str(e, "ext_cache_key"); ext != "" {
			ks[2] = "atext"
			ks = append(ks, ext)
		}
	}
	return strings.ToLower(strings.Join(ks, "-"))
}

// dropAppTokens removes the cached app-only tokens of clientID, so that MSAL
// asks the authority (a sign-in must prove the credential).
func (d *cacheDoc) dropAppTokens(clientID string) bool {
	changed := false
	for k, e := range d.sections["AccessToken"] {
		if str(e, "home_account_id") == "" && strings.EqualFold(str(e, "client_id"), clientID) {
			delete(d.sections["AccessToken"], k)
			changed = true
		}
	}
	return changed
}

// resolveTenant returns the tenant ID a tenant alias is known to stand for,
// or "" when the cache does not know.
func (d *cacheDoc) resolveTenant(tenant string) string {
	if IsTenantID(tenant) {
		return strings.ToLower(tenant)
	}
	return d.aliases[strings.ToLower(tenant)]
}
