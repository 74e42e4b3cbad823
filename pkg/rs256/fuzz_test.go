package rs256

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"testing"
)

// fuzzKeys are generated once per fuzz process (not per input): two of
// 2048 bits, one of 3072 and one of 4096.
func fuzzKeys(t testing.TB) []*rsa.PrivateKey {
	t.Helper()
	var keys []*rsa.PrivateKey
	for _, bits := range []int{2048, 2048, 3072, 4096} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	return keys
}

// Mutations FuzzPreparedMatchesStandard applies to a genuine signature.
const (
	mutNone        = iota // the genuine signature
	mutBitFlip            // one bit flipped (at pos)
	mutTruncate           // cut to pos % len bytes
	mutLeadZeros          // 1-3 zero bytes in front
	mutStripLead          // the first byte removed
	mutModulusPlus        // n + pos, as k bytes when it fits (a value ≥ n)
	mutAllZero            // k zero bytes
	mutAllFF              // k 0xff bytes
	mutRawDigest          // the genuine signature, the digest taken from msg as given
	mutForgedEM           // a signature whose s^e is the right encoding with one byte changed
	mutArbitrary          // extra as the signature
	mutPlusN              // the genuine s + n, when it fits in k bytes
	mutCount
)

// FuzzPreparedMatchesStandard feeds random keys, digests and genuine,
// mutated and forged signatures to PublicKey.VerifyDigest (and Verify through
// SigningMethod) and to rsa.VerifyPKCS1v15: any disagreement fails.
func FuzzPreparedMatchesStandard(f *testing.F) {
	keys := fuzzKeys(f)
	prepared := make([]*PublicKey, len(keys))
	for i, k := range keys {
		p, err := NewPublicKey(&k.PublicKey)
		if err != nil {
			f.Fatal(err)
		}
		prepared[i] = p
	}
	for m := 0; m < mutCount; m++ {
		f.Add(uint8(m%len(keys)), uint8(m), uint16(m*37), []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"), []byte{byte(m), 0x80, 0x01})
	}
	f.Fuzz(func(t *testing.T, keySel, mut uint8, pos uint16, msg, extra []byte) {
		priv := keys[int(keySel)%len(keys)]
		pub, pk := &priv.PublicKey, prepared[int(keySel)%len(keys)]
		k := pub.Size()
		sum := sha256.Sum256(msg)
		digest := sum[:]
		sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, digest)
		if err != nil {
			t.Fatal(err)
		}
		switch mut % mutCount {
		case mutBitFlip:
			i := int(pos) % (8 * len(sig))
			sig[i/8] ^= 1 << (i % 8)
		case mutTruncate:
			sig = sig[:int(pos)%len(sig)]
		case mutLeadZeros:
			sig = append(make([]byte, 1+int(pos)%3), sig...)
		case mutStripLead:
			sig = sig[1:]
		case mutModulusPlus:
			if s := new(big.Int).Add(pub.N, big.NewInt(int64(pos))); s.BitLen() <= 8*k {
				sig = fixed(s, k)
			}
		case mutAllZero:
			sig = make([]byte, k)
		case mutAllFF:
			sig = make([]byte, k)
			for i := range sig {
				sig[i] = 0xff
			}
		case mutRawDigest:
			digest = msg
		case mutForgedEM:
			em := new(big.Int).Exp(new(big.Int).SetBytes(sig), big.NewInt(int64(pub.E)), pub.N)
			b := fixed(em, k)
			x := byte(1)
			if len(extra) > 0 && extra[0] != 0 {
				x = extra[0]
			}
			b[int(pos)%k] ^= x
			if m := new(big.Int).SetBytes(b); m.Cmp(pub.N) < 0 {
				sig = fixed(rawSign(priv, m), k)
			}
		case mutArbitrary:
			sig = extra
		case mutPlusN:
			if s := new(big.Int).Add(new(big.Int).SetBytes(sig), pub.N); s.BitLen() <= 8*k {
				sig = fixed(s, k)
			}
		}
		want := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, sig) == nil
		if got := pk.VerifyDigest(digest, sig) == nil; got != want {
			t.Fatalf("%d-bit key, mutation %d: prepared says %v, crypto/rsa says %v (sig %x)", pub.N.BitLen(), mut%mutCount, got, want, sig)
		}
		if mut%mutCount != mutRawDigest {
			if got := SigningMethod.Verify(string(msg), sig, pk) == nil; got != want {
				t.Fatalf("%d-bit key, mutation %d: SigningMethod says %v, crypto/rsa says %v", pub.N.BitLen(), mut%mutCount, got, want)
			}
		}
	})
}

// fixed is x as exactly k big-endian bytes (x must fit).
func fixed(x *big.Int, k int) []byte {
	return x.FillBytes(make([]byte, k))
}

// rawSign is m^d mod n by the Chinese remainder theorem (Garner's formula):
// a signature whose s^e is any chosen m < n.
func rawSign(priv *rsa.PrivateKey, m *big.Int) *big.Int {
	p, q := priv.Primes[0], priv.Primes[1]
	c := priv.Precomputed
	m1 := new(big.Int).Exp(m, c.Dp, p)
	m2 := new(big.Int).Exp(m, c.Dq, q)
	h := new(big.Int).Sub(m1, m2)
	h.Mul(h, c.Qinv).Mod(h, p)
	return h.Mul(h, q).Add(h, m2)
}
