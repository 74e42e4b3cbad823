package token

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
)

// extractJSON takes the tokens of the first JSON value in data, in document
// order: every string that is a JWT (or "Bearer" and a JWT; one starting
// "eyJ", or any three dot-separated segments under a token name), every JWT
// written inside a longer string, and a value that is not a JWT under a
// token name (access_token, id_token, token…: an opaque token). A value in
// an array is named by the key of the array. It returns errNotJSON when data
// is not JSON.
func extractJSON(data []byte, source string) (Extracted, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj, wantKey bool
		key          string
	}
	var st []frame
	field := func() string {
		if len(st) == 0 {
			return ""
		}
		return st[len(st)-1].key
	}
	valueDone := func() {
		if n := len(st); n > 0 && st[n-1].obj {
			st[n-1].wantKey = true
		}
	}
	ex := Extracted{Source: source}
	seen := map[string]bool{}
	add := func(tok, name string) {
		if !seen[tok] && len(ex.Candidates) < maxScanned {
			seen[tok] = true
			ex.Candidates = append(ex.Candidates, newCandidate(tok, name))
		}
	}
	for started := false; !started || len(st) > 0; started = true {
		t, err := dec.Token()
		if err == io.EOF && started && len(st) == 0 {
			break
		}
		if err != nil {
			return Extracted{}, errNotJSON
		}
		switch v := t.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				st = append(st, frame{obj: v == '{', wantKey: v == '{', key: field()})
			default:
				st = st[:len(st)-1]
				valueDone()
			}
		case string:
			if n := len(st); n > 0 && st[n-1].obj && st[n-1].wantKey {
				st[n-1].key, st[n-1].wantKey = v, false
				continue
			}
			jsonString(field(), v, add)
			valueDone()
		default:
			valueDone()
		}
	}
	if len(ex.Candidates) == 0 {
		return Extracted{}, &MalformedError{Part: "token", Reason: "the " + documentName(source) + " holds no token (no JWT, and no access_token, id_token or token member)"}
	}
	ex.choose()
	return ex, nil
}

func documentName(source string) string {
	if source == "python" {
		return "Python literal"
	}
	return "JSON input"
}

// jsonString takes the tokens of one string value found under name.
func jsonString(name, v string, add func(tok, name string)) {
	val := unquote(strings.TrimSpace(v))
	if len(val) > 7 && strings.EqualFold(val[:7], "bearer ") {
		val = strings.TrimSpace(val[7:])
	}
	if d := strings.Count(val, "."); (d == 2 || d == 4) && isCompact(val) && (strings.HasPrefix(val, "eyJ") || tokenName(name)) {
		add(val, name)
		return
	}
	if found := Scan(v); len(found) > 0 {
		for _, f := range found {
			label := name
			if kindFromName(f.Label) != "" {
				label = f.Label
			}
			add(f.Token, label)
		}
		return
	}
	if tokenName(name) && val != "" && isTokenLike(val) {
		add(val, name)
	}
}
