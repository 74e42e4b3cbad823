package httpclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCheckURL(t *testing.T) {
	ok := []string{"https://login.microsoftonline.com/x", "http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]:9/x"}
	bad := []string{"http://example.com/x", "http://10.0.0.1/x", "ftp://127.0.0.1/x", "file:///etc/passwd", "http://localhost.evil.example/"}
	for _, s := range ok {
		u, _ := url.Parse(s)
		if err := CheckURL(u); err != nil {
			t.Errorf("CheckURL(%s): %v", s, err)
		}
	}
	for _, s := range bad {
		u, _ := url.Parse(s)
		if err := CheckURL(u); err == nil {
			t.Errorf("CheckURL(%s) allowed", s)
		}
	}
}

func TestRedirectsStayOnHost(t *testing.T) {
	var otherHits int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits++
		if r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
			t.Error("a secret header followed a redirect to another host")
		}
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/x", http.StatusFound)
		case "/here":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/final":
			w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	c, err := New(Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/away", nil)
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || otherHits != 0 {
		t.Errorf("redirect to another host was followed: status %d, hits %d", resp.StatusCode, otherHits)
	}
	resp, err = c.Get(srv.URL + "/here")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("same-host redirect: %d", resp.StatusCode)
	}
}

func TestDebugTraceRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	var trace bytes.Buffer
	c, _ := New(Options{Debug: &trace})
	req, _ := http.NewRequest("GET", srv.URL+"/p?code=SECRETCODE&appid=app1", nil)
	req.Header.Set("Authorization", "Bearer SECRETTOKEN")
	req.Header.Set("Cookie", "AppServiceAuthSession=SECRETCOOKIE")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := trace.String()
	for _, secret := range []string{"SECRETCODE", "SECRETTOKEN", "SECRETCOOKIE"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace leaks %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "appid=app1") || !strings.Contains(out, "Authorization: [redacted]") || !strings.Contains(out, "< HTTP/1.1 200 OK") {
		t.Errorf("trace:\n%s", out)
	}
}

func TestDescribe(t *testing.T) {
	// TLS with an untrusted certificate
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer tlsSrv.Close()
	c, _ := New(Options{Timeout: 5 * time.Second})
	_, err := c.Get(tlsSrv.URL)
	if msg := Describe(err); !strings.Contains(msg, "--ca-file") {
		t.Errorf("untrusted TLS: %q (%v)", msg, err)
	}
	// with --ca-file it works
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	writePEM(t, caFile, tlsSrv)
	c2, err := New(Options{CAFile: caFile})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c2.Get(tlsSrv.URL); err != nil {
		t.Errorf("with --ca-file: %v", err)
	} else {
		resp.Body.Close()
	}
	// refused
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, err = c.Get("http://" + addr)
	if msg := Describe(err); !strings.Contains(msg, "connection refused") {
		t.Errorf("refused: %q", msg)
	}
	// timeout
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { time.Sleep(300 * time.Millisecond) }))
	defer slow.Close()
	c3, _ := New(Options{Timeout: 50 * time.Millisecond})
	_, err = c3.Get(slow.URL)
	if msg := Describe(err); !strings.Contains(msg, "timed out") {
		t.Errorf("timeout: %q", msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", slow.URL, nil)
	_, err = c.Do(req)
	if msg := Describe(err); !strings.Contains(msg, "timed out") {
		t.Errorf("context deadline: %q", msg)
	}
	// plain http to a remote host is refused before any connection
	_, err = c.Get("http://example.com/")
	if msg := Describe(err); !strings.Contains(msg, "only to loopback") {
		t.Errorf("insecure: %q", msg)
	}
	// A bad CA file is the first request's error (the roots are read lazily),
	// and every request's after it.
	missing, err := New(Options{CAFile: "/nonexistent.pem"})
	if err != nil {
		t.Fatalf("New read the CA file before any request: %v", err)
	}
	for range 2 {
		if _, err := missing.Get("https://127.0.0.1:1/"); err == nil || !strings.Contains(err.Error(), "reading --ca-file") {
			t.Errorf("missing CA file: %v", err)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.pem")
	os.WriteFile(empty, []byte("not pem"), 0o644)
	bad, _ := New(Options{CAFile: empty})
	if _, err := bad.Get("https://127.0.0.1:1/"); err == nil || !strings.Contains(err.Error(), "no PEM certificates") {
		t.Errorf("bad CA file: %v", err)
	}
}

// TestRootsAreReadLazily proves that building a client reads nothing: the
// CA file may appear after New, before the first request.
func TestRootsAreReadLazily(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	c, err := New(Options{CAFile: caFile})
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, caFile, srv)
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("request after the CA file appeared: %v", err)
	}
	resp.Body.Close()
}

func writePEM(t *testing.T, path string, srv *httptest.Server) {
	t.Helper()
	cert := srv.Certificate()
	block := "-----BEGIN CERTIFICATE-----\n" + base64Lines(cert.Raw) + "-----END CERTIFICATE-----\n"
	if err := os.WriteFile(path, []byte(block), 0o644); err != nil {
		t.Fatal(err)
	}
}

func base64Lines(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 64 {
		out.WriteString(s[:64] + "\n")
		s = s[64:]
	}
	return out.String() + s + "\n"
}

// A dead proxy gives a proxyconnect error whose Addr is nil: Describe once
// panicked on it (HTTPS_PROXY=http://127.0.0.1:9 azid verify --jwks https://…).
func TestDescribeDeadProxy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: dead})
	c, err := New(Options{Timeout: 5 * time.Second, Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Get("https://login.microsoftonline.com/common/discovery/v2.0/keys")
	if err == nil {
		t.Fatal("request through a dead proxy succeeded")
	}
	got := Describe(err)
	if !strings.Contains(got, "proxy") || !strings.Contains(got, "connection refused") {
		t.Fatalf("Describe = %q, want it to name the proxy and the refusal", got)
	}
	// An OpError with nothing set must not panic either.
	for _, e := range []error{&net.OpError{Op: "proxyconnect"}, &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}} {
		if Describe(e) == "" {
			t.Fatalf("Describe(%#v) is empty", e)
		}
	}
}

func TestDebugTraceShowsRedirectLocation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=app1&redirect_uri=https%3A%2F%2Fcontoso.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback&nonce=SECRETNONCE&state=SECRETSTATE#access_token=SECRETFRAG")
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c, _ := New(Options{Debug: &trace})
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL + "/.auth/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := trace.String()
	for _, secret := range []string{"SECRETNONCE", "SECRETSTATE", "SECRETFRAG"} {
		if strings.Contains(out, secret) {
			t.Errorf("trace leaks %s:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "< Location: https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=app1&") ||
		!strings.Contains(out, "redirect_uri=https%3A%2F%2Fcontoso.azurewebsites.net%2F.auth%2Flogin%2Faad%2Fcallback") {
		t.Errorf("trace lacks the Location:\n%s", out)
	}
}
