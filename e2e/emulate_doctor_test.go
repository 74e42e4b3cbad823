package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDoctorOnTheEmulator: azid doctor recognises azid emulate's mock
// sign-in, and with the session reads /.auth/me as it does on App Service.
func TestDoctorOnTheEmulator(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com")
	r := run(t, "", nil, "doctor", e.URL, "-o", "json")
	var rep struct {
		Checks []struct{ ID, Status, Summary string } `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
		t.Fatalf("doctor: code %d %v\n%s", r.code, err, r.stderr)
	}
	status := map[string]string{}
	for _, c := range rep.Checks {
		status[c.ID] = c.Status + ": " + c.Summary
	}
	for id, want := range map[string]string{
		"easy-auth": "ok: a local Easy Auth emulator answers, with mock users", "browsers": "ok:", "api-clients": "ok:",
		"auth-me": "ok:", "client-id": "skipped: the local emulator's mock users",
	} {
		if !strings.HasPrefix(status[id], want) {
			t.Errorf("check %s = %q, want %q…", id, status[id], want)
		}
	}
	c := client(t, false)
	cookie := signIn(t, c, e.URL, "alex@contoso.com")
	r = run(t, cookie, nil, "doctor", e.URL, "--cookie", "-", "--try-refresh")
	if r.code != 0 {
		t.Errorf("doctor with the session: code %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"ok      session", "ok      refresh"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doctor with the session lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, cookie) {
		t.Error("doctor printed the session cookie")
	}
}
