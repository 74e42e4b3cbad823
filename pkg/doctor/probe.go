package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// EntraPage is what Entra's sign-in page says about an authorize request:
// its embedded $Config carries the AADSTS error when the request is wrong.
// The page is undocumented HTML, read best-effort (easyauth-failures.md §B.2).
type EntraPage struct {
	// Code is the AADSTS number (0: no error on the page).
	Code int
	// Message is strServiceExceptionMessage, the "AADSTS…: …" text.
	Message       string
	CorrelationID string
}

// ParseEntraPage reads $Config={…}; from an Entra HTML page. It returns
// false when the page has no $Config.
func ParseEntraPage(body []byte) (EntraPage, bool) {
	if len(body) > maxPage {
		body = body[:maxPage]
	}
	s := string(body)
	i := strings.Index(s, "$Config=")
	if i < 0 {
		return EntraPage{}, false
	}
	dec := json.NewDecoder(strings.NewReader(s[i+len("$Config="):]))
	var cfg map[string]any
	if err := dec.Decode(&cfg); err != nil {
		return EntraPage{}, false
	}
	str := func(k string) string {
		switch v := cfg[k].(type) {
		case string:
			return v
		case float64:
			return fmt.Sprint(int64(v))
		}
		return ""
	}
	p := EntraPage{Message: str("strServiceExceptionMessage"), CorrelationID: str("correlationId")}
	if n, ok := entra.ParseAADSTS(str("sErrorCode")); ok {
		p.Code = n
	} else if n, ok := entra.FindAADSTS(p.Message); ok {
		p.Code = n
	} else if n, ok := entra.FindAADSTS(str("strMainMessage")); ok {
		p.Code = n
	}
	if len(p.Message) > 400 {
		p.Message = p.Message[:400] + "…"
	}
	return p, true
}

// probeCheck requests the sign-in URL from Entra, on a trusted host only.
func (d *doctor) probeCheck(ctx context.Context, s *SignIn) Check {
	c := Check{ID: IDEntraProbe, Docs: DocsAADSTS}
	if !d.opts.Trust.TrustedHost(s.URL.Host) {
		return skipped(IDEntraProbe, "the authority "+s.URL.Host+" is not a known Microsoft login host (nor the configured authority host): not asked", DocsAADSTS)
	}
	r, err := d.get(ctx, s.URL.String(), asBrowser, nil)
	if err != nil {
		c.Status, c.Summary = Warn, "could not ask Entra: "+d.describe(err)
		return c
	}
	c.Evidence = []string{fmt.Sprintf("GET %s (browser): HTTP %d (unofficial: Entra's sign-in page is read, not an API)", RedactURL(s.URL.String()), r.Status)}
	page, ok := ParseEntraPage(r.Body)
	switch {
	case !ok && r.Status/100 == 3:
		c.Status, c.Summary = OK, "Entra redirected (an existing single sign-on session, or federation): no error before sign-in"
		return c
	case !ok:
		c.Status, c.Summary = Warn, fmt.Sprintf("Entra's answer (HTTP %d) is not a sign-in page azid can read", r.Status)
		return c
	case page.Code == 0:
		c.Status, c.Summary = OK, "Entra shows its sign-in page: the registration passes the checks made before sign-in (client, tenant, redirect URI, response type)"
		return c
	}
	c.Status = Fail
	if page.Message != "" {
		c.Evidence = append(c.Evidence, page.Message)
	}
	if page.CorrelationID != "" {
		c.Evidence = append(c.Evidence, "correlation ID "+page.CorrelationID)
	}
	c.Summary = fmt.Sprintf("Entra rejects the sign-in request: AADSTS%d", page.Code)
	if a, ok := entra.LookupAADSTS(page.Code); ok {
		c.Summary += " (" + a.Name + ")"
	}
	switch page.Code {
	case 50011:
		c.Fix = "register " + s.RedirectURI + " as a Web redirect URI: portal › Microsoft Entra ID › App registrations › the app › Authentication › Web (behind a proxy, also set httpSettings.forwardProxy)"
	case 700016:
		c.Fix = "client_id " + s.ClientID + " is not registered in tenant " + s.Tenant + ": fix the client ID (registration.clientId) or the issuer's tenant (registration.openIdIssuer); a multi-tenant app must be consented in the user's tenant"
	case 700054:
		c.Fix = "Easy Auth always asks for an ID token: tick ID tokens under the registration's Authentication › Implicit grant and hybrid flows (the manifest's oauth2AllowIdTokenImplicitFlow: true)"
	case 90002:
		c.Fix = "tenant " + s.Tenant + " does not exist: fix the issuer URL (registration.openIdIssuer)"
	case 9002326, 9002327:
		c.Fix = "the redirect URI is registered under Single-page application: move " + s.RedirectURI + " to the Web platform"
	default:
		c.Fix = "look the code up in the Entra error reference (azid can explain it offline)"
	}
	return c
}
