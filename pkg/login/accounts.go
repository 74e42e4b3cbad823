package login

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// ErrNotSignedIn means the cache holds no (matching) account. Errors that
// say more (*NotSignedInError, *AppOnlyError) match it with errors.Is.
var ErrNotSignedIn = errors.New("not signed in")

// NotSignedInError is "not signed in" with what was asked for.
type NotSignedInError struct {
	// Account is the account asked for, or the one whose refresh token is missing.
	Account string
	Tenant  string
	Scopes  []string
}

func (e *NotSignedInError) Error() string {
	msg := "not signed in"
	if len(e.Scopes) > 0 {
		msg += " for scope " + strings.Join(e.Scopes, " ")
	}
	if e.Account != "" {
		msg += " as " + e.Account
	} else if e.Tenant != "" {
		msg += " to tenant " + e.Tenant
	}
	return msg
}

// Is makes errors.Is(err, ErrNotSignedIn) true.
func (e *NotSignedInError) Is(target error) bool { return target == ErrNotSignedIn }

// AppOnlyError means no user is signed in, but service principals are: a
// user token cannot be had, an app token can with the app's credential.
type AppOnlyError struct{ Apps []Account }

func (e *AppOnlyError) Error() string {
	ids := make([]string, 0, len(e.Apps))
	for _, a := range e.Apps {
		ids = append(ids, a.ClientID+" (tenant "+a.TenantID+")")
	}
	return "no user is signed in, only the service principal " + strings.Join(ids, ", ")
}

// Is makes errors.Is(err, ErrNotSignedIn) true.
func (e *AppOnlyError) Is(target error) bool { return target == ErrNotSignedIn }

// AmbiguousAccountError means several different identities match.
type AmbiguousAccountError struct{ Accounts []Account }

func (e *AmbiguousAccountError) Error() string {
	names := make([]string, 0, len(e.Accounts))
	for _, a := range e.Accounts {
		names = append(names, a.Username+" (tenant "+a.TenantID+", home account "+a.HomeAccountID+")")
	}
	return "several accounts are signed in: " + strings.Join(names, "; ")
}

// accounts lists the cached identities through client: MSAL's account
// entries of one home account in one cloud are one identity, whatever realms
// (tenants) they were signed in to.
func accounts(ctx context.Context, client public.Client) ([]Account, error) {
	msalAccs, err := client.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	return groupAccounts(msalAccs), nil
}

func groupAccounts(msalAccs []public.Account) []Account {
	type id struct{ home, env string }
	byID := map[id]*Account{}
	var order []id
	for _, m := range msalAccs {
		k := id{strings.ToLower(m.HomeAccountID), strings.ToLower(m.Environment)}
		a, ok := byID[k]
		if !ok {
			acc := accountOf(m)
			byID[k] = &acc
			order = append(order, k)
			continue
		}
		a.msal[strings.ToLower(m.Realm)] = m
		a.Tenants = append(a.Tenants, m.Realm)
		if a.Username == "" {
			a.Username = m.PreferredUsername
		}
		// the home tenant is the default realm; otherwise the first in order
		if strings.EqualFold(m.Realm, a.TenantID) || (!strings.EqualFold(a.Realm, a.TenantID) && m.Realm < a.Realm) {
			a.Realm = m.Realm
		}
	}
	out := make([]Account, 0, len(order))
	for _, k := range order {
		a := byID[k]
		sort.Strings(a.Tenants)
		out = append(out, *a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out
}

// SelectAccount picks the account matching sel (a username or home account
// ID, case-insensitive); with no selector, the only one. When several
// identities match and tenant names one tenant, those holding tokens of
// that tenant are preferred.
func SelectAccount(accs []Account, sel, tenant string) (Account, error) {
	var match []Account
	for _, a := range accs {
		if sel != "" && !strings.EqualFold(a.Username, sel) && !strings.EqualFold(a.HomeAccountID, sel) {
			continue
		}
		match = append(match, a)
	}
	if len(match) > 1 && !isMultiTenant(tenant) {
		var inTenant []Account
		for _, a := range match {
			for _, t := range a.Tenants {
				if strings.EqualFold(t, tenant) {
					inTenant = append(inTenant, a)
					break
				}
			}
		}
		if len(inTenant) > 0 {
			match = inTenant
		}
	}
	switch {
	case len(match) == 1:
		return match[0], nil
	case len(match) == 0:
		return Account{}, &NotSignedInError{Account: sel}
	}
	return Account{}, &AmbiguousAccountError{Accounts: match}
}
