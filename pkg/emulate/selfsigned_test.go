package emulate

import (
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"
)

func TestNewSelfSigned(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	s, err := NewSelfSigned(now, "127.0.0.1", "devbox.local")
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(s.PEM)
	if block == nil || block.Type != "CERTIFICATE" || len(strings.TrimSpace(string(rest))) != 0 {
		t.Fatalf("PEM is not exactly one certificate: %q", s.PEM)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1", "devbox.local"} {
		if err := cert.VerifyHostname(host); err != nil {
			t.Errorf("not valid for %s: %v", host, err)
		}
	}
	if len(cert.IPAddresses) != 2 {
		t.Errorf("IP SANs %v: 127.0.0.1 given again must not repeat", cert.IPAddresses)
	}
	if cert.IsCA || cert.BasicConstraintsValid && cert.IsCA {
		t.Error("the certificate is a CA: it could sign others")
	}
	if !cert.NotBefore.Before(now) || cert.NotAfter.Sub(now) > 31*24*time.Hour {
		t.Errorf("validity %v – %v", cert.NotBefore, cert.NotAfter)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost", CurrentTime: now}); err != nil {
		t.Errorf("a client trusting the PEM does not accept it: %v", err)
	}
	if Fingerprint(&s.Cert) != s.Fingerprint || len(s.Fingerprint) != 95 {
		t.Errorf("fingerprint %q", s.Fingerprint)
	}
	other, _ := NewSelfSigned(now)
	if other.Fingerprint == s.Fingerprint {
		t.Error("two runs made the same certificate")
	}
}
