package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium finds a headless-capable Chromium. Missing, the test skips, but
// fails under CI=true (CI installs Debian's chromium package).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (chromium, chromium-browser, google-chrome): install Debian's chromium package to run the browser test"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// newBrowser starts headless Chromium (never proxied: loopback only) with
// extra flags; it stops at the test's end. Its context has a 60s limit.
func newBrowser(t *testing.T, browser string, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"), chromedp.UserDataDir(t.TempDir()), chromedp.ProxyServer(deadProxy)) // Chromium never proxies loopback
	opts = append(opts, flags...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	// the first Run starts the browser, which lives as long as ctx
	startErr := make(chan error, 1)
	go func() { startErr <- chromedp.Do(ctx) }()
	select {
	case err := <-startErr:
		if err != nil {
			t.Fatalf("starting %s: %v", browser, err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not start within 60s", browser)
	}
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelT)
	return ctx
}

// TestEmulateSignInPageInBrowser: a real browser is sent to the sign-in
// page, signs in through the form as a typed user, lands on the page it
// asked for, where the app sees the user; /.auth/me shows them; the session
// cookie is HttpOnly and SameSite=Lax; logout clears the session.
func TestEmulateSignInPageInBrowser(t *testing.T) {
	browser := chromium(t)
	up := newEchoUpstream(t)
	users := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(users, []byte(`[{"name": "Alex Admin", "username": "alex@contoso.com", "roles": ["Admin"]}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startEmulator(t, nil, "--app", up.URL, "--users", users)

	ctx := newBrowser(t, browser)
	step := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, a); err != nil {
			t.Fatalf("browser: %s: %v\nemulator log:\n%s", what, err, e.Stderr())
		}
	}
	read := func(what string, a chromedp.Action[string]) string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatalf("browser: %s: %v\nemulator log:\n%s", what, err, e.Stderr())
		}
		return v
	}
	// textOf reads an element's text once the page has settled: a read
	// racing a navigation (the favicon, a redirect) finds a node that is
	// gone, so it is tried again.
	textOf := func(what string, sel chromedp.CSS) string {
		t.Helper()
		var err error
		for i := 0; i < 20; i++ {
			var v string
			if v, err = chromedp.Run(ctx, chromedp.Text(sel)); err == nil {
				return v
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("browser: %s: %v\nemulator log:\n%s", what, err, e.Stderr())
		return ""
	}
	step("open the app", chromedp.Navigate(e.URL+"/reports?year=2026"))
	step("the sign-in page", chromedp.WaitVisible(chromedp.ID("sign-in")))
	loginURL := read("location", chromedp.Location())
	step("username", chromedp.SetValue(chromedp.ID("username"), "casey@contoso.com"))
	step("name", chromedp.SetValue(chromedp.ID("name"), "Casey Jones"))
	step("roles", chromedp.SetValue(chromedp.ID("roles"), "Admin, Auditor"))
	step("claims", chromedp.SetValue(chromedp.ID("claims"), "department=Sales"))
	step("sign in", chromedp.Click(chromedp.ID("sign-in")))
	var landed string
	for i := 0; i < 100; i++ {
		if landed = read("location", chromedp.Location()); !strings.Contains(landed, "/.auth/login") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	step("the app's page", chromedp.WaitReady(chromedp.CSS("body")))
	appBody := textOf("the app's page", chromedp.CSS("body"))
	jar, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{})
	})
	if err != nil {
		t.Fatalf("cookies: %v", err)
	}
	cookies := jar.Cookies
	step("/.auth/me", chromedp.Navigate(e.URL+"/.auth/me"))
	meBody := textOf("/.auth/me", chromedp.CSS("body"))
	step("logout", chromedp.Navigate(e.URL+"/.auth/logout"))
	step("logout page", chromedp.WaitVisible(chromedp.CSS("h1")))
	doneText := textOf("logout page", chromedp.CSS("h1"))
	step("/.auth/me again", chromedp.Navigate(e.URL+"/.auth/me"))
	afterBody := textOf("/.auth/me again", chromedp.CSS("body"))
	// a user of the users file, picked from the list
	step("the sign-in page again", chromedp.Navigate(e.URL+"/.auth/login/aad"))
	step("pick Alex", chromedp.Click(chromedp.ID("user-0")))
	for i := 0; i < 100 && strings.Contains(read("location", chromedp.Location()), "/.auth/login"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	step("the app's page as Alex", chromedp.WaitReady(chromedp.CSS("body")))
	step("/.auth/me as Alex", chromedp.Navigate(e.URL+"/.auth/me"))
	if alex := textOf("/.auth/me as Alex", chromedp.CSS("body")); !strings.Contains(alex, `"user_id":"alex@contoso.com"`) || !strings.Contains(alex, `{"typ":"roles","val":"Admin"}`) {
		t.Errorf("picked user: %s\nemulator log:\n%s", alex, e.Stderr())
	}
	if !strings.Contains(loginURL, "/.auth/login/aad?post_login_redirect_uri=%2Freports%3Fyear%3D2026") {
		t.Errorf("not sent to the sign-in page: %s", loginURL)
	}
	if landed != e.URL+"/reports?year=2026" {
		t.Errorf("landed on %s", landed)
	}
	for _, want := range []string{`"X-Ms-Client-Principal-Name":["casey@contoso.com"]`, `"X-Ms-Client-Principal-Idp":["aad"]`, `"X-Ms-Token-Aad-Id-Token":["ey`} {
		if !strings.Contains(appBody, want) {
			t.Errorf("the app did not see %s:\n%s", want, appBody)
		}
	}
	for _, want := range []string{`"user_id":"casey@contoso.com"`, `{"typ":"name","val":"Casey Jones"}`, `{"typ":"roles","val":"Auditor"}`, `{"typ":"department","val":"Sales"}`} {
		if !strings.Contains(meBody, want) {
			t.Errorf("/.auth/me lacks %s:\n%s", want, meBody)
		}
	}
	var session *network.Cookie
	for _, c := range cookies {
		if c.Name == "AppServiceAuthSession" {
			session = c
		}
	}
	if session == nil || !session.HTTPOnly || session.SameSite != network.CookieSameSiteLax {
		t.Errorf("session cookie: %+v", session)
	}
	if doneText != "You have signed out" {
		t.Errorf("logout page: %q", doneText)
	}
	if !strings.Contains(afterBody, "401 Unauthorized") {
		t.Errorf("/.auth/me after logout: %q", afterBody)
	}
	e.waitLog(t, `"message":"signed in casey@contoso.com"`)
}
