package entra

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// TrustPolicy says which hosts azid may fetch OpenID metadata and keys from:
// the known Microsoft login hosts, plus the configured authority hosts.
type TrustPolicy struct {
	// AuthorityHosts are extra trusted hosts (host or host:port), from --authority-host.
	AuthorityHosts []string
	// PlainHTTPHosts are loopback hosts (host:port) of an http:// --authority-host
	// (a local issuer such as the Easy Auth emulator): their issuers, metadata
	// and keys may be fetched over plain HTTP. Any other host needs https.
	PlainHTTPHosts []string
}

// PlainHTTP reports whether host (host:port) may be fetched over plain HTTP:
// only a configured loopback authority host may.
func (p TrustPolicy) PlainHTTP(host string) bool {
	for _, h := range p.PlainHTTPHosts {
		if strings.EqualFold(h, host) && isLoopbackHost(h) {
			return true
		}
	}
	return false
}

func isLoopbackHost(hostport string) bool {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = hostport
	}
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// TrustedHost reports whether azid may fetch metadata or keys from host (host or host:port).
func (p TrustPolicy) TrustedHost(host string) bool {
	host = strings.ToLower(host)
	for _, h := range p.AuthorityHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	if h, port, err := net.SplitHostPort(host); err == nil {
		if port != "443" {
			return false
		}
		host = h
	}
	return CloudOfHost(host) != CloudUnknown
}

// ErrUntrustedIssuer means a token's issuer is not on a host azid fetches keys from.
var ErrUntrustedIssuer = errors.New("issuer is not on a known Microsoft login host")

// TokenIssuer is what a token says about who issued it.
type TokenIssuer struct {
	Issuer string
	// Policy is the B2C user flow (tfp or acr claim), for B2C issuers that omit it.
	Policy string
}

// metadataHost maps v1 STS issuer hosts to the login host that serves their metadata.
func metadataHost(host string) string {
	switch host {
	case "sts.windows.net":
		return "login.microsoftonline.com"
	case "sts.chinacloudapi.cn":
		return "login.chinacloudapi.cn"
	}
	return host
}

// MetadataURL returns the OpenID configuration URL that describes the keys of
// a token's issuer: v1 metadata for v1 issuers, v2 for v2, per user flow for
// B2C, with ?appid= for apps with custom signing keys. It refuses issuers on
// hosts the policy does not trust: azid never fetches a URL a token merely claims.
func MetadataURL(ti TokenIssuer, appID string, p TrustPolicy) (string, error) {
	u, err := url.Parse(ti.Issuer)
	plain := err == nil && u.Scheme == "http" && p.PlainHTTP(u.Host)
	if err != nil || (u.Scheme != "https" && !plain) || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("issuer is not an https URL")
	}
	host := strings.ToLower(u.Host)
	if !p.TrustedHost(host) {
		return "", fmt.Errorf("%w (%s)", ErrUntrustedIssuer, sanitizeHost(host))
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for _, s := range segs {
		if !SafeSegment(s) {
			return "", errors.New("issuer path has unexpected characters")
		}
	}
	v2 := segs[len(segs)-1] == "v2.0"
	var path string
	switch {
	case CloudOfHost(host) == CloudB2C && len(segs) == 4 && segs[0] == "tfp":
		path = "/" + segs[1] + "/" + segs[2] + "/v2.0/.well-known/openid-configuration"
	case CloudOfHost(host) == CloudB2C && len(segs) == 2 && v2:
		if ti.Policy == "" || !SafeSegment(ti.Policy) {
			return "", errors.New("B2C token names no user flow (tfp or acr claim), so its metadata cannot be found: give its key set instead")
		}
		path = "/" + segs[0] + "/" + ti.Policy + "/v2.0/.well-known/openid-configuration"
	case len(segs) == 2 && v2:
		path = "/" + segs[0] + "/v2.0/.well-known/openid-configuration"
	case len(segs) == 1 && segs[0] != "":
		path = "/" + segs[0] + "/.well-known/openid-configuration"
	default:
		return "", errors.New("issuer does not have the form https://host/{tenant}/ or https://host/{tenant}/v2.0")
	}
	meta := "https://" + metadataHost(host) + path
	if plain {
		meta = "http://" + host + path
	}
	if appID != "" {
		meta += "?appid=" + url.QueryEscape(appID)
	}
	return meta, nil
}

// SafeSegment reports whether s (a tenant or policy name) can go into a URL
// path as it is: letters, digits, -, _ and ., at most 128, never . or ..
func SafeSegment(s string) bool {
	if s == "" || len(s) > 128 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func sanitizeHost(h string) string {
	var b strings.Builder
	for _, r := range h {
		if r < 0x20 || r == 0x7f || b.Len() > 100 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Metadata is the part of an OpenID configuration azid uses.
type Metadata struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

// ResolveIssuer substitutes {tenantid} in an issuer template with tid.
func ResolveIssuer(template, tid string) string {
	return strings.ReplaceAll(template, "{tenantid}", tid)
}
