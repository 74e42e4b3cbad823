package easyauth_test

import (
	"encoding/base64"
	"fmt"

	"github.com/azid-cli/azid/pkg/easyauth"
)

// DecodePrincipal reads the X-MS-CLIENT-PRINCIPAL header App Service adds to
// every authenticated request: standard base64 of the principal's JSON.
func ExampleDecodePrincipal() {
	value := base64.StdEncoding.EncodeToString([]byte(`{"auth_typ":"aad","claims":[` +
		`{"typ":"http:\/\/schemas.xmlsoap.org\/ws\/2005\/05\/identity\/claims\/name","val":"alex@contoso.example"},` +
		`{"typ":"roles","val":"Admin"},{"typ":"roles","val":"Reader"}],` +
		`"name_typ":"http:\/\/schemas.xmlsoap.org\/ws\/2005\/05\/identity\/claims\/name","role_typ":"roles"}`))
	p, err := easyauth.DecodePrincipal(value)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.AuthType, p.Name(), p.Roles())
	// Output: aad alex@contoso.example [Admin Reader]
}

// ParseHeaders reads request headers as people paste them (one "Name: value"
// a line, or a JSON object), and looks them up case-insensitively.
func ExampleParseHeaders() {
	h, err := easyauth.ParseHeaders([]byte("x-ms-client-principal-name: alex@contoso.example\n" +
		"X-MS-CLIENT-PRINCIPAL-IDP: aad\n" +
		"Accept: text/html\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.Get("X-MS-CLIENT-PRINCIPAL-NAME"), h.Get("x-ms-client-principal-idp"))
	fmt.Println(len(h.WithPrefix("X-MS-")))
	// Output:
	// alex@contoso.example aad
	// 2
}

// ParseMe reads a /.auth/me response body: App Service's array of
// identities, one per provider signed in to.
func ExampleParseMe() {
	ids, err := easyauth.ParseMe([]byte(`[{"provider_name":"aad","user_id":"alex@contoso.example",` +
		`"user_claims":[{"typ":"roles","val":"Admin"}],"expires_on":"2026-11-30T13:00:00.0000000Z"}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ids), ids[0].Provider, ids[0].UserID)
	// Output: 1 aad alex@contoso.example
}
