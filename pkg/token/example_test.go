package token_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/token"
)

// A token made for the example: an Entra v2 access token's shape, unsigned.
const exampleToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." +
	"eyJhdWQiOiJhcGk6Ly9jb250b3NvLWFwaSIsImlzcyI6Imh0dHBzOi8vbG9naW4ubWljcm9zb2Z0b25saW5lLmNvbS83MmY5ODhiZi04NmYxLTQxYWYtOTFhYi0yZDdjZDAxMWRiNDcvdjIuMCIsIm9pZCI6IjNmMmUxZDBjLWI5YTgtNDc2NS04NDMyLTEwZmVkY2JhOTg3NiIsInJvbGVzIjpbIkFkbWluIiwiUmVhZGVyIl0sInRpZCI6IjcyZjk4OGJmLTg2ZjEtNDFhZi05MWFiLTJkN2NkMDExZGI0NyIsInZlciI6IjIuMCJ9." +
	"c2lnbmF0dXJl"

// Parse decodes a token without trusting it: the claims can be read, but
// nothing is proven until Verify says so.
func ExampleParse() {
	t, err := token.Parse(exampleToken)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Alg(), t.Header.Str("kid"))
	fmt.Println(t.Claims.Str("tid"))
	fmt.Println(t.Claims.Strings("roles"))
	// Output:
	// RS256 k1
	// 72f988bf-86f1-41af-91ab-2d7cd011db47
	// [Admin Reader]
}

// Parse accepts nothing but a compact JWT; the readers that find a token in
// pasted text come before it.
func ExampleParse_malformed() {
	_, err := token.Parse("not-a-token")
	fmt.Println(err != nil)
	// Output: true
}

// Verify checks a token against trusted keys at a given instant, and reports
// every check it made. Without keys or a clock it refuses to call a token
// valid. The issuer is checked only where it is pinned (Issuers or Tenant):
// "not_checked" is never counted as a pass of a pin.
func ExampleVerify() {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	now := time.Unix(1796040000, 0)
	header := `{"typ":"JWT","alg":"RS256","kid":"k1"}`
	payload := fmt.Sprintf(`{"aud":"api://contoso-api","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","nbf":%d,"exp":%d,"ver":"2.0"}`,
		now.Add(-time.Minute).Unix(), now.Add(time.Hour).Unix())
	b64 := base64.RawURLEncoding.EncodeToString
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	digest := sha256.Sum256([]byte(input))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "kid": "k1",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	set, err := entra.ParseJWKS(jwks)
	if err != nil {
		fmt.Println(err)
		return
	}

	t, _ := token.Parse(input + "." + b64(sig))
	v := token.Verify(context.Background(), t, token.VerifyOptions{
		Now:       now,
		Leeway:    token.DefaultLeeway,
		Audiences: []string{"api://contoso-api"},
		Keys:      token.StaticKeys{Set: set},
	})
	fmt.Println("valid:", v.Valid)
	for _, c := range v.Checks {
		fmt.Println(c.Name, c.Status)
	}

	// The same token an hour and a half later.
	v = token.Verify(context.Background(), t, token.VerifyOptions{Now: now.Add(90 * time.Minute), Keys: token.StaticKeys{Set: set}})
	fmt.Println("later:", v.Valid, v.Error)
	// Output:
	// valid: true
	// algorithm passed
	// key passed
	// signature passed
	// lifetime passed
	// issuer not_checked
	// audience passed
	// later: false lifetime: expired 30m ago at 2026-11-30T13:00:00Z
}
