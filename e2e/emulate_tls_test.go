package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// tlsClient trusts only the certificate in pemFile; h2 says whether it
// offers HTTP/2 (ALPN h2) or HTTP/1.1 only.
func tlsClient(t *testing.T, pemFile string, h2 bool) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(pemFile)
	if err != nil {
		t.Fatalf("the certificate file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no PEM certificate", pemFile)
	}
	tr := &http.Transport{Proxy: nil, TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: h2}
	if !h2 {
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// TestEmulateTLS: issue 14 item 1, HTTPS with HTTP/2 and HTTP/1.1 (what
// browsers need for HTTP/2), with App Service's behaviour over HTTPS:
// https URLs, Secure cookies, WebSockets over wss carrying the identity, and
// azid verify trusting the emulator's certificate through AZID_CA_FILE.
func TestEmulateTLS(t *testing.T) {
	up := newEchoUpstream(t)
	pemFile := filepath.Join(t.TempDir(), "emulate.pem")
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--tls", "--tls-cert-out", pemFile)
	if !strings.HasPrefix(e.URL, "https://127.0.0.1:") {
		t.Fatalf("listening URL %q, want https", e.URL)
	}
	if !strings.Contains(e.Stderr(), `"tls_sha256":"`) {
		t.Errorf("the start line names no certificate fingerprint:\n%s", e.Stderr())
	}
	if data, _ := os.ReadFile(pemFile); strings.Contains(string(data), "PRIVATE KEY") {
		t.Fatal("--tls-cert-out wrote the private key")
	}

	for _, h2 := range []bool{true, false} {
		c := tlsClient(t, pemFile, h2)
		resp, err := c.Get(e.URL + "/.auth/login/aad?login_hint=" + url.QueryEscape("alex@contoso.com"))
		if err != nil {
			t.Fatalf("sign-in over TLS (h2 %v): %v", h2, err)
		}
		resp.Body.Close()
		wantMajor := map[bool]int{true: 2, false: 1}[h2]
		if resp.StatusCode != http.StatusFound || resp.ProtoMajor != wantMajor {
			t.Fatalf("sign-in: %d over %s, want 302 over HTTP/%d", resp.StatusCode, resp.Proto, wantMajor)
		}
		secure := false
		for _, sc := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(sc, "AppServiceAuthSession=") && strings.Contains(sc, "; Secure") && strings.Contains(sc, "HttpOnly") {
				secure = true
			}
		}
		if !secure {
			t.Errorf("the session cookie over HTTPS is not Secure and HttpOnly: %q", resp.Header.Values("Set-Cookie"))
		}
		resp, err = c.Get(e.URL + "/page")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.ProtoMajor != wantMajor || !strings.Contains(string(body), "alex@contoso.com") {
			t.Errorf("proxied page over %s: %d %.200s", resp.Proto, resp.StatusCode, body)
		}
	}

	// A browser without a session is sent to an https sign-in URL.
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/dashboard", nil)
	req.Header.Set("User-Agent", browserUA)
	req.Header.Set("Accept", "text/html")
	resp, err := tlsClient(t, pemFile, true).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !(strings.HasPrefix(loc, "/.auth/login/aad") || strings.HasPrefix(loc, e.URL+"/.auth/login/aad")) {
		t.Errorf("anonymous browser: %d Location %q", resp.StatusCode, loc)
	}

	// WebSocket over wss (HTTP/1.1 upgrade: Go's HTTP/2 server does not
	// offer extended CONNECT, so browsers do the same), with the identity.
	c := tlsClient(t, pemFile, true)
	cookie := ""
	if resp, err := c.Get(e.URL + "/.auth/login/aad?login_hint=alex%40contoso.com"); err == nil {
		resp.Body.Close()
		u, _ := url.Parse(e.URL)
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == "AppServiceAuthSession" {
				cookie = ck.Value
			}
		}
	}
	// A config of its own: net/http adds h2 to the transport's NextProtos.
	d := websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: c.Transport.(*http.Transport).TLSClientConfig.RootCAs}, HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial("wss"+strings.TrimPrefix(e.URL, "https")+"/_stcore/stream", http.Header{"Cookie": {"AppServiceAuthSession=" + cookie}})
	if err != nil {
		t.Fatalf("wss dial: %v", err)
	}
	defer conn.Close()
	_ = conn.WriteMessage(websocket.TextMessage, []byte("hello"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, msg, err := conn.ReadMessage(); err != nil || string(msg) != "alex@contoso.com: hello" {
		t.Errorf("wss message %q, %v", msg, err)
	}

	// azid verify trusts the emulator's certificate through AZID_CA_FILE and
	// accepts a minted token through its https discovery.
	a := get(t, c, e.URL+"/.auth/me")
	i := strings.Index(a.body, `"access_token":"`)
	if a.status != http.StatusOK || i < 0 {
		t.Fatalf("/.auth/me over TLS: %d %.200s", a.status, a.body)
	}
	tok := a.body[i+len(`"access_token":"`):]
	tok = tok[:strings.IndexByte(tok, '"')]
	env := []string{"XDG_CACHE_HOME=" + t.TempDir(), "AZID_CA_FILE=" + pemFile}
	if r := run(t, tok, env, "verify", "--authority-host", e.URL, "--tenant", emuTenant, "--audience", emuClient); r.code != 0 {
		t.Errorf("verify through https discovery: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, tok, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "verify", "--authority-host", e.URL); r.code == 0 {
		t.Error("verify trusted the emulator's certificate without AZID_CA_FILE")
	}
}

// TestEmulateTLSBadInput: the TLS flags' mistakes are one-line usage errors,
// and the emulator does not start.
func TestEmulateTLSBadInput(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tls-cert", notPEM}, "--tls-cert and --tls-key go together"},
		{[]string{"--tls-cert", filepath.Join(dir, "missing.pem"), "--tls-key", filepath.Join(dir, "missing.key")}, "no such file"},
		{[]string{"--tls-cert", notPEM, "--tls-key", notPEM}, "--tls-cert " + notPEM},
		{[]string{"--tls-cert-out", filepath.Join(dir, "out.pem")}, "add --tls"},
	} {
		r := run(t, "", nil, append([]string{"emulate", "--app", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 || r.stdout != "" {
			t.Errorf("%v: code %d\n%s", tc.args, r.code, r.stderr)
		}
	}
}
