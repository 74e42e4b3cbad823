package fakeidp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// STS fakes Entra's v2.0 devicecode, authorize and token endpoints as
// shared/reference/msal-go.md describes them, with scripted answers.
type STS struct {
	mu  sync.Mutex
	Key *testjwt.Key
	// User is who signs in.
	Username, Name, ObjectID, TenantID string
	// DevicePending is how many polls answer authorization_pending first.
	DevicePending int
	// DeviceOutcome ends the device flow: "" (success), "declined", "expired", "bad_code".
	DeviceOutcome string
	// TokenLifetime is the expires_in of tokens from sign-in; RefreshLifetime
	// of tokens from a refresh (defaults: one hour).
	TokenLifetime, RefreshLifetime time.Duration
	// RefreshError, when set, is the error body returned to refresh_token grants.
	RefreshError map[string]any
	// DeviceError, when set, is returned to the devicecode request.
	DeviceError map[string]any
	// ClientSecret is the secret client_credentials must present ("" accepts a certificate assertion only).
	ClientSecret string
	// RefreshDelay slows refresh answers (to widen races in tests).
	RefreshDelay time.Duration

	grants  map[string]int
	claims  []string
	polls   int
	codes   map[string]string // authorization code → PKCE challenge
	nonces  map[string]string // authorization code → nonce of its authorize request
	counter int
}

// Grants returns how many token requests each grant type made ("logout":
// how many sign-outs the end-session endpoint saw).
func (s *STS) Grants(grant string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.grants[grant]
}

// Claims returns the claims form parameter of every token request that sent
// one, in order.
func (s *STS) Claims() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.claims...)
}

// ServeSTS serves sts's endpoints under every tenant path of this server.
func (s *Server) ServeSTS(sts *STS) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sts = sts
	if sts.grants == nil {
		sts.grants = map[string]int{}
		sts.codes = map[string]string{}
		sts.nonces = map[string]string{}
	}
}

func (s *STS) serve(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/devicecode"):
		s.deviceCode(w, r)
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/token"):
		s.token(w, r)
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/authorize"):
		s.authorize(w, r)
	case strings.HasSuffix(r.URL.Path, "/oauth2/v2.0/logout"):
		s.logout(w, r)
	default:
		return false
	}
	return true
}

func oauthError(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// AADError is an Entra error response for an AADSTS code.
func AADError(oauth string, code int, text string) map[string]any {
	return map[string]any{
		"error":             oauth,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: 0000 Correlation ID: 1111 Timestamp: 2026-11-30 12:00:00Z", code, text),
		"error_codes":       []int{code},
		"timestamp":         "2026-11-30 12:00:00Z",
		"trace_id":          "00000000-0000-0000-0000-000000000000",
		"correlation_id":    "11111111-1111-1111-1111-111111111111",
		"error_uri":         fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code),
	}
}

func (s *STS) deviceCode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.DeviceError != nil {
		oauthError(w, http.StatusBadRequest, s.DeviceError)
		return
	}
	s.polls = 0
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"user_code":        "FAKE-CODE",
		"device_code":      "device-code-secret",
		"verification_uri": "https://microsoft.com/devicelogin",
		"expires_in":       900,
		"interval":         5,
		"message":          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FAKE-CODE to authenticate.",
	})
}

