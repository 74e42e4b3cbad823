package emulate

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// field is one claim of a token, in order.
type field struct {
	name  string
	value any // string, int64, []string
}

// claimSet is a token payload in claim order.
type claimSet []field

func (c claimSet) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range c {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.name)
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (c claimSet) str(name string) string {
	for _, f := range c {
		if f.name == name {
			if s, ok := f.value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// issuer is the emulator's local token issuer: one RSA key generated at start.
type issuer struct {
	key      *rsa.PrivateKey
	kid      string
	base     string // http://127.0.0.1:PORT
	tenant   string
	clientID string
}

func newIssuer(tenant, clientID string) (*issuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generating the signing key: %w", err)
	}
	sum := sha256.Sum256(key.N.Bytes())
	return &issuer{key: key, kid: base64.RawURLEncoding.EncodeToString(sum[:15]), tenant: tenant, clientID: clientID}, nil
}

// iss is the v2 issuer, in Entra's form: <authority>/<tenant>/v2.0.
func (i *issuer) iss() string { return i.base + "/" + i.tenant + "/v2.0" }
func (i *issuer) metadataPath() string {
	return "/" + i.tenant + "/v2.0/.well-known/openid-configuration"
}
func (i *issuer) keysPath() string { return "/" + i.tenant + "/discovery/v2.0/keys" }

func (i *issuer) sign(payload claimSet) (string, error) {
	header := `{"typ":"JWT","alg":"RS256","kid":"` + i.kid + `"}`
	body, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString(body)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, i.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("signing a token: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// subject is Entra's pairwise sub: per user and app.
func (i *issuer) subject(oid string) string {
	sum := sha256.Sum256([]byte(oid + "|" + i.clientID))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:43]
}

// idClaims are the claims of an Entra v2 ID token for u, in Entra's order.
func (i *issuer) idClaims(u User, now time.Time, lifetime time.Duration, nonce string) claimSet {
	c := claimSet{{"aud", i.clientID}, {"iss", i.iss()}, {"iat", now.Unix()}, {"nbf", now.Unix()}, {"exp", now.Add(lifetime).Unix()}}
	if u.Email != "" {
		c = append(c, field{"email", u.Email})
	}
	if len(u.Groups) > 0 {
		c = append(c, field{"groups", u.Groups})
	}
	c = append(c, field{"name", u.Name})
	if nonce != "" {
		c = append(c, field{"nonce", nonce})
	}
	c = append(c, field{"oid", u.ObjectID}, field{"preferred_username", u.Username})
	if len(u.Roles) > 0 {
		c = append(c, field{"roles", u.Roles})
	}
	c = append(c, field{"sub", i.subject(u.ObjectID)}, field{"tid", i.tenant}, field{"uti", randomID(16)}, field{"ver", "2.0"})
	return appendExtra(c, u.Claims)
}

// accessClaims are the claims of an Entra v2 access token for the app's own API.
func (i *issuer) accessClaims(u User, now time.Time, lifetime time.Duration) claimSet {
	c := claimSet{{"aud", i.clientID}, {"iss", i.iss()}, {"iat", now.Unix()}, {"nbf", now.Unix()}, {"exp", now.Add(lifetime).Unix()},
		{"azp", i.clientID}, {"azpacr", "1"}}
	if len(u.Groups) > 0 {
		c = append(c, field{"groups", u.Groups})
	}
	c = append(c, field{"name", u.Name}, field{"oid", u.ObjectID}, field{"preferred_username", u.Username})
	if len(u.Roles) > 0 {
		c = append(c, field{"roles", u.Roles})
	}
	c = append(c, field{"scp", "user_impersonation"}, field{"sub", i.subject(u.ObjectID)}, field{"tid", i.tenant},
		field{"uti", randomID(16)}, field{"ver", "2.0"})
	return appendExtra(c, u.Claims)
}

func appendExtra(c claimSet, extra []ExtraClaim) claimSet {
	idx := map[string]int{}
	for _, e := range extra {
		if j, ok := idx[e.Name]; ok {
			switch v := c[j].value.(type) {
			case string:
				c[j].value = []string{v, e.Value}
			case []string:
				c[j].value = append(v, e.Value)
			}
			continue
		}
		idx[e.Name] = len(c)
		c = append(c, field{e.Name, e.Value})
	}
	return c
}

// metadata is the OpenID configuration of the local issuer.
func (i *issuer) metadata() []byte {
	doc := claimSet{
		{"token_endpoint_auth_methods_supported", []string{"client_secret_post", "private_key_jwt", "client_secret_basic"}},
		{"jwks_uri", i.base + i.keysPath()},
		{"response_modes_supported", []string{"query", "fragment", "form_post"}},
		{"subject_types_supported", []string{"pairwise"}},
		{"id_token_signing_alg_values_supported", []string{"RS256"}},
		{"response_types_supported", []string{"code", "id_token", "code id_token", "id_token token"}},
		{"scopes_supported", []string{"openid", "profile", "email", "offline_access"}},
		{"issuer", i.iss()},
		{"request_uri_parameter_supported", false},
		{"tenant_region_scope", "local"},
		{"claims_supported", []string{"sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "preferred_username", "email", "oid", "tid", "ver", "roles", "groups"}},
	}
	b, _ := json.Marshal(doc)
	return b
}

// jwks is the key set of the local issuer, in Entra's form.
func (i *issuer) jwks() []byte {
	e := big.NewInt(int64(i.key.E)).Bytes()
	key := claimSet{{"kty", "RSA"}, {"use", "sig"}, {"kid", i.kid},
		{"n", base64.RawURLEncoding.EncodeToString(i.key.N.Bytes())}, {"e", base64.RawURLEncoding.EncodeToString(e)},
		{"issuer", i.base + "/{tenantid}/v2.0"}}
	b, _ := json.Marshal(map[string]any{"keys": []any{key}})
	return b
}

// verify checks that token is one this issuer signed and that it is live;
// it returns its claims. It is how the emulator accepts its own access tokens
// from API clients (Authorization: Bearer, or POST /.auth/login/aad).
func (i *issuer) verify(token string, now time.Time) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	pb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return nil, errors.New("not a JWT")
	}
	var h struct{ Alg, Kid string }
	if json.Unmarshal(hb, &h) != nil || h.Alg != "RS256" || h.Kid != i.kid {
		return nil, errors.New("not signed by this emulator")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(&i.key.PublicKey, crypto.SHA256, digest[:], sig) != nil {
		return nil, errors.New("bad signature")
	}
	var claims map[string]any
	if json.Unmarshal(pb, &claims) != nil {
		return nil, errors.New("bad payload")
	}
	exp, _ := claims["exp"].(float64)
	if claims["iss"] != i.iss() || claims["aud"] != i.clientID || float64(now.Unix()) >= exp {
		return nil, errors.New("expired, or for another issuer or audience")
	}
	return claims, nil
}

// userFromClaims rebuilds a user from a verified token's claims.
func userFromClaims(c map[string]any) User {
	s := func(k string) string { v, _ := c[k].(string); return v }
	list := func(k string) []string {
		var out []string
		if a, ok := c[k].([]any); ok {
			for _, e := range a {
				if v, ok := e.(string); ok {
					out = append(out, v)
				}
			}
		}
		return out
	}
	return User{Name: s("name"), Username: s("preferred_username"), Email: s("email"), ObjectID: s("oid"), Roles: list("roles"), Groups: list("groups")}
}

func unixString(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatInt(int64(v), 10)
	}
	return fmt.Sprint(v)
}
