package doctor

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// The checks that need no credentials (detectors D1–D11, D13 of
// easyauth-failures.md §B.3), in the order they are reported.

// Check IDs: stable, documented in README.md.
const (
	IDPlatform      = "platform"
	IDEasyAuth      = "easy-auth"
	IDBrowsers      = "browsers"
	IDAPIClients    = "api-clients"
	IDAuthMe        = "auth-me"
	IDAuthority     = "authority"
	IDTenant        = "tenant"
	IDIssuerVersion = "issuer-version"
	IDClientID      = "client-id"
	IDRedirectURI   = "redirect-uri"
	IDResponseType  = "response-type"
	IDScopes        = "scopes"
	IDOfflineAccess = "offline-access"
	IDAPIScope      = "api-scope"
	IDEntraProbe    = "entra-probe"
	IDSession       = "session"
	IDTokens        = "tokens"
	IDAccessToken   = "access-token"
	IDIDToken       = "id-token"
	IDRefresh       = "refresh"
	IDARMConfig     = "arm-config"
)

// outside makes the anonymous requests and adds their checks. Only a
// failure to reach the app at all is an error.
func (d *doctor) outside(ctx context.Context) error {
	browser, err := d.get(ctx, "/", asBrowser, nil)
	if err != nil {
		return err
	}
	api, err := d.get(ctx, "/", asAPI, nil)
	if err != nil {
		return err
	}
	// The provider the front door sends browsers to, when it says.
	if u, ok := d.sameApp(browser.Location); ok && browser.Status/100 == 3 && strings.HasPrefix(u.Path, "/.auth/login/") && !strings.Contains(u.Path[len("/.auth/login/"):], "/") {
		d.loginPath = u.Path
	}
	login, err := d.get(ctx, d.loginPath, asBrowser, nil)
	if err != nil {
		return err
	}
	me, err := d.get(ctx, "/.auth/me", asAPI, nil)
	if err != nil {
		return err
	}
	var parseErr error
	d.signIn, parseErr = signInFrom(login)
	platform := d.rep.Platform
	d.rep.add(easyAuthCheck(d.loginPath, login, me, d.signIn, parseErr, platform))
	d.rep.add(browsersCheck(browser, d.host))
	d.rep.add(apiClientsCheck(browser, api))
	if login.Status == 404 && me.Status == 404 {
		d.rep.add(skipped(IDAuthMe, "Easy Auth is off (see "+IDEasyAuth+")", DocsTokenStore))
	} else {
		d.rep.add(authMeCheck(me, platform))
	}
	s := d.signIn
	if s == nil {
		why := "no sign-in redirect to read (see " + IDEasyAuth + ")"
		if login.Emulated != "" {
			why = "the local emulator's mock users sign in without Entra: there is no redirect to read"
		}
		for _, id := range []string{IDAuthority, IDTenant, IDIssuerVersion, IDClientID, IDRedirectURI, IDResponseType, IDScopes, IDOfflineAccess, IDAPIScope, IDEntraProbe} {
			d.rep.add(skipped(id, why, ""))
		}
		return nil
	}
	d.rep.add(authorityCheck(s, d.opts.Trust.TrustedHost(s.URL.Host) && entra.CloudOfHost(s.Host) == entra.CloudUnknown))
	d.rep.add(d.tenantCheck(ctx, s))
	d.rep.add(issuerVersionCheck(s))
	d.rep.add(clientIDCheck(s))
	d.rep.add(redirectURICheck(s, d.host, platform))
	d.rep.add(responseTypeCheck(s))
	d.rep.add(scopesCheck(s))
	d.rep.add(offlineAccessCheck(s))
	d.rep.add(apiScopeCheck(s))
	if d.opts.ProbeEntra {
		d.rep.add(d.probeCheck(ctx, s))
	} else {
		d.rep.add(skipped(IDEntraProbe, "not asked for (it requests the sign-in URL from Entra and reads its error page: unofficial)", DocsAADSTS))
	}
	return nil
}

// signInFrom reads the sign-in redirect from /.auth/login/<provider>'s answer.
func signInFrom(r *response) (*SignIn, error) {
	var target, via string
	switch {
	case r.Status/100 == 3 && r.Location != "":
		target, via = r.Location, "302"
	case r.Status == 200:
		u, ok := PageRedirect(r.Body)
		if !ok {
			return nil, ErrNotAuthorizeURL
		}
		target, via = u, "script"
	default:
		return nil, ErrNotAuthorizeURL
	}
	s, err := ParseAuthorizeURL(target)
	if err != nil {
		return nil, err
	}
	s.Via = via
	return s, nil
}

