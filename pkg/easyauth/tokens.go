package easyauth

import (
	"sort"
	"strings"
	"time"
)

// TokenHeader is one X-MS-TOKEN-<PROVIDER>-<KIND> header.
type TokenHeader struct {
	Header   string
	Provider string // "aad", "google", …
	// Kind is "id-token", "access-token", "refresh-token", "expires-on",
	// "access-token-secret" or "authentication-token".
	Kind  string
	Value string
}

var tokenKinds = [...]string{"ACCESS-TOKEN-SECRET", "AUTHENTICATION-TOKEN", "REFRESH-TOKEN", "ACCESS-TOKEN", "ID-TOKEN", "EXPIRES-ON"}

// TokenHeaders returns the X-MS-TOKEN-* headers, split into provider and kind.
func (h Headers) TokenHeaders() []TokenHeader {
	var out []TokenHeader
	for _, x := range h.WithPrefix("X-MS-TOKEN-") {
		rest := strings.ToUpper(x.Name[len("X-MS-TOKEN-"):])
		th := TokenHeader{Header: x.Name, Value: x.Value}
		for _, k := range tokenKinds {
			if strings.HasSuffix(rest, "-"+k) {
				th.Provider = strings.ToLower(strings.TrimSuffix(rest, "-"+k))
				th.Kind = strings.ToLower(k)
				break
			}
		}
		if th.Kind == "" {
			th.Provider, th.Kind = strings.ToLower(rest), "unknown"
		}
		out = append(out, th)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Provider < out[j].Provider })
	return out
}

// ParseExpiresOn reads an Easy Auth expiry: ISO 8601 in UTC with up to seven
// fractional digits ("2023-10-03T15:08:43.6226525Z"), or Unix seconds.
func ParseExpiresOn(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05.9999999Z07:00", "2006-01-02 15:04:05.9999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n = n*10 + int64(c-'0')
		if n > 1e12 {
			return time.Time{}, false
		}
	}
	if s == "" {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}
