package token

import (
	"context"
	"fmt"
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
}

// Keys fetches (or reads from the cache) the key set.
func (u URLKeys) Keys(ctx context.Context, _ *Token, refresh bool) (*entra.KeySet, KeyOrigin, error) {
	set, prov, err := u.Fetcher.KeySet(ctx, u.URL, refresh)
	if err != nil {
		return nil, KeyOrigin{JWKSURL: u.URL}, err
	}
	return set, originOf(prov, KeyOrigin{JWKSURL: u.URL}), nil
}

// DiscoveryKeys finds keys by OpenID discovery of the token's issuer, only on
// hosts the fetcher's trust policy allows. Results are memoised per metadata
// URL, so a stream of tokens from one issuer costs one lookup.
type DiscoveryKeys struct {
	Fetcher *entra.Fetcher
	// AppID adds ?appid= to the metadata URL (apps with custom signing keys).
	AppID string

	mu   sync.Mutex
	memo map[string]*discovered
}

type discovered struct {
	md     *entra.Metadata
	mdProv entra.Provenance
}

// Keys resolves the issuer's metadata, then its key set.
func (d *DiscoveryKeys) Keys(ctx context.Context, t *Token, refresh bool) (*entra.KeySet, KeyOrigin, error) {
	policy := t.Claims.Str("tfp")
	if policy == "" {
		policy = t.Claims.Str("acr")
	}
	metaURL, err := entra.MetadataURL(entra.TokenIssuer{Issuer: t.Claims.Str("iss"), Policy: policy}, d.AppID, d.Fetcher.Trust)
	if err != nil {
		return nil, KeyOrigin{}, err
	}
	d.mu.Lock()
	disc, ok := d.memo[metaURL]
	d.mu.Unlock()
	if !ok {
		md, prov, err := d.Fetcher.Metadata(ctx, metaURL)
		if err != nil {
			return nil, KeyOrigin{MetadataURL: metaURL}, fmt.Errorf("OpenID discovery: %w", err)
		}
		disc = &discovered{md: md, mdProv: prov}
		d.mu.Lock()
		if d.memo == nil {
			d.memo = map[string]*discovered{}
		}
		d.memo[metaURL] = disc
		d.mu.Unlock()
	}
	origin := KeyOrigin{MetadataURL: metaURL, MetadataIssuer: disc.md.Issuer, JWKSURL: disc.md.JWKSURI}
	set, prov, err := d.Fetcher.KeySet(ctx, disc.md.JWKSURI, refresh)
	if err != nil {
		return nil, origin, err
	}
	return set, originOf(prov, origin), nil
}

func originOf(p entra.Provenance, o KeyOrigin) KeyOrigin {
	o.FromCache = p.FromCache
	if !p.FetchedAt.IsZero() {
		at := p.FetchedAt
		o.FetchedAt = &at
	}
	return o
}
