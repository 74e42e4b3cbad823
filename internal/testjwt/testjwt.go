// Package testjwt makes signed test tokens with keys generated in the test,
// with the header and claims written exactly as given (order and all).
package testjwt

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// TB is the part of testing.TB these helpers use, so fakes can sign too.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Panicking is a TB for code outside a test (fake servers' handlers).
type Panicking struct{}

// Helper does nothing.
func (Panicking) Helper() {}

// Fatalf panics.
func (Panicking) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// Key is an RSA signing key with its key ID.
type Key struct {
	ID      string
	Private *rsa.PrivateKey
}

var (
	keyOnce   sync.Once
	sharedKey *rsa.PrivateKey
)

// NewKey generates a 2048-bit RSA key. Generating keys is slow, so tests that
// need just one key can use SharedKey.
func NewKey(t TB, kid string) *Key {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generating RSA key: %v", err)
	}
	return &Key{ID: kid, Private: k}
}

// SharedKey returns one RSA key generated once per test binary.
func SharedKey(t TB, kid string) *Key {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		sharedKey = k
	})
	return &Key{ID: kid, Private: sharedKey}
}

// B64 is base64url without padding.
func B64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Sign signs header and payload JSON, given verbatim, with RS256.
func (k *Key) Sign(t TB, header, payload string) string {
	t.Helper()
	input := B64([]byte(header)) + "." + B64([]byte(payload))
	sig, err := jwt.SigningMethodRS256.Sign(input, k.Private)
	if err != nil {
		t.Fatalf("signing: %v", err)
	}
	return input + "." + B64(sig)
}

// SignClaims signs claims (marshalled with encoding/json) with a standard
// RS256 header naming the key.
func (k *Key) SignClaims(t TB, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return k.Sign(t, `{"typ":"JWT","alg":"RS256","kid":"`+k.ID+`"}`, string(payload))
}

// Unsigned builds a token with the given header and payload and an empty signature.
func Unsigned(header, payload string) string {
	return B64([]byte(header)) + "." + B64([]byte(payload)) + "."
}

// JWK returns the public key as a JWK map (kty, use, kid, n, e) plus extra members.
func (k *Key) JWK(extra map[string]any) map[string]any {
	m := map[string]any{
		"kty": "RSA",
		"use": "sig",
		"kid": k.ID,
		"n":   B64(k.Private.N.Bytes()),
		"e":   B64(big.NewInt(int64(k.Private.E)).Bytes()),
	}
	for name, v := range extra {
		m[name] = v
	}
	return m
}

// JWKS returns a key set document holding the given JWKs.
func JWKS(t TB, keys ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		t.Fatalf("%v", err)
	}
	return b
}
