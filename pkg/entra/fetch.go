package entra

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Cache lifetimes, following Microsoft's advice to refresh keys daily and
// Microsoft.IdentityModel's minimum refresh interval after an unknown kid.
const (
	CacheTTL        = 24 * time.Hour
	RefetchInterval = 5 * time.Minute
	// MaxStaleAge is how old a cached copy may be and still be used when it
	// cannot be refreshed (offline, or an outage); older ones are not used.
	MaxStaleAge = 7 * 24 * time.Hour
)

// Provenance says where a document came from.
type Provenance struct {
	URL       string    `json:"url"`
	FromCache bool      `json:"from_cache"`
	FetchedAt time.Time `json:"fetched_at"`
	// Stale is true when an expired cached copy was used (offline, or the network failed).
	Stale bool `json:"stale,omitempty"`
}

// Fetcher gets OpenID metadata and key sets over HTTPS, keeping them in an
// on-disk cache (they are public, not secrets) so repeated runs make no
// network call.
//
// The zero Fetcher is usable: no disk cache, the wall clock, and an error
// ("no HTTP client") instead of a request, until Client or ClientFunc is set.
type Fetcher struct {
	Client *http.Client
	// ClientFunc builds Client on first use, when Client is nil.
	ClientFunc func() (*http.Client, error)
	// CacheDir holds cached documents; "" disables the disk cache.
	CacheDir string
	// Now is the clock that ages cached documents; nil means the wall clock.
	Now func() time.Time
	// Offline forbids network calls: only cached copies are used.
	Offline bool
	Trust   TrustPolicy
	// Warn receives one-line warnings (stale cache used, and so on).
	Warn func(string)
	// DescribeError renders network errors for people (httpclient.Describe).
	DescribeError func(error) string

	mu   sync.Mutex
	memo map[string]cacheEntry
	// dirDistrusted remembers that the cache directory failed checkCacheDir
	// (warned once per run).
	dirChecked, dirDistrusted bool
}

// errUntrusted is a cache directory or entry azid will not trust.
type errUntrusted struct{ why string }

func (e errUntrusted) Error() string { return e.why }

// trustedDir checks the cache directory once per run: it must be a real
// directory (not a symlink) owned by the user and not writable by group or
// others. f.mu must be held.
func (f *Fetcher) trustedDir() bool {
	if f.dirChecked {
		return !f.dirDistrusted
	}
	f.dirChecked = true
	info, err := os.Lstat(f.CacheDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return true // created 0700 on the first write
	case err != nil:
		f.dirDistrusted = true
		f.warn(fmt.Sprintf("the key cache %s cannot be read (%v): not using it", f.CacheDir, err))
	case !info.IsDir():
		f.dirDistrusted = true
		f.warn(fmt.Sprintf("the key cache %s is not a directory (a symbolic link?): not trusted, keys are fetched again", f.CacheDir))
	default:
		if err := checkOwned(info); err != nil {
			f.dirDistrusted = true
			f.warn(fmt.Sprintf("the key cache %s %v: not trusted, keys are fetched again", f.CacheDir, err))
		}
	}
	return !f.dirDistrusted
}

type cacheEntry struct {
	URL       string          `json:"url"`
	FetchedAt time.Time       `json:"fetched_at"`
	Body      json.RawMessage `json:"body"`
}

// FetchError is a failed request for a document: the network, or an HTTP
// status other than 200. Describe, if set, renders Err for people.
type FetchError struct {
	URL      string
	Status   int
	Err      error
	Describe func(error) string
}

func (e *FetchError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("fetching %s: HTTP %d", e.URL, e.Status)
	}
	msg := e.Err.Error()
	if e.Describe != nil {
		msg = e.Describe(e.Err)
	}
	return "fetching " + e.URL + ": " + msg
}

func (e *FetchError) Unwrap() error { return e.Err }

// ErrNotCached is returned offline when no cached copy exists.
var ErrNotCached = errors.New("not in the key cache")

// ErrStaleTooOld is returned when the only copy is older than MaxStaleAge
// and cannot be refreshed.
var ErrStaleTooOld = errors.New("the cached copy is too old to trust")

// Metadata fetches an OpenID configuration. Its jwks_uri must be https on a
// trusted host (or plain HTTP on a configured loopback authority host).
func (f *Fetcher) Metadata(ctx context.Context, metadataURL string) (*Metadata, Provenance, error) {
	var md Metadata
	body, prov, err := f.get(ctx, metadataURL, false, func(b []byte) error {
		var m Metadata
		if err := json.Unmarshal(b, &m); err != nil {
			return errors.New("OpenID configuration is not a JSON object")
		}
		if m.JWKSURI == "" {
			return errors.New("OpenID configuration has no jwks_uri")
		}
		return nil
	})
	if err != nil {
		return nil, prov, err
	}
	_ = json.Unmarshal(body, &md)
	u, err := url.Parse(md.JWKSURI)
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" && f.Trust.PlainHTTP(u.Host)) || !f.Trust.TrustedHost(u.Host) {
		return nil, prov, fmt.Errorf("OpenID configuration at %s points its jwks_uri at an untrusted location", metadataURL)
	}
	return &md, prov, nil
}

// KeySet fetches and parses a JWKS. With refresh, a cached copy older than
// RefetchInterval is fetched again (for an unknown kid); a younger one is reused,
// so a stream of tokens with unknown kids cannot hammer the issuer.
func (f *Fetcher) KeySet(ctx context.Context, jwksURL string, refresh bool) (*KeySet, Provenance, error) {
	var set *KeySet
	_, prov, err := f.get(ctx, jwksURL, refresh, func(b []byte) error {
		s, err := ParseJWKS(b)
		if err != nil {
			return err
		}
		set = s
		return nil
	})
	if err != nil {
		return nil, prov, err
	}
	return set, prov, nil
}

