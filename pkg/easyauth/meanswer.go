package easyauth

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MeAnswer is an answer of /.auth/me as a user saved it: the body alone, or
// a `curl -v` or `curl -i` transcript with the status line and headers.
type MeAnswer struct {
	// Status is the HTTP status: 200 when only a body was given.
	Status int
	// Location is the target of a redirect.
	Location    string
	ContentType string
	Body        []byte
	// Host is the app's host when the transcript names it ("> Host:",
	// "* Connected to …"), else "".
	Host string
}

// MaxMeAnswer bounds a saved answer (4 MiB, as a live one).
const MaxMeAnswer = 4 << 20

// ErrNotMeAnswer means the input is neither a /.auth/me body nor a transcript.
var ErrNotMeAnswer = errors.New("not a /.auth/me answer: expected its JSON body, or the output of curl -v or curl -i")

// ParseMeAnswer reads a saved /.auth/me answer. A body (JSON, or an HTML
// page) stands for a 200 answer. In a transcript, the last response counts
// ("< HTTP/2 302" and its "< " headers for curl -v; a status line and
// headers up to a blank line for curl -i), and what is not a curl line is the
// body.
func ParseMeAnswer(data []byte) (MeAnswer, error) {
	if len(data) > MaxMeAnswer {
		return MeAnswer{}, errors.New("the /.auth/me answer is over 4 MiB")
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return MeAnswer{}, errors.New("the /.auth/me answer is binary data")
	}
	s := strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff"))
	if s == "" {
		return MeAnswer{}, errors.New("the /.auth/me answer is empty")
	}
	if c := s[0]; c == '[' || c == '{' || c == '<' && !strings.HasPrefix(s, "< ") && !strings.HasPrefix(s, "<\n") || s == "null" {
		return MeAnswer{Status: http.StatusOK, Body: []byte(s)}, nil
	}
	var a MeAnswer
	var body []string
	inHeaders := false // curl -i: between a status line and the blank line
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, "\r")
		switch {
		case strings.HasPrefix(l, "< ") || l == "<":
			rest := strings.TrimPrefix(strings.TrimPrefix(l, "<"), " ")
			if code, ok := statusLine(rest); ok {
				a.Status, a.Location, a.ContentType, body = code, "", "", nil
			} else {
				a.header(rest)
			}
		case strings.HasPrefix(l, "> "):
			if name, value, ok := strings.Cut(l[2:], ":"); ok && strings.EqualFold(strings.TrimSpace(name), "host") && a.Host == "" {
				a.Host = strings.TrimSpace(value)
			}
		case strings.HasPrefix(l, "* "):
			if rest, ok := strings.CutPrefix(strings.TrimSpace(l[2:]), "Connected to "); ok && a.Host == "" {
				a.Host, _, _ = strings.Cut(rest, " ")
			}
		case strings.HasPrefix(l, "{ [") || strings.HasPrefix(l, "} [") || l == ">":
			// curl's data lines ("{ [5 bytes data]") and the end of the request
		default:
			if i := strings.Index(l, "* Connection #"); i > 0 {
				l = l[:i] // a body without a final newline, then curl's last line
			}
			if code, ok := statusLine(l); ok {
				a.Status, a.Location, a.ContentType, body = code, "", "", nil
				inHeaders = true
				continue
			}
			if inHeaders {
				if strings.TrimSpace(l) == "" {
					inHeaders = false
				} else {
					a.header(l)
				}
				continue
			}
			body = append(body, l)
		}
	}
	a.Body = []byte(strings.TrimSpace(bodyStart(body)))
	if a.Status == 0 {
		if len(a.Body) == 0 {
			return MeAnswer{}, ErrNotMeAnswer
		}
		a.Status = http.StatusOK
	}
	return a, nil
}

// statusLine reads "HTTP/1.1 302 Found" or "HTTP/2 200".
func statusLine(l string) (int, bool) {
	f := strings.Fields(l)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0, false
	}
	code, err := strconv.Atoi(f[1])
	if err != nil || code < 100 || code > 599 {
		return 0, false
	}
	return code, true
}

