package doctor

import (
	"fmt"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// The checks only the configuration answers (D16), each cross-checked
// with what the outside and session checks saw.

// Configuration check IDs.
const (
	IDConfigAuth            = "config-auth"
	IDConfigTokenStore      = "config-token-store"
	IDConfigIssuer          = "config-issuer"
	IDConfigAudiences       = "config-audiences"
	IDConfigLoginParameters = "config-login-parameters"
	IDConfigForwardProxy    = "config-forward-proxy"
)

func (d *doctor) configChecks(cfg *AuthSettingsV2, site Site) {
	aad := cfg.IdentityProviders.AzureActiveDirectory
	d.rep.add(d.configAuthCheck(cfg))
	d.rep.add(configTokenStoreCheck(cfg, site, d.rep.Platform))
	if aad == nil {
		why := "the configuration has no Microsoft provider"
		for _, id := range []string{IDConfigIssuer, IDConfigAudiences, IDConfigLoginParameters} {
			d.rep.add(skipped(id, why, DocsEntraProvider))
		}
	} else {
		d.rep.add(d.configIssuerCheck(aad.Registration.OpenIDIssuer))
		d.rep.add(d.configAudiencesCheck(aad.Validation.AllowedAudiences, aad.Registration.ClientID))
		d.rep.add(d.configLoginParametersCheck(aad.Login.LoginParameters))
	}
	d.rep.add(d.configForwardProxyCheck(cfg))
}

func (d *doctor) configAuthCheck(cfg *AuthSettingsV2) Check {
	g := cfg.GlobalValidation
	c := Check{ID: IDConfigAuth, Status: OK, Docs: DocsOverview}
	action := g.UnauthenticatedClientAction
	if action == "" {
		action = "(not set)"
	}
	c.Evidence = []string{fmt.Sprintf("platform.enabled %v, requireAuthentication %v, unauthenticatedClientAction %s", cfg.Platform.Enabled, g.RequireAuthentication, action)}
	if len(g.ExcludedPaths) > 0 {
		c.Evidence = append(c.Evidence, "excludedPaths (served without sign-in): "+strings.Join(g.ExcludedPaths, ", "))
	}
	seen := d.rep.Check(IDEasyAuth)
	switch {
	case !cfg.Platform.Enabled:
		c.Status = Fail
		c.Summary = "authentication is off in the configuration (platform.enabled false)"
		if seen != nil && seen.Status == OK {
			c.Summary += ", yet the site answered with a sign-in redirect: something in front of it (a proxy, another app) answers"
		}
		c.Fix = "turn it on: portal › the app › Authentication, or az webapp auth update --name <app> --resource-group <group> --enabled true"
	case !g.RequireAuthentication:
		c.Summary = "authentication is on but not required (AllowAnonymous): the app itself must check X-MS-CLIENT-PRINCIPAL"
	default:
		c.Summary = "authentication is on and required; anonymous requests: " + action
	}
	if b := d.rep.Check(IDBrowsers); b != nil && cfg.Platform.Enabled && g.RequireAuthentication {
		if strings.EqualFold(g.UnauthenticatedClientAction, "RedirectToLoginPage") && !strings.Contains(b.Summary, "sent to sign in") && !strings.Contains(b.Summary, "another host") {
			c.Status = Warn
			c.Summary += ", but anonymous browsers were not sent to sign in (" + b.Summary + ")"
			c.Fix = "/ may be an excluded path, or a proxy or cache answers it: check excludedPaths and what is in front of the app"
		}
	}
	return c
}

func configTokenStoreCheck(cfg *AuthSettingsV2, site Site, p Platform) Check {
	ts := cfg.Login.TokenStore
	c := Check{ID: IDConfigTokenStore, Status: OK, Docs: DocsTokenStore}
	blob := ts.AzureBlobStorage != nil && ts.AzureBlobStorage.SASURLSettingName != ""
	if ts.TokenRefreshExtensionHours != nil {
		c.Evidence = append(c.Evidence, fmt.Sprintf("tokenRefreshExtensionHours %g", *ts.TokenRefreshExtensionHours))
	}
	if site.Kind != "" {
		c.Evidence = append(c.Evidence, "site kind "+site.Kind)
	}
	linux := strings.Contains(strings.ToLower(site.Kind), "linux") || strings.Contains(strings.ToLower(site.Kind), "container")
	switch {
	case !ts.Enabled:
		c.Status = Warn
		c.Summary = "the token store is off: no /.auth/me, no X-MS-TOKEN-* headers, no /.auth/refresh"
		c.Fix = "az webapp auth update --name <app> --resource-group <group> --enable-token-store true (login.tokenStore.enabled: true)"
	case blob:
		c.Summary = "the token store is on, in a blob container (the SAS URL is in app setting " + ts.AzureBlobStorage.SASURLSettingName + ")"
	case linux || p == ContainerApps:
		c.Status = Warn
		c.Summary = "the token store is on the file system of a Linux or container app: it is lost on restart, deploy and slot swap, and /.auth/me then answers []"
		c.Fix = "keep tokens in a blob container: put a SAS URL (read, write, list; the container in its path) in an app setting and name it in login.tokenStore.azureBlobStorage.sasUrlSettingName"
	default:
		c.Summary = "the token store is on, on the file system (%HOME%\\Data\\.auth)"
	}
	return c
}

func (d *doctor) configIssuerCheck(issuer string) Check {
	c := Check{ID: IDConfigIssuer, Status: OK, Docs: DocsEntraProvider}
	c.Evidence = []string{"openIdIssuer " + issuer}
	if issuer == "" {
		c.Summary = "no openIdIssuer: multi-tenant (common)"
		return c
	}
	info, ok := entra.ParseIssuer(issuer)
	if !ok {
		c.Status, c.Summary = Fail, "openIdIssuer "+issuer+" is not an https URL"
		c.Fix = "set it to https://login.microsoftonline.com/<tenant-id>/v2.0"
		return c
	}
	c.Summary = fmt.Sprintf("openIdIssuer %s (v%s, tenant %s)", issuer, map[bool]string{true: "2", false: "1"}[info.V2], info.Tenant)
	if s := d.signIn; s != nil && !strings.EqualFold(s.Tenant, info.Tenant) {
		c.Evidence = append(c.Evidence, "the sign-in redirect names tenant "+s.Tenant)
	}
	if d.idToken != nil && d.idToken.Issuer != "" {
		tok, _ := entra.ParseIssuer(d.idToken.Issuer)
		c.Evidence = append(c.Evidence, "the session's ID token has iss "+d.idToken.Issuer)
		if tok.V2 != info.V2 {
			c.Status = Warn
			c.Summary += ", but the session's tokens are v" + map[bool]string{true: "2", false: "1"}[tok.V2] + ": Bearer tokens of that version fail issuer validation (JWT validation failed)"
			c.Fix = "make openIdIssuer match the tokens (…/v2.0 for v2, https://sts.windows.net/<tenant>/ for v1), or set accessTokenAcceptedVersion: 2 on the API registration"
		}
	}
	return c
}

func (d *doctor) configAudiencesCheck(allowed []string, clientID string) Check {
	c := Check{ID: IDConfigAudiences, Status: OK, Docs: DocsEntraProvider}
	if len(allowed) == 0 {
		c.Summary = "no allowedAudiences: Bearer tokens must have aud " + clientID + " (the client ID)"
	} else {
		c.Summary = "allowedAudiences " + strings.Join(allowed, ", ")
		c.Evidence = []string{"Bearer tokens for another audience get 401 (IDX10214 audience validation failed)"}
	}
	if s := d.signIn; s != nil && clientID != "" && !strings.EqualFold(s.ClientID, clientID) {
		c.Status = Warn
		c.Summary += "; the configured clientId " + clientID + " is not the client_id of the sign-in redirect (" + s.ClientID + ")"
	}
	if at := d.accessToken; at != nil && len(at.Audience) > 0 && !at.Graph {
		accepted := audienceIsApp(at.Audience, clientID)
		for _, a := range allowed {
			for _, aud := range at.Audience {
				accepted = accepted || strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(aud, "/"))
			}
		}
		c.Evidence = append(c.Evidence, "the session's access token has aud "+strings.Join(at.Audience, " "))
		if !accepted {
			c.Status = Warn
			c.Summary += "; the session's access token (aud " + strings.Join(at.Audience, " ") + ") would be rejected as a Bearer token"
			c.Fix = "add " + at.Audience[0] + " to identityProviders.azureActiveDirectory.validation.allowedAudiences"
		}
	}
	return c
}

