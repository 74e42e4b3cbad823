package entra

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// ErrorText is what a pasted Entra error holds: the AADSTS codes, the IDs
// support asks for, and the values some messages quote.
type ErrorText struct {
	// Codes are the AADSTS codes mentioned, in order, each once.
	Codes []int
	// TraceID, CorrelationID and Timestamp are the request's identifiers
	// ("Trace ID: …", "Request Id: …" on the error page, "correlation_id": …).
	TraceID       string
	CorrelationID string
	Timestamp     string
	// RedirectURI is the redirect URI a message quotes ("The redirect URI
	// '…' specified in the request does not match …"), or the redirect_uri of
	// a pasted URL.
	RedirectURI string
	// AppID is the application a message names ("the application '…'", "app
	// ID '…'"), or the client_id of a pasted URL.
	AppID string
}

// maxErrorText bounds the text ParseErrorText reads (64 KiB: a whole page).
const maxErrorText = 64 << 10

// ParseErrorText reads the AADSTS codes and identifiers in any text: an error
// line ("AADSTS50011: The redirect URI …"), Entra's JSON error response
// (error_description, error_codes, trace_id, correlation_id), a redirect URL
// with error_description=, or the text of a whole sign-in error page.
func ParseErrorText(s string) ErrorText {
	if len(s) > maxErrorText {
		s = s[:maxErrorText]
	}
	text := readable(s)
	var e ErrorText
	seen := map[int]bool{}
	addCode := func(n int) {
		if n > 0 && !seen[n] && len(e.Codes) < 32 {
			seen[n] = true
			e.Codes = append(e.Codes, n)
		}
	}
	for _, m := range regexp.MustCompile(`(?i)AADSTS(\d{4,8})\b`).FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		addCode(n)
	}
	if m := regexp.MustCompile(`"error_codes"\s*:\s*\[([\d,\s]*)\]`).FindStringSubmatch(text); m != nil {
		for _, f := range strings.Split(m[1], ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n >= 1000 && n < 100000000 {
				addCode(n)
			}
		}
	}
	const guid = `([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})`
	find := func(expr string) string {
		if m := regexp.MustCompile(expr).FindStringSubmatch(text); m != nil {
			return m[1]
		}
		return ""
	}
	e.TraceID = find(`(?i)(?:trace|request)[ _-]?id"?\s*[:=]\s*"?` + guid)
	e.CorrelationID = find(`(?i)correlation[ _-]?id"?\s*[:=]\s*"?` + guid)
	e.Timestamp = find(`(?i)timestamp"?\s*[:=]\s*"?(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?Z?)`)
	e.RedirectURI = find(`(?i)(?:redirect URI|reply address) '([^'\s]{1,500})'`)
	e.AppID = find(`(?i)(?:application|app ID|app) '` + guid + `'`)
	if e.RedirectURI == "" || e.AppID == "" {
		for _, m := range regexp.MustCompile(`[?&#](redirect_uri|client_id)=([^&#\s"']{1,500})`).FindAllStringSubmatch(s, 4) {
			v, err := url.QueryUnescape(m[2])
			if err != nil {
				continue
			}
			if m[1] == "redirect_uri" && e.RedirectURI == "" {
				e.RedirectURI = v
			} else if m[1] == "client_id" && e.AppID == "" && regexp.MustCompile(`^`+guid+`$`).MatchString(v) {
				e.AppID = v
			}
		}
	}
	e.RedirectURI = printableText(e.RedirectURI)
	return e
}

// readable undoes what wraps an error's text: the JSON string escapes of an
// error response, and the URL encoding of a redirect's error_description=.
func readable(s string) string {
	parts := []string{s}
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") {
		var doc map[string]any
		if json.Unmarshal([]byte(t), &doc) == nil {
			b, _ := json.Marshal(doc) // keys as written, values re-escaped the same way
			parts = append(parts, string(b))
			for _, k := range []string{"error_description", "message"} {
				if v, ok := doc[k].(string); ok {
					parts = append(parts, v)
				}
			}
		}
	}
	if strings.Contains(s, "error_description=") || strings.Contains(s, "%3a") || strings.Contains(s, "%3A") || strings.Contains(s, "%27") {
		if u, err := url.QueryUnescape(strings.ReplaceAll(s, "%%", "%25%")); err == nil {
			parts = append(parts, u)
		} else {
			for _, m := range regexp.MustCompile(`error_description=([^&#\s"']+)`).FindAllStringSubmatch(s, 4) {
				if u, err := url.QueryUnescape(m[1]); err == nil {
					parts = append(parts, u)
				}
			}
		}
	}
	return strings.Join(parts, "\n")
}

// printableText drops control characters from a value quoted from input.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}
