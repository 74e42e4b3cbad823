package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmulateBadInput: every refusal is one line, with the right exit code.
func TestEmulateBadInput(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL)
	port := e.URL[strings.LastIndexByte(e.URL, ':')+1:]
	dir := t.TempDir()
	bad := filepath.Join(dir, "users.json")
	_ = os.WriteFile(bad, []byte("[\n  {\"username\": \"a@b\"},\n  {\"username\": }\n]"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no app", []string{"emulate"}, 2, "--app is required"},
		{"app not a URL", []string{"emulate", "--app", "localhost:8501"}, 2, "is not an http or https URL"},
		{"port in use", []string{"emulate", "--app", up.URL, "--listen", "127.0.0.1:" + port}, 1, "the port is already in use"},
		{"not loopback", []string{"emulate", "--app", up.URL, "--listen", "0.0.0.0:0"}, 2, "is not a loopback address"},
		{"bad action", []string{"emulate", "--app", up.URL, "--unauthenticated", "maybe"}, 2, "unknown unauthenticated action"},
		{"bad users file", []string{"emulate", "--app", up.URL, "--users", bad}, 1, "line 3"},
		{"missing users file", []string{"emulate", "--app", up.URL, "--users", filepath.Join(dir, "none.json")}, 1, "cannot read"},
		{"reserved claim", []string{"emulate", "--app", up.URL, "--user", "a@b", "--claim", "iss=x"}, 2, "set by the emulator"},
		{"role without user", []string{"emulate", "--app", up.URL, "--role", "Admin"}, 2, "give --user too"},
		{"entra without ids", []string{"emulate", "--app", up.URL, "--entra"}, 2, "--entra needs --tenant and --client-id"},
		{"secret flag", []string{"emulate", "--app", up.URL, "--entra", "--client-secret", "x"}, 2, "--client-secret is refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, "", nil, tc.args...)
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if r.code != tc.code || !strings.Contains(lines[0], tc.msg) || len(lines) > 2 || r.stdout != "" {
				t.Errorf("code %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
		})
	}
	// --listen-any starts, and says loudly what it means
	all := startEmulator(t, nil, "--app", up.URL, "--listen", "0.0.0.0:0", "--listen-any")
	if !strings.Contains(all.Stderr(), `"event":"warning","message":"listening on 0.0.0.0:0, not loopback: anyone who can reach this port can sign in as anyone`) {
		t.Errorf("--listen-any without a warning:\n%s", all.Stderr())
	}
	if a := get(t, client(t, false), all.URL+"/"); a.status != http.StatusUnauthorized {
		t.Errorf("on 0.0.0.0: %d", a.status)
	}
	r := run(t, "", nil, "emulate", "--help")
	if r.code != 0 || !strings.Contains(r.stdout, "--lose-tokens-on-restart") {
		t.Errorf("help: %d", r.code)
	}
}
