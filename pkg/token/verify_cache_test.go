package token

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

const (
	metaPath = "/" + vTenant + "/v2.0/.well-known/openid-configuration"
	keysPath = "/" + vTenant + "/discovery/v2.0/keys"
)

// fresh returns a new DiscoveryKeys over the same fetcher settings, as a new
// azid process would have (no memory of earlier runs, only the disk cache).
func fresh(e *env, now time.Time, offline bool) *DiscoveryKeys {
	f := &entra.Fetcher{Client: e.idp.Client(), CacheDir: e.fetcher.CacheDir, Now: func() time.Time { return now }, Offline: offline,
		Warn: func(string) {}}
	return &DiscoveryKeys{Fetcher: f}
}

func TestKeyCacheSecondRunMakesNoRequest(t *testing.T) {
	e := newEnv(t, t.TempDir())
	tok := e.key.SignClaims(t, claims(nil))
	if v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, false)}); !v.Valid {
		t.Fatal(v.Error)
	}
	before := e.idp.TotalHits()
	if before != 2 {
		t.Fatalf("first run made %d requests, want 2 (metadata, keys)", before)
	}
	v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow.Add(23*time.Hour), false), Now: vNow.Add(10 * time.Minute)})
	if !v.Valid || !v.Keys.FromCache {
		t.Fatalf("second run: valid=%v fromCache=%v %s", v.Valid, v.Keys.FromCache, v.Error)
	}
	if e.idp.TotalHits() != before {
		t.Errorf("second run made %d requests", e.idp.TotalHits()-before)
	}
	// after 24 hours the cache is refreshed
	verify(t, tok, VerifyOptions{Keys: fresh(e, vNow.Add(25*time.Hour), false), Now: vNow})
	if e.idp.Hits(keysPath) != 2 {
		t.Errorf("keys fetched %d times after the cache expired, want 2", e.idp.Hits(keysPath))
	}
	// the cache files are written, and hold no token
	entries, _ := os.ReadDir(e.fetcher.CacheDir)
	if len(entries) != 2 {
		t.Errorf("%d cache files", len(entries))
	}
	for _, de := range entries {
		data, _ := os.ReadFile(e.fetcher.CacheDir + "/" + de.Name())
		if strings.Contains(string(data), strings.Split(tok, ".")[1]) {
			t.Error("the token was written to the key cache")
		}
	}
}

func TestKeyRotationRefetchesOnceRateLimited(t *testing.T) {
	e := newEnv(t, t.TempDir())
	old := e.key.SignClaims(t, claims(nil))
	if v := verify(t, old, VerifyOptions{Keys: fresh(e, vNow, false)}); !v.Valid {
		t.Fatal(v.Error)
	}
	k2 := testjwt.NewKey(t, "key-2")
	e.idp.SetKeys(e.key, k2) // Entra publishes the next key
	tok2 := k2.SignClaims(t, claims(nil))

	// within 5 minutes of the last fetch, an unknown kid does not refetch
	v := verify(t, tok2, VerifyOptions{Keys: fresh(e, vNow.Add(2*time.Minute), false)})
	if v.Valid || e.idp.Hits(keysPath) != 1 {
		t.Fatalf("rate limit: valid=%v key fetches=%d", v.Valid, e.idp.Hits(keysPath))
	}
	check(t, v, "key", Failed, "keys rotated")
	// later, the unknown kid triggers exactly one refetch, which finds the new key
	v = verify(t, tok2, VerifyOptions{Keys: fresh(e, vNow.Add(10*time.Minute), false)})
	if !v.Valid {
		t.Fatalf("after rotation: %s", v.Error)
	}
	if e.idp.Hits(keysPath) != 2 {
		t.Errorf("key fetches = %d, want 2", e.idp.Hits(keysPath))
	}
	// a forged kid triggers at most one refetch per run, however many tokens
	forged := e.key.Sign(t, `{"alg":"RS256","kid":"forged"}`, mustJSONClaims(t))
	keys := fresh(e, vNow.Add(30*time.Minute), false)
	for i := 0; i < 20; i++ {
		verify(t, forged, VerifyOptions{Keys: keys})
	}
	if got := e.idp.Hits(keysPath); got != 3 {
		t.Errorf("key fetches after 20 forged kids = %d, want 3", got)
	}
	if e.idp.Hits(metaPath) != 1 { // the metadata stays cached for 24 hours
		t.Errorf("metadata fetches = %d", e.idp.Hits(metaPath))
	}
}

