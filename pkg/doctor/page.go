package doctor

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// maxPage is how much of a page the doctor reads.
const maxPage = 256 << 10

// scriptRedirect matches the ways a page's script or meta tag sends the
// browser on: location.replace("…"), location.assign('…'),
// location.href = "…", window.location = '…', and meta refresh.
// They are compiled on first use: azid's start-up pays nothing for them.
var (
	jsRedirect = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:\.\s*(?:replace|assign)\s*\(\s*|=\s*)("(?:[^"\\\n]|\\.)+"|'(?:[^'\\\n]|\\.)+')`)
	})
	metaRefresh = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)<meta[^>]{0,200}http-equiv\s*=\s*["']?refresh["']?[^>]{0,200}content\s*=\s*("[^"]*"|'[^']*')`)
	})
)

// PageRedirect finds the URL a 200 page redirects the browser to with a
// script (Easy Auth's sign-in page when URL fragments are preserved) or a
// meta refresh. It returns false when the page has no such redirect.
func PageRedirect(body []byte) (string, bool) {
	if len(body) > maxPage {
		body = body[:maxPage]
	}
	s := string(body)
	if m := jsRedirect().FindStringSubmatch(s); m != nil {
		if u, ok := unquoteJS(m[1]); ok && u != "" {
			return u, true
		}
	}
	if m := metaRefresh().FindStringSubmatch(s); m != nil {
		content := html.UnescapeString(m[1][1 : len(m[1])-1])
		// find "url=" case-insensitively by byte, so the offset is content's own
		// (strings.ToLower can change the length of invalid UTF-8)
		if i := indexFoldASCII(content, "url="); i >= 0 {
			u := strings.TrimSpace(content[i+len("url="):])
			u = strings.Trim(u, `'"`)
			if u != "" {
				return u, true
			}
		}
	}
	return "", false
}

// unquoteJS decodes a JavaScript string literal: \" \' \\ \/ \n \xHH \uHHHH.
func unquoteJS(lit string) (string, bool) {
	if len(lit) < 2 {
		return "", false
	}
	in := lit[1 : len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(in) {
			return "", false
		}
		switch e := in[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u':
			n := 2
			if e == 'u' {
				n = 4
			}
			if i+1+n > len(in) {
				return "", false
			}
			v, err := strconv.ParseUint(in[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", false
			}
			b.WriteRune(rune(v))
			i += n
		default:
			b.WriteByte(e)
		}
	}
	return strings.TrimSpace(b.String()), true
}

// indexFoldASCII is strings.Index with ASCII case folding, by byte offset.
func indexFoldASCII(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