func (a *MeAnswer) header(l string) {
	name, value, ok := strings.Cut(l, ":")
	if !ok {
		return
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "location":
		a.Location = strings.TrimSpace(value)
	case "content-type":
		a.ContentType = strings.TrimSpace(value)
	}
}

// bodyStart drops what comes before the body among the lines that are not
// curl's (its progress meter): the body starts at the first line that starts
// like JSON or HTML.
func bodyStart(lines []string) string {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t != "" && (t[0] == '[' || t[0] == '{' || t[0] == '<' || t == "null") {
			return strings.Join(lines[i:], "\n")
		}
	}
	return ""
}

// Interpret turns an answer of /.auth/me into the session's identities, or
// the failure a live call would report.
func (a MeAnswer) Interpret() ([]Identity, error) {
	if err := answerError("/.auth/me", a.Status, a.Location); err != nil {
		return nil, err
	}
	if looksHTML(a.ContentType, a.Body) {
		return nil, ErrNotSignedIn
	}
	return ParseMe(a.Body)
}

// answerError is the failure an /.auth endpoint's status means, or nil.
func answerError(path string, status int, location string) error {
	switch {
	case status >= 300 && status < 400:
		return redirectError(status, location)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		if path == "/.auth/refresh" {
			return &StatusError{Path: path, Status: status}
		}
		return ErrSessionRejected
	case status == http.StatusNotFound:
		if path == "/.auth/refresh" {
			return &StatusError{Path: path, Status: status}
		}
		return ErrNoAuthEndpoint
	case status != http.StatusOK:
		return &StatusError{Path: path, Status: status}
	}
	return nil
}

// LoginRedirectError is ErrNotSignedIn from a redirect, with what its
// Location says: where sign-in happens and for which app.
type LoginRedirectError struct {
	Status int
	// Target is the Location's host and path (or the path alone for a
	// redirect within the app, such as /.auth/login/aad).
	Target      string
	ClientID    string
	RedirectURI string
}

func (e *LoginRedirectError) Error() string {
	msg := fmt.Sprintf("not signed in: Easy Auth answered HTTP %d", e.Status)
	if e.Target != "" {
		msg += " to sign in at " + e.Target
	}
	var details []string
	if e.ClientID != "" {
		details = append(details, "client_id "+e.ClientID)
	}
	if e.RedirectURI != "" {
		details = append(details, "redirect_uri "+e.RedirectURI)
	}
	if len(details) > 0 {
		msg += " (" + strings.Join(details, ", ") + ")"
	}
	return msg
}

// Unwrap makes a LoginRedirectError an ErrNotSignedIn.
func (e *LoginRedirectError) Unwrap() error { return ErrNotSignedIn }

func redirectError(status int, location string) error {
	e := &LoginRedirectError{Status: status}
	u, err := url.Parse(strings.TrimSpace(location))
	if err != nil || location == "" {
		return e
	}
	e.Target = printable(u.Host + u.Path)
	q := u.Query()
	e.ClientID, e.RedirectURI = printable(q.Get("client_id")), printable(q.Get("redirect_uri"))
	return e
}

// printable drops control characters and bounds the length of a value
// quoted from a response.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Platform is where an app runs, as its host name tells, for fitting hints.
type Platform string

// Platforms.
const (
	PlatformAppService    Platform = "app-service"
	PlatformStaticWebApps Platform = "static-web-apps"
	PlatformContainerApps Platform = "container-apps"
)

// PlatformOf guesses the platform from an app's host: *.azurestaticapps.net
// is Static Web Apps, *.azurecontainerapps.io Container Apps, anything else
// App Service.
func PlatformOf(host string) Platform {
	h := strings.ToLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	switch {
	case strings.HasSuffix(h, ".azurestaticapps.net"):
		return PlatformStaticWebApps
	case strings.HasSuffix(h, ".azurecontainerapps.io"):
		return PlatformContainerApps
	}
	return PlatformAppService
}
