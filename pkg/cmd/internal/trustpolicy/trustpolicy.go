// Package trustpolicy is azid's trust policy for signing keys: which hosts
// may serve OpenID metadata and key sets (Microsoft's login hosts and the
// configured --authority-host), and where a verification's keys come from
// (--jwks as a file or URL, or discovery of the token's issuer on a trusted
// host). Nothing a token says about its keys is ever used.
package trustpolicy

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/httpclient"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// Deps are what key discovery takes from the command's surroundings: where
// warnings go, the clock, the HTTP client (built on first use), the key
// cache's parent directory and the configured --authority-host.
type Deps struct {
	IO            *iostreams.IOStreams
	Now           func() time.Time
	HTTPClient    func() (*http.Client, error)
	CacheDir      func() (string, error)
	AuthorityHost string
}

// DepsFrom takes the discovery dependencies from the factory.
func DepsFrom(f *cmdutil.Factory) Deps {
	d := Deps{IO: f.IOStreams, Now: f.Now, HTTPClient: f.HTTPClient, CacheDir: f.CacheDir}
	if f.Global != nil {
		d.AuthorityHost = f.Global.AuthorityHost
	}
	return d
}

// Keys chooses the key source: the key set at jwks (an http(s) URL, fetched
// through fetcher, or a file), or else discovery of the token's issuer.
func Keys(fetcher *entra.Fetcher, jwks, appID string) (token.KeySource, error) {
	switch {
	case jwks != "" && (strings.HasPrefix(jwks, "https://") || strings.HasPrefix(jwks, "http://")):
		u, err := url.Parse(jwks)
		if err != nil || u.Host == "" {
			return nil, cmdutil.UsageErrorf("--jwks: %q is not a valid URL", jwks)
		}
		return &token.URLKeys{Fetcher: fetcher, URL: jwks}, nil
	case jwks != "":
		set, err := ReadJWKSFile(jwks)
		if err != nil {
			return nil, err
		}
		abs, _ := filepath.Abs(jwks)
		return token.StaticKeys{Set: set, Origin: token.KeyOrigin{File: abs}}, nil
	default:
		return &token.DiscoveryKeys{Fetcher: fetcher, AppID: appID}, nil
	}
}

// ReadJWKSFile reads and parses a key set file.
func ReadJWKSFile(path string) (*entra.KeySet, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--jwks: %w", err)
	}
	defer fh.Close()
	data, err := cmdutil.ReadLimited(fh, entra.MaxJWKSSize, fmt.Errorf("--jwks: %s is over %d KiB", path, entra.MaxJWKSSize>>10))
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

// Policy is the trust policy for a configured --authority-host ("" for
// Microsoft's login hosts alone): https, or plain http to a loopback host.
func Policy(authorityHost string) (entra.TrustPolicy, error) {
	var trust entra.TrustPolicy
	if authorityHost == "" {
		return trust, nil
	}
	u, err := url.Parse(authorityHost)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return trust, cmdutil.UsageErrorf("--authority-host: %q is not a URL such as https://login.microsoftonline.com", authorityHost)
	}
	trust.AuthorityHosts = []string{strings.ToLower(u.Host)}
	if u.Scheme == "http" {
		if !httpclient.IsLoopback(u.Hostname()) {
			return trust, cmdutil.UsageErrorf("--authority-host: plain http is allowed only for a loopback host (such as azid emulate's), not %q", u.Host)
		}
		trust.PlainHTTPHosts = trust.AuthorityHosts
	}
	return trust, nil
}

// Fetcher builds the key fetcher with the trust policy: Microsoft's login
// hosts, plus d.AuthorityHost when one is configured. The HTTP client is
// built only when a document must really be fetched.
func Fetcher(d Deps, offline bool) (*entra.Fetcher, error) {
	trust, err := Policy(d.AuthorityHost)
	if err != nil {
		return nil, err
	}
	cacheDir := ""
	if d.CacheDir != nil {
		if dir, err := d.CacheDir(); err == nil {
			cacheDir = filepath.Join(dir, "keys")
		}
	}
	var warn func(string)
	if d.IO != nil {
		errP := output.NewPalette(d.IO.ColorErr())
		warn = func(msg string) { output.Warning(d.IO.ErrOut, errP, "%s", msg) }
	}
	return &entra.Fetcher{CacheDir: cacheDir, Now: d.Now, Offline: offline, Trust: trust, Warn: warn,
		ClientFunc: d.HTTPClient, DescribeError: httpclient.Describe}, nil
}
