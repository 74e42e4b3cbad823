package fakeidp

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// ARM fakes the two Azure Resource Manager calls the doctor makes: an Azure
// Resource Graph query for the site with a host name, and GET
// …/config/authsettingsV2 (WebApps_GetAuthSettingsV2WithoutSecrets). The
// secrets endpoint (…/authsettingsV2/list) answers 403 and is counted.
type ARM struct {
	mu    sync.Mutex
	Sites []ARMSite
	// Forbidden makes authsettingsV2 answer 403 (no read access).
	Forbidden bool
	// Requests are "METHOD path" of every request; Unauthenticated counts
	// those without a Bearer token; SecretReads those of …/list (read them
	// with Stats).
	Requests        []string
	Unauthenticated int
	SecretReads     int
	LastQuery       string
}

// ARMSite is one site: its resource ID, kind ("app,linux"), host names and
// its authsettingsV2 properties.
type ARMSite struct {
	ID, Kind     string
	HostNames    []string
	AuthSettings map[string]any
}

// ServeARM serves arm on this server (any host, by path).
func (s *Server) ServeARM(arm *ARM) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.arm = arm
}

func (a *ARM) serve(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/subscriptions/") && !strings.EqualFold(p, "/providers/Microsoft.ResourceGraph/resources") {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Requests = append(a.Requests, r.Method+" "+p)
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || len(r.Header.Get("Authorization")) < 20 {
		a.Unauthenticated++
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"code":"AuthenticationFailed","message":"Authentication failed. The 'Authorization' header is missing."}}`))
		return true
	}
	if r.URL.Query().Get("api-version") == "" {
		http.Error(w, `{"error":{"code":"MissingApiVersionParameter"}}`, http.StatusBadRequest)
		return true
	}
	switch {
	case strings.EqualFold(p, "/providers/Microsoft.ResourceGraph/resources") && r.Method == http.MethodPost:
		var body struct {
			Query string `json:"query"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		a.LastQuery = body.Query
		data := []map[string]any{}
		for _, s := range a.Sites {
			for _, h := range s.HostNames {
				if strings.Contains(strings.ToLower(body.Query), "'"+strings.ToLower(h)+"'") {
					name := s.ID[strings.LastIndexByte(s.ID, '/')+1:]
					data = append(data, map[string]any{"id": s.ID, "name": name, "type": "microsoft.web/sites", "kind": s.Kind})
					break
				}
			}
		}
		writeJSON(w, map[string]any{"totalRecords": len(data), "count": len(data), "data": data, "facets": []any{}, "resultTruncated": "false"})
	case strings.HasSuffix(strings.ToLower(p), "/config/authsettingsv2/list"):
		a.SecretReads++
		http.Error(w, `{"error":{"code":"AuthorizationFailed"}}`, http.StatusForbidden)
	case strings.HasSuffix(strings.ToLower(p), "/config/authsettingsv2") && r.Method == http.MethodGet:
		id := p[:len(p)-len("/config/authsettingsV2")]
		for _, s := range a.Sites {
			if strings.EqualFold(s.ID, id) {
				if a.Forbidden {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusForbidden)
					w.Write([]byte(`{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action 'Microsoft.Web/sites/config/read'."}}`))
					return true
				}
				writeJSON(w, map[string]any{"id": s.ID + "/config/authsettingsV2", "name": "authsettingsV2", "type": "Microsoft.Web/sites/config",
					"location": "West Europe", "properties": s.AuthSettings})
				return true
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"ResourceNotFound","message":"The Resource was not found."}}`))
	default:
		http.NotFound(w, r)
	}
	return true
}

// AuthSettingsV2 is a site's authsettingsV2 properties as the portal writes
// them for the Microsoft provider, with the given issuer, client ID, login
// parameters and token store.
func AuthSettingsV2(issuer, clientID string, loginParameters []string, tokenStore bool) map[string]any {
	if loginParameters == nil {
		loginParameters = []string{}
	}
	return map[string]any{
		"platform": map[string]any{"enabled": true, "runtimeVersion": "~1"},
		"globalValidation": map[string]any{"requireAuthentication": true, "unauthenticatedClientAction": "RedirectToLoginPage",
			"redirectToProvider": "azureactivedirectory"},
		"identityProviders": map[string]any{"azureActiveDirectory": map[string]any{"enabled": true,
			"registration": map[string]any{"openIdIssuer": issuer, "clientId": clientID, "clientSecretSettingName": "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"},
			"login":        map[string]any{"loginParameters": loginParameters, "disableWWWAuthenticate": false},
			"validation":   map[string]any{"allowedAudiences": []string{"api://" + clientID}, "defaultAuthorizationPolicy": map[string]any{"allowedApplications": []string{}}}}},
		"login": map[string]any{"tokenStore": map[string]any{"enabled": tokenStore, "tokenRefreshExtensionHours": 72, "fileSystem": map[string]any{}, "azureBlobStorage": map[string]any{}},
			"preserveUrlFragmentsForLogins": false},
		"httpSettings": map[string]any{"requireHttps": true, "routes": map[string]any{"apiPrefix": "/.auth"}, "forwardProxy": map[string]any{"convention": "NoProxy"}},
	}
}

// ARMStats is what the fake ARM has seen.
type ARMStats struct {
	Requests                     []string
	Unauthenticated, SecretReads int
	LastQuery                    string
}

// Stats returns what the fake ARM has seen so far.
func (a *ARM) Stats() ARMStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	return ARMStats{Requests: append([]string(nil), a.Requests...), Unauthenticated: a.Unauthenticated, SecretReads: a.SecretReads, LastQuery: a.LastQuery}
}
