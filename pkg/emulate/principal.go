package emulate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/azid-cli/azid/pkg/easyauth"
)

// The claim types of Easy Auth's default claims mapping for Entra.
const (
	claimEmail    = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
	claimNameID   = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier"
	claimOID      = "http://schemas.microsoft.com/identity/claims/objectidentifier"
	claimTenantID = "http://schemas.microsoft.com/identity/claims/tenantid"
	claimIDP      = "http://schemas.microsoft.com/identity/claims/identityprovider"
	roleType      = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
)

// mappedType is the default claims mapping: these JWT claims get URI types;
// the rest keep their names (roles too, under the legacy mapping that is
// App Service's default, WEBSITE_AUTH_USE_LEGACY_CLAIMS).
func mappedType(name string) (string, bool) {
	switch name {
	case "email":
		return claimEmail, true
	case "sub":
		return claimNameID, true
	case "oid":
		return claimOID, true
	case "tid":
		return claimTenantID, true
	case "idp":
		return claimIDP, true
	}
	return "", false
}

// principalClaims maps a token's claims to Easy Auth's claims, in the
// token's order; array claims repeat their type.
func principalClaims(c claimSet) []easyauth.Claim {
	out := make([]easyauth.Claim, 0, len(c)+4)
	for _, f := range c {
		typ := f.name
		if m, ok := mappedType(typ); ok {
			typ = m
		}
		switch v := f.value.(type) {
		case string:
			out = append(out, easyauth.Claim{Type: typ, Value: v})
		case []string:
			for _, e := range v {
				out = append(out, easyauth.Claim{Type: typ, Value: e})
			}
		default:
			out = append(out, easyauth.Claim{Type: typ, Value: unixString(v)})
		}
	}
	return out
}

// wirePrincipal is X-MS-CLIENT-PRINCIPAL's JSON, in App Service's member order.
type wirePrincipal struct {
	AuthType string           `json:"auth_typ"`
	Claims   []easyauth.Claim `json:"claims"`
	NameType string           `json:"name_typ"`
	RoleType string           `json:"role_typ"`
}

// encodePrincipal serialises a principal as App Service does: compact JSON,
// "/" escaped as "\/", no HTML escaping, then standard Base64.
func encodePrincipal(claims []easyauth.Claim) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(wirePrincipal{AuthType: "aad", Claims: claims, NameType: claimEmail, RoleType: roleType})
	s := strings.ReplaceAll(strings.TrimSuffix(b.String(), "\n"), "/", `\/`)
	return base64.StdEncoding.EncodeToString([]byte(s))
}
