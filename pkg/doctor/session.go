package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/timefmt"
	"github.com/azid-cli/azid/pkg/token"
)

// The checks that need the user's session (D14, D15).

func (d *doctor) sessionChecks(ctx context.Context) {
	if d.opts.Session == nil {
		for _, id := range []string{IDSession, IDTokens, IDAccessToken, IDIDToken} {
			d.rep.add(skipped(id, "no session given", DocsTokens))
		}
		d.rep.add(skipped(IDRefresh, "no session given", DocsTokens))
		return
	}
	ids, sc := d.me(ctx)
	d.rep.add(sc)
	if sc.Status != OK {
		why := "no identity from /.auth/me (see " + IDSession + ")"
		for _, id := range []string{IDTokens, IDAccessToken, IDIDToken, IDRefresh} {
			d.rep.add(skipped(id, why, DocsTokens))
		}
		return
	}
	id := pick(ids)
	now := d.opts.Now()
	if _, sum, ok := decodeToken(id.AccessToken, now); ok {
		d.accessToken = &sum
	}
	if _, sum, ok := decodeToken(id.IDToken, now); ok {
		d.idToken = &sum
	}
	d.rep.add(tokensCheck(id, d.rep.Platform, d.signIn))
	d.rep.add(accessTokenCheck(id, d.signIn, now))
	d.rep.add(idTokenCheck(id, d.signIn, now))
	if d.opts.TryRefresh {
		d.rep.add(d.refreshCheck(ctx, id))
	} else {
		d.rep.add(skipped(IDRefresh, "not asked for (it calls /.auth/refresh, which renews the session's tokens in the token store)", DocsTokens))
	}
}

// pick is the Entra identity of a session, or its first.
func pick(ids []easyauth.Identity) *easyauth.Identity {
	for i := range ids {
		if strings.EqualFold(ids[i].Provider, "aad") {
			return &ids[i]
		}
	}
	return &ids[0]
}

const signInAgain = "sign in again at /.auth/login/aad in the browser and copy the new session cookie"

