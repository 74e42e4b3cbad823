// Package emulate runs App Service Authentication ("Easy Auth") on a
// developer's machine: a reverse proxy in front of an app that strips the
// identity headers a client could spoof, signs users in (mock users, or a
// real Entra sign-in), injects the X-MS-CLIENT-PRINCIPAL* and X-MS-TOKEN-AAD-*
// headers App Service injects, and serves /.auth/me, /.auth/refresh,
// /.auth/login/aad and /.auth/logout. A local issuer signs Entra v2-shaped
// tokens and serves their discovery document and key set.
package emulate

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Action is what happens to an unauthenticated request (App Service's
// unauthenticatedClientAction).
type Action string

// The unauthenticated actions.
const (
	// ActionRedirect sends browsers to the sign-in page and answers API
	// clients 401 (RedirectToLoginPage).
	ActionRedirect Action = "redirect"
	Action401      Action = "401"
	Action403      Action = "403"
	Action404      Action = "404"
	// ActionAllow passes the request on without identity (AllowAnonymous).
	ActionAllow Action = "allow"
)

// ParseAction reads an unauthenticated action; App Service's own names
// (RedirectToLoginPage, Return401, RejectWith404, AllowAnonymous, …) are accepted too.
func ParseAction(s string) (Action, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "redirect", "redirecttologinpage":
		return ActionRedirect, nil
	case "401", "return401", "rejectwith401":
		return Action401, nil
	case "403", "return403":
		return Action403, nil
	case "404", "return404", "rejectwith404":
		return Action404, nil
	case "allow", "allowanonymous":
		return ActionAllow, nil
	}
	return "", fmt.Errorf("unknown unauthenticated action %q: use redirect, 401, 403, 404 or allow", s)
}

// Config is everything the emulator needs.
type Config struct {
	// Listen is the address to listen on (host:port; port 0 picks one).
	Listen string
	// AllowNonLoopback permits a listen address that is not loopback.
	AllowNonLoopback bool
	// App is the upstream app (http or https).
	App *url.URL
	// Unauthenticated is the action for requests without a session.
	Unauthenticated Action
	// Exclude lists paths (and their subtrees) that need no sign-in.
	Exclude []string
	// Users are the mock users offered on the sign-in page.
	Users []User
	// TenantID and ClientID are the tenant and app registration the local
	// issuer mints tokens for.
	TenantID, ClientID string
	// TokenStoreOff emulates a disabled token store: no X-MS-TOKEN-* headers,
	// /.auth/me and /.auth/refresh answer 404.
	TokenStoreOff bool
	// NoRefreshToken emulates a sign-in without offline_access.
	NoRefreshToken bool
	// LoseTokensOnRestart empties the token store whenever the app comes
	// back after being unreachable (a restart or deploy), as App Service's
	// file-system token store is lost when a container restarts.
	LoseTokensOnRestart bool
	// TokenLifetime is the lifetime of minted tokens (default one hour).
	TokenLifetime time.Duration
	// SessionLifetime is the lifetime of a session (default 8 hours).
	SessionLifetime time.Duration
	// Entra, when set, signs users in with a real Entra authorization-code
	// flow instead of the mock sign-in page.
	Entra *EntraConfig
	// TLS, when set, is the certificate the emulator serves HTTPS with
	// (HTTP/2 and HTTP/1.1 by ALPN, as App Service does); nil serves plain
	// HTTP (HTTP/1.1 and h2c). With TLS, URLs are https and cookies Secure.
	TLS *tls.Certificate
	// Now is the clock.
	Now func() time.Time
	// Log receives one entry per request, and notices.
	Log func(Entry)
}

// Entry is one log line: a request, or a notice (Message set).
type Entry struct {
	Time     time.Time
	Method   string
	Path     string // without the query, which may carry codes
	Status   int
	User     string
	Duration time.Duration
	// Message is a notice (upstream down, a sign-in, …); Error marks it as a problem.
	Message string
	Error   bool
}

// ErrNotLoopback is returned for a non-loopback listen address without
// AllowNonLoopback: the emulator mints identities for anyone who asks.
var ErrNotLoopback = errors.New("the listen address is not a loopback address: anyone who can reach it can sign in as anyone")

// ListenError is a failure to listen.
type ListenError struct {
	Addr  string
	InUse bool
	Err   error
}

func (e *ListenError) Error() string {
	if e.InUse {
		return "cannot listen on " + e.Addr + ": the port is already in use"
	}
	return "cannot listen on " + e.Addr + ": " + e.Err.Error()
}

func (e *ListenError) Unwrap() error { return e.Err }

// IsLoopbackAddr reports whether a listen address (host:port) binds only loopback.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Config) validate() error {
	if c.App == nil || (c.App.Scheme != "http" && c.App.Scheme != "https") || c.App.Host == "" {
		return errors.New("the app must be an http or https URL such as http://127.0.0.1:8501")
	}
	if c.App.User != nil || c.App.RawQuery != "" || c.App.Fragment != "" {
		return errors.New("the app URL must not carry credentials, a query or a fragment")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("the listen address %q is not host:port", c.Listen)
	}
	if !c.AllowNonLoopback && !IsLoopbackAddr(c.Listen) {
		return ErrNotLoopback
	}
	if c.Unauthenticated == "" {
		c.Unauthenticated = ActionRedirect
	}
	if _, err := ParseAction(string(c.Unauthenticated)); err != nil {
		return err
	}
	for _, p := range c.Exclude {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("excluded path %q must start with /", p)
		}
	}
	if c.TokenLifetime <= 0 {
		c.TokenLifetime = time.Hour
	}
	if c.SessionLifetime <= 0 {
		c.SessionLifetime = 8 * time.Hour
	}
	if c.TenantID == "" {
		c.TenantID = DefaultTenantID
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = func(Entry) {}
	}
	return nil
}

// The tenant and client the local issuer uses unless told otherwise: fixed,
// so that an app's configuration survives restarts.
const (
	DefaultTenantID = "0d5e2a1c-7e57-4a11-9c0d-e5a57e0a11d0"
	DefaultClientID = "e5a57e0a-11d0-4c11-8e57-0d5e2a1c7e57"
)
