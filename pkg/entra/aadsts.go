package entra

import (
	"strconv"
	"strings"
)

// AADSTS is one Entra sign-in error code from Microsoft's reference.
type AADSTS struct {
	Code int
	// Text is "Name – meaning" as Microsoft's table gives it (some rows have no name).
	Text string
}

// Name returns the error's symbolic name, such as "InvalidReplyTo", or "".
func (a AADSTS) Name() string {
	name, _, ok := strings.Cut(a.Text, " – ")
	if !ok || strings.ContainsAny(name, " (") {
		return ""
	}
	return name
}

// Meaning returns the description without the symbolic name.
func (a AADSTS) Meaning() string {
	if _, meaning, ok := strings.Cut(a.Text, " – "); ok && a.Name() != "" {
		return meaning
	}
	return a.Text
}

// LookupAADSTS finds an AADSTS code.
func LookupAADSTS(code int) (AADSTS, bool) {
	for _, a := range aadstsCodes {
		if a.Code == code {
			return a, true
		}
	}
	return AADSTS{}, false
}

// ParseAADSTS reads "AADSTS50011" or "50011" and returns the number.
func ParseAADSTS(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 6 && strings.EqualFold(s[:6], "AADSTS") {
		s = s[6:]
	}
	if len(s) < 4 || len(s) > 8 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// FindAADSTS returns the first AADSTS code mentioned in a message such as an
// error_description ("AADSTS50076: Due to a configuration change …").
func FindAADSTS(msg string) (int, bool) {
	i := strings.Index(msg, "AADSTS")
	if i < 0 {
		return 0, false
	}
	j := i + len("AADSTS")
	k := j
	for k < len(msg) && msg[k] >= '0' && msg[k] <= '9' {
		k++
	}
	if k == j {
		return 0, false
	}
	n, err := strconv.Atoi(msg[j:k])
	return n, err == nil
}
