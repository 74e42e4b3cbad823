package login

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
)

func fakeConfig(t *testing.T) (Config, *fakeidp.Server, *fakeidp.STS) {
	t.Helper()
	key := testjwt.SharedKey(t, "key-1")
	idp := fakeidp.New(t, key)
	sts := &fakeidp.STS{Key: key, Username: "alex@contoso.example", Name: "Alex", ObjectID: "3f2e1d0c-b9a8-4765-8432-10fedcba9876",
		TenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"}
	idp.ServeSTS(sts)
	return Config{AuthorityHost: idp.URL, Tenant: "organizations", HTTPClient: idp.Client(), Store: &Store{Path: t.TempDir() + "/" + CacheFileName}}, idp, sts
}

// No redirect ever arrives (the "browser" opens nothing): Browser gives up
// within the injected bound with a typed error carrying the sign-in URL.
func TestBrowserGivesUpWithinTheBound(t *testing.T) {
	c, idp, _ := fakeConfig(t)
	var opened string
	const wait = 400 * time.Millisecond
	start := time.Now()
	_, err := Browser(context.Background(), c, []string{DefaultScope}, Request{}, wait, func(u string) error { opened = u; return nil })
	took := time.Since(start)
	var bt *BrowserTimeoutError
	if !errors.As(err, &bt) {
		t.Fatalf("err = %v, want *BrowserTimeoutError", err)
	}
	if took > wait+5*time.Second {
		t.Errorf("gave up after %s, bound %s", took, wait)
	}
	if bt.Wait != wait || bt.URL == "" || bt.URL != opened || !strings.HasPrefix(bt.URL, idp.URL+"/organizations/oauth2/v2.0/authorize?") {
		t.Errorf("error %+v, opened %q", bt, opened)
	}
	if !strings.Contains(err.Error(), wait.String()) {
		t.Errorf("message %q does not name the bound", err)
	}
	// a caller's own cancellation is not reported as the bound running out
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Browser(ctx, c, []string{DefaultScope}, Request{}, time.Minute, func(string) error { return nil }); errors.As(err, &bt) {
		t.Errorf("a cancelled context reported as a timeout: %v", err)
	}
}

// --claims reaches the token request: device code and a silent call.
func TestClaimsReachTheTokenRequest(t *testing.T) {
	c, _, sts := fakeConfig(t)
	const claims = `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`
	if _, err := DeviceCode(context.Background(), c, []string{DefaultScope}, Request{Claims: claims}, func(DeviceCodePrompt) {}); err != nil {
		t.Fatalf("device code: %v", err)
	}
	got := sts.Claims()
	if len(got) == 0 || !strings.Contains(got[len(got)-1], `"acrs"`) {
		t.Fatalf("claims sent: %q", got)
	}
	n := len(got)
	if _, err := SilentRequest(context.Background(), c, []string{DefaultScope}, "", "", Request{Claims: claims}); err != nil {
		t.Fatalf("silent with claims: %v", err)
	}
	if got := sts.Claims(); len(got) != n+1 || !strings.Contains(got[n], `"acrs"`) {
		t.Errorf("a silent call with claims must go to the token endpoint with them (a cached token never satisfies a challenge): %q", got)
	}
}
