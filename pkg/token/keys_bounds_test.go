package token

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

// hostsRT serves discovery for any host in-process: metadata at
// /{tenant}/v2.0/.well-known/openid-configuration, keys at /keys. A host in
// block waits until the channel closes; a host in fail answers 503.
type hostsRT struct {
	key   *testjwt.Key
	block map[string]chan struct{}
	fail  map[string]bool
	mu    sync.Mutex
	hits  map[string]int
}

func (h *hostsRT) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	h.mu.Lock()
	h.hits[host]++
	h.mu.Unlock()
	if ch := h.block[host]; ch != nil {
		select {
		case <-ch:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Request: req}
	var body string
	switch {
	case h.fail[host]:
		resp.StatusCode, body = 503, "down"
	case strings.HasSuffix(req.URL.Path, "/openid-configuration"):
		tenant := strings.Split(req.URL.Path, "/")[1]
		body = fmt.Sprintf(`{"issuer":"https://%s/%s/v2.0","jwks_uri":"https://%s/keys"}`, host, tenant, host)
	default:
		body = string(testjwt.JWKS(testTB{}, h.key.JWK(nil)))
	}
	resp.Body = io.NopCloser(strings.NewReader(body))
	return resp, nil
}

type testTB struct{}

func (testTB) Helper()               {}
func (testTB) Fatalf(string, ...any) {}

func boundedKeys(rt *hostsRT, hosts ...string) *DiscoveryKeys {
	f := &entra.Fetcher{Client: &http.Client{Transport: rt}, Now: func() time.Time { return vNow },
		Trust: entra.TrustPolicy{AuthorityHosts: hosts}, Warn: func(string) {}}
	return &DiscoveryKeys{Fetcher: f}
}

func tokenFor(t *testing.T, k *testjwt.Key, host string) string {
	return k.SignClaims(t, claims(map[string]any{"iss": "https://" + host + "/" + vTenant + "/v2.0"}))
}

// A failed discovery is remembered for the run: one request per issuer,
// however many tokens name it.
func TestDiscoveryNegativeMemo(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	rt := &hostsRT{key: key, fail: map[string]bool{"down.test": true}, hits: map[string]int{}}
	keys := boundedKeys(rt, "down.test")
	tok := tokenFor(t, key, "down.test")
	for i := 0; i < 20; i++ {
		v := verify(t, tok, VerifyOptions{Keys: keys})
		if v.Valid || !v.Unverifiable() {
			t.Fatalf("token %d: %+v", i, v.Checks)
		}
	}
	if rt.hits["down.test"] != 1 {
		t.Fatalf("%d requests to a failing issuer, want 1", rt.hits["down.test"])
	}
}

// Past MaxDiscoveredIssuers, tokens of new issuers are not checked (a
// reason, no request); known issuers still verify.
func TestDiscoveryIssuerCap(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	rt := &hostsRT{key: key, hits: map[string]int{}}
	var hosts []string
	for i := 0; i <= MaxDiscoveredIssuers; i++ {
		hosts = append(hosts, fmt.Sprintf("idp%d.test", i))
	}
	keys := boundedKeys(rt, hosts...)
	for _, h := range hosts[:MaxDiscoveredIssuers] {
		if v := verify(t, tokenFor(t, key, h), VerifyOptions{Keys: keys}); !v.Valid {
			t.Fatalf("%s: %s", h, v.Error)
		}
	}
	last := hosts[MaxDiscoveredIssuers]
	v := verify(t, tokenFor(t, key, last), VerifyOptions{Keys: keys})
	if v.Valid || !hasCode(v, CodeIssuerCap) || !v.KeysUnavailable || !v.Unverifiable() || rt.hits[last] != 0 {
		t.Fatalf("past the cap: valid %v hits %d checks %+v", v.Valid, rt.hits[last], v.Checks)
	}
	if v := verify(t, tokenFor(t, key, hosts[0]), VerifyOptions{Keys: keys}); !v.Valid {
		t.Fatalf("a known issuer after the cap: %s", v.Error)
	}
}

// Each issuer has its own lock: while one issuer's discovery hangs, tokens
// of an issuer already discovered verify at once.
func TestDiscoverySlowIssuerDoesNotStallOthers(t *testing.T) {
	key := testjwt.SharedKey(t, "key-1")
	release := make(chan struct{})
	rt := &hostsRT{key: key, block: map[string]chan struct{}{"slow.test": release}, hits: map[string]int{}}
	keys := boundedKeys(rt, "slow.test", "fast.test")
	fast := tokenFor(t, key, "fast.test")
	if v := verify(t, fast, VerifyOptions{Keys: keys}); !v.Valid {
		t.Fatal(v.Error)
	}
	slowDone := make(chan struct{})
	go func() {
		defer close(slowDone)
		tok, _ := Parse(tokenFor(t, key, "slow.test"))
		Verify(context.Background(), tok, VerifyOptions{Keys: keys, Now: vNow, Leeway: DefaultLeeway})
	}()
	for rt.hitsOf("slow.test") == 0 {
		time.Sleep(time.Millisecond)
	}
	done := make(chan bool)
	go func() { done <- verify(t, fast, VerifyOptions{Keys: keys}).Valid }()
	select {
	case ok := <-done:
		if !ok {
			t.Error("the fast issuer's token is not valid")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a token of a cached issuer waited for a slow issuer's discovery")
	}
	close(release)
	<-slowDone
}

func (h *hostsRT) hitsOf(host string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[host]
}
