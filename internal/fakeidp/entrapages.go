package fakeidp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Entra's answers about tenants and app registrations that the doctor reads:
// discovery of a tenant that does not exist (400, AADSTS90002, as in
// shared/reference/samples/token-error-invalid-tenant.json) and the HTML
// sign-in page, whose embedded $Config carries the AADSTS error when the
// authorize request is wrong.

// Registration is an app registration as far as Entra's authorize endpoint
// checks it before anyone signs in.
type Registration struct {
	ClientID string
	// Tenant is where the app is registered ("" = any tenant).
	Tenant string
	// WebRedirectURIs are the Web platform's redirect URIs.
	WebRedirectURIs []string
	// IDTokens is "ID tokens" under Implicit grant and hybrid flows.
	IDTokens bool
}

// SetTenantMissing makes discovery of tenant answer AADSTS90002.
func (s *Server) SetTenantMissing(tenant string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.missingTenants == nil {
		s.missingTenants = map[string]bool{}
	}
	s.missingTenants[strings.ToLower(tenant)] = true
}

// Register adds an app registration; once one is registered, the fake
// serves Entra's sign-in page (or its error page) on …/authorize.
func (s *Server) Register(r Registration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.registrations = append(s.registrations, r)
}

func (s *Server) tenantMissing(tenant string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.missingTenants[strings.ToLower(tenant)]
}

func invalidTenant(w http.ResponseWriter, tenant string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error": "invalid_tenant",
		"error_description": "AADSTS90002: Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. " +
			"Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.\r\nTrace ID: a21cd225-ecbb-419b-b73e-b78595fd6c00\r\nCorrelation ID: 38d1a094-e650-495e-8797-134839aad177\r\nTimestamp: 2023-08-17 04:54:12Z",
		"error_codes": []int{90002}, "timestamp": "2023-08-17 04:54:12Z", "trace_id": "a21cd225-ecbb-419b-b73e-b78595fd6c00",
		"correlation_id": "38d1a094-e650-495e-8797-134839aad177", "error_uri": "https://login.microsoftonline.com/error?code=90002",
	})
}

// servePortal answers GET …/oauth2[/v2.0]/authorize with Entra's HTML page
// when registrations are configured.
func (s *Server) servePortal(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasSuffix(r.URL.Path, "/authorize") {
		return false
	}
	s.mu.Lock()
	regs := s.registrations
	s.mu.Unlock()
	if regs == nil {
		return false
	}
	tenant := strings.Split(strings.Trim(r.URL.Path, "/"), "/")[0]
	q := r.URL.Query()
	code, msg := 0, ""
	var reg *Registration
	for i := range regs {
		if strings.EqualFold(regs[i].ClientID, q.Get("client_id")) && (regs[i].Tenant == "" || strings.EqualFold(regs[i].Tenant, tenant) ||
			tenant == "common" || tenant == "organizations") {
			reg = &regs[i]
		}
	}
	switch {
	case s.tenantMissing(tenant):
		code, msg = 90002, "AADSTS90002: Tenant '"+tenant+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
	case reg == nil:
		code, msg = 700016, "AADSTS700016: Application with identifier '"+q.Get("client_id")+"' was not found in the directory '"+tenant+"'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
	case !contains(reg.WebRedirectURIs, q.Get("redirect_uri")):
		code, msg = 50011, "AADSTS50011: The redirect URI '"+q.Get("redirect_uri")+"' specified in the request does not match the redirect URIs configured for the application '"+reg.ClientID+"'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."
	case strings.Contains(q.Get("response_type"), "id_token") && !reg.IDTokens:
		code, msg = 700054, "AADSTS700054: response_type 'id_token' is not enabled for the application."
	}
	cfg := map[string]any{"sFT": "AQABAAEAAAD", "correlationId": "0b8ee5a6-6b5c-4b44-9d1d-3c1f4b0c9e11", "sCanaryTokenName": "canary"}
	if code != 0 {
		cfg["sErrorCode"] = fmt.Sprint(code)
		cfg["strServiceExceptionMessage"] = msg
		cfg["strMainMessage"] = "We couldn't sign you in. Please try again."
		cfg["iErrorCode"] = code
	}
	data, _ := json.Marshal(cfg)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!DOCTYPE html><html dir=\"ltr\"><head><title>Sign in to your account</title><script type=\"text/javascript\">//<![CDATA[\n$Config=%s;\n//]]></script></head><body></body></html>", data)
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
