package token

import (
	"context"
	"testing"
)

// benchPayload is the payload of a typical v2 access token.
var benchPayload = []byte(`{"aud":"api://bench","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":1764460000,"nbf":1764460000,"exp":1764463600,"aio":"AWQAm/8ZAAAAkWBG0t0eAxbdmP7y6t3k4xvKrIYd0JcWbLJM8VnW+9TtU3RJZ0wW3YV4ngdIrkKPmBNbqHkMBkCIPXs3wDNdcT4frn8FW1xaRr7aOQkq9v3BaqA6iSe6ZENBI1u7ImSl","azp":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","azpacr":"0","name":"User 1","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","preferred_username":"user@contoso.com","rh":"1.AUEAv4j5cvGGr0GRqy180BHbR-Nxk5-sZE5KsDKZIZ4sYvWRACE.","scp":"read write","sid":"00a4ee5f-7c11-4d6b-b4b4-1ae48a2c4b72","sub":"sub-1","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","uti":"AbCdEfGhIjKlMnOpQrStUv","ver":"2.0","wids":["b79fbf4d-3ef9-4689-8143-76b194e85509"],"xms_ftd":"abcdefghijklmnopqrstuvwxyz0123456789","xms_idrel":"1 22"}`)

// BenchmarkScanJSON validates the payload only.
func BenchmarkScanJSON(b *testing.B) {
	for b.Loop() {
		scanJSON(benchPayload, nil)
	}
}

// BenchmarkParseObject validates and splits the payload.
func BenchmarkParseObject(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parseObject(benchPayload)
	}
}

// BenchmarkClaimLookups reads the claims a stream line reports.
func BenchmarkClaimLookups(b *testing.B) {
	o, _ := parseObject(benchPayload)
	for b.Loop() {
		o.Str("iss")
		o.Str("tid")
		o.Str("sub")
		o.Strings("aud")
		o.Time("exp")
		o.Time("nbf")
	}
}

// BenchmarkDiscoveryKeysWarm is the per-token cost of finding a token's keys
// by discovery once they are in memory (verify --stream without --jwks).
func BenchmarkDiscoveryKeysWarm(b *testing.B) {
	e := newEnv(b, b.TempDir())
	tok, err := Parse(e.key.SignClaims(b, claims(nil)))
	if err != nil {
		b.Fatal(err)
	}
	keys := fresh(e, vNow, false)
	if _, _, err := keys.Keys(b.Context(), tok, false); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := keys.Keys(context.Background(), tok, false); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// enterprisePayload is benchPayload with what enterprise tenants add: optional
// claims, extension attributes and 30 group IDs (~40 claims, ~2.3 KB).
var enterprisePayload = func() []byte {
	extra := `,"acct":0,"acr":"1","amr":["pwd","mfa"],"ctry":"NL","email":"alex@contoso.example","employeeid":"E-102938","extension_department":"Platform Engineering","extension_costCenter":"CC-4471","extn.region":["emea"],"family_name":"Example","fwd":"198.51.100.7","given_name":"Alex","idtyp":"user","in_corp":"true","ipaddr":"203.0.113.42","onprem_sid":"S-1-5-21-1004336348-1177238915-682003330-512","tenant_ctry":"NL","tenant_region_scope":"EU","upn":"alex@contoso.example","verified_primary_email":["alex@contoso.example"],"xms_cc":["cp1"],"xms_pdl":"EUR","xms_tpl":"en","groups":[`
	for i := range 30 {
		if i > 0 {
			extra += ","
		}
		extra += `"5a000000-1b2c-4d3e-8f40-a1b2c3d4` + string(rune('a'+i%26)) + `000"`
	}
	extra += `],"roles":["Reader","Contributor","Support.Agent"]}`
	return append(benchPayload[:len(benchPayload)-1:len(benchPayload)-1], extra...)
}()

// BenchmarkParseObjectEnterprise validates and splits an enterprise payload.
func BenchmarkParseObjectEnterprise(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		parseObject(enterprisePayload)
	}
}

// BenchmarkVerifyLookupsEnterprise reads, from an enterprise payload, the
// claims verification and a stream line read (present and absent alike).
func BenchmarkVerifyLookupsEnterprise(b *testing.B) {
	o, err := parseObject(enterprisePayload)
	if err != nil || len(o.members) < 40 {
		b.Fatalf("payload: %v, %d members", err, len(o.members))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range [...]string{"iss", "tid", "sub", "aud", "exp", "nbf", "iat", "ver", "idtyp", "scp", "roles", "appid", "azp", "oid", "_claim_names", "hasgroups", "cnf", "xms_cc"} {
			o.get(name)
		}
	}
}
