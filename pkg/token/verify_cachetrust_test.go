package token

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
)

// fill runs one verification online so the cache holds the metadata and keys.
func fill(t *testing.T, e *env, tok string) []string {
	t.Helper()
	if v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow, false)}); !v.Valid {
		t.Fatal(v.Error)
	}
	entries, err := os.ReadDir(e.fetcher.CacheDir)
	if err != nil || len(entries) != 2 {
		t.Fatalf("cache: %v %d entries", err, len(entries))
	}
	var paths []string
	for _, de := range entries {
		paths = append(paths, filepath.Join(e.fetcher.CacheDir, de.Name()))
	}
	return paths
}

func offlineWarned(t *testing.T, e *env, tok string) (*Verification, []string) {
	var warned []string
	f := &entra.Fetcher{Client: e.idp.Client(), CacheDir: e.fetcher.CacheDir, Now: func() time.Time { return vNow.Add(time.Hour) }, Offline: true,
		Warn: func(s string) { warned = append(warned, s) }}
	return verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: f}}), warned
}

// The key cache is a trust store: created 0700 with 0600 files, and an entry
// or directory that someone else could have written is not used.
func TestKeyCacheIsATrustStore(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("owner and mode checks are for unix")
	}
	t.Run("modes", func(t *testing.T) {
		e := newEnv(t, filepath.Join(t.TempDir(), "azid", "keys"))
		paths := fill(t, e, e.key.SignClaims(t, claims(nil)))
		for _, dir := range []string{e.fetcher.CacheDir, filepath.Dir(e.fetcher.CacheDir)} {
			if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
				t.Errorf("%s mode %v, want 0700", dir, fi.Mode().Perm())
			}
		}
		for _, p := range paths {
			if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v, want 0600", p, fi.Mode().Perm())
			}
		}
	})
	cases := []struct {
		name  string
		spoil func(t *testing.T, dir string, paths []string)
		warn  string
		root  bool // needs root (chown)
	}{
		{"group-writable directory", func(t *testing.T, dir string, _ []string) { os.Chmod(dir, 0o770) }, "writable by group or others", false},
		{"world-writable entry", func(t *testing.T, _ string, paths []string) { os.Chmod(paths[0], 0o666); os.Chmod(paths[1], 0o666) }, "writable by group or others", false},
		{"symlinked entry", func(t *testing.T, dir string, paths []string) {
			for _, p := range paths {
				target := filepath.Join(t.TempDir(), "planted.json")
				data, _ := os.ReadFile(p)
				os.WriteFile(target, data, 0o600)
				os.Remove(p)
				if err := os.Symlink(target, p); err != nil {
					t.Fatal(err)
				}
			}
		}, "symbolic link", false},
		{"foreign-owned entry", func(t *testing.T, _ string, paths []string) {
			for _, p := range paths {
				if err := os.Chown(p, 65534, 65534); err != nil { // nobody
					t.Fatal(err)
				}
			}
		}, "owned by user 65534", true},
		{"foreign-owned directory", func(t *testing.T, dir string, _ []string) {
			if err := os.Chown(dir, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, "owned by user 65534", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Geteuid() != 0 {
				t.Skip("needs root to chown a file to another user")
			}
			e := newEnv(t, filepath.Join(t.TempDir(), "keys"))
			tok := e.key.SignClaims(t, claims(nil))
			paths := fill(t, e, tok)
			tc.spoil(t, e.fetcher.CacheDir, paths)
			v, warned := offlineWarned(t, e, tok)
			if v.Valid || !v.Unverifiable() {
				t.Fatalf("offline with an untrusted cache: valid=%v checks %+v", v.Valid, v.Checks)
			}
			if !strings.Contains(strings.Join(warned, "\n"), tc.warn) {
				t.Errorf("warnings %q lack %q", warned, tc.warn)
			}
			// Online, the keys are fetched again and the token verifies.
			hits := e.idp.TotalHits()
			if v := verify(t, tok, VerifyOptions{Keys: fresh(e, vNow.Add(time.Hour), false)}); !v.Valid || e.idp.TotalHits() == hits {
				t.Errorf("online: valid=%v, %d new requests", v.Valid, e.idp.TotalHits()-hits)
			}
		})
	}
}

// Stale keys serve during an outage only up to entra.MaxStaleAge.
func TestStaleKeysHaveAnAgeLimit(t *testing.T) {
	e := newEnv(t, t.TempDir())
	tok := e.key.SignClaims(t, claims(nil))
	fill(t, e, tok)
	e.idp.SetDown(true)
	for _, tc := range []struct {
		age   time.Duration
		valid bool
	}{{6 * 24 * time.Hour, true}, {8 * 24 * time.Hour, false}} {
		for _, offline := range []bool{false, true} {
			var warned []string
			f := &entra.Fetcher{Client: e.idp.Client(), CacheDir: e.fetcher.CacheDir, Now: func() time.Time { return vNow.Add(tc.age) }, Offline: offline,
				Warn: func(s string) { warned = append(warned, s) }}
			v := verify(t, tok, VerifyOptions{Keys: &DiscoveryKeys{Fetcher: f}})
			if v.Valid != tc.valid {
				t.Fatalf("age %v offline %v: valid %v, want %v (%s)", tc.age, offline, v.Valid, tc.valid, v.Error)
			}
			if tc.valid && !strings.Contains(strings.Join(warned, "\n"), "6 days old") {
				t.Errorf("age not shown: %q", warned)
			}
			if !tc.valid && (!v.Unverifiable() || !errors.Is(v.Err(), ErrTokenUnverifiable)) {
				t.Errorf("age %v offline %v: want cannot verify, got %+v", tc.age, offline, v.Checks)
			}
		}
	}
}
