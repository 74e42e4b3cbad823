package entra

import (
	"slices"
	"strconv"
	"strings"
)

// AADSTS is one Entra sign-in error code: what it means and what to do.
type AADSTS struct {
	Code int
	// Name is Microsoft's symbolic name for the code ("InvalidReplyTo")
	// where its reference gives one, or else a short title in words ("No
	// reply address registered"); Symbolic tells which.
	Name string
	// Meaning says what happened, in azid's words.
	Meaning string
	// Fix is what to do about it, or "" when nothing can be done but wait.
	Fix string
}

// Symbolic reports whether Name is Microsoft's symbolic name (one word)
// rather than a title.
func (a AADSTS) Symbolic() bool { return a.Name != "" && !strings.Contains(a.Name, " ") }

// LookupAADSTS finds an AADSTS code.
func LookupAADSTS(code int) (AADSTS, bool) {
	table := aadstsShort[:]
	if code >= 100000 {
		table = aadstsLong[:]
	}
	i, found := slices.BinarySearchFunc(table, code, func(a AADSTS, c int) int { return a.Code - c })
	if !found {
		return AADSTS{}, false
	}
	return table[i], true
}

// AADSTSCodes returns every code in the catalogue, in ascending order.
func AADSTSCodes() []int {
	out := make([]int, 0, len(aadstsShort)+len(aadstsLong))
	for _, a := range aadstsShort {
		out = append(out, a.Code)
	}
	for _, a := range aadstsLong {
		out = append(out, a.Code)
	}
	return out
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