func (d *doctor) configLoginParametersCheck(params []string) Check {
	c := Check{ID: IDConfigLoginParameters, Status: OK, Docs: DocsTokens}
	if len(params) == 0 {
		c.Summary = "no loginParameters: the default scopes (openid profile email), so no offline_access and no refresh token"
		c.Status = Warn
		c.Fix = `set loginParameters ["scope=openid profile email offline_access"] (add your API's scope to the same entry)`
		if d.signIn != nil {
			c.Fix = scopeFix(d.signIn)
		}
		return c
	}
	c.Evidence = []string{"loginParameters: " + strings.Join(params, ", ")}
	var scopes []string
	for _, p := range params {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "scope="); ok {
			scopes = append(scopes, v)
		}
	}
	switch {
	case len(scopes) > 1:
		c.Status = Fail
		c.Summary = fmt.Sprintf("%d scope= entries in loginParameters: they do not combine", len(scopes))
		c.Fix = "merge them into one: " + `["scope=` + mergeScopes(scopes) + `"]`
	case len(scopes) == 1 && !strings.Contains(" "+scopes[0]+" ", " offline_access "):
		c.Status = Warn
		c.Summary = "the scope entry has no offline_access: no refresh token"
		c.Fix = `["scope=` + mergeScopes(append(scopes, "offline_access")) + `"]`
	default:
		c.Summary = "loginParameters " + strings.Join(params, ", ")
	}
	return c
}

