package entra

import (
	"net/url"
	"strings"
)

// Cloud identifies a Microsoft identity cloud or product.
type Cloud string

// The clouds azid recognises from an issuer.
const (
	CloudPublic     Cloud = "public"
	CloudUSGov      Cloud = "usgov"
	CloudChina      Cloud = "china"
	CloudB2C        Cloud = "b2c"
	CloudExternalID Cloud = "external-id"
	CloudUnknown    Cloud = "unknown"
)

// Description is the cloud's name for people.
func (c Cloud) Description() string {
	switch c {
	case CloudPublic:
		return "Azure public cloud"
	case CloudUSGov:
		return "Azure US Government"
	case CloudChina:
		return "Azure China (21Vianet)"
	case CloudB2C:
		return "Azure AD B2C"
	case CloudExternalID:
		return "Microsoft Entra External ID"
	}
	return "not a Microsoft issuer"
}

// MSATenantID is the tenant of personal Microsoft accounts (consumers).
const MSATenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

// loginHosts maps every known Entra login or STS host to its cloud.
var loginHosts = [...]struct {
	host  string
	cloud Cloud
}{
	{"login.microsoftonline.com", CloudPublic},
	{"sts.windows.net", CloudPublic},
	{"login.windows.net", CloudPublic},
	{"login.microsoft.com", CloudPublic},
	{"login.microsoftonline.us", CloudUSGov},
	{"login-us.microsoftonline.com", CloudUSGov},
	{"login.cloudgovapi.us", CloudUSGov},
	{"login.partner.microsoftonline.cn", CloudChina},
	{"login.chinacloudapi.cn", CloudChina},
	{"sts.chinacloudapi.cn", CloudChina},
}

// CloudOfHost returns the cloud a login host belongs to, or CloudUnknown.
func CloudOfHost(host string) Cloud {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, h := range loginHosts {
		if h.host == host {
			return h.cloud
		}
	}
	switch {
	case strings.HasSuffix(host, ".b2clogin.com") && len(host) > len(".b2clogin.com"):
		return CloudB2C
	case strings.HasSuffix(host, ".ciamlogin.com") && len(host) > len(".ciamlogin.com"):
		return CloudExternalID
	}
	return CloudUnknown
}

// IssuerInfo is what an iss claim says about where a token came from.
type IssuerInfo struct {
	Host   string
	Cloud  Cloud
	Tenant string // the tenant path segment (B2C: after /tfp/), may be a GUID or a domain
	Policy string // B2C user flow from a /tfp/ issuer
	V2     bool   // the issuer ends in /v2.0
}

// ParseIssuer reads an issuer URL. It returns false when iss is not an
// https URL, or an http URL on a loopback host (a local issuer such as azid
// emulate's; whether its keys may be fetched is the TrustPolicy's call).
func ParseIssuer(iss string) (IssuerInfo, bool) {
	host, path, ok := splitHTTPS(iss)
	if !ok {
		u, err := url.Parse(iss)
		if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && isLoopbackHost(u.Host)) {
			return IssuerInfo{}, false
		}
		host, path = u.Host, u.Path
	}
	hostname := host
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		hostname = host[:i]
	}
	if hostname == "" {
		return IssuerInfo{}, false
	}
	info := IssuerInfo{Host: strings.ToLower(hostname), Cloud: CloudOfHost(hostname)}
	info.Tenant, info.Policy, info.V2 = issuerPath(path)
	return info, true
}

// issuerPath reads an issuer's path: the tenant first, or tfp/tenant/policy
// for B2C; v2 when the last segment is v2.0. It reads the segments without
// splitting the path, as this runs for every token of a stream.
func issuerPath(path string) (tenant, policy string, v2 bool) {
	trimmed := strings.Trim(path, "/")
	first, rest, _ := strings.Cut(trimmed, "/")
	tenant = first
	if first == "tfp" && strings.Count(trimmed, "/") >= 2 {
		tenant, rest, _ = strings.Cut(rest, "/")
		policy, _, _ = strings.Cut(rest, "/")
	}
	return tenant, policy, trimmed[strings.LastIndexByte(trimmed, '/')+1:] == "v2.0"
}

// IsGUID reports whether s has the 8-4-4-4-12 hexadecimal form of a GUID.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// GraphAppID is Microsoft Graph's application ID.
const GraphAppID = "00000003-0000-0000-c000-000000000000"

// IsGraphAudience reports whether aud names Microsoft Graph in any cloud.
func IsGraphAudience(aud string) bool {
	switch strings.TrimSuffix(strings.ToLower(aud), "/") {
	case GraphAppID, "https://graph.microsoft.com", "https://graph.microsoft.us",
		"https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn",
		"https://canary.graph.microsoft.com":
		return true
	}
	return false
}

// splitHTTPS splits a plain https URL (no userinfo, query, fragment or
// escapes) into host and path without the cost of net/url; anything else
// is left to url.Parse.
func splitHTTPS(s string) (host, path string, ok bool) {
	rest, found := strings.CutPrefix(s, "https://")
	if !found || strings.ContainsAny(rest, "@?#%[]\\ ") {
		return "", "", false
	}
	host = rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	if host == "" {
		return "", "", false
	}
	return host, path, true
}
