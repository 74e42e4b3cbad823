// Package httpclient builds the one HTTP client azid uses: HTTPS only (plain
// HTTP to loopback hosts alone), extra trusted roots from --ca-file, a
// timeout, redirects kept on the same host, and an optional trace on stderr
// with secrets redacted.
package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure the client.
type Options struct {
	Timeout time.Duration
	// CAFile is a PEM bundle of extra trusted root certificates.
	CAFile string
	// Debug, when not nil, receives one line per request and response, and
	// the body of an error response; header values, query values and body
	// members that can carry secrets are redacted.
	Debug io.Writer
	// Transport replaces the network transport (tests); the policy still applies.
	Transport http.RoundTripper
}

// ErrInsecureURL is returned for plain HTTP to a host that is not loopback.
var ErrInsecureURL = errors.New("plain HTTP is allowed only to loopback hosts: use https")

// New builds a client. The TLS roots (the system's, plus CAFile) are read
// only when the first request is about to be made: a command that answers
// from a cache (a warm "azid token") never pays for parsing them, and a
// problem with CAFile is the first request's error.
func New(o Options) (*http.Client, error) {
	base := o.Transport
	if base == nil {
		base = &lazyTransport{caFile: o.CAFile}
	}
	rt := &policyTransport{next: base, debug: o.Debug}
	return &http.Client{
		Transport: rt,
		Timeout:   o.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			first := via[0].URL
			if !strings.EqualFold(req.URL.Host, first.Host) || (first.Scheme == "https" && req.URL.Scheme != "https") {
				return http.ErrUseLastResponse // never follow to another host or down to http
			}
			return nil
		},
	}, nil
}

// lazyTransport builds the network transport, with its certificate pool,
// on the first request.
type lazyTransport struct {
	caFile string
	once   sync.Once
	next   http.RoundTripper
	err    error
}

func (l *lazyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	l.once.Do(func() { l.next, l.err = newTransport(l.caFile) })
	if l.err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper must close the body, even on error
		}
		return nil, l.err
	}
	return l.next.RoundTrip(req)
}

// newTransport is the default transport with TLS 1.2 or later and, with
// caFile, the system roots plus the certificates in caFile.
func newTransport(caFile string) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return t, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("reading --ca-file: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca-file %s holds no PEM certificates", caFile)
	}
	t.TLSClientConfig.RootCAs = pool
	return t, nil
}

type policyTransport struct {
	next  http.RoundTripper
	debug io.Writer
}

func (p *policyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := CheckURL(req.URL); err != nil {
		return nil, err
	}
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", "azid")
	}
	start := time.Now()
	if p.debug != nil {
		fmt.Fprintf(p.debug, "> %s %s%s\n", req.Method, redactURL(req.URL), headerSummary(req.Header))
	}
	resp, err := p.next.RoundTrip(req)
	if p.debug != nil {
		if err != nil {
			fmt.Fprintf(p.debug, "< error after %s: %v\n", time.Since(start).Round(time.Millisecond), err)
		} else {
			fmt.Fprintf(p.debug, "< %s %s (%s)\n", resp.Proto, resp.Status, time.Since(start).Round(time.Millisecond))
			if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
				fmt.Fprintf(p.debug, "< Location: %s\n", redactLocation(req.URL, loc))
			}
			traceErrorBody(p.debug, resp)
		}
	}
	return resp, err
}

// CheckURL allows https anywhere and http only to loopback hosts.
func CheckURL(u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w (%s)", ErrInsecureURL, u.Host)
	}
	return fmt.Errorf("unsupported URL scheme %q", u.Scheme)
}

// IsLoopback reports whether host is localhost or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secretHeaders are never printed in a trace.
var secretHeaders = []string{"Authorization", "Cookie", "Set-Cookie", "X-Zumo-Auth", "X-Ms-Token-Aad-Access-Token", "X-Ms-Token-Aad-Id-Token", "X-Ms-Token-Aad-Refresh-Token"}

func headerSummary(h http.Header) string {
	var parts []string
	for _, name := range secretHeaders {
		if h.Get(name) != "" {
			parts = append(parts, name+": [redacted]")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// redactLocation is a redirect's target as redactURL shows URLs, resolved
// against the request; one that does not parse is not shown.
func redactLocation(base *url.URL, loc string) string {
	u, err := base.Parse(loc)
	if err != nil {
		return "[not a URL]"
	}
	return redactURL(u)
}

// redactURL hides query values that could be secrets (codes, tokens, state,
// nonce); the names of the app and its redirect URI stay, for diagnosis.
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	if c.Fragment != "" || c.RawFragment != "" {
		c.Fragment, c.RawFragment = "[redacted]", ""
	}
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			switch strings.ToLower(k) {
			case "appid", "api-version", "p", "client_id", "redirect_uri", "response_type", "response_mode", "scope", "post_logout_redirect_uri":
			default:
				q.Set(k, "[redacted]")
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

// Describe turns a request error into one line that names the kind of
// failure (DNS, timeout, TLS, refused connection) without repeating the URL
// the caller already names.
func Describe(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var opErr *net.OpError
	var urlErr *url.Error
	switch {
	case errors.Is(err, ErrInsecureURL):
		return ErrInsecureURL.Error()
	case errors.As(err, &dnsErr):
		return "cannot resolve " + dnsErr.Name + " (DNS lookup failed: no network, or a wrong host name)"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &urlErr) && urlErr.Timeout()):
		return "timed out (see --timeout)"
	case errors.As(err, &unknownAuth) || errors.As(err, &certErr):
		return "TLS: the server's certificate is not trusted (a proxy or private authority? add its root with --ca-file)"
	case errors.As(err, &hostErr):
		return "TLS: the server's certificate is for another host name"
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		// The proxy itself failed: its OpError may carry no Addr.
		return "the proxy (HTTPS_PROXY/HTTP_PROXY) failed: " + proxyReason(opErr)
	case errors.As(err, &opErr) && errors.Is(err, syscall.ECONNREFUSED):
		if opErr.Addr == nil {
			return "connection refused"
		}
		return "connection refused by " + opErr.Addr.String()
	case errors.As(err, &urlErr):
		return urlErr.Err.Error()
	}
	return err.Error()
}

// proxyReason says why a proxy connection failed, without trusting any
// field of the error to be set.
func proxyReason(opErr *net.OpError) string {
	switch {
	case errors.Is(opErr, syscall.ECONNREFUSED):
		return "connection refused"
	case opErr.Timeout():
		return "timed out"
	case opErr.Err != nil:
		return opErr.Err.Error()
	}
	return "cannot connect"
}
