package rs256

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"testing"
)

func benchKey(b *testing.B) (*rsa.PrivateKey, []byte, []byte) {
	b.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	d := sha256.Sum256([]byte("header.payload"))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, d[:])
	if err != nil {
		b.Fatal(err)
	}
	return priv, d[:], sig
}

// BenchmarkPrepared is a 2048-bit RS256 check with a prepared key.
func BenchmarkPrepared(b *testing.B) {
	priv, d, sig := benchKey(b)
	k, err := NewPublicKey(&priv.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := k.VerifyDigest(d, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStandard is the same check with rsa.VerifyPKCS1v15.
func BenchmarkStandard(b *testing.B) {
	priv, d, sig := benchKey(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := rsa.VerifyPKCS1v15(&priv.PublicKey, crypto.SHA256, d, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare is the one-time cost of preparing a 2048-bit key.
func BenchmarkPrepare(b *testing.B) {
	priv, _, _ := benchKey(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewPublicKey(&priv.PublicKey); err != nil {
			b.Fatal(err)
		}
	}
}
