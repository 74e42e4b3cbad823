package cmdutil

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/token"
)

// VerifyFlags are the flags of `azid verify` and `azid decode --verify`.
type VerifyFlags struct {
	JWKS      string
	AppID     string
	Offline   bool
	Leeway    time.Duration
	At        string
	Issuers   []string
	Tenant    string
	Audiences []string
}

// Register adds the verification flags to fs.
func (v *VerifyFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&v.JWKS, "jwks", "", "verify with this key set (file or https URL) instead of the issuer's published keys")
	fs.StringVar(&v.AppID, "appid", "", "client ID of an app with a custom signing key (adds ?appid= to discovery)")
	fs.BoolVar(&v.Offline, "offline", false, "make no network call: use --jwks or the key cache only")
	fs.DurationVar(&v.Leeway, "leeway", token.DefaultLeeway, "clock skew allowed on exp and nbf")
	fs.StringArrayVar(&v.Issuers, "issuer", nil, "require this issuer (repeatable; {tenantid} is resolved against tid)")
	fs.StringVar(&v.Tenant, "tenant", "", "require this tenant ID (tid and the v1 or v2 issuer of that tenant)")
	fs.StringArrayVar(&v.Audiences, "audience", nil, "require this audience (repeatable; client ID and api://client-id match each other)")
}

// Options turns the flags into verification options with a key source.
// now is the evaluation instant (already resolved from --at by the caller).
func (v *VerifyFlags) Options(ctx context.Context, f *Factory, now time.Time, authorityHost string) (token.VerifyOptions, error) {
	if v.Leeway < 0 {
		return token.VerifyOptions{}, UsageErrorf("--leeway must not be negative")
	}
	if v.Tenant != "" && !entra.IsGUID(v.Tenant) {
		return token.VerifyOptions{}, UsageErrorf("--tenant must be a tenant ID (a GUID), not %q: the tid claim is always a GUID", v.Tenant)
	}
	opts := token.VerifyOptions{Now: now, Leeway: v.Leeway, Issuers: v.Issuers, Tenant: v.Tenant, Audiences: v.Audiences}
	fetcher, err := v.fetcher(f, authorityHost)
	if err != nil {
		return opts, err
	}
	opts.TrustedHost = fetcher.Trust.TrustedHost
	switch {
	case v.JWKS != "" && (strings.HasPrefix(v.JWKS, "https://") || strings.HasPrefix(v.JWKS, "http://")):
		u, err := url.Parse(v.JWKS)
		if err != nil || u.Host == "" {
			return opts, UsageErrorf("--jwks: %q is not a valid URL", v.JWKS)
		}
		opts.Keys = &token.URLKeys{Fetcher: fetcher, URL: v.JWKS}
	case v.JWKS != "":
		set, err := ReadJWKSFile(v.JWKS)
		if err != nil {
			return opts, err
		}
		abs, _ := filepath.Abs(v.JWKS)
		opts.Keys = token.StaticKeys{Set: set, Origin: token.KeyOrigin{File: abs}}
	default:
		opts.Keys = &token.DiscoveryKeys{Fetcher: fetcher, AppID: v.AppID}
	}
	return opts, nil
}

// ReadJWKSFile reads and parses a key set file.
func ReadJWKSFile(path string) (*entra.KeySet, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--jwks: %w", err)
	}
	defer fh.Close()
	data, err := ReadLimited(fh, entra.MaxJWKSSize, fmt.Errorf("--jwks: %s is over %d KiB", path, entra.MaxJWKSSize>>10))
	if err != nil {
		return nil, err
	}
	set, err := entra.ParseJWKS(data)
	if err != nil {
		return nil, fmt.Errorf("--jwks %s: %w", path, err)
	}
	if len(set.Keys) == 0 {
		return nil, fmt.Errorf("--jwks %s holds no usable RSA signing key", path)
	}
	return set, nil
}

// fetcher builds the key fetcher; the HTTP client is built only when a
// document must really be fetched.
func (v *VerifyFlags) fetcher(f *Factory, authorityHost string) (*entra.Fetcher, error) {
	trust := entra.TrustPolicy{}
	if authorityHost != "" {
		u, err := url.Parse(authorityHost)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, UsageErrorf("--authority-host: %q is not a URL such as https://login.microsoftonline.com", authorityHost)
		}
		trust.AuthorityHosts = []string{strings.ToLower(u.Host)}
		if u.Scheme == "http" {
			if !httpclient.IsLoopback(u.Hostname()) {
				return nil, UsageErrorf("--authority-host: plain http is allowed only for a loopback host (such as azid emulate's), not %q", u.Host)
			}
			trust.PlainHTTPHosts = trust.AuthorityHosts
		}
	}
	cacheDir := ""
	if f.CacheDir != nil {
		if dir, err := f.CacheDir(); err == nil {
			cacheDir = filepath.Join(dir, "keys")
		}
	}
	warn := func(msg string) { fmt.Fprintln(f.IOStreams.ErrOut, "warning: "+msg) }
	return &entra.Fetcher{CacheDir: cacheDir, Now: f.Now, Offline: v.Offline, Trust: trust, Warn: warn,
		ClientFunc: f.HTTPClient, DescribeError: httpclient.Describe}, nil
}
