// Package verification holds what `azid verify` and `azid decode --verify`
// share: the verification flags, their translation into token.VerifyOptions,
// and the verdict (warnings on stderr, the exit-3 error).
package verification

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/token"
)

// Flags are the flags of `azid verify` and `azid decode --verify`.
type Flags struct {
	JWKS      string
	AppID     string
	Offline   bool
	Leeway    time.Duration
	Issuers   []string
	Tenant    string
	Audiences []string
}

// Register adds the verification flags to fs.
func (v *Flags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&v.JWKS, "jwks", "", "verify with this key set (file or https URL) instead of the issuer's published keys")
	fs.StringVar(&v.AppID, "appid", "", "client ID of an app with a custom signing key (adds ?appid= to discovery)")
	fs.BoolVar(&v.Offline, "offline", false, "make no network call: use --jwks or the key cache only")
	fs.DurationVar(&v.Leeway, "leeway", token.DefaultLeeway, "clock skew allowed on exp and nbf")
	fs.StringArrayVar(&v.Issuers, "issuer", nil, "require this issuer (repeatable; {tenantid} is resolved against tid)")
	fs.StringVar(&v.Tenant, "tenant", "", "require this tenant ID (tid and the v1 or v2 issuer of that tenant)")
	fs.StringArrayVar(&v.Audiences, "audience", nil, "require this audience (repeatable; client ID and api://client-id match each other)")
}

// Options turns the flags into verification options with a key source
// discovered through d. now is the evaluation instant (already resolved from
// --at by the caller).
func (v *Flags) Options(d trustpolicy.Deps, now time.Time) (token.VerifyOptions, error) {
	if v.Leeway < 0 {
		return token.VerifyOptions{}, cmdutil.UsageErrorf("--leeway must not be negative")
	}
	if v.Tenant != "" && !entra.IsGUID(v.Tenant) {
		return token.VerifyOptions{}, cmdutil.UsageErrorf("--tenant must be a tenant ID (a GUID), not %q: the tid claim is always a GUID", v.Tenant)
	}
	opts := token.VerifyOptions{Now: now, Leeway: v.Leeway, Issuers: v.Issuers, Tenant: v.Tenant, Audiences: v.Audiences}
	fetcher, err := trustpolicy.Fetcher(d, v.Offline)
	if err != nil {
		return opts, err
	}
	opts.TrustedHost = fetcher.Trust.TrustedHost
	if opts.Keys, err = trustpolicy.Keys(fetcher, v.JWKS, v.AppID); err != nil {
		return opts, err
	}
	return opts, nil
}
