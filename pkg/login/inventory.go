package login

import (
	"context"
	"sort"
	"strings"
	"time"
)

// Inventory is what the token cache holds, without a secret: the signed-in
// identities (users, then apps) and their tokens.
type Inventory struct {
	Identities []CachedIdentity
	aliases    map[string]string
}

// TenantID returns the tenant ID tenant (a GUID or a domain) stands for, as
// far as the cache knows, or "".
func (inv *Inventory) TenantID(tenant string) string {
	if IsTenantID(tenant) {
		return strings.ToLower(tenant)
	}
	return inv.aliases[strings.ToLower(tenant)]
}

// CachedIdentity is one user or service principal and its tokens.
type CachedIdentity struct {
	Account
	HasRefreshToken bool
	Tokens          []CachedToken
}

// CachedToken is one cached access token, without its secret.
type CachedToken struct {
	Scopes    []string
	ClientID  string
	Tenant    string
	ExpiresAt time.Time
	Expired   bool
}

// Apps returns the service principals.
func (inv *Inventory) Apps() []Account {
	var out []Account
	for _, id := range inv.Identities {
		if id.Type == TypeServicePrincipal {
			out = append(out, id.Account)
		}
	}
	return out
}

// ReadInventory lists the cache under its lock. A cache holding one identity
// several times (as written by earlier releases) is healed on disk; a corrupt
// one is moved aside with a warning and reads as empty.
func ReadInventory(ctx context.Context, s *Store, now time.Time) (*Inventory, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	data, err := s.read()
	if err != nil || data == nil {
		return &Inventory{}, err
	}
	doc, err := parseCache(data)
	if err != nil {
		if err := s.moveAside(); err != nil {
			return nil, err
		}
		return &Inventory{}, nil
	}
	if doc.canonicalize() {
		if out, err := doc.marshal(); err == nil {
			if err := s.write(out); err != nil {
				return nil, err
			}
		}
	}
	return doc.summary(now), nil
}

func (d *cacheDoc) summary(now time.Time) *Inventory {
	type id struct{ home, env string }
	users := map[id]*CachedIdentity{}
	var order []id
	for _, e := range d.sections["Account"] {
		k := id{strings.ToLower(str(e, "home_account_id")), strings.ToLower(str(e, "environment"))}
		u := users[k]
		if u == nil {
			u = &CachedIdentity{Account: Account{Type: TypeUser, Username: str(e, "username"), HomeAccountID: str(e, "home_account_id"),
				TenantID: homeTenant(str(e, "home_account_id")), Environment: str(e, "environment"), Realm: str(e, "realm")}, Tokens: []CachedToken{}}
			if u.TenantID == "" {
				u.TenantID = u.Realm
			}
			users[k] = u
			order = append(order, k)
		}
		u.Tenants = append(u.Tenants, str(e, "realm"))
	}
	for _, e := range d.sections["RefreshToken"] {
		if u := users[id{strings.ToLower(str(e, "home_account_id")), strings.ToLower(str(e, "environment"))}]; u != nil {
			u.HasRefreshToken = true
		}
	}
	type appID struct{ client, env, realm string }
	apps := map[appID]*CachedIdentity{}
	var appOrder []appID
	for _, e := range d.sections["AccessToken"] {
		exp := time.Unix(unixField(e, "expires_on"), 0).UTC()
		t := CachedToken{Scopes: strings.Fields(str(e, "target")), ClientID: str(e, "client_id"), Tenant: str(e, "realm"), ExpiresAt: exp, Expired: !now.Before(exp)}
		if home := str(e, "home_account_id"); home != "" {
			if u := users[id{strings.ToLower(home), strings.ToLower(str(e, "environment"))}]; u != nil {
				u.Tokens = append(u.Tokens, t)
			}
			continue
		}
		k := appID{strings.ToLower(t.ClientID), strings.ToLower(str(e, "environment")), strings.ToLower(t.Tenant)}
		a := apps[k]
		if a == nil {
			a = &CachedIdentity{Account: Account{Type: TypeServicePrincipal, ClientID: t.ClientID, TenantID: t.Tenant, Environment: str(e, "environment"), Realm: t.Tenant}}
			apps[k] = a
			appOrder = append(appOrder, k)
		}
		a.Tokens = append(a.Tokens, t)
	}
	inv := &Inventory{aliases: d.aliases}
	for _, k := range order {
		inv.Identities = append(inv.Identities, *users[k])
	}
	sort.Slice(inv.Identities, func(i, j int) bool { return inv.Identities[i].Username < inv.Identities[j].Username })
	var appList []CachedIdentity
	for _, k := range appOrder {
		appList = append(appList, *apps[k])
	}
	sort.Slice(appList, func(i, j int) bool {
		return appList[i].ClientID+appList[i].TenantID < appList[j].ClientID+appList[j].TenantID
	})
	inv.Identities = append(inv.Identities, appList...)
	for i := range inv.Identities {
		toks := inv.Identities[i].Tokens
		sort.Slice(toks, func(a, b int) bool { return toks[a].ExpiresAt.Before(toks[b].ExpiresAt) })
		sort.Strings(inv.Identities[i].Tenants)
	}
	return inv
}
