package token

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
)

// KeyOrigin says where the keys used for a token came from.
type KeyOrigin struct {
	// JWKSURL is the key set's URL, or "" for a file.
	JWKSURL string `json:"jwks_uri,omitempty"`
	// File is the key set file given with --jwks.
	File string `json:"file,omitempty"`
	// MetadataURL is the OpenID configuration the keys were found through.
	MetadataURL string `json:"metadata_url,omitempty"`
	// MetadataIssuer is the issuer that configuration declares (may hold {tenantid}).
	MetadataIssuer string     `json:"metadata_issuer,omitempty"`
	FromCache      bool       `json:"from_cache"`
	FetchedAt      *time.Time `json:"fetched_at,omitempty"`
	// Stale is true when an expired cached copy was used (offline, or the network failed).
	Stale bool `json:"stale,omitempty"`
}

// KeySource finds the keys that may have signed a token.
type KeySource interface {
	// Keys returns the key set for t. With refresh, the source may fetch the
	// set again (an unknown kid), within its rate limit.
	Keys(ctx context.Context, t *Token, refresh bool) (*entra.KeySet, KeyOrigin, error)
}

// StaticKeys is a key set given by the user (--jwks FILE).
type StaticKeys struct {
	Set    *entra.KeySet
	Origin KeyOrigin
}

// Keys returns the static set.
func (s StaticKeys) Keys(context.Context, *Token, bool) (*entra.KeySet, KeyOrigin, error) {
	return s.Set, s.Origin, nil
}

// URLKeys is a key set at a URL the user gave (--jwks URL), fetched through the cache.
type URLKeys struct {
	Fetcher *entra.Fetcher
	URL     string
	memo    keyMemo
}

// Keys fetches (or reads from the cache) the key set.
func (u *URLKeys) Keys(ctx context.Context, _ *Token, refresh bool) (*entra.KeySet, KeyOrigin, error) {
	set, prov, err := u.memo.get(ctx, u.Fetcher, u.URL, refresh)
	if err != nil {
		return nil, KeyOrigin{JWKSURL: u.URL}, err
	}
	return set, originOf(prov, KeyOrigin{JWKSURL: u.URL}), nil
}

// DiscoveryKeys finds keys by OpenID discovery of the token's issuer, only on
// hosts the fetcher's trust policy allows. Results are memoised per run, so a
// stream of tokens from one issuer costs one lookup, and concurrent callers
// wait for one fetch instead of each making their own. Each metadata URL has
// its own lock, so a slow issuer never stalls tokens of another; a failed
// discovery is remembered for the run (one request per issuer, not per
// token); at most MaxDiscoveredIssuers issuers are fetched per run.
type DiscoveryKeys struct {
	Fetcher *entra.Fetcher
	// AppID adds ?appid= to the metadata URL (apps with custom signing keys).
	AppID string

	mu       sync.Mutex
	metaURLs map[issuerPolicy]rememberedURL // what MetadataURL said, per issuer
	meta     map[string]*metaEntry
	memo     keyMemo
}

// metaEntry is one issuer's discovery, done once per run.
type metaEntry struct {
	mu   sync.Mutex
	done bool
	md   *entra.Metadata
	err  error
}

// issuerPolicy is what a token's metadata URL depends on.
type issuerPolicy struct{ issuer, policy string }

// rememberedURL is what entra.MetadataURL answered.
type rememberedURL struct {
	url string
	err error
}

// maxRememberedIssuers bounds DiscoveryKeys' memory of metadata URLs, whatever
// a stream's tokens claim.
const maxRememberedIssuers = 256

// MaxDiscoveredIssuers is how many distinct issuers (metadata URLs) one run
// discovers; tokens of further issuers are not checked (ErrIssuerCap), so a
// stream of tokens naming ever new tenants cannot make azid fetch without end.
const MaxDiscoveredIssuers = 64

// ErrIssuerCap is the key-source error for a token whose issuer would be
// past MaxDiscoveredIssuers.
var ErrIssuerCap = fmt.Errorf("more than %d distinct issuers in one run: this one was not looked up", MaxDiscoveredIssuers)