func (s *STS) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, state, challenge := q.Get("redirect_uri"), q.Get("state"), q.Get("code_challenge")
	u, err := url.Parse(redirect)
	if err != nil || (u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1") || q.Get("code_challenge_method") != "S256" || challenge == "" {
		http.Error(w, "bad authorize request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.counter++
	code := fmt.Sprintf("auth-code-%d", s.counter)
	s.codes[code] = challenge
	s.nonces[code] = q.Get("nonce")
	s.mu.Unlock()
	if q.Get("response_mode") == "query" {
		// the signed-in browser is sent back with the code, as Entra does
		// for response_mode=query (an OpenID Connect web app such as azid emulate)
		http.Redirect(w, r, redirect+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
		return
	}
	// form_post: the "browser" posts the code to the loopback redirect URI
	resp, err := http.PostForm(redirect, url.Values{"code": {code}, "state": {state}})
	if err != nil {
		http.Error(w, "cannot reach the redirect URI: "+err.Error(), http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	w.Write([]byte("signed in; you can close this window"))
}

// logout is Entra's end-session endpoint: it counts the sign-out and sends
// the browser to a loopback post_logout_redirect_uri (Entra's rule is a
// registered redirect URI; the fake trusts loopback), or shows its own page.
func (s *STS) logout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.grants["logout"]++
	s.mu.Unlock()
	back := r.URL.Query().Get("post_logout_redirect_uri")
	if u, err := url.Parse(back); err == nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		http.Redirect(w, r, back, http.StatusFound)
		return
	}
	w.Write([]byte("You signed out of your account."))
}

func (s *STS) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, 400, map[string]any{"error": "invalid_request"})
		return
	}
	grant := r.PostForm.Get("grant_type")
	s.mu.Lock()
	s.grants[grant]++
	if c := r.PostForm.Get("claims"); c != "" {
		s.claims = append(s.claims, c)
	}
	s.mu.Unlock()
	switch grant {
	case "device_code", "urn:ietf:params:oauth:grant-type:device_code":
		s.mu.Lock()
		s.polls++
		pending := s.polls <= s.DevicePending
		outcome := s.DeviceOutcome
		s.mu.Unlock()
		switch {
		case pending:
			oauthError(w, 400, AADError("authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling."))
		case outcome == "declined":
			oauthError(w, 400, AADError("authorization_declined", 70000, "The user declined the sign-in."))
		case outcome == "expired":
			oauthError(w, 400, AADError("expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired."))
		case outcome == "bad_code":
			oauthError(w, 400, AADError("bad_verification_code", 70018, "Invalid verification code."))
		default:
			s.issue(w, r, s.TokenLifetime, true)
		}
	case "refresh_token":
		if s.RefreshDelay > 0 {
			time.Sleep(s.RefreshDelay)
		}
		s.mu.Lock()
		fail := s.RefreshError
		s.mu.Unlock()
		if fail != nil {
			oauthError(w, 400, fail)
			return
		}
		s.issue(w, r, s.RefreshLifetime, true)
	case "authorization_code":
		s.mu.Lock()
		challenge, ok := s.codes[r.PostForm.Get("code")]
		nonce := s.nonces[r.PostForm.Get("code")]
		delete(s.codes, r.PostForm.Get("code"))
		delete(s.nonces, r.PostForm.Get("code"))
		s.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			oauthError(w, 400, AADError("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."))
			return
		}
		s.issueNonce(w, r, s.TokenLifetime, true, nonce)
	case "client_credentials":
		if s.ClientSecret != "" && r.PostForm.Get("client_secret") != s.ClientSecret && r.PostForm.Get("client_assertion") == "" {
			oauthError(w, 401, AADError("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."))
			return
		}
		s.issue(w, r, time.Hour, false)
	default:
		oauthError(w, 400, AADError("unsupported_grant_type", 70003, "The app requested an unsupported grant type."))
	}
}

// issue answers a token request: a signed access token, and for users an
// unsigned ID token, client_info and a refresh token. As Entra does, the
// tokens' tid and iss and client_info's utid name the account's real tenant
// (TenantID) whatever the request path says: organizations, common, a
// domain or the GUID.
func (s *STS) issue(w http.ResponseWriter, r *http.Request, lifetime time.Duration, user bool) {
	s.issueNonce(w, r, lifetime, user, "")
}

// issueNonce is issue with the nonce of the authorize request in the ID token.
func (s *STS) issueNonce(w http.ResponseWriter, r *http.Request, lifetime time.Duration, user bool, nonce string) {
	if lifetime == 0 {
		lifetime = time.Hour
	}
	s.mu.Lock()
	s.counter++
	n := s.counter
	s.mu.Unlock()
	var scopes []string
	for _, sc := range strings.Fields(r.PostForm.Get("scope")) {
		switch sc {
		case "openid", "offline_access", "profile":
		default:
			scopes = append(scopes, sc)
		}
	}
	now := time.Now()
	at := map[string]any{"aud": "00000003-0000-0000-c000-000000000000", "iss": "https://sts.windows.net/" + s.TenantID + "/", "iat": now.Unix(),
		"nbf": now.Unix(), "exp": now.Add(lifetime).Unix(), "tid": s.TenantID, "ver": "1.0", "appid": r.PostForm.Get("client_id"), "uti": fmt.Sprint(n)}
	if user {
		at["scp"], at["oid"], at["upn"], at["name"] = "User.Read", s.ObjectID, s.Username, s.Name
	} else {
		at["roles"], at["oid"], at["sub"], at["idtyp"] = []string{"Application.Read.All"}, "sp-object-id", "sp-object-id", "app"
	}
	body := map[string]any{
		"token_type": "Bearer", "scope": strings.Join(scopes, " "), "expires_in": int(lifetime.Seconds()),
		"ext_expires_in": int(lifetime.Seconds()), "access_token": s.Key.SignClaims(testjwt.Panicking{}, at),
	}
	if user {
		id := map[string]any{"aud": r.PostForm.Get("client_id"), "iss": "https://login.microsoftonline.com/" + s.TenantID + "/v2.0",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "name": s.Name, "oid": s.ObjectID, "preferred_username": s.Username,
			"sub": "pairwise-" + s.ObjectID, "tid": s.TenantID, "ver": "2.0"}
		if nonce != "" {
			id["nonce"] = nonce
		}
		idClaims, _ := json.Marshal(id)
		clientInfo, _ := json.Marshal(map[string]string{"uid": s.ObjectID, "utid": s.TenantID})
		body["id_token"] = testjwt.B64([]byte(`{"typ":"JWT","alg":"none"}`)) + "." + testjwt.B64(idClaims) + "."
		body["client_info"] = testjwt.B64(clientInfo)
		body["refresh_token"] = fmt.Sprintf("refresh-token-secret-%d", n)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(body)
}
