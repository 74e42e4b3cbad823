package rs256

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"math/big"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerify(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if k.Size() != 256 || k.Public() != &priv.PublicKey {
		t.Fatalf("Size %d, Public %p", k.Size(), k.Public())
	}
	input := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"
	sig, err := SigningMethod.Sign(input, priv)
	if err != nil {
		t.Fatal(err)
	}
	if err := SigningMethod.Verify(input, sig, k); err != nil {
		t.Fatalf("genuine signature: %v", err)
	}
	if err := jwt.SigningMethodRS256.Verify(input, sig, &priv.PublicKey); err != nil {
		t.Fatalf("golang-jwt disagrees on the genuine signature: %v", err)
	}
	if SigningMethod.Alg() != "RS256" {
		t.Fatal(SigningMethod.Alg())
	}
	for name, tc := range map[string]struct {
		input string
		sig   []byte
		key   any
		want  error
	}{
		"other input":        {input + "x", sig, k, ErrVerification},
		"short":              {input, sig[:255], k, ErrVerification},
		"long":               {input, append([]byte{0}, sig...), k, ErrVerification},
		"empty":              {input, nil, k, ErrVerification},
		"rsa.PublicKey":      {input, sig, &priv.PublicKey, jwt.ErrInvalidKeyType},
		"nil prepared key":   {input, sig, (*PublicKey)(nil), jwt.ErrInvalidKeyType},
		"no key":             {input, sig, nil, jwt.ErrInvalidKeyType},
		"s = n":              {input, priv.N.FillBytes(make([]byte, 256)), k, ErrVerification},
		"s = genuine s + n?": {input, plusN(sig, priv.N), k, ErrVerification},
	} {
		if err := SigningMethod.Verify(tc.input, tc.sig, tc.key); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	d := sha256.Sum256([]byte(input))
	if err := k.VerifyDigest(d[:31], sig); err == nil {
		t.Error("a 31-byte digest verified")
	}
}

// plusN is s + n as len(s) bytes, or s flipped when it does not fit.
func plusN(s []byte, n *big.Int) []byte {
	x := new(big.Int).Add(new(big.Int).SetBytes(s), n)
	if x.BitLen() > 8*len(s) {
		out := append([]byte(nil), s...)
		out[0] ^= 0x80
		return out
	}
	return x.FillBytes(make([]byte, len(s)))
}

func TestNewPublicKeyRefuses(t *testing.T) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	even := new(big.Int).Add(priv.N, big.NewInt(1))
	for name, pub := range map[string]*rsa.PublicKey{
		"nil":         nil,
		"no modulus":  {E: 65537},
		"even n":      {N: even, E: 65537},
		"e = 1":       {N: priv.N, E: 1},
		"even e":      {N: priv.N, E: 65536},
		"e over 2^31": {N: priv.N, E: 1 << 32},
		"256-bit n":   {N: new(big.Int).Rsh(priv.N, 1792), E: 65537},
	} {
		if pub != nil && pub.N != nil && name == "256-bit n" {
			pub.N.SetBit(pub.N, 0, 1)
		}
		if _, err := NewPublicKey(pub); err == nil {
			t.Errorf("%s: prepared", name)
		}
	}
}

// TestOtherExponent checks that a key whose e is not 65537 (here 3) takes
// crypto/rsa's path and answers as crypto/rsa does.
func TestOtherExponent(t *testing.T) {
	var priv *rsa.PrivateKey
	for priv == nil {
		p, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		one := big.NewInt(1)
		phi := new(big.Int).Mul(new(big.Int).Sub(p.Primes[0], one), new(big.Int).Sub(p.Primes[1], one))
		d := new(big.Int).ModInverse(big.NewInt(3), phi)
		if d == nil {
			continue
		}
		p.E, p.D, p.Precomputed = 3, d, rsa.PrecomputedValues{}
		p.Precompute()
		priv = p
	}
	k, err := NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if k.n != nil {
		t.Fatal("an e=3 key was prepared for the e=65537 path")
	}
	digest := sha256.Sum256([]byte("payload"))
	sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	if err := k.VerifyDigest(digest[:], sig); err != nil {
		t.Fatalf("genuine e=3 signature: %v", err)
	}
	sig[10] ^= 1
	if err := k.VerifyDigest(digest[:], sig); !errors.Is(err, ErrVerification) {
		t.Fatalf("altered e=3 signature: %v", err)
	}
}
