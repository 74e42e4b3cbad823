package verify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmd/internal/verification"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/token"
)

func benchToken(b *testing.B) (string, *testjwt.Key, token.VerifyOptions) {
	key := testjwt.SharedKey(b, "bench-key")
	now := time.Now()
	tok := key.SignClaims(b, map[string]any{"aud": "api://bench", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		"iat": now.Unix() - 60, "nbf": now.Unix() - 60, "exp": now.Unix() + 3600, "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "name": "User",
		"oid": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "scp": "read write", "sub": "sub-1", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0"})
	set, err := entra.ParseJWKS(testjwt.JWKS(b, key.JWK(nil)))
	if err != nil {
		b.Fatal(err)
	}
	return tok, key, token.VerifyOptions{Now: now, Leeway: token.DefaultLeeway, Keys: token.StaticKeys{Set: set}}
}

// BenchmarkStreamLine is the whole per-line cost of --stream: extract, parse,
// verify, encode the result.
func BenchmarkStreamLine(b *testing.B) {
	tok, _, o := benchToken(b)
	line := tok + "\n"
	var parser token.Parser
	var v token.Verification
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		out, status := verifyLine(context.Background(), &parser, &v, streamJob{line: 1, data: line}, o, buf[:0])
		if status != statusValid {
			b.Fatalf("%s", out)
		}
		buf = out
	}
}

// BenchmarkStreamLineOverhead is BenchmarkStreamLine without the signature
// check (no key source): what azid adds to the floor, per line.
func BenchmarkStreamLineOverhead(b *testing.B) {
	tok, _, o := benchToken(b)
	o.Keys, o.Terse = nil, true
	line := tok + "\n"
	var parser token.Parser
	var v token.Verification
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = verifyLine(context.Background(), &parser, &v, streamJob{line: 1, data: line}, o, buf[:0])
	}
}

