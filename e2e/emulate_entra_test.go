package e2e

import (
	"encoding/base64"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
)

// TestEmulateEntra: --entra signs in through the (fake) Entra authorize and
// token endpoints with PKCE; the app receives the real tokens; refresh
// redeems the refresh token and keeps the ID token.
func TestEmulateEntra(t *testing.T) {
	s := newSTS(t)
	up := newEchoUpstream(t)
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("s3cr3t-value\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const clientID = "11111111-2222-3333-4444-555555555555"
	env := []string{"AZURE_AUTHORITY_HOST=" + s.idp.URL, "AZID_CA_FILE=" + s.idp.CAFile(t)}
	e := startEmulator(t, env, "--app", up.URL, "--entra", "--tenant", e2eTenant, "--client-id", clientID, "--client-secret-file", secret)
	if !strings.Contains(e.Stderr(), `"redirect_uri":"`+e.URL+`/.auth/login/aad/callback"`) {
		t.Errorf("the start line does not give the redirect URI:\n%s", e.Stderr())
	}

	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{TLSClientConfig: s.idp.Transport().TLSClientConfig}
	var hops []string
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 10 * time.Second, CheckRedirect: func(r *http.Request, via []*http.Request) error {
		hops = append(hops, r.URL.Scheme+"://"+r.URL.Host+r.URL.Path)
		return nil
	}}
	a := get(t, c, e.URL+"/dashboard", "User-Agent", browserUA)
	h := appHeaders(t, a)
	wantHops := []string{e.URL + "/.auth/login/aad", s.idp.URL + "/" + e2eTenant + "/oauth2/v2.0/authorize", e.URL + "/.auth/login/aad/callback", e.URL + "/dashboard"}
	if strings.Join(hops, " ") != strings.Join(wantHops, " ") {
		t.Errorf("redirects:\n%s\nwant\n%s", strings.Join(hops, "\n"), strings.Join(wantHops, "\n"))
	}
	if s.sts.Grants("authorization_code") != 1 {
		t.Errorf("authorization_code grants: %d", s.sts.Grants("authorization_code"))
	}
	if h.Get("X-Ms-Client-Principal-Name") != "alex@contoso.example" || h.Get("X-Ms-Client-Principal-Id") != s.sts.ObjectID {
		t.Errorf("principal: %q %q", h.Get("X-Ms-Client-Principal-Name"), h.Get("X-Ms-Client-Principal-Id"))
	}
	raw, _ := base64.StdEncoding.DecodeString(h.Get("X-Ms-Client-Principal"))
	if !strings.Contains(string(raw), `{"typ":"aud","val":"`+clientID+`"}`) || !strings.Contains(string(raw), `"typ":"nonce"`) {
		t.Errorf("principal from the ID token: %s", raw)
	}
	at := h.Get("X-Ms-Token-Aad-Access-Token")
	idt := h.Get("X-Ms-Token-Aad-Id-Token")
	if at == "" || idt == "" || !strings.HasPrefix(h.Get("X-Ms-Token-Aad-Refresh-Token"), "refresh-token-secret-") {
		t.Fatalf("token headers missing: %v", h)
	}
	if r := get(t, c, e.URL+"/.auth/refresh"); r.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	if s.sts.Grants("refresh_token") != 1 {
		t.Errorf("refresh_token grants: %d", s.sts.Grants("refresh_token"))
	}
	me := authMe(t, c, e.URL)
	if me[0].AccessToken == at || me[0].IDToken != idt || me[0].UserID != "alex@contoso.example" {
		t.Errorf("after refresh: new access token %v, same ID token %v", me[0].AccessToken != at, me[0].IDToken == idt)
	}
	for _, secret := range []string{"s3cr3t-value", at, me[0].RefreshToken} {
		if strings.Contains(e.Stderr(), secret) {
			t.Errorf("the log holds a secret (%.12s…)", secret)
		}
	}

	// logout signs out at Entra too, which sends the browser back
	hops = nil
	if r := get(t, c, e.URL+"/.auth/logout"); r.status != http.StatusOK || !strings.Contains(r.body, "You have signed out") || s.sts.Grants("logout") != 1 {
		t.Errorf("logout: %d, %d sign-outs at Entra", r.status, s.sts.Grants("logout"))
	}
	if want := s.idp.URL + "/" + e2eTenant + "/oauth2/v2.0/logout " + e.URL + "/.auth/logout/complete"; strings.Join(hops, " ") != want {
		t.Errorf("logout redirects: %v, want %s", hops, want)
	}
	if r := get(t, c, e.URL+"/.auth/me"); r.status != http.StatusUnauthorized {
		t.Errorf("/.auth/me after logout: %d", r.status)
	}

	// a callback that did not start in this browser is refused
	if r := get(t, client(t, false), e.URL+"/.auth/login/aad/callback?code=auth-code-1&state=forged"); r.status != http.StatusBadRequest {
		t.Errorf("forged callback: %d", r.status)
	}
	// Entra's refusal is shown and logged, one line
	nc := &http.Client{Jar: func() http.CookieJar { j, _ := cookiejar.New(nil); return j }(), Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(r *http.Request, via []*http.Request) error {
			if strings.Contains(r.URL.Path, "/oauth2/v2.0/authorize") {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	first := get(t, nc, e.URL+"/.auth/login/aad")
	loc, _ := first.header["Location"]
	if len(loc) != 1 || !strings.Contains(loc[0], "code_challenge_method=S256") || !strings.Contains(loc[0], "response_mode=query") || !strings.Contains(loc[0], "offline_access") {
		t.Fatalf("authorize redirect: %v", loc)
	}
	state := loc[0][strings.Index(loc[0], "state=")+6:]
	state, _, _ = strings.Cut(state, "&")
	r := get(t, nc, e.URL+"/.auth/login/aad/callback?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent.&state="+state)
	if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "User declined to consent") {
		t.Errorf("refused sign-in: %d %s", r.status, r.body)
	}
	e.waitLog(t, "sign-in refused: Entra answered access_denied: AADSTS65004: User declined to consent.")
}

// TestEmulateEntraRefreshFails: Entra's refusal of the refresh token is a
// 403 from /.auth/refresh, as App Service answers after revoked consent.
func TestEmulateEntraRefreshFails(t *testing.T) {
	s := newSTS(t)
	s.sts.RefreshError = fakeidp.AADError("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.")
	up := newEchoUpstream(t)
	env := []string{"AZURE_AUTHORITY_HOST=" + s.idp.URL, "AZID_CA_FILE=" + s.idp.CAFile(t)}
	e := startEmulator(t, env, "--app", up.URL, "--entra", "--tenant", e2eTenant, "--client-id", "c")
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{TLSClientConfig: s.idp.Transport().TLSClientConfig}
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 10 * time.Second}
	appHeaders(t, get(t, c, e.URL+"/", "User-Agent", browserUA))
	if r := get(t, c, e.URL+"/.auth/refresh"); r.status != http.StatusForbidden {
		t.Errorf("refresh: %d", r.status)
	}
	e.waitLog(t, "refresh failed: Entra answered invalid_grant: AADSTS70008")
}
