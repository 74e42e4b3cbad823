package easyauth

// claimTypeNames maps the claim type URIs of Easy Auth's default claims
// mapping (WS-Federation and Microsoft identity schemas) to the JWT claim
// names people know.
var claimTypeNames = [...]struct{ uri, short string }{
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email"},
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "name"},
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "sub"},
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn"},
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "given_name"},
	{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "family_name"},
	{"http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"},
	{"http://schemas.microsoft.com/identity/claims/tenantid", "tid"},
	{"http://schemas.microsoft.com/identity/claims/identityprovider", "idp"},
	{"http://schemas.microsoft.com/identity/claims/scope", "scp"},
	{"http://schemas.microsoft.com/identity/claims/displayname", "name"},
	{"http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "roles"},
	{"http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", "groups"},
	{"http://schemas.microsoft.com/ws/2008/06/identity/claims/wids", "wids"},
	{"http://schemas.microsoft.com/claims/authnmethodsreferences", "amr"},
	{"http://schemas.microsoft.com/claims/authnclassreference", "acr"},
}

// ShortClaimType returns the short name of a claim type URI, or the type
// itself when it is already short or unknown.
func ShortClaimType(typ string) string {
	for _, c := range claimTypeNames {
		if c.uri == typ {
			return c.short
		}
	}
	return typ
}
