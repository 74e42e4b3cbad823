package emulate

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/emulate"
)

// tlsCert returns the certificate to serve HTTPS with: the developer's own
// (--tls-cert and --tls-key, such as mkcert's), or one made for this run
// (--tls); nil for plain HTTP. self is set for a certificate made here.
func (opts *Options) tlsCert() (cert *tls.Certificate, self *emulate.SelfSigned, err error) {
	switch {
	case opts.TLSCert == "" && opts.TLSKey == "" && !opts.TLS:
		if opts.TLSCertOut != "" {
			return nil, nil, cmdutil.UsageErrorf("--tls-cert-out writes the certificate of --tls: add --tls")
		}
		return nil, nil, nil
	case (opts.TLSCert == "") != (opts.TLSKey == ""):
		return nil, nil, cmdutil.UsageErrorf("--tls-cert and --tls-key go together: give the certificate and its private key")
	case opts.TLSCert != "":
		if opts.TLSCertOut != "" {
			return nil, nil, cmdutil.UsageErrorf("--tls-cert-out writes the certificate --tls makes; with --tls-cert you have it already")
		}
		c, err := tls.LoadX509KeyPair(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return nil, nil, &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: fmt.Errorf("--tls-cert %s, --tls-key %s: %w", opts.TLSCert, opts.TLSKey, tlsLoadError(err)),
				Hint: "give a PEM certificate and the PEM private key it was made for (mkcert localhost 127.0.0.1 writes both)"}
		}
		if c.Leaf != nil {
			now := opts.Now()
			if now.After(c.Leaf.NotAfter) {
				return nil, nil, cmdutil.UsageErrorf("--tls-cert %s expired on %s: make a new one", opts.TLSCert, c.Leaf.NotAfter.UTC().Format(time.DateOnly))
			}
			if host, _, err := net.SplitHostPort(opts.Listen); err == nil && host != "" && !net.ParseIP(host).IsUnspecified() {
				if err := c.Leaf.VerifyHostname(host); err != nil {
					return nil, nil, cmdutil.UsageErrorf("--tls-cert %s is not for %s, the --listen host: %v", opts.TLSCert, host, err)
				}
			}
		}
		return &c, nil, nil
	}
	host, _, _ := net.SplitHostPort(opts.Listen)
	self, err = emulate.NewSelfSigned(opts.Now(), host)
	if err != nil {
		return nil, nil, err
	}
	if opts.TLSCertOut != "" {
		// The certificate only (public); its key never leaves memory.
		if err := os.WriteFile(opts.TLSCertOut, self.PEM, 0o644); err != nil {
			return nil, nil, fmt.Errorf("writing the certificate to %s: %w", opts.TLSCertOut, err)
		}
	}
	return &self.Cert, self, nil
}

// tlsLoadError names what is wrong with a certificate or key file without
// echoing its contents.
func tlsLoadError(err error) error {
	var pathErr *os.PathError
	switch {
	case errors.As(err, &pathErr):
		return pathErr
	case errors.Is(err, x509.ErrUnsupportedAlgorithm):
		return errors.New("the key's algorithm is not supported")
	}
	return errors.New(err.Error())
}
