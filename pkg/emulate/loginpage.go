package emulate

import (
	"bytes"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/template"
)

// nonceCookie ties the sign-in form to the browser that loaded it, so that
// another site cannot post it (login CSRF). App Service sets a Nonce cookie too.
const nonceCookie = "Nonce"

// loginHTML is the sign-in page; New parses it (never at package
// initialisation: every azid command would pay for it). It is a
// text/template (cobra links text/template anyway; html/template's package
// initialisation cost every azid start 0.1 ms): every value goes through
// html, and every value stands in element text or a double-quoted attribute,
// where that escaping is complete. The page's CSP allows no script.
const loginHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · azid emulate</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}.note{color:#555;font-size:.9rem}.err{color:#a00}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input,textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}
button{margin:.3rem 0;padding:.5rem .9rem;font:inherit;cursor:pointer}.user{display:block;width:100%;text-align:left}
fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem 1rem}
</style></head><body>
<h1>Sign in to the app</h1>
<p class="note">This is <b>azid emulate</b>, a local stand-in for App Service Authentication. Pick a user or type one: nothing leaves this machine, and no password is asked.</p>
{{if .Error}}<p class="err" id="error">{{.Error | html}}</p>{{end}}
<form method="post" action="/.auth/login/aad">
<input type="hidden" name="nonce" value="{{.Nonce | html}}">
<input type="hidden" name="post_login_redirect_uri" value="{{.Redirect | html}}">
{{if .Users}}<fieldset><legend>Users</legend>
{{range $i, $u := .Users}}<button class="user" type="submit" name="user" value="{{$i | html}}" id="user-{{$i | html}}"><b>{{$u.Name | html}}</b> · {{$u.Username | html}}{{if $u.Roles}} · roles: {{range $j, $r := $u.Roles}}{{if $j}}, {{end}}{{$r | html}}{{end}}{{end}}</button>
{{end}}</fieldset>{{end}}
<fieldset><legend>{{if .Users}}Or another user{{else}}User{{end}}</legend>
<label for="username">Username (UPN or e-mail)</label><input id="username" name="username" value="{{.Default.Username | html}}" autocomplete="off">
<label for="name">Display name</label><input id="name" name="name" value="{{.Default.Name | html}}" autocomplete="off">
<label for="oid">Object ID <span class="note">(empty: derived from the username)</span></label><input id="oid" name="oid" value="" autocomplete="off">
<label for="roles">App roles <span class="note">(comma-separated)</span></label><input id="roles" name="roles" value="" autocomplete="off">
<label for="groups">Group IDs <span class="note">(comma-separated)</span></label><input id="groups" name="groups" value="" autocomplete="off">
<label for="claims">Extra claims <span class="note">(one key=value a line)</span></label><textarea id="claims" name="claims" rows="3"></textarea>
<button type="submit" name="user" value="custom" id="sign-in">Sign in</button>
</fieldset></form></body></html>`

type loginData struct {
	Error, Nonce, Redirect string
	Users                  []User
	Default                User
}

func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, msg string) {
	// A browser keeps its nonce across sign-in pages: it loads the page
	// more than once (another tab; /favicon.ico, redirected here too), and
	// a fresh nonce each time would void the form it is about to post.
	nonce := randomID(24)
	if c, err := r.Cookie(nonceCookie); err == nil && len(c.Value) == len(nonce) && isBase64URL(c.Value) {
		nonce = c.Value
	}
	// A fetch that is not a page (Sec-Fetch-Dest: image for the favicon)
	// will post nothing, and racing the page's own load it could replace
	// the page's nonce before the browser stored it: it gets none.
	if dest := r.Header.Get("Sec-Fetch-Dest"); dest == "" || dest == "document" || dest == "iframe" {
		s.setCookie(w, &http.Cookie{Name: nonceCookie, Value: nonce, Path: "/.auth/login", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	}
	// azid doctor reads this to tell the mock sign-in page from an app page
	w.Header().Set("X-Azid-Emulate", "mock-sign-in")
	d := loginData{Error: msg, Nonce: nonce, Redirect: s.loginRedirect(r), Users: s.cfg.Users}
	if len(s.cfg.Users) > 0 {
		d.Default = s.cfg.Users[0]
	}
	var b bytes.Buffer
	if err := s.loginTmpl.Execute(&b, d); err != nil {
		http.Error(w, "500 the sign-in page failed", http.StatusInternalServerError)
		return
	}
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	status := http.StatusOK
	if msg != "" {
		status = http.StatusBadRequest
	}
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(nonceCookie)
	if err != nil || c.Value == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("nonce"))) != 1 {
		s.loginPage(w, r, "The sign-in form expired or came from another page: sign in again.")
		return ""
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if u, err := url.Parse(o); err != nil || !strings.EqualFold(u.Host, r.Host) {
			http.Error(w, "403 Forbidden: cross-site sign-in", http.StatusForbidden)
			return ""
		}
	}
	var u User
	if pick := r.PostForm.Get("user"); pick != "custom" && pick != "" {
		i, err := strconv.Atoi(pick)
		if err != nil || i < 0 || i >= len(s.cfg.Users) {
			s.loginPage(w, r, "Unknown user.")
			return ""
		}
		u = s.cfg.Users[i]
	} else {
		u = User{Username: r.PostForm.Get("username"), Name: r.PostForm.Get("name"), ObjectID: strings.TrimSpace(r.PostForm.Get("oid")),
			Roles: splitList(r.PostForm.Get("roles")), Groups: splitList(r.PostForm.Get("groups"))}
		for _, line := range strings.Split(r.PostForm.Get("claims"), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			c, err := ParseClaim(line)
			if err != nil {
				s.loginPage(w, r, err.Error())
				return ""
			}
			u.Claims = append(u.Claims, c)
		}
		done, err := u.Complete()
		if err != nil {
			s.loginPage(w, r, strings.ToUpper(err.Error()[:1])+err.Error()[1:]+".")
			return ""
		}
		u = done
	}
	return s.signInUser(w, r, u)
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func page(title, body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + template.HTMLEscapeString(title) +
		` · azid emulate</title><style>body{font:15px/1.4 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}</style></head><body>` +
		body + `</body></html>`
}

func htmlPage(w http.ResponseWriter, status int, title, body string) {
	securityHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(page(title, body)))
}

func isBase64URL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
