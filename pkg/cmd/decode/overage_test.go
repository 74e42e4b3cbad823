package decode

// Overage-shaped tokens, as Entra issues them (v1: the retired Azure AD Graph
// pointer; implicit flow: hasgroups), rendered by the golden tests.
func init() {
	samples["v1-groups-overage"] = struct{ header, payload string }{`{"typ":"JWT","alg":"RS256","x5t":"k1","kid":"k1"}`,
		`{"aud":"api://6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","iss":"https://sts.windows.net/` + tid + `/","iat":1796039400,"nbf":1796039400,"exp":1796044500,"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/` + tid + `/users/3f2e1d0c-b9a8-4765-8432-10fedcba9876/getMemberObjects"}},"appid":"6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","appidacr":"0","name":"Alex Example","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","scp":"access_as_user","sub":"Zq8sub","tid":"` + tid + `","unique_name":"alex@contoso.example","upn":"alex@contoso.example","ver":"1.0"}`}
	samples["v2-id-token-hasgroups"] = struct{ header, payload string }{`{"typ":"JWT","alg":"RS256","kid":"k1"}`,
		`{"aud":"6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","iat":1796039400,"nbf":1796039400,"exp":1796044500,"hasgroups":true,"name":"Alex Example","nonce":"n-1","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","preferred_username":"alex@contoso.example","sub":"Zq8sub","tid":"` + tid + `","ver":"2.0"}`}
}