// BenchmarkBareRSA is the floor: decode the signature, hash, rsa.VerifyPKCS1v15.
func BenchmarkBareRSA(b *testing.B) {
	tok, key, _ := benchToken(b)
	for b.Loop() {
		dot := strings.LastIndexByte(tok, '.')
		sig, _ := base64.RawURLEncoding.DecodeString(tok[dot+1:])
		h := sha256.Sum256([]byte(tok[:dot]))
		if err := rsa.VerifyPKCS1v15(&key.Private.PublicKey, crypto.SHA256, h[:], sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunStream runs the whole --stream pipeline (reader, workers,
// ordered writer) over 2,000 tokens per iteration.
func BenchmarkRunStream(b *testing.B) {
	tok, key, _ := benchToken(b)
	var in strings.Builder
	for i := 0; i < 2000; i++ {
		in.WriteString(tok)
		in.WriteByte('\n')
	}
	dir := b.TempDir()
	jwks := dir + "/jwks.json"
	if err := os.WriteFile(jwks, testjwt.JWKS(b, key.JWK(nil)), 0o644); err != nil {
		b.Fatal(err)
	}
	input := in.String()
	b.ResetTimer()
	for b.Loop() {
		ios, stdin, _, _ := iostreams.Test()
		stdin.WriteString(input)
		ios.Out = io.Discard
		opts := &Options{IO: ios, Now: time.Now, Stream: true, Flags: verification.Flags{JWKS: jwks, Leeway: token.DefaultLeeway}}
		if err := runStream(b.Context(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*2000), "ns/token")
}

// BenchmarkStreamLineOverheadTypical is BenchmarkStreamLineOverhead with a
// ~1.3 KB token carrying the claims of a real Entra v2 user access token.
func BenchmarkStreamLineOverheadTypical(b *testing.B) {
	key := testjwt.SharedKey(b, "bench-key")
	now := time.Now()
	tok := key.SignClaims(b, map[string]any{"aud": "api://bench", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		"iat": now.Unix() - 60, "nbf": now.Unix() - 60, "exp": now.Unix() + 3600, "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "name": "User",
		"oid": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "scp": "read write", "sub": "sub-1", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0",
		"acct": 0, "acr": "1", "aio": "AXQAi/8aAAAAk2bzVx0LmlwL8rQ5pXxN9m2nK4j0tY1o", "amr": []string{"pwd", "mfa"}, "family_name": "Example",
		"given_name": "Alex", "idtyp": "user", "ipaddr": "203.0.113.42", "preferred_username": "alex@contoso.example",
		"rh": "1.AXkAv4j5cvGGr0GRqy180BHbR1wtU5ZLgc9BoRUmDqLYfaJ5AAB5AA.", "sid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"upn": "alex@contoso.example", "uti": "Zq8c3sTuVwYzAbCdEfGhAA", "wids": []string{"b79fbf4d-3ef9-4689-8143-76b194e85509"}, "xms_idrel": "1 20"})
	o := token.VerifyOptions{Now: now, Leeway: token.DefaultLeeway, Terse: true}
	line := tok + "\n"
	var parser token.Parser
	var v token.Verification
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = verifyLine(context.Background(), &parser, &v, streamJob{line: 1, data: line}, o, buf[:0])
	}
}

// enterpriseClaims are the claims of bench/verifystream's enterprise shape
// (~40 claims, ~3 KB token): a typical token's, optional claims, extension
// attributes and 30 group IDs.
func enterpriseClaims(now time.Time) map[string]any {
	groups := make([]string, 30)
	for i := range groups {
		groups[i] = fmt.Sprintf("%08x-1b2c-4d3e-8f40-%012x", 0x5a000000+i*7919, 0xa1b2c3d40000+i*104729)
	}
	return map[string]any{"aud": "api://bench", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		"iat": now.Unix() - 60, "nbf": now.Unix() - 60, "exp": now.Unix() + 3600, "azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "name": "User",
		"oid": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "scp": "read write", "sub": "sub-1", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0",
		"acct": 0, "acr": "1", "aio": "AXQAi/8aAAAAk2bzVx0LmlwL8rQ5pXxN9m2nK4j0tY1o", "amr": []string{"pwd", "mfa"}, "family_name": "Example",
		"given_name": "Alex", "idtyp": "user", "ipaddr": "203.0.113.42", "preferred_username": "alex@contoso.example",
		"rh": "1.AXkAv4j5cvGGr0GRqy180BHbR1wtU5ZLgc9BoRUmDqLYfaJ5AAB5AA.", "sid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
		"upn": "alex@contoso.example", "uti": "Zq8c3sTuVwYzAbCdEfGhAA", "wids": []string{"b79fbf4d-3ef9-4689-8143-76b194e85509"}, "xms_idrel": "1 20",
		"ctry": "NL", "email": "alex@contoso.example", "employeeid": "E-102938", "extension_department": "Platform Engineering",
		"extension_costCenter": "CC-4471", "extn.region": []string{"emea"}, "fwd": "198.51.100.7", "in_corp": "true",
		"onprem_sid": "S-1-5-21-1004336348-1177238915-682003330-512", "tenant_ctry": "NL", "tenant_region_scope": "EU",
		"verified_primary_email": []string{"alex@contoso.example"}, "xms_cc": []string{"cp1"}, "xms_pdl": "EUR", "xms_tpl": "en",
		"groups": groups, "roles": []string{"Reader", "Contributor", "Support.Agent"}}
}

// BenchmarkStreamLineOverheadEnterprise is BenchmarkStreamLineOverhead with
// an enterprise-size token.
func BenchmarkStreamLineOverheadEnterprise(b *testing.B) {
	now := time.Now()
	tok := testjwt.SharedKey(b, "bench-key").SignClaims(b, enterpriseClaims(now))
	o := token.VerifyOptions{Now: now, Leeway: token.DefaultLeeway, Terse: true}
	line := tok + "\n"
	var parser token.Parser
	var v token.Verification
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = verifyLine(context.Background(), &parser, &v, streamJob{line: 1, data: line}, o, buf[:0])
	}
}

// BenchmarkRunStreamEnterprise runs the whole --stream pipeline over 500
// distinct enterprise-size tokens per iteration (no memo hits).
func BenchmarkRunStreamEnterprise(b *testing.B) {
	key := testjwt.SharedKey(b, "bench-key")
	now := time.Now()
	var in strings.Builder
	for i := range 500 {
		c := enterpriseClaims(now)
		c["sub"] = fmt.Sprint("sub-", i)
		in.WriteString(key.SignClaims(b, c))
		in.WriteByte('\n')
	}
	jwks := b.TempDir() + "/jwks.json"
	if err := os.WriteFile(jwks, testjwt.JWKS(b, key.JWK(nil)), 0o644); err != nil {
		b.Fatal(err)
	}
	input := in.String()
	b.ResetTimer()
	for b.Loop() {
		ios, stdin, _, _ := iostreams.Test()
		stdin.WriteString(input)
		ios.Out = io.Discard
		opts := &Options{IO: ios, Now: time.Now, Stream: true, Flags: verification.Flags{JWKS: jwks, Leeway: token.DefaultLeeway}}
		if err := runStream(b.Context(), opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*500), "ns/token")
}