func mergeScopes(entries []string) string {
	var out []string
	seen := map[string]bool{}
	for _, w := range append([]string{"openid profile email"}, entries...) {
		for _, sc := range strings.Fields(w) {
			if !seen[strings.ToLower(sc)] {
				seen[strings.ToLower(sc)] = true
				out = append(out, sc)
			}
		}
	}
	return strings.Join(out, " ")
}

func (d *doctor) configForwardProxyCheck(cfg *AuthSettingsV2) Check {
	fp := cfg.HTTPSettings.ForwardProxy
	c := Check{ID: IDConfigForwardProxy, Status: OK, Docs: DocsCustomize}
	conv := fp.Convention
	if conv == "" {
		conv = "NoProxy"
	}
	c.Evidence = []string{"forwardProxy.convention " + conv}
	if fp.CustomHostHeaderName != "" {
		c.Evidence = append(c.Evidence, "customHostHeaderName "+fp.CustomHostHeaderName)
	}
	c.Summary = "forwardProxy " + conv
	r := d.rep.Check(IDRedirectURI)
	behind := d.rep.Platform == CustomDomain || (r != nil && strings.Contains(r.Summary, "not "+d.host))
	if strings.EqualFold(conv, "NoProxy") && behind {
		c.Status = Warn
		c.Summary = "forwardProxy NoProxy, but the app is reached through another host name: Easy Auth builds redirect URIs from the App Service host"
		c.Fix = "az webapp auth update --name <app> --resource-group <group> --proxy-convention Standard (X-Forwarded-Host), or Custom with --proxy-custom-host-header X-Original-Host for Application Gateway"
	}
	return c
}
