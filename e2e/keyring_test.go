//go:build linux

package e2e

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// secretService starts a private D-Bus session with GNOME Keyring's Secret
// Service in it, unlocked, and returns the session's address. Without the
// two programs the test skips, except under CI (CI=true), which installs them.
func secretService(t *testing.T) string {
	t.Helper()
	for _, prog := range []string{"dbus-daemon", "gnome-keyring-daemon"} {
		if _, err := exec.LookPath(prog); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing under CI (.ci/run installs dbus-daemon and gnome-keyring)", prog)
			}
			t.Skipf("%s is not installed: the keyring test needs a Secret Service (apt-get install dbus-daemon gnome-keyring)", prog)
		}
	}
	dir := t.TempDir()
	addr := "unix:path=" + filepath.Join(dir, "bus")
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--address="+addr, "--print-address=1")
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil { // the address: the bus is up
		t.Fatalf("dbus-daemon did not start: %v", err)
	}
	kr := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	kr.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+addr, "HOME="+dir, "XDG_DATA_HOME="+filepath.Join(dir, "data"), "XDG_RUNTIME_DIR="+dir)
	kr.Stdin = strings.NewReader("test-keyring-password")
	if err := kr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kr.Process.Kill(); _ = kr.Wait() })
	// wait until the daemon has created and unlocked the login keyring (a
	// request before that finds it locked), then until it answers
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "data", "keyrings", "login.keyring")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("gnome-keyring-daemon did not create the login keyring")
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	for {
		_, err := keyring.Get("azid-e2e", "probe")
		if errors.Is(err, keyring.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the Secret Service did not come up: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return addr
}

func TestTokensRestInTheKeyring(t *testing.T) {
	addr := secretService(t)
	s := newSTS(t)
	env := append(s.env, "DBUS_SESSION_BUS_ADDRESS="+addr)
	// a plaintext cache written as the current release writes it (forced file storage)
	if r := run(t, "", append(env, "AZID_TOKEN_STORAGE=file"), "login"); r.code != 0 {
		t.Fatalf("login: %d %s", r.code, r.stderr)
	}
	plain, _ := os.ReadFile(s.cachePath())
	if !strings.Contains(string(plain), `"RefreshToken"`) {
		t.Fatalf("the file-storage cache is not MSAL's JSON: %.80q", plain)
	}
	// with the keyring, the next write seals it and the plaintext is gone
	r := run(t, "", env, "token", "--scope", "api://other/.default")
	if r.code != 0 {
		t.Fatalf("token: %d %s", r.code, r.stderr)
	}
	assertSealed := func(when string) {
		t.Helper()
		data, err := os.ReadFile(s.cachePath())
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		for _, clear := range []string{"RefreshToken", "secret", "eyJ", "alex@contoso.example", strings.TrimSpace(r.stdout)} {
			if strings.Contains(string(data), clear) {
				t.Errorf("%s: the cache file holds %q in the clear", when, clear[:min(len(clear), 20)])
			}
		}
		if st, _ := os.Stat(s.cachePath()); st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", when, st.Mode().Perm())
		}
	}
	assertSealed("after migration")
	account := "token-cache-key:" + s.cachePath()
	if _, err := keyring.Get("azid", account); err != nil {
		t.Fatalf("no key in the keyring: %v", err)
	}
	// ten concurrent token calls: each gets a token, the cache stays whole and sealed
	results := concurrently(t, 10, env, "token")
	for i, res := range results {
		if res.code != 0 || !strings.HasPrefix(res.stdout, "eyJ") {
			t.Errorf("concurrent token %d: code %d %q\n%s", i, res.code, res.stdout, res.stderr)
		}
	}
	assertSealed("after ten concurrent token calls")
	r = run(t, "", env, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "tokens at rest: encrypted (AES-256-GCM); the key is in the system keyring (Secret Service)") {
		t.Errorf("status does not say where tokens rest:\n%s%s", r.stdout, r.stderr)
	}
	if r := run(t, "", env, "logout", "--all"); r.code != 0 {
		t.Fatalf("logout --all: %d %s", r.code, r.stderr)
	}
	if _, err := keyring.Get("azid", account); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("logout --all left the key in the keyring: %v", err)
	}
	if _, err := os.Stat(s.cachePath()); !os.IsNotExist(err) {
		t.Errorf("logout --all left the cache file: %v", err)
	}
}

func TestTokensFallBackToAFile(t *testing.T) {
	s := newSTS(t) // no D-Bus session in the environment
	r := run(t, "", s.env, "login")
	if r.code != 0 || !strings.Contains(r.stderr, "note: tokens stored in a file readable by your user only; no system keyring found (no D-Bus session") {
		t.Errorf("login does not say where tokens rest: code %d\n%s", r.code, r.stderr)
	}
	r = run(t, "", s.env, "status")
	if !strings.Contains(r.stdout, "tokens at rest: in a file readable by your user only (") || !strings.Contains(r.stdout, "no system keyring found") {
		t.Errorf("status:\n%s", r.stdout)
	}
	r = run(t, "", s.env, "status", "-o", "json")
	if !strings.Contains(r.stdout, `"kind": "file"`) || !strings.Contains(r.stdout, `"fallback": "no system keyring found`) {
		t.Errorf("status JSON storage:\n%s", r.stdout)
	}
	r = run(t, "", append(s.env, "AZID_TOKEN_STORAGE=keyring"), "token")
	if r.code != 1 || !strings.Contains(r.stderr, "AZID_TOKEN_STORAGE=keyring, but the system keyring cannot be used: no D-Bus session") || r.stdout != "" {
		t.Errorf("keyring forced but missing: code %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", append(s.env, "AZID_TOKEN_STORAGE=vault"), "status")
	if r.code != 2 || !strings.Contains(r.stderr, `AZID_TOKEN_STORAGE="vault"`) {
		t.Errorf("a bad AZID_TOKEN_STORAGE: code %d %s", r.code, r.stderr)
	}
}
