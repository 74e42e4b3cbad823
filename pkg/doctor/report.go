// Package doctor diagnoses an app's App Service Authentication (Easy Auth)
// from outside: what the sign-in redirect, /.auth/me and, given them, the
// user's session and the site's ARM configuration say is wrong, each as a
// check with a stable ID, a status, the evidence and the fix.
//
// It makes GET requests only and never follows a redirect. It takes a
// context, an *http.Client and a clock; it prints nothing.
package doctor

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// Status is a check's outcome.
type Status string

// The check outcomes. A check that was not made is Skipped, never OK.
const (
	OK      Status = "ok"
	Warn    Status = "warn"
	Fail    Status = "fail"
	Skipped Status = "skipped"
)

// Check is one diagnosis. ID is stable across releases; Summary is one line;
// Evidence are the observations it rests on (URLs with state and nonce
// redacted, never a cookie or a token); Fix is what to change (empty for ok
// and skipped checks); Docs is a Microsoft Learn page about it.
type Check struct {
	ID       string   `json:"id"`
	Status   Status   `json:"status"`
	Summary  string   `json:"summary"`
	Evidence []string `json:"evidence"`
	Fix      string   `json:"fix"`
	Docs     string   `json:"docs"`
}

// Report is everything the doctor found about one app.
type Report struct {
	URL      string   `json:"url"`
	Platform Platform `json:"platform"`
	Checks   []Check  `json:"checks"`
	// CredentialRejected is true when the session given was refused by the app.
	CredentialRejected bool `json:"-"`
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Check returns the check with id, or nil.
func (r *Report) Check(id string) *Check {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}

// ToFix returns the failed checks, then the warnings, each in check order
// (the order in which the checks depend on each other): what to fix first.
func (r *Report) ToFix() []Check {
	var fails, warns []Check
	for _, c := range r.Checks {
		switch c.Status {
		case Fail:
			fails = append(fails, c)
		case Warn:
			warns = append(warns, c)
		}
	}
	return append(fails, warns...)
}

func (r *Report) add(c Check) {
	if c.Evidence == nil {
		c.Evidence = []string{}
	}
	r.Checks = append(r.Checks, c)
}

func skipped(id, why, docs string) Check {
	return Check{ID: id, Status: Skipped, Summary: why, Docs: docs}
}

// Platform is the kind of Azure host an app runs on, which decides the
// Easy Auth contract (token store kinds, /.auth/me shape).
type Platform string

// The platforms the doctor tells apart.
const (
	AppService    Platform = "app-service"
	ContainerApps Platform = "container-apps"
	StaticWebApps Platform = "static-web-apps"
	CustomDomain  Platform = "custom-domain"
	Local         Platform = "local"
)

// Description names the platform for people.
func (p Platform) Description() string {
	switch p {
	case AppService:
		return "Azure App Service (or Functions)"
	case ContainerApps:
		return "Azure Container Apps"
	case StaticWebApps:
		return "Azure Static Web Apps"
	case Local:
		return "a local (loopback) host"
	}
	return "a custom domain"
}

// ParsePlatform reads a platform name as the user may write it.
func ParsePlatform(s string) (Platform, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "app-service", "appservice", "functions", "webapp":
		return AppService, nil
	case "container-apps", "containerapps", "aca":
		return ContainerApps, nil
	case "static-web-apps", "staticwebapps", "swa":
		return StaticWebApps, nil
	case "custom-domain", "custom":
		return CustomDomain, nil
	}
	return "", fmt.Errorf("unknown platform %q: use app-service, container-apps or static-web-apps", s)
}

// hostSuffixes map Azure default host names to platforms, sovereign clouds included.
var hostSuffixes = []struct {
	suffix   string
	platform Platform
}{
	{".azurewebsites.net", AppService},
	{".azurewebsites.us", AppService},
	{".chinacloudsites.cn", AppService},
	{".appserviceenvironment.net", AppService},
	{".azurecontainerapps.io", ContainerApps},
	{".azurecontainerapps.us", ContainerApps},
	{".azurecontainerapps.cn", ContainerApps},
	{".azurestaticapps.net", StaticWebApps},
	{".azurestaticapps.us", StaticWebApps},
}

// ClassifyHost returns the platform a host name (with or without port)
// belongs to: an Azure default domain, loopback, or a custom domain.
func ClassifyHost(host string) Platform {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if hn, _, err := net.SplitHostPort(h); err == nil {
		h = hn
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return Local
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return Local
	}
	for _, s := range hostSuffixes {
		if strings.HasSuffix(h, s.suffix) && len(h) > len(s.suffix) {
			return s.platform
		}
	}
	return CustomDomain
}

// RequestError is a network failure that stopped the doctor before it
// could diagnose anything (DNS, TLS, refused, timeout).
type RequestError struct {
	URL string
	Err error
}

func (e *RequestError) Error() string { return "requesting " + e.URL + ": " + e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// ErrNotHTTPS is returned for an http:// app URL that is not on loopback.
var ErrNotHTTPS = errors.New("plain HTTP is allowed only to loopback hosts: use https")
