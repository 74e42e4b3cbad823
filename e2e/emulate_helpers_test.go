package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// echoUpstream is the app behind the emulator: it answers every request with
// the headers it received, as JSON, and echoes WebSocket messages, prefixed
// with the principal name its upgrade request carried.
type echoUpstream struct {
	URL  string
	addr string
	mu   sync.Mutex
	srv  *http.Server
	last http.Header
}

func newEchoUpstream(t *testing.T) *echoUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := &echoUpstream{addr: ln.Addr().String(), URL: "http://" + ln.Addr().String()}
	u.serve(ln)
	t.Cleanup(u.stop)
	return u
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (u *echoUpstream) handler(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.last = r.Header.Clone()
	u.mu.Unlock()
	if websocket.IsWebSocketUpgrade(r) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			mt, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			_ = c.WriteMessage(mt, append([]byte(r.Header.Get("X-Ms-Client-Principal-Name")+": "), msg...))
		}
	}
	if r.URL.Path == "/stream" {
		for i := 0; i < 3; i++ {
			_, _ = io.WriteString(w, "chunk\n")
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
		return
	}
	if r.Method == http.MethodPost {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Body-Bytes", itoa(n))
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(r.Header)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func (u *echoUpstream) serve(ln net.Listener) {
	u.mu.Lock()
	u.srv = &http.Server{Handler: http.HandlerFunc(u.handler)}
	srv := u.srv
	u.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (u *echoUpstream) stop() {
	u.mu.Lock()
	srv := u.srv
	u.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// restart serves again on the same port (the app restarted).
func (u *echoUpstream) restart(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", u.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("re-listening on %s: %v", u.addr, err)
	}
	u.serve(ln)
}

// emulator is a running `azid emulate`.
type emulator struct {
	URL    string
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	stdout bytes.Buffer
	done   chan struct{}
	code   int
}

// startEmulator runs `azid -o json emulate --listen 127.0.0.1:0 args...` and
// waits for its listening line; the test's end stops it with SIGINT and
// checks it exits 130 with nothing on stdout.
func startEmulator(t *testing.T, env []string, args ...string) *emulator {
	t.Helper()
	e := &emulator{done: make(chan struct{})}
	all := append([]string{"-o", "json", "emulate", "--listen", "127.0.0.1:0"}, args...)
	e.cmd = exec.Command(binary(t), all...)
	e.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AZID_HOME=" + t.TempDir(),
		"HTTPS_PROXY=" + deadProxy, "HTTP_PROXY=" + deadProxy, "NO_PROXY="}, env...)
	pr, pw := io.Pipe()
	e.cmd.Stderr = pw
	e.cmd.Stdout = &lockedWriter{mu: &e.mu, b: &e.stdout}
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			e.mu.Lock()
			e.stderr.WriteString(line + "\n")
			e.mu.Unlock()
			var ev struct{ Event, URL string }
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Event == "listening" {
				urlc <- ev.URL
			}
		}
	}()
	go func() {
		err := e.cmd.Wait()
		if ee, ok := err.(*exec.ExitError); ok {
			e.code = ee.ExitCode()
		}
		pw.Close()
		close(e.done)
	}()
	select {
	case e.URL = <-urlc:
	case <-e.done:
		t.Fatalf("azid emulate exited %d before listening:\n%s", e.code, e.Stderr())
	case <-time.After(15 * time.Second):
		_ = e.cmd.Process.Kill()
		t.Fatalf("azid emulate did not start:\n%s", e.Stderr())
	}
	t.Cleanup(func() {
		code := e.Stop(t)
		if code != 130 {
			t.Errorf("azid emulate exited %d after SIGINT, want 130:\n%s", code, e.Stderr())
		}
		if out := e.Stdout(); out != "" {
			t.Errorf("stdout is not quiet: %q", out)
		}
		if s := e.Stderr(); strings.Contains(s, "panic") || strings.Contains(s, "goroutine ") {
			t.Errorf("azid emulate crashed:\n%s", s)
		}
	})
	return e
}

// Stop interrupts the emulator (Ctrl-C) and returns its exit code.
func (e *emulator) Stop(t *testing.T) int {
	select {
	case <-e.done:
		return e.code
	default:
	}
	_ = e.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		t.Error("azid emulate did not stop within 10s of SIGINT")
		<-e.done
	}
	return e.code
}

func (e *emulator) Stderr() string { e.mu.Lock(); defer e.mu.Unlock(); return e.stderr.String() }
func (e *emulator) Stdout() string { e.mu.Lock(); defer e.mu.Unlock(); return e.stdout.String() }

// waitLog waits for a log line containing s.
func (e *emulator) waitLog(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if strings.Contains(e.Stderr(), s) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("no log line with %q:\n%s", s, e.Stderr())
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"

// client is an HTTP client with a cookie jar that does not follow redirects
// (unless follow), and never uses a proxy.
func client(t *testing.T, follow bool) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}
	if !follow {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

type answer struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, c *http.Client, u string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

// appHeaders is what the echo upstream says it received.
func appHeaders(t *testing.T, a answer) http.Header {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var h http.Header
	if err := json.Unmarshal([]byte(a.body), &h); err != nil {
		t.Fatalf("the app's answer is not its headers: %v: %s", err, a.body)
	}
	return h
}

// signIn signs user in with login_hint and returns the session cookie.
func signIn(t *testing.T, c *http.Client, base, user string) string {
	t.Helper()
	a := get(t, c, base+"/.auth/login/aad?login_hint="+url.QueryEscape(user))
	if a.status != http.StatusFound {
		t.Fatalf("sign-in: %d %s", a.status, a.body)
	}
	u, _ := url.Parse(base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "AppServiceAuthSession" {
			return ck.Value
		}
	}
	t.Fatal("no AppServiceAuthSession cookie after sign-in")
	return ""
}

type meEntry struct {
	AccessToken  string `json:"access_token"`
	ExpiresOn    string `json:"expires_on"`
	IDToken      string `json:"id_token"`
	ProviderName string `json:"provider_name"`
	RefreshToken string `json:"refresh_token"`
	UserClaims   []struct {
		Typ string `json:"typ"`
		Val string `json:"val"`
	} `json:"user_claims"`
	UserID string `json:"user_id"`
}

func authMe(t *testing.T, c *http.Client, base string) []meEntry {
	t.Helper()
	a := get(t, c, base+"/.auth/me")
	if a.status != http.StatusOK {
		t.Fatalf("/.auth/me: %d %s", a.status, a.body)
	}
	var me []meEntry
	if err := json.Unmarshal([]byte(a.body), &me); err != nil {
		t.Fatalf("/.auth/me is not the App Service array: %v: %s", err, a.body)
	}
	return me
}