func (d *doctor) platformCheck(host string, p Platform) Check {
	c := Check{ID: IDPlatform, Status: OK, Summary: p.Description() + ": " + host}
	switch {
	case d.opts.Platform != "":
		c.Summary = p.Description() + " (as given): " + host
	case p == CustomDomain:
		c.Summary = "a custom domain: " + host + " (the app may be behind Front Door, Application Gateway or another proxy)"
		c.Evidence = append(c.Evidence, "the host is not an Azure default domain (*.azurewebsites.net, *.azurecontainerapps.io, *.azurestaticapps.net)")
	}
	return c
}

func easyAuthCheck(loginPath string, login, me *response, s *SignIn, parseErr error, p Platform) Check {
	c := Check{ID: IDEasyAuth, Docs: DocsOverview}
	ev := fmt.Sprintf("GET %s (browser): HTTP %d", loginPath, login.Status)
	if login.Location != "" {
		ev += " → " + RedactURL(login.Location)
	}
	c.Evidence = []string{ev}
	if len(login.SetCookies) > 0 {
		c.Evidence = append(c.Evidence, "sets cookies: "+strings.Join(login.SetCookies, ", "))
	}
	if s != nil {
		c.Status = OK
		c.Summary = "Easy Auth is on, with the Microsoft Entra provider"
		if s.Via == "script" {
			c.Summary += " (sign-in by a script page: URL fragments are preserved)"
			c.Evidence = append(c.Evidence, "a 200 page whose script redirects to "+RedactURL(s.URL.String()))
		}
		if s.Nonce != "" && !EasyAuthNonce(s.Nonce) {
			c.Evidence = append(c.Evidence, "the nonce does not have Easy Auth's format (<32 hex>_<yyyyMMddHHmmss>): something else may answer "+loginPath)
		}
		return c
	}
	meOn := me.Status == 401 || me.Status == 403 || (me.Status == 200 && !me.isHTML())
	c.Evidence = append(c.Evidence, fmt.Sprintf("GET /.auth/me: HTTP %d", me.Status))
	switch {
	case p == StaticWebApps && login.Status/100 == 3:
		c.Status = OK
		c.Summary = "Static Web Apps authentication is on (its sign-in goes through the platform's own identity service)"
		c.Docs = DocsSWAAuth
	case login.Status == 404 && meOn:
		c.Status = Fail
		c.Summary = "Easy Auth is on, but " + loginPath + " is not found: the Microsoft Entra provider is not configured (or has another name)"
		c.Fix = "add the Microsoft provider: portal › the app › Authentication › Add identity provider › Microsoft; a custom OpenID Connect provider signs in at /.auth/login/<its name> instead"
		c.Docs = DocsEntraProvider
	case login.Status == 404:
		c.Status = Fail
		c.Summary = "the app is not behind Easy Auth: " + loginPath + " and /.auth/me are not found"
		c.Fix = "turn on authentication: portal › the app › Authentication › Add identity provider › Microsoft (or az webapp auth microsoft update … for an app that has a registration)"
		c.Docs = DocsEntraProvider
	case login.Status/100 == 3:
		c.Status = Warn
		c.Summary = loginPath + " redirects, but not to an Entra authorize endpoint: " + describeParseErr(parseErr)
	case login.Status == 200 && login.Emulated != "":
		c.Status = OK
		c.Summary = "a local Easy Auth emulator answers, with mock users: " + loginPath + " is its sign-in page, not a redirect to Entra (in its Entra mode, sign-in goes to Entra)"
	case login.Status == 200:
		c.Status = Warn
		c.Summary = loginPath + " answers a page that is not Easy Auth's sign-in redirect (the app itself, or a proxy, answers it)"
	default:
		c.Status = Fail
		c.Summary = fmt.Sprintf("%s answered HTTP %d instead of a sign-in redirect", loginPath, login.Status)
		if login.Status >= 500 {
			c.Fix = "Easy Auth or the app is failing: look at the app's log stream and the Authentication blade's detector (Diagnose and solve problems › Easy Auth errors)"
		}
	}
	return c
}

func describeParseErr(err error) string {
	if err == nil {
		return "no authorize URL"
	}
	return err.Error()
}

func browsersCheck(r *response, host string) Check {
	c := Check{ID: IDBrowsers, Status: OK, Docs: DocsOverview}
	ev := fmt.Sprintf("GET / (browser): HTTP %d", r.Status)
	if r.Location != "" {
		ev += " → " + RedactURL(r.Location)
	}
	c.Evidence = []string{ev}
	switch {
	case r.Status/100 == 3:
		u, err := url.Parse(r.Location)
		switch {
		case err == nil && strings.EqualFold(u.Host, host) && strings.HasPrefix(u.Path, "/.auth/login/"):
			c.Summary = "anonymous browsers are sent to sign in (RedirectToLoginPage, " + u.Path + ")"
		case err == nil && u.Host != "" && !strings.EqualFold(u.Host, host):
			c.Summary = "anonymous browsers are redirected to another host (" + u.Host + "): the app, a proxy or Easy Auth's redirect"
		default:
			c.Summary = "anonymous browsers are redirected by the app (not to sign in)"
		}
	case r.Status == 401:
		c.Summary = "anonymous browsers get 401 (Return401 / RejectWith401: no sign-in page is shown)"
	case r.Status == 403:
		c.Summary = "anonymous browsers get 403 (Return403)"
	case r.Status == 404:
		c.Summary = "anonymous browsers get 404 (Return404, or no page at /)"
	case r.Status == 200:
		c.Summary = "anonymous browsers see the page (AllowAnonymous, an excluded path, or no Easy Auth)"
	default:
		c.Status = Warn
		c.Summary = fmt.Sprintf("the app answered HTTP %d", r.Status)
		if r.Status >= 500 {
			c.Fix = "the app (or Easy Auth) is failing: look at the app's log stream"
		}
	}
	return c
}