// Keys resolves the issuer's metadata, then its key set.
func (d *DiscoveryKeys) Keys(ctx context.Context, t *Token, refresh bool) (*entra.KeySet, KeyOrigin, error) {
	policy := t.Claims.Str("tfp")
	if policy == "" {
		policy = t.Claims.Str("acr")
	}
	d.mu.Lock()
	metaURL, err := d.metadataURL(t.Claims.Str("iss"), policy)
	if err != nil {
		d.mu.Unlock()
		return nil, KeyOrigin{}, err
	}
	e, ok := d.meta[metaURL]
	if !ok {
		if len(d.meta) >= MaxDiscoveredIssuers {
			d.mu.Unlock()
			return nil, KeyOrigin{MetadataURL: metaURL}, ErrIssuerCap
		}
		if d.meta == nil {
			d.meta = map[string]*metaEntry{}
		}
		e = &metaEntry{}
		d.meta[metaURL] = e
	}
	d.mu.Unlock()
	e.mu.Lock() // this issuer only
	if !e.done {
		md, _, err := d.Fetcher.Metadata(ctx, metaURL)
		if err != nil && ctx.Err() != nil {
			e.mu.Unlock()
			return nil, KeyOrigin{MetadataURL: metaURL}, fmt.Errorf("OpenID discovery: %w", err) // interrupted: not remembered
		}
		e.md, e.err, e.done = md, err, true
	}
	md, err := e.md, e.err
	e.mu.Unlock()
	if err != nil {
		return nil, KeyOrigin{MetadataURL: metaURL}, fmt.Errorf("OpenID discovery: %w", err)
	}
	origin := KeyOrigin{MetadataURL: metaURL, MetadataIssuer: md.Issuer, JWKSURL: md.JWKSURI}
	set, prov, err := d.memo.get(ctx, d.Fetcher, md.JWKSURI, refresh)
	if err != nil {
		return nil, origin, err
	}
	return set, originOf(prov, origin), nil
}

// metadataURL is entra.MetadataURL, remembered per issuer and policy: a
// stream's tokens mostly share one. d.mu must be held.
func (d *DiscoveryKeys) metadataURL(issuer, policy string) (string, error) {
	k := issuerPolicy{issuer, policy}
	if m, ok := d.metaURLs[k]; ok {
		return m.url, m.err
	}
	u, err := entra.MetadataURL(entra.TokenIssuer{Issuer: issuer, Policy: policy}, d.AppID, d.Fetcher.Trust)
	if len(d.metaURLs) < maxRememberedIssuers {
		if d.metaURLs == nil {
			d.metaURLs = make(map[issuerPolicy]rememberedURL)
		}
		// The claims may share memory with a whole token: keep copies.
		d.metaURLs[issuerPolicy{strings.Clone(issuer), strings.Clone(policy)}] = rememberedURL{u, err}
	}
	return u, err
}

// keyMemo keeps the key sets of one run, each URL under its own lock. A set
// is refreshed at most once per run (and the fetcher rate-limits refreshes
// across runs), so a stream of tokens with forged kids cannot make azid
// hammer the issuer; a failed fetch is remembered for the run.
type keyMemo struct {
	mu   sync.Mutex
	sets map[string]*memoSet
}

type memoSet struct {
	mu        sync.Mutex
	tried     bool
	set       *entra.KeySet
	prov      entra.Provenance
	err       error
	refreshed bool
}

func (m *keyMemo) get(ctx context.Context, f *entra.Fetcher, url string, refresh bool) (*entra.KeySet, entra.Provenance, error) {
	m.mu.Lock()
	ms := m.sets[url]
	if ms == nil {
		if m.sets == nil {
			m.sets = map[string]*memoSet{}
		}
		ms = &memoSet{}
		m.sets[url] = ms
	}
	m.mu.Unlock()
	ms.mu.Lock()
	defer ms.mu.Unlock()
	switch {
	case !ms.tried:
		set, prov, err := f.KeySet(ctx, url, refresh)
		if err != nil && ctx.Err() != nil {
			return nil, prov, err // interrupted: not remembered
		}
		ms.tried, ms.set, ms.prov, ms.err, ms.refreshed = true, set, prov, err, refresh
	case ms.set != nil && refresh && !ms.refreshed:
		ms.refreshed = true
		if set, prov, err := f.KeySet(ctx, url, true); err == nil {
			ms.set, ms.prov = set, prov
		}
	}
	if ms.set == nil {
		return nil, ms.prov, ms.err
	}
	return ms.set, ms.prov, nil
}

func originOf(p entra.Provenance, o KeyOrigin) KeyOrigin {
	o.FromCache, o.Stale = p.FromCache, p.Stale
	if !p.FetchedAt.IsZero() {
		at := p.FetchedAt
		o.FetchedAt = &at
	}
	return o
}
