package easyauth

import (
	"errors"
	"fmt"
	"strings"
)

// Session cookie names.
const (
	SessionCookie    = "AppServiceAuthSession"
	SWASessionCookie = "StaticWebAppsAuthCookie"
)

// Cookie is a session cookie to send. Its Value is a secret.
type Cookie struct {
	Name  string
	Value string
}

// ParseCookie accepts the session cookie as its bare value,
// "AppServiceAuthSession=value", a cookie string ("a=b; AppServiceAuthSession=…")
// or a whole "Cookie:" header line copied from the browser. Other cookies are
// ignored. Errors never contain the cookie.
func ParseCookie(input string) (Cookie, error) {
	s := strings.TrimSpace(strings.TrimPrefix(input, "\ufeff"))
	if name, rest, ok := strings.Cut(s, ":"); ok && strings.EqualFold(strings.TrimSpace(name), "cookie") {
		s = strings.TrimSpace(rest)
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return Cookie{}, errors.New("the session cookie is empty")
	}
	if !strings.Contains(s, "=") || (!strings.Contains(s, ";") && !hasCookieName(s)) {
		// a bare value (base64 values may end in '=')
		if err := checkCookieValue(s); err != nil {
			return Cookie{}, err
		}
		return Cookie{Name: SessionCookie, Value: s}, nil
	}
	var names []string
	for _, part := range strings.Split(s, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		names = append(names, name)
		if strings.EqualFold(name, SessionCookie) || strings.EqualFold(name, SWASessionCookie) {
			value = strings.TrimSpace(value)
			if value == "" {
				return Cookie{}, fmt.Errorf("the %s cookie is empty", name)
			}
			if err := checkCookieValue(value); err != nil {
				return Cookie{}, err
			}
			return Cookie{Name: name, Value: value}, nil
		}
	}
	if len(names) > 10 {
		names = append(names[:10], "…")
	}
	return Cookie{}, fmt.Errorf("no %s cookie among the cookies given (%s)", SessionCookie, strings.Join(safeNames(names), ", "))
}

func hasCookieName(s string) bool {
	name, _, _ := strings.Cut(s, "=")
	return strings.EqualFold(strings.TrimSpace(name), SessionCookie) || strings.EqualFold(strings.TrimSpace(name), SWASessionCookie)
}

func checkCookieValue(v string) error {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x21 || c > 0x7e || c == ';' || c == ',' || c == '"' || c == '\\' {
			return errors.New("the session cookie holds characters a cookie cannot hold (copy the value of AppServiceAuthSession, or the whole Cookie header)")
		}
	}
	return nil
}

func safeNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if len(n) > 40 || !validHeaderName(n) && n != "…" {
			n = "?"
		}
		out = append(out, n)
	}
	return out
}