func apiClientsCheck(browser, api *response) Check {
	c := Check{ID: IDAPIClients, Status: OK, Docs: DocsOverview}
	c.Evidence = []string{fmt.Sprintf("GET / (API client): HTTP %d", api.Status)}
	if api.WWWAuthenticate != "" {
		c.Evidence = append(c.Evidence, "WWW-Authenticate: "+api.WWWAuthenticate)
	}
	switch {
	case api.Status == 401 && browser.Status/100 == 3:
		c.Summary = "API clients get 401 while browsers are redirected: they must send a Bearer token or X-ZUMO-AUTH (fetch/XHR from a page gets 401 too)"
	case api.Status == 401:
		c.Summary = "API clients get 401"
	case api.Status/100 == 3 && browser.Status/100 == 3:
		c.Status = Warn
		c.Summary = "API clients are redirected to a sign-in page too: a script or API client gets HTML, not a 401 it can act on"
		c.Fix = "if clients other than browsers call the app, set unauthenticatedClientAction to Return401 for API paths, or have them send a Bearer token"
	case api.Status == browser.Status:
		c.Summary = fmt.Sprintf("API clients get the same answer as browsers (HTTP %d)", api.Status)
	default:
		c.Summary = fmt.Sprintf("API clients get HTTP %d, browsers HTTP %d", api.Status, browser.Status)
	}
	if api.Status == 401 && api.WWWAuthenticate == "" {
		c.Evidence = append(c.Evidence, "no WWW-Authenticate header: disableWWWAuthenticate (WEBSITE_AUTH_DISABLE_WWWAUTHENTICATE) is set")
	}
	return c
}

func authMeCheck(r *response, p Platform) Check {
	c := Check{ID: IDAuthMe, Status: OK, Docs: DocsTokenStore}
	c.Evidence = []string{fmt.Sprintf("GET /.auth/me (no session): HTTP %d", r.Status)}
	body := strings.TrimSpace(string(r.Body))
	switch {
	case p == StaticWebApps:
		c.Docs = DocsSWAUser
		if r.Status == 200 && strings.Contains(body, `"clientPrincipal"`) {
			c.Summary = "/.auth/me answers Static Web Apps' {\"clientPrincipal\": null} without a session"
		} else {
			c.Status = Warn
			c.Summary = fmt.Sprintf("/.auth/me answered HTTP %d, not Static Web Apps' {\"clientPrincipal\": …}", r.Status)
		}
	case r.Status == 401 || r.Status == 403:
		c.Summary = "/.auth/me is there and needs a session (the token store is on)"
	case r.Status == 200 && body == "[]":
		c.Summary = "/.auth/me answers [] without a session (the token store is on)"
	case r.Status/100 == 3:
		c.Summary = "/.auth/me sends anonymous callers to sign in (Easy Auth is on)"
	case r.Status == 404 && p == ContainerApps:
		c.Status = Warn
		c.Summary = "/.auth/me is not found: Container Apps has no token store unless a blob store is configured, so the app gets no X-MS-TOKEN-* headers"
		c.Fix = "configure the token store with a blob container SAS URL secret: portal › the container app › Authentication › Token store, or login.tokenStore.azureBlobStorage.sasUrlSettingName (a managed-identity blob store has been seen to fail after an hour)"
		c.Docs = DocsContainerAppsTokenStore
	case r.Status == 404:
		c.Status = Warn
		c.Summary = "/.auth/me is not found: the token store is off (or Easy Auth is): the app gets no X-MS-TOKEN-* headers and /.auth/refresh cannot work"
		c.Fix = "turn the token store on: az webapp auth update --name <app> --resource-group <group> --enable-token-store true (authsettingsV2 login.tokenStore.enabled: true)"
	case r.Status == 200:
		c.Status = Warn
		c.Summary = "/.auth/me answers 200 with something other than Easy Auth's JSON (the app itself may answer /.auth/*)"
	default:
		c.Status = Warn
		c.Summary = fmt.Sprintf("/.auth/me answered HTTP %d", r.Status)
	}
	return c
}
