package e2e

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const (
	emuTenant = "0d5e2a1c-7e57-4a11-9c0d-e5a57e0a11d0"
	emuClient = "e5a57e0a-11d0-4c11-8e57-0d5e2a1c7e57"
)

var expiresOnRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`)

// TestEmulateHeadersAndEndpoints: a signed-in request reaches the app with
// exactly App Service's headers (and none the client spoofed); /.auth/me
// holds the same tokens; azid headers, azid me and azid verify read them.
func TestEmulateHeadersAndEndpoints(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--role", "Admin", "--role", "Reader", "--claim", "department=Sales")
	c := client(t, false)
	cookie := signIn(t, c, e.URL, "alex@contoso.com")

	h := appHeaders(t, get(t, c, e.URL+"/page?q=1",
		"X-MS-CLIENT-PRINCIPAL-NAME", "mallory@evil.example", "X-Ms-Client-Principal-Id", "spoofed",
		"X-MS-TOKEN-AAD-ACCESS-TOKEN", "spoofed", "X_MS_CLIENT_PRINCIPAL_IDP", "spoofed"))
	for name, v := range h {
		for _, s := range v {
			if strings.Contains(s, "spoofed") || strings.Contains(s, "mallory") {
				t.Errorf("a spoofed header reached the app: %s: %s", name, s)
			}
		}
	}
	me := authMe(t, c, e.URL)
	if len(me) != 1 || me[0].ProviderName != "aad" || me[0].UserID != "alex@contoso.com" {
		t.Fatalf("/.auth/me = %+v", me)
	}
	var oid string
	for _, cl := range me[0].UserClaims {
		if cl.Typ == "http://schemas.microsoft.com/identity/claims/objectidentifier" {
			oid = cl.Val
		}
	}
	want := map[string]string{
		"X-Ms-Client-Principal-Name": "alex@contoso.com", "X-Ms-Client-Principal-Id": oid, "X-Ms-Client-Principal-Idp": "aad",
		"X-Ms-Token-Aad-Id-Token": me[0].IDToken, "X-Ms-Token-Aad-Access-Token": me[0].AccessToken,
		"X-Ms-Token-Aad-Refresh-Token": me[0].RefreshToken, "X-Ms-Token-Aad-Expires-On": me[0].ExpiresOn,
	}
	for k, v := range want {
		if v == "" || h.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, h.Get(k), v)
		}
	}
	if !expiresOnRE.MatchString(h.Get("X-Ms-Token-Aad-Expires-On")) {
		t.Errorf("expires-on %q is not Easy Auth's format", h.Get("X-Ms-Token-Aad-Expires-On"))
	}
	raw, err := base64.StdEncoding.DecodeString(h.Get("X-Ms-Client-Principal"))
	if err != nil {
		t.Fatalf("principal is not standard base64: %v", err)
	}
	for _, s := range []string{`{"auth_typ":"aad","claims":[{"typ":"aud","val":"` + emuClient + `"},`,
		`"name_typ":"http:\/\/schemas.xmlsoap.org\/ws\/2005\/05\/identity\/claims\/emailaddress","role_typ":"http:\/\/schemas.microsoft.com\/ws\/2008\/06\/identity\/claims\/role"}`,
		`{"typ":"roles","val":"Admin"},{"typ":"roles","val":"Reader"}`, `{"typ":"department","val":"Sales"}`,
		`{"typ":"http:\/\/schemas.microsoft.com\/identity\/claims\/objectidentifier","val":"` + oid + `"}`,
		`{"typ":"http:\/\/schemas.microsoft.com\/identity\/claims\/tenantid","val":"` + emuTenant + `"}`} {
		if !strings.Contains(string(raw), s) {
			t.Errorf("principal lacks %s:\n%s", s, raw)
		}
	}

	// azid headers reads what the app received
	var lines bytes.Buffer
	for k, v := range h {
		lines.WriteString(k + ": " + v[0] + "\n")
	}
	r := run(t, lines.String(), nil, "headers")
	if r.code != 0 || !strings.Contains(r.stdout, "alex@contoso.com") || !strings.Contains(r.stdout, "Admin") || strings.Contains(r.stdout, me[0].AccessToken) {
		t.Errorf("azid headers: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// azid me asks the emulator's /.auth/me with the cookie
	r = run(t, "", nil, "me", "--url", e.URL, "--cookie", cookie)
	if r.code != 0 || !strings.Contains(r.stdout, "alex@contoso.com") {
		t.Errorf("azid me: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertNoSecrets(t, r, cookie, me[0].AccessToken, me[0].RefreshToken)
	// azid verify accepts the minted tokens through the emulator's discovery
	for name, tok := range map[string]string{"id": me[0].IDToken, "access": me[0].AccessToken} {
		r = run(t, tok, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "verify", "--authority-host", e.URL, "--tenant", emuTenant, "--audience", emuClient)
		if r.code != 0 || !strings.Contains(r.stdout, "✓ token is valid") {
			t.Errorf("verify %s token: code %d\n%s\n%s", name, r.code, r.stdout, r.stderr)
		}
	}
	// without the emulator as authority host, its keys are not trusted
	r = run(t, me[0].IDToken, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "verify")
	if r.code == 0 {
		t.Errorf("verify without --authority-host trusted the emulator: %s", r.stdout)
	}

	// streaming answers arrive as they are written
	resp, err := c.Get(e.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	first := time.Now()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	resp.Body.Close()
	if line != "chunk\n" || time.Since(first) > 2*time.Second {
		t.Errorf("stream: %q", line)
	}
	// HTTP/2 without TLS (h2c), as curl --http2-prior-knowledge speaks it
	var protos http.Protocols
	protos.SetUnencryptedHTTP2(true)
	h2 := &http.Client{Jar: c.Jar, Transport: &http.Transport{Protocols: &protos}, Timeout: 10 * time.Second}
	resp, err = h2.Get(e.URL + "/h2")
	if err != nil {
		t.Fatalf("h2c: %v", err)
	}
	resp.Body.Close()
	if resp.Proto != "HTTP/2.0" || resp.StatusCode != http.StatusOK {
		t.Errorf("h2c: %s %d", resp.Proto, resp.StatusCode)
	}
	// a large body goes through
	big := bytes.Repeat([]byte("x"), 8<<20)
	resp, err = c.Post(e.URL+"/upload", "application/octet-stream", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("X-Body-Bytes") != "8388608" {
		t.Errorf("large body: the app read %q bytes", resp.Header.Get("X-Body-Bytes"))
	}
}

// TestEmulateWebSocket: the identity headers are on the upgrade request, and
// messages flow both ways.
func TestEmulateWebSocket(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com")
	c := client(t, false)
	cookie := signIn(t, c, e.URL, "alex@contoso.com")
	ws := "ws" + strings.TrimPrefix(e.URL, "http") + "/_stcore/stream"
	hdr := http.Header{"Cookie": {"AppServiceAuthSession=" + cookie}, "X-Ms-Client-Principal-Name": {"mallory"}}
	conn, _, err := websocket.DefaultDialer.Dial(ws, hdr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if err := conn.WriteMessage(websocket.TextMessage, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := conn.ReadMessage()
	if err != nil || string(msg) != "alex@contoso.com: hello" {
		t.Errorf("message %q, %v", msg, err)
	}
	up.mu.Lock()
	last := up.last
	up.mu.Unlock()
	if last.Get("X-Ms-Client-Principal") == "" || last.Get("X-Ms-Token-Aad-Access-Token") == "" {
		t.Errorf("the upgrade request lacks identity headers: %v", last)
	}
	// without a session, a WebSocket from a script is refused like any API call
	if _, resp, err := websocket.DefaultDialer.Dial(ws, nil); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous upgrade: %v %v", resp, err)
	}
}

// TestEmulateRefreshAndLogout: refresh renews the access token, not the ID
// token; logout clears the session and honours a same-site redirect.
func TestEmulateRefreshAndLogout(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--token-lifetime", "10s")
	c := client(t, false)
	signIn(t, c, e.URL, "alex@contoso.com")
	before := authMe(t, c, e.URL)[0]
	exp, err := time.Parse(time.RFC3339Nano, before.ExpiresOn)
	if err != nil || time.Until(exp) > 11*time.Second || time.Until(exp) < 5*time.Second {
		t.Errorf("--token-lifetime 10s: expires_on %s", before.ExpiresOn)
	}
	if a := get(t, c, e.URL+"/.auth/refresh"); a.status != http.StatusOK {
		t.Fatalf("refresh: %d %s", a.status, a.body)
	}
	after := authMe(t, c, e.URL)[0]
	if after.AccessToken == before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Error("refresh did not renew the access and refresh tokens")
	}
	if after.IDToken != before.IDToken {
		t.Error("refresh changed the ID token (App Service keeps the old one)")
	}
	h := appHeaders(t, get(t, c, e.URL+"/"))
	if h.Get("X-Ms-Token-Aad-Access-Token") != after.AccessToken {
		t.Error("the app does not see the refreshed access token")
	}

	if a := get(t, c, e.URL+"/.auth/logout?post_logout_redirect_uri=https://evil.example/"); a.status != http.StatusBadRequest {
		t.Errorf("foreign post_logout_redirect_uri: %d", a.status)
	}
	a := get(t, c, e.URL+"/.auth/logout?post_logout_redirect_uri=/bye")
	if a.status != http.StatusFound || a.header.Get("Location") != "/bye" {
		t.Errorf("logout: %d %q", a.status, a.header.Get("Location"))
	}
	if !strings.Contains(strings.Join(a.header.Values("Set-Cookie"), "\n"), "AppServiceAuthSession=; Path=/; Expires=") {
		t.Errorf("logout does not clear the cookie: %v", a.header.Values("Set-Cookie"))
	}
	if a := get(t, c, e.URL+"/.auth/me"); a.status != http.StatusUnauthorized {
		t.Errorf("/.auth/me after logout: %d", a.status)
	}
	if a := get(t, c, e.URL+"/"); a.status != http.StatusUnauthorized {
		t.Errorf("the app after logout: %d", a.status)
	}
}

// TestEmulateLoginRedirectAndActions: App Service's browser/API split for
// each unauthenticated action, post_login_redirect_uri, and excluded paths.
func TestEmulateLoginRedirectAndActions(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--exclude", "/health")
	c := client(t, false)
	a := get(t, c, e.URL+"/reports?year=2026", "User-Agent", browserUA)
	if a.status != http.StatusFound || a.header.Get("Location") != "/.auth/login/aad?post_login_redirect_uri=%2Freports%3Fyear%3D2026" {
		t.Errorf("browser: %d %q", a.status, a.header.Get("Location"))
	}
	for name, hdr := range map[string][]string{"curl": {"User-Agent", "curl/8.5"}, "xhr": {"User-Agent", browserUA, "X-Requested-With", "XMLHttpRequest"}} {
		if a := get(t, c, e.URL+"/reports", hdr...); a.status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, a.status)
		}
	}
	page := get(t, c, e.URL+"/.auth/login/aad?post_login_redirect_uri=/reports", "User-Agent", browserUA)
	if page.status != http.StatusOK || !strings.Contains(page.body, `<form method="post" action="/.auth/login/aad">`) || !strings.Contains(page.body, "alex@contoso.com") {
		t.Errorf("sign-in page: %d", page.status)
	}
	a = get(t, c, e.URL+"/.auth/login/aad?login_hint=alex@contoso.com&post_login_redirect_uri=/reports")
	if a.status != http.StatusFound || a.header.Get("Location") != "/reports" {
		t.Errorf("post_login_redirect_uri: %d %q", a.status, a.header.Get("Location"))
	}
	if a := get(t, client(t, false), e.URL+"/.auth/login/aad?login_hint=x&post_login_redirect_uri=https://evil.example/"); a.status != http.StatusOK {
		t.Errorf("unknown hint: %d, want the page", a.status)
	}
	h := appHeaders(t, get(t, client(t, false), e.URL+"/health/live"))
	if h.Get("X-Ms-Client-Principal") != "" {
		t.Error("an anonymous excluded request carries a principal")
	}

	for _, tc := range []struct {
		action           string
		browser, apiCall int
	}{{"401", 401, 401}, {"403", 403, 403}, {"404", 404, 404}, {"allow", 200, 200}, {"RedirectToLoginPage", 302, 401}} {
		t.Run(tc.action, func(t *testing.T) {
			e := startEmulator(t, nil, "--app", up.URL, "--unauthenticated", tc.action)
			c := client(t, false)
			if a := get(t, c, e.URL+"/", "User-Agent", browserUA); a.status != tc.browser {
				t.Errorf("browser: %d, want %d", a.status, tc.browser)
			}
			a := get(t, c, e.URL+"/", "User-Agent", "python-requests/2.32", "X-MS-CLIENT-PRINCIPAL-NAME", "mallory", "x-ms-token-aad-id-token", "forged")
			if a.status != tc.apiCall {
				t.Errorf("API client: %d, want %d", a.status, tc.apiCall)
			}
			if tc.action == "allow" {
				if h := appHeaders(t, a); h.Get("X-Ms-Client-Principal-Name") != "" || h.Get("X-Ms-Token-Aad-Id-Token") != "" {
					t.Errorf("an anonymous request's spoofed headers reached the app: %v", h)
				}
			}
		})
	}
}

// TestEmulateZumo: client-directed sign-in with a minted access token, then
// X-ZUMO-AUTH; a bad token is 401 whatever the action.
func TestEmulateZumo(t *testing.T) {
	up := newEchoUpstream(t)
	e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--unauthenticated", "allow")
	c := client(t, false)
	signIn(t, c, e.URL, "alex@contoso.com")
	at := authMe(t, c, e.URL)[0].AccessToken
	api := client(t, false)
	resp, err := api.Post(e.URL+"/.auth/login/aad", "application/json", strings.NewReader(`{"access_token":"`+at+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	var login struct {
		AuthenticationToken string                  `json:"authenticationToken"`
		User                struct{ UserID string } `json:"user"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&login)
	resp.Body.Close()
	if resp.StatusCode != 200 || login.AuthenticationToken == "" || !strings.HasPrefix(login.User.UserID, "sid:") {
		t.Fatalf("client-directed sign-in: %d %+v", resp.StatusCode, login)
	}
	h := appHeaders(t, get(t, api, e.URL+"/", "X-ZUMO-AUTH", login.AuthenticationToken))
	if h.Get("X-Ms-Client-Principal-Name") != "alex@contoso.com" {
		t.Errorf("X-ZUMO-AUTH: the app sees %q", h.Get("X-Ms-Client-Principal-Name"))
	}
	// as on App Service, a client-directed session's principal is minimal
	raw, _ := base64.StdEncoding.DecodeString(h.Get("X-Ms-Client-Principal"))
	for _, want := range []string{`{"typ":"stable_sid","val":"` + login.User.UserID + `"}`,
		`{"typ":"http:\/\/schemas.xmlsoap.org\/ws\/2005\/05\/identity\/claims\/nameidentifier","val":"` + login.User.UserID + `"}`,
		`{"typ":"ver","val":"3"}`, `{"typ":"aud","val":"` + strings.ReplaceAll(e.URL, "/", `\/`) + `\/"}`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("zumo principal lacks %s: %s", want, raw)
		}
	}
	if strings.Contains(string(raw), "preferred_username") {
		t.Errorf("zumo principal has profile claims: %s", raw)
	}
	h = appHeaders(t, get(t, api, e.URL+"/", "Authorization", "Bearer "+at))
	if h.Get("X-Ms-Client-Principal-Name") != "alex@contoso.com" {
		t.Errorf("Bearer: the app sees %q", h.Get("X-Ms-Client-Principal-Name"))
	}
	a := get(t, api, e.URL+"/", "X-ZUMO-AUTH", "garbage")
	if a.status != http.StatusUnauthorized || a.header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("garbage X-ZUMO-AUTH: %d %q", a.status, a.header.Get("WWW-Authenticate"))
	}
}

// TestEmulateFaults: the token store off, no refresh token, and a token
// store lost when the app restarts (which also shows the 502 while it is down).
func TestEmulateFaults(t *testing.T) {
	up := newEchoUpstream(t)
	t.Run("token store off", func(t *testing.T) {
		e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--token-store", "off")
		c := client(t, false)
		signIn(t, c, e.URL, "alex@contoso.com")
		h := appHeaders(t, get(t, c, e.URL+"/"))
		if h.Get("X-Ms-Client-Principal-Name") != "alex@contoso.com" {
			t.Error("no principal with the token store off")
		}
		for k := range h {
			if strings.HasPrefix(strings.ToUpper(k), "X-MS-TOKEN-") {
				t.Errorf("token header %s with the token store off", k)
			}
		}
		if a := get(t, c, e.URL+"/.auth/me"); a.status != http.StatusNotFound {
			t.Errorf("/.auth/me: %d, want 404", a.status)
		}
	})
	t.Run("no refresh token", func(t *testing.T) {
		e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--no-refresh-token")
		c := client(t, false)
		signIn(t, c, e.URL, "alex@contoso.com")
		if me := authMe(t, c, e.URL); me[0].RefreshToken != "" {
			t.Error("a refresh token without offline_access")
		}
		if a := get(t, c, e.URL+"/.auth/refresh"); a.status != http.StatusUnauthorized {
			t.Errorf("refresh: %d, want 401", a.status)
		}
		if h := appHeaders(t, get(t, c, e.URL+"/")); h.Get("X-Ms-Token-Aad-Refresh-Token") != "" {
			t.Error("a refresh token header")
		}
	})
	t.Run("lose tokens on restart", func(t *testing.T) {
		up := newEchoUpstream(t)
		e := startEmulator(t, nil, "--app", up.URL, "--user", "alex@contoso.com", "--lose-tokens-on-restart")
		c := client(t, false)
		signIn(t, c, e.URL, "alex@contoso.com")
		up.stop()
		a := get(t, c, e.URL+"/", "User-Agent", browserUA)
		if a.status != http.StatusBadGateway || !strings.Contains(a.body, "could not reach the app at") {
			t.Errorf("app down: %d %s", a.status, a.body)
		}
		e.waitLog(t, `did not answer GET /`)
		up.restart(t)
		h := appHeaders(t, get(t, c, e.URL+"/"))
		if h.Get("X-Ms-Client-Principal-Name") != "alex@contoso.com" || h.Get("X-Ms-Token-Aad-Access-Token") != "" {
			t.Errorf("after the restart: name %q, access token present %v", h.Get("X-Ms-Client-Principal-Name"), h.Get("X-Ms-Token-Aad-Access-Token") != "")
		}
		if me := get(t, c, e.URL+"/.auth/me"); me.status != 200 || strings.TrimSpace(me.body) != "[]" {
			t.Errorf("/.auth/me after the restart: %d %s", me.status, me.body)
		}
		e.waitLog(t, "token store was emptied")
	})
}