// me calls /.auth/me with the session and reads the answer.
func (d *doctor) me(ctx context.Context) ([]easyauth.Identity, Check) {
	c := Check{ID: IDSession, Docs: DocsTokens}
	r, err := d.get(ctx, "/.auth/me", asAPI, d.opts.Session)
	if err != nil {
		c.Status = Warn
		c.Summary = "could not call /.auth/me: " + d.describe(err)
		return nil, c
	}
	c.Evidence = []string{fmt.Sprintf("GET /.auth/me (with the session): HTTP %d", r.Status)}
	rejected := func(summary string) ([]easyauth.Identity, Check) {
		c.Status, c.Summary, c.Fix = Fail, summary, signInAgain
		d.rep.CredentialRejected = true
		return nil, c
	}
	switch {
	case r.Status/100 == 3 || (r.Status == 200 && r.isHTML()):
		return rejected("the session was not accepted: Easy Auth sent the sign-in page")
	case r.Status == 401:
		return rejected("the session was rejected (401): expired (8 hours, plus the refresh grace period), signed out, or a cookie of another app")
	case r.Status == 403:
		c.Status, c.Summary = Fail, "/.auth/me refused the session (403): the user revoked consent, or the token store cannot be read"
		c.Fix = signInAgain + " (consent is asked again)"
		if d.rep.Platform == ContainerApps {
			c.Fix = "a blob token store with a managed identity has been seen to answer 403 after about an hour: use a SAS URL secret (login.tokenStore.azureBlobStorage.sasUrlSettingName); then " + signInAgain
		}
		d.rep.CredentialRejected = true
		return nil, c
	case r.Status == 404:
		c.Status, c.Summary = Fail, "/.auth/me is not found: the token store is off, so nothing is stored for any session"
		c.Fix = "turn the token store on (authsettingsV2 login.tokenStore.enabled: true; Container Apps: a blob store)"
		return nil, c
	case r.Status != 200:
		c.Status, c.Summary = Warn, fmt.Sprintf("/.auth/me answered HTTP %d", r.Status)
		return nil, c
	}
	ids, err := easyauth.ParseMe(r.Body)
	switch {
	case errors.Is(err, easyauth.ErrSWANotSignedIn):
		return rejected("Static Web Apps returned no client principal: the cookie is not a session of this app")
	case errors.Is(err, easyauth.ErrEmptyStore):
		c.Status = Fail
		c.Summary = "the session is valid, but the token store holds nothing for it ([]): the store was lost (restart, deploy, slot swap on the file system store) or was off at sign-in"
		c.Fix = "keep tokens in a blob container: a SAS URL (read, write, list; the container in its path) in an app setting named by login.tokenStore.azureBlobStorage.sasUrlSettingName (V1: WEBSITE_AUTH_TOKEN_CONTAINER_SASURL); then sign in again"
		return nil, c
	case err != nil:
		c.Status, c.Summary = Warn, "/.auth/me: "+err.Error()
		return nil, c
	}
	id := pick(ids)
	c.Status = OK
	c.Summary = "signed in as " + orUnknown(id.UserID) + " (provider " + orUnknown(id.Provider) + ")"
	if len(ids) > 1 {
		c.Evidence = append(c.Evidence, fmt.Sprintf("%d identities in the session", len(ids)))
	}
	if roles := id.Get("roles"); len(roles) > 0 {
		c.Evidence = append(c.Evidence, "roles: "+strings.Join(roles, ", "))
	}
	return ids, c
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func tokensCheck(id *easyauth.Identity, p Platform, s *SignIn) Check {
	c := Check{ID: IDTokens, Status: OK, Docs: DocsTokens}
	if p == StaticWebApps {
		return skipped(IDTokens, "Static Web Apps does not give provider tokens to the app", DocsSWAUser)
	}
	var held []string
	for _, t := range []struct{ name, v string }{{"access token", id.AccessToken}, {"ID token", id.IDToken}, {"refresh token", id.RefreshToken}} {
		if t.v != "" {
			held = append(held, t.name)
		}
	}
	if len(held) == 0 {
		held = []string{"none"}
	}
	c.Evidence = []string{"held: " + strings.Join(held, ", ")}
	if id.ExpiresOn != nil {
		c.Evidence = append(c.Evidence, "expires_on "+id.ExpiresOnRaw)
	}
	switch {
	case id.AccessToken == "":
		c.Status = Warn
		c.Summary = "the token store holds no access token: no client secret is configured (implicit flow)"
		c.Fix = "add a client secret (see " + IDResponseType + ") and sign in again"
	case id.RefreshToken == "" && strings.EqualFold(id.Provider, "aad"):
		c.Status = Warn
		c.Summary = "the token store holds no refresh token: /.auth/refresh will answer 401 and the session ends when the access token expires"
		c.Fix = "ask for offline_access"
		if s != nil {
			c.Fix = scopeFix(s)
		}
		c.Fix += "; then sign in again"
	default:
		c.Summary = "the token store holds " + strings.Join(held, ", ")
	}
	return c
}

// brief summarises a token as decode would, in one line.
func brief(sum token.Summary, now time.Time) string {
	parts := []string{sum.Kind}
	if sum.Version != "" {
		parts = append(parts, "v"+sum.Version)
	}
	if len(sum.Audience) > 0 {
		aud := "aud " + strings.Join(sum.Audience, " ")
		if sum.Graph {
			aud += " (Microsoft Graph)"
		}
		parts = append(parts, aud)
	}
	if sum.Issuer != "" {
		parts = append(parts, "iss "+sum.Issuer)
	}
	if len(sum.Scopes) > 0 {
		parts = append(parts, "scp "+strings.Join(sum.Scopes, " "))
	}
	if sum.ExpiresAt != nil {
		parts = append(parts, "expires "+timefmt.Relative(*sum.ExpiresAt, now))
	}
	return strings.Join(parts, " · ")
}

func decodeToken(raw string, now time.Time) (*token.Token, token.Summary, bool) {
	t, err := token.Parse(raw)
	if err != nil {
		return nil, token.Summary{}, false
	}
	return t, token.Classify(t, now), true
}

// audienceIsApp reports whether an audience names the app registration.
func audienceIsApp(aud []string, clientID string) bool {
	for _, a := range aud {
		if clientID != "" && (strings.EqualFold(a, clientID) || strings.EqualFold(a, "api://"+clientID)) {
			return true
		}
	}
	return false
}

func accessTokenCheck(id *easyauth.Identity, s *SignIn, now time.Time) Check {
	c := Check{ID: IDAccessToken, Status: OK, Docs: DocsAccessTokens}
	if id.AccessToken == "" {
		return skipped(IDAccessToken, "no access token in the token store", DocsTokens)
	}
	_, sum, ok := decodeToken(id.AccessToken, now)
	expired := id.ExpiresOn != nil && !now.Before(*id.ExpiresOn)
	if !ok {
		c.Summary = "the access token is not a JWT (opaque: only its audience can read it)"
	} else {
		c.Evidence = []string{brief(sum, now)}
		expired = expired || sum.Expired
		clientID := ""
		if s != nil {
			clientID = s.ClientID
		}
		switch {
		case sum.Graph:
			c.Summary = "the access token is for Microsoft Graph: Graph accepts it, your own API will not"
			c.Evidence = append(c.Evidence, "to get a token for your API, add its scope (api://<id>/<scope>) to the scope login parameter")
		case audienceIsApp(sum.Audience, clientID):
			c.Summary = "the access token is for this app's own registration (aud " + strings.Join(sum.Audience, " ") + ")"
			if s != nil && s.V2 && sum.Version == "1.0" {
				c.Status = Warn
				c.Summary += ", but it is a v1 token while the configured issuer is v2: Easy Auth rejects it as a Bearer token (issuer validation failed)"
				c.Fix = "set accessTokenAcceptedVersion: 2 in the API registration's manifest, or set openIdIssuer to https://sts.windows.net/<tenant>/"
			}
		default:
			c.Summary = "the access token is for " + strings.Join(sum.Audience, " ")
		}
	}
	if expired {
		when := ""
		if id.ExpiresOn != nil {
			when = " " + timefmt.Relative(*id.ExpiresOn, now)
		}
		if c.Status == OK {
			c.Status = Warn
		}
		c.Summary = "expired" + when + ": " + c.Summary
		c.Fix = strings.TrimPrefix(c.Fix+"; call /.auth/refresh before using it (from the browser: fetch('/.auth/refresh'))", "; ")
	}
	return c
}

func idTokenCheck(id *easyauth.Identity, s *SignIn, now time.Time) Check {
	c := Check{ID: IDIDToken, Status: OK, Docs: DocsTokens}
	if id.IDToken == "" {
		return skipped(IDIDToken, "no ID token in the token store", DocsTokens)
	}
	t, sum, ok := decodeToken(id.IDToken, now)
	if !ok {
		c.Status = Warn
		c.Summary = "the ID token in the token store is not a readable JWT"
		return c
	}
	c.Evidence = []string{brief(sum, now)}
	if nonce := t.Claims.Str("nonce"); nonce != "" && EasyAuthNonce(nonce) {
		c.Evidence = append(c.Evidence, "its nonce has Easy Auth's format")
	}
	c.Summary = "the ID token is for client " + strings.Join(sum.Audience, " ")
	if s != nil && s.ClientID != "" && !audienceIsApp(sum.Audience, s.ClientID) {
		c.Status = Fail
		c.Summary = "the ID token's audience (" + strings.Join(sum.Audience, " ") + ") is not the client_id Easy Auth signs in with (" + s.ClientID + ")"
		c.Fix = "the session comes from another registration: check identityProviders.azureActiveDirectory.registration.clientId, then sign in again"
	}
	if s != nil {
		if info, ok := entra.ParseIssuer(sum.Issuer); ok && info.V2 != s.V2 {
			if c.Status == OK {
				c.Status = Warn
			}
			c.Summary += fmt.Sprintf("; its issuer is v%s but the configured issuer is v%s", map[bool]string{true: "2", false: "1"}[info.V2], map[bool]string{true: "2", false: "1"}[s.V2])
			c.Fix = "make openIdIssuer match the tokens: https://login.microsoftonline.com/<tenant>/v2.0 for v2, https://sts.windows.net/<tenant>/ for v1"
		}
	}
	if sum.Expired && sum.ExpiresAt != nil {
		c.Summary += "; expired " + timefmt.Relative(*sum.ExpiresAt, now) + " (expected: Easy Auth does not renew the ID token, not even on /.auth/refresh; read claims from X-MS-CLIENT-PRINCIPAL)"
	}
	return c
}

// refreshCheck calls /.auth/refresh and /.auth/me again, and says what changed.
func (d *doctor) refreshCheck(ctx context.Context, before *easyauth.Identity) Check {
	c := Check{ID: IDRefresh, Docs: DocsTokens}
	if d.rep.Platform == StaticWebApps {
		return skipped(IDRefresh, "Static Web Apps has no /.auth/refresh", DocsSWAAuth)
	}
	r, err := d.get(ctx, "/.auth/refresh", asAPI, d.opts.Session)
	if err != nil {
		c.Status, c.Summary = Warn, "could not call /.auth/refresh: "+d.describe(err)
		return c
	}
	c.Evidence = []string{fmt.Sprintf("GET /.auth/refresh: HTTP %d", r.Status)}
	switch {
	case r.Status == 401:
		c.Status = Fail
		if before.RefreshToken == "" {
			c.Summary = "refresh failed (401): the token store has no refresh token for this session"
			c.Fix = "ask for offline_access"
			if d.signIn != nil {
				c.Fix = scopeFix(d.signIn)
			}
			c.Fix += ", have a client secret (hybrid flow), then sign in again"
		} else {
			c.Summary = "refresh failed (401): the session is past its refresh grace period (8 hours + tokenRefreshExtensionHours, default 72), or Entra refused the refresh token"
			c.Fix = signInAgain + "; to allow longer idle sessions, raise login.tokenStore.tokenRefreshExtensionHours (az webapp auth update --token-refresh-extension-hours 168)"
		}
		return c
	case r.Status == 403:
		c.Status = Fail
		c.Summary = "refresh refused (403): consent was revoked"
		c.Fix = signInAgain
		if d.rep.Platform == ContainerApps {
			c.Summary += ", or a blob token store with a managed identity failed"
			c.Fix = "use a SAS URL secret for the token store (login.tokenStore.azureBlobStorage.sasUrlSettingName); then " + signInAgain
		}
		return c
	case r.Status == 404:
		c.Status, c.Summary = Fail, "/.auth/refresh is not found: the token store is off"
		c.Fix = "turn the token store on (login.tokenStore.enabled: true)"
		return c
	case r.Status >= 500:
		c.Status, c.Summary = Fail, fmt.Sprintf("refresh failed (HTTP %d): Easy Auth could not renew the tokens (a known Easy Auth fault for B2C after the session token expired, IDX10401)", r.Status)
		c.Fix = signInAgain + "; look at the app's Easy Auth log (WEBSITE_AUTH_TRACE_LEVEL Verbose) for the cause"
		return c
	case r.Status/100 == 3:
		c.Status, c.Summary, c.Fix = Fail, "refresh sent the sign-in page: the session is not valid", signInAgain
		return c
	case r.Status != 200:
		c.Status, c.Summary = Warn, fmt.Sprintf("/.auth/refresh answered HTTP %d", r.Status)
		return c
	}
	ids, mc := d.me(ctx)
	if mc.Status != OK {
		c.Status, c.Summary = Warn, "refresh answered 200, but /.auth/me afterwards did not: "+mc.Summary
		return c
	}
	after := pick(ids)
	switch {
	case after.ExpiresOn != nil && (before.ExpiresOn == nil || after.ExpiresOn.After(*before.ExpiresOn)):
		c.Status = OK
		c.Summary = "refreshed: the access token expires " + timefmt.Relative(*after.ExpiresOn, d.opts.Now())
		if before.ExpiresOn != nil {
			c.Evidence = append(c.Evidence, "expires_on "+before.ExpiresOnRaw+" → "+after.ExpiresOnRaw)
		}
	case after.AccessToken != before.AccessToken:
		c.Status, c.Summary = OK, "refreshed: a new access token"
	default:
		c.Status = Warn
		c.Summary = "refresh answered 200, but the access token and expires_on did not change"
	}
	if after.IDToken != "" && after.IDToken == before.IDToken {
		c.Evidence = append(c.Evidence, "the ID token is unchanged: expected, Easy Auth does not renew it")
	}
	return c
}
