package explain

import (
	"net/url"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// advice is the likely cause of an AADSTS error and the fix, fitted to what
// the pasted text quotes (the redirect URI, the app).
type advice struct{ cause, fix string }

// adviceFor returns the advice for code, if azid has any.
func adviceFor(code int, e entra.ErrorText) (advice, bool) {
	// app names the registration in a portal path ("App registrations › … ›
	// Authentication"), onApp in a sentence
	app, onApp := "your app", "the app registration"
	if e.AppID != "" {
		app, onApp = e.AppID, "app "+e.AppID
	}
	easyAuth := strings.Contains(e.RedirectURI, "/.auth/login/")
	switch code {
	case 50011:
		uri := e.RedirectURI
		if uri == "" {
			return advice{
				cause: "the redirect URI in the sign-in request is not one of the app registration's redirect URIs (they must match exactly: scheme, host, path, trailing slash)",
				fix: "add the URI the app sends under App registrations › " + app + " › Authentication; for App Service Authentication (Easy Auth) that is https://<host>/.auth/login/aad/callback, " +
					"registered as a Web redirect URI",
			}, true
		}
		a := advice{cause: "the app sent the redirect URI " + uri + ", which is not registered on " + onApp + " (the match is exact: scheme, host, path, trailing slash)"}
		if easyAuth {
			a.fix = "register " + uri + " as a Web redirect URI (not Single-page application) under App registrations › " + app + " › Authentication › Add a platform › Web: " +
				"Easy Auth redeems the code on the server"
			if u, err := url.Parse(uri); err == nil && u.Scheme == "http" && u.Hostname() != "localhost" {
				a.fix += "; the URI is http://, so turn on HTTPS Only for the app (or forward X-Forwarded-Proto from the proxy in front of it) rather than registering http"
			}
		} else {
			a.fix = "register " + uri + " under App registrations › " + app + " › Authentication, on the platform the app signs in from (Web for server-side apps, Single-page application for MSAL.js, Mobile and desktop for native apps)"
		}
		return a, true
	case 9002326:
		return advice{
			cause: "a browser redeemed the authorization code (the request had an Origin header), but the redirect URI is registered under the Web platform",
			fix: "for a single-page app using MSAL.js, move the redirect URI to the Single-page application platform (App registrations › " + app + " › Authentication); " +
				"for a server-side app or Easy Auth, redeem the code on the server, not from browser JavaScript",
		}, true
	case 9002327:
		return advice{
			cause: "a server redeemed an authorization code issued for a redirect URI registered as Single-page application (SPA codes may only be redeemed from the browser)",
			fix:   "register the redirect URI under the Web platform instead of Single-page application (App registrations › " + app + " › Authentication); Easy Auth and other server-side sign-ins need Web",
		}, true
	case 700054:
		return advice{
			cause: "the sign-in asks for an ID token from the authorize endpoint (response_type id_token, as Easy Auth and hybrid flows do), and the app registration does not allow it",
			fix:   "turn on ID tokens under App registrations › " + app + " › Authentication › Implicit grant and hybrid flows, or run: az ad app update --id <client-id> --enable-id-token-issuance true",
		}, true
	case 700051:
		return advice{
			cause: "the sign-in asks for an access token from the authorize endpoint (response_type token), and implicit grant of access tokens is off",
			fix:   "prefer the authorization code flow (MSAL does it); or turn on Access tokens under App registrations › " + app + " › Authentication › Implicit grant and hybrid flows",
		}, true
	case 50076, 50079:
		return advice{
			cause: "multi-factor authentication is required (Conditional Access, security defaults, or a new location) and the sign-in did not perform it",
			fix:   "sign in interactively (browser or device code) so the user can complete MFA; a silent or password-only sign-in cannot satisfy it",
		}, true
	case 65001:
		return advice{
			cause: "the user or an administrator has not consented to the permissions the app asks for",
			fix:   "sign in interactively so the user can consent, or have an administrator grant consent (Enterprise applications › the app › Permissions › Grant admin consent)",
		}, true
	case 700016:
		return advice{
			cause: "no app with this client ID exists in the tenant the sign-in used: a wrong client ID, a wrong tenant, or a single-tenant app used from another tenant",
			fix:   "check the client ID and the tenant in the authority URL; to sign in users of other tenants, make the app registration multi-tenant",
		}, true
	case 7000215:
		return advice{
			cause: "the client secret sent is not one of the app's secrets; a common mistake is sending the secret's ID instead of its value",
			fix:   "send the secret's Value (shown once, when it was created); if it is lost, create a new secret under App registrations › " + app + " › Certificates & secrets",
		}, true
	case 7000222:
		return advice{cause: "the client secret has expired", fix: "create a new secret under App registrations › " + app + " › Certificates & secrets, and update the app's configuration"}, true
	case 50020:
		return advice{
			cause: "the user's account belongs to another tenant, and the app (or the endpoint it used) accepts only accounts of its own tenant",
			fix:   "invite the user as a guest of the tenant, or make the app multi-tenant and sign in with the organizations or common authority",
		}, true
	case 53003:
		return advice{cause: "a Conditional Access policy blocked the sign-in", fix: "look the sign-in up in Entra's sign-in logs (the correlation ID finds it) to see which policy applied and what it requires"}, true
	case 50058:
		return advice{cause: "a silent sign-in (prompt=none, or a token request without a session) found no signed-in user", fix: "sign in interactively"}, true
	case 70011:
		return advice{
			cause: "a requested scope is malformed or does not exist on the resource",
			fix:   "ask for scopes as <resource>/<permission> (api://<app-id>/access_as_user) or <resource>/.default for app-only tokens, and check the API exposes that permission",
		}, true
	case 500113:
		return advice{cause: "the app registration has no redirect URI at all", fix: "add the app's redirect URI under App registrations › " + app + " › Authentication"}, true
	case 90008:
		return advice{
			cause: "the app asks no permission to sign users in, so they cannot consent to it",
			fix:   "add the Microsoft Graph delegated permission User.Read (or openid and profile) under App registrations › " + app + " › API permissions",
		}, true
	case 90019:
		return advice{
			cause: "the request names no tenant (the common or organizations authority with an app-only credential or a personal account)",
			fix:   "use the tenant-specific authority: https://login.microsoftonline.com/<tenant-id>",
		}, true
	}
	return advice{}, false
}
