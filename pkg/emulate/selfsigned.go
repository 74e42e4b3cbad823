package emulate

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// SelfSigned is a certificate made for one run of the emulator.
type SelfSigned struct {
	// Cert serves TLS; its private key lives only in memory.
	Cert tls.Certificate
	// PEM is the certificate alone (public), for a client to trust.
	PEM []byte
	// Fingerprint is the SHA-256 of the certificate, as browsers show it.
	Fingerprint string
	// SPKIHash is the SHA-256 of the certificate's public key info (in
	// base64, what Chromium's --ignore-certificate-errors-spki-list takes).
	SPKIHash []byte
}

// NewSelfSigned makes an ECDSA P-256 certificate for localhost, 127.0.0.1,
// ::1 and the given extra hosts (names or IPs), valid from an hour before now
// for 30 days. It is its own issuer: trust it, not a CA it could stand for
// (it is not a CA certificate, so it cannot sign others).
func NewSelfSigned(now time.Time, hosts ...string) (*SelfSigned, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("generating the certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Easy Auth emulator (localhost)", Organization: []string{"development only"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			if !containsIP(tmpl.IPAddresses, ip) {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if h != "" && h != "localhost" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating the TLS certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("reading back the TLS certificate: %w", err)
	}
	sum := sha256.Sum256(der)
	spki := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return &SelfSigned{
		Cert:        tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		PEM:         pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Fingerprint: colonHex(sum[:]),
		SPKIHash:    spki[:],
	}, nil
}

func containsIP(ips []net.IP, ip net.IP) bool {
	for _, x := range ips {
		if x.Equal(ip) {
			return true
		}
	}
	return false
}

// colonHex writes bytes as upper-case hex pairs joined by colons.
func colonHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, len(b)*3)
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// Fingerprint returns a certificate's SHA-256 fingerprint, as browsers show it.
func Fingerprint(cert *tls.Certificate) string {
	if cert == nil || len(cert.Certificate) == 0 {
		return ""
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return colonHex(sum[:])
}
