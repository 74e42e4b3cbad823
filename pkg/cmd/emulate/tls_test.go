package emulate

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/emulate"
)

func TestTLSCert(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	own, err := emulate.NewSelfSigned(now)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(own.Cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, own.PEM, 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	opts := func(listen string) *Options {
		return &Options{Now: func() time.Time { return now }, Listen: listen}
	}

	t.Run("plain HTTP by default", func(t *testing.T) {
		if c, s, err := opts("localhost:0").tlsCert(); c != nil || s != nil || err != nil {
			t.Errorf("got %v %v %v", c, s, err)
		}
	})
	t.Run("the developer's own certificate", func(t *testing.T) {
		o := opts("127.0.0.1:0")
		o.TLSCert, o.TLSKey = certFile, keyFile
		c, s, err := o.tlsCert()
		if err != nil || c == nil || s != nil || emulate.Fingerprint(c) != own.Fingerprint {
			t.Errorf("got %v %v %v", c, s, err)
		}
	})
	t.Run("a certificate not for the listen host", func(t *testing.T) {
		o := opts("127.0.0.2:0")
		o.TLSCert, o.TLSKey = certFile, keyFile
		_, _, err := o.tlsCert()
		if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitUsage || !strings.Contains(err.Error(), "not for 127.0.0.2") {
			t.Errorf("err = %v (code %d)", err, code)
		}
	})
	t.Run("an expired certificate", func(t *testing.T) {
		o := opts("127.0.0.1:0")
		o.TLSCert, o.TLSKey = certFile, keyFile
		o.Now = func() time.Time { return now.AddDate(0, 2, 0) }
		if _, _, err := o.tlsCert(); err == nil || !strings.Contains(err.Error(), "expired") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("--tls writes only the public certificate", func(t *testing.T) {
		o := opts("localhost:0")
		o.TLS, o.TLSCertOut = true, filepath.Join(dir, "out.pem")
		c, s, err := o.tlsCert()
		if err != nil || c == nil || s == nil {
			t.Fatalf("got %v %v %v", c, s, err)
		}
		data, _ := os.ReadFile(o.TLSCertOut)
		if string(data) != string(s.PEM) || strings.Contains(string(data), "PRIVATE") {
			t.Errorf("wrote %q", data)
		}
	})
}