// get returns the document at u from the memo, the disk cache or the network.
// validate parses the body; only valid documents are cached.
func (f *Fetcher) get(ctx context.Context, u string, refresh bool, validate func([]byte) error) ([]byte, Provenance, error) {
	now := f.now()
	entry, cached := f.load(u)
	if cached {
		age := now.Sub(entry.FetchedAt)
		fresh := age >= 0 && age < CacheTTL
		recent := age >= 0 && age < RefetchInterval
		usable := age >= 0 && age <= MaxStaleAge
		if ((fresh && !refresh) || (refresh && recent) || f.Offline) && usable {
			if err := validate(entry.Body); err == nil {
				prov := Provenance{URL: u, FromCache: true, FetchedAt: entry.FetchedAt, Stale: !fresh}
				if !fresh {
					f.warn(fmt.Sprintf("using the cached copy of %s from %s, %s old (offline)", u, entry.FetchedAt.UTC().Format(time.RFC3339), ageText(age)))
				}
				return entry.Body, prov, nil
			}
			cached = false // a corrupt cache entry is ignored and replaced
		}
		if !usable {
			cached = false
			if f.Offline {
				return nil, Provenance{URL: u}, fmt.Errorf("%s: %w (%s old, the limit is %s), and fetching is forbidden offline", u, ErrStaleTooOld, ageText(age), ageText(MaxStaleAge))
			}
		}
	}
	if f.Offline {
		return nil, Provenance{URL: u}, fmt.Errorf("%s is %w, and fetching is forbidden offline", u, ErrNotCached)
	}
	body, err := f.fetch(ctx, u)
	if err == nil {
		err = validate(body)
		if err != nil {
			err = fmt.Errorf("%s: %w", u, err)
		}
	}
	if err != nil {
		if cached && validate(entry.Body) == nil {
			f.warn(fmt.Sprintf("%v; using the copy cached at %s, %s old", err, entry.FetchedAt.UTC().Format(time.RFC3339), ageText(now.Sub(entry.FetchedAt))))
			return entry.Body, Provenance{URL: u, FromCache: true, FetchedAt: entry.FetchedAt, Stale: now.Sub(entry.FetchedAt) >= CacheTTL}, nil
		}
		return nil, Provenance{URL: u}, err
	}
	f.store(cacheEntry{URL: u, FetchedAt: now, Body: body})
	return body, Provenance{URL: u, FetchedAt: now}, nil
}

func (f *Fetcher) fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("bad URL %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	client := f.Client
	if client == nil && f.ClientFunc != nil {
		if client, err = f.ClientFunc(); err != nil {
			return nil, err
		}
	}
	if client == nil {
		return nil, errors.New("no HTTP client")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, &FetchError{URL: u, Err: err, Describe: f.DescribeError}
	}
	defer func() {
		// Drain what is left (bounded) so the connection is reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return nil, &FetchError{URL: u, Status: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxJWKSSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", u, err)
	}
	if len(body) > MaxJWKSSize {
		return nil, fmt.Errorf("%s is over %d KiB", u, MaxJWKSSize>>10)
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("%s did not return JSON", u)
	}
	return body, nil
}

// ageText renders a cache age in hours or days.
func ageText(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
	}
	return fmt.Sprintf("%d hours", int(d/time.Hour))
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

func (f *Fetcher) warn(msg string) {
	if f.Warn != nil {
		f.Warn(msg)
	}
}

func (f *Fetcher) cachePath(u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(f.CacheDir, hex.EncodeToString(sum[:12])+".json")
}

func (f *Fetcher) load(u string) (cacheEntry, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.memo[u]; ok {
		return e, true
	}
	if f.CacheDir == "" || !f.trustedDir() {
		return cacheEntry{}, false
	}
	path := f.cachePath(u)
	data, err := readNoFollow(path, MaxJWKSSize*2)
	var untrusted errUntrusted
	if errors.As(err, &untrusted) {
		f.warn(fmt.Sprintf("the key cache entry %s %s: not trusted, keys are fetched again", path, untrusted.why))
		return cacheEntry{}, false
	}
	if err != nil {
		return cacheEntry{}, false
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil || e.URL != u || len(e.Body) == 0 {
		return cacheEntry{}, false
	}
	if f.memo == nil {
		f.memo = map[string]cacheEntry{}
	}
	f.memo[u] = e
	return e, true
}

// store keeps e in memory and writes it to the cache atomically (temporary
// file and rename), so a concurrent reader never sees half a file. Failing to
// write the cache is only a warning: the keys are still used.
func (f *Fetcher) store(e cacheEntry) {
	f.mu.Lock()
	if f.memo == nil {
		f.memo = map[string]cacheEntry{}
	}
	f.memo[e.URL] = e
	trusted := f.CacheDir != "" && f.trustedDir()
	f.mu.Unlock()
	if !trusted {
		return
	}
	data, err := json.Marshal(e)
	if err == nil {
		err = writeFileAtomic(f.cachePath(e.URL), data)
	}
	if err != nil {
		f.warn("cannot write the key cache: " + strings.TrimSpace(err.Error()))
	}
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	// os.CreateTemp makes the file 0600; the rename replaces a planted
	// symlink rather than writing through it.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
