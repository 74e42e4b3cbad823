package main

import (
	"encoding/base64"
	"encoding/json"
)

// easyAuthRequest is a request as an app behind Easy Auth receives it, with
// the example token as the access token header.
func easyAuthRequest(accessToken string) ([]byte, error) {
	principal, err := json.Marshal(map[string]any{
		"auth_typ": "aad",
		"claims": []map[string]string{
			{"typ": "aud", "val": "6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a"},
			{"typ": "iss", "val": "https://login.microsoftonline.com/" + tenant + "/v2.0"},
			{"typ": "name", "val": "Alex Example"},
			{"typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": "3f2e1d0c-b9a8-4765-8432-10fedcba9876"},
			{"typ": "preferred_username", "val": "alex@contoso.example"},
			{"typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "val": "alex@contoso.example"},
			{"typ": "http://schemas.microsoft.com/identity/claims/tenantid", "val": tenant},
			{"typ": "roles", "val": "Reader"},
			{"typ": "ver", "val": "2.0"},
		},
		"name_typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
		"role_typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
	})
	if err != nil {
		return nil, err
	}
	return []byte("GET /dashboard HTTP/1.1\r\n" +
		"Host: contoso-streamlit.azurewebsites.net\r\n" +
		"X-MS-CLIENT-PRINCIPAL: " + base64.StdEncoding.EncodeToString(principal) + "\r\n" +
		"X-MS-CLIENT-PRINCIPAL-ID: 3f2e1d0c-b9a8-4765-8432-10fedcba9876\r\n" +
		"X-MS-CLIENT-PRINCIPAL-IDP: aad\r\n" +
		"X-MS-CLIENT-PRINCIPAL-NAME: alex@contoso.example\r\n" +
		"X-MS-TOKEN-AAD-ACCESS-TOKEN: " + accessToken + "\r\n" +
		"X-MS-TOKEN-AAD-EXPIRES-ON: 2036-01-01T00:00:00.0000000Z\r\n" +
		"X-MS-TOKEN-AAD-REFRESH-TOKEN: 0.ARoA-example-refresh-token\r\n" +
		"\r\n"), nil
}
