// Command mkexamples writes the example token and key set in examples/: an
// Entra-shaped v2 access token signed with a freshly generated RSA key, and
// that key's public JWKS. The private key is thrown away. Run it from the
// repository root: go run ./internal/tools/mkexamples
package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	tenant = "7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	kid    = "azid-example-key-1"
)

func main() {
	if err := run("examples"); err != nil {
		fmt.Fprintln(os.Stderr, "mkexamples:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	issued := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC).Unix()
	// Claims in the order Entra writes them, so the example reads like a real token.
	payload := fmt.Sprintf(`{"aud":"6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","iss":"https://login.microsoftonline.com/%[1]s/v2.0",`+
		`"iat":%[2]d,"nbf":%[2]d,"exp":%[3]d,"aio":"AWQAm/8aAAAAexampleexampleexample","azp":"04b07795-8ddb-461a-bbee-02f9e1bf7b46",`+
		`"azpacr":"0","name":"Alex Example","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","preferred_username":"alex@contoso.example",`+
		`"rh":"1.AXkAexample.","scp":"user_impersonation Data.Read","sid":"00a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5b",`+
		`"sub":"Zq8exampleSubjectPairwiseValue_abc123","tid":"%[1]s","uti":"exampleUti_Q1w2e3","ver":"2.0",`+
		`"wids":["cf1c38e5-3621-4004-a7cb-879624dced7c","b79fbf4d-3ef9-4689-8143-76b194e85509"],"xms_cc":["cp1"]}`,
		tenant, issued, time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	header := `{"typ":"JWT","alg":"RS256","kid":"` + kid + `"}`
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	signingInput := b64([]byte(header)) + "." + b64([]byte(payload))
	sig, err := jwt.SigningMethodRS256.Sign(signingInput, key)
	if err != nil {
		return err
	}
	signed := signingInput + "." + b64(sig)
	jwks := map[string]any{"keys": []map[string]any{{
		"kty":    "RSA",
		"use":    "sig",
		"kid":    kid,
		"n":      b64(key.N.Bytes()),
		"e":      b64(big.NewInt(int64(key.E)).Bytes()),
		"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
	}}}
	jwksJSON, err := json.MarshalIndent(jwks, "", "  ")
	if err != nil {
		return err
	}
	azOutput, err := json.MarshalIndent(map[string]any{
		"accessToken":  signed,
		"expiresOn":    "2036-01-01 00:00:00.000000",
		"expires_on":   2082758400,
		"subscription": "00000000-0000-0000-0000-000000000000",
		"tenant":       tenant,
		"tokenType":    "Bearer",
	}, "", "  ")
	if err != nil {
		return err
	}
	request, err := easyAuthRequest(signed)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"easyauth-request.txt":             request,
		"access-token.jwt":                 []byte(signed + "\n"),
		"jwks.json":                        append(jwksJSON, '\n'),
		"az-account-get-access-token.json": append(azOutput, '\n'),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