func TestOfflineAndOutage(t *testing.T) {
	e := newEnv(t, t.TempDir())
	tok := e.key.SignClaims(t, claims(nil))
	// offline with an empty cache: a clear error, no request
	v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, true)})
	if v.Valid || e.idp.TotalHits() != 0 {
		t.Fatalf("offline, empty cache: valid=%v hits=%d", v.Valid, e.idp.TotalHits())
	}
	check(t, v, "key", Failed, "forbidden offline")
	if !hasCode(v, CodeKeysUnavailable) || !v.Unverifiable() {
		t.Errorf("offline, empty cache: want code %s, unverifiable", CodeKeysUnavailable)
	}
	// fill the cache
	verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, false)})
	hits := e.idp.TotalHits()
	// offline, days later: the stale cache is used, with a warning, and no request
	var warned []string
	f := &entra.Fetcher{Client: e.idp.Client(), CacheDir: e.fetcher.CacheDir, Now: func() time.Time { return vNow.Add(72 * time.Hour) }, Offline: true,
		Warn: func(s string) { warned = append(warned, s) }}
	if v := verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: f}}); !v.Valid || e.idp.TotalHits() != hits {
		t.Fatalf("offline with cache: %s hits %d", v.Error, e.idp.TotalHits()-hits)
	}
	if len(warned) == 0 {
		t.Error("no warning about the stale cache")
	}
	// an outage with an expired cache falls back to it, with a warning
	e.idp.SetDown(true)
	warned = nil
	f = &entra.Fetcher{Client: e.idp.Client(), CacheDir: e.fetcher.CacheDir, Now: func() time.Time { return vNow.Add(48 * time.Hour) },
		Warn: func(s string) { warned = append(warned, s) }}
	if v := verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: f}}); !v.Valid {
		t.Fatalf("outage with cache: %s", v.Error)
	}
	if len(warned) == 0 || !strings.Contains(warned[0], "HTTP 503") {
		t.Errorf("warnings = %q", warned)
	}
	// an outage without a cache is an error naming the failure
	v = verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: &entra.Fetcher{Client: e.idp.Client(), Now: time.Now}}})
	check(t, v, "key", Failed, "HTTP 503")
}

func TestCorruptCacheEntryIsReplaced(t *testing.T) {
	e := newEnv(t, t.TempDir())
	tok := e.key.SignClaims(t, claims(nil))
	verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, false)})
	entries, _ := os.ReadDir(e.fetcher.CacheDir)
	for _, de := range entries {
		os.WriteFile(e.fetcher.CacheDir+"/"+de.Name(), []byte("{garbage"), 0o600)
	}
	if v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, false)}); !v.Valid {
		t.Fatalf("corrupt cache: %s", v.Error)
	}
	if e.idp.Hits(keysPath) != 2 {
		t.Errorf("keys fetched %d times", e.idp.Hits(keysPath))
	}
}

func TestDiscoveryRemembersMetadataURLsWithinBounds(t *testing.T) {
	e := newEnv(t, t.TempDir())
	keys := fresh(e, vNow, false)
	for i := range maxRememberedIssuers + 50 {
		tok, err := Parse(e.key.SignClaims(t, claims(map[string]any{"iss": fmt.Sprintf("https://evil%d.example/%s/v2.0", i, vTenant)})))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second answer comes from memory and must be the same
			if _, _, err := keys.Keys(t.Context(), tok, false); !errors.Is(err, entra.ErrUntrustedIssuer) {
				t.Fatalf("issuer %d: %v, want ErrUntrustedIssuer", i, err)
			}
		}
	}
	if n := len(keys.metaURLs); n != maxRememberedIssuers {
		t.Errorf("%d issuers remembered, want %d", n, maxRememberedIssuers)
	}
	if e.idp.TotalHits() != 0 {
		t.Errorf("%d requests for untrusted issuers", e.idp.TotalHits())
	}
	// a trusted issuer after the memory is full still works
	if v := verify(t, e.key.SignClaims(t, claims(nil)), VerifyOptions{Keys: keys}); !v.Valid {
		t.Errorf("trusted issuer after many untrusted ones: %s", v.Error)
	}
}
