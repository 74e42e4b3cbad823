package token

import (
	"testing"

	"github.com/azid-cli/azid/pkg/entra"
)

// TestTenantIssuerLocalHTTP: a local issuer on loopback (azid emulate) is a
// tenant's issuer only when its host is the configured authority host, and
// plain http is never accepted off loopback.
func TestTenantIssuerLocalHTTP(t *testing.T) {
	const tid = "0d5e2a1c-7e57-4a11-9c0d-e5a57e0a11d0"
	local := entra.TrustPolicy{AuthorityHosts: []string{"127.0.0.1:8400"}, PlainHTTPHosts: []string{"127.0.0.1:8400"}}.TrustedHost
	cases := []struct {
		name, iss string
		trusted   func(string) bool
		want      bool
	}{
		{"emulator v2", "http://127.0.0.1:8400/" + tid + "/v2.0", local, true},
		{"emulator other tenant", "http://127.0.0.1:8400/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", local, false},
		{"emulator not configured", "http://127.0.0.1:8400/" + tid + "/v2.0", nil, false},
		{"other loopback port", "http://127.0.0.1:9999/" + tid + "/v2.0", local, false},
		{"http off loopback", "http://login.microsoftonline.com/" + tid + "/v2.0", nil, false},
		{"public v2", "https://login.microsoftonline.com/" + tid + "/v2.0", nil, true},
		{"host only", "http://127.0.0.1:8400", local, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tenantIssuer(tc.iss, tid, tc.trusted); got != tc.want {
				t.Errorf("tenantIssuer(%q) = %v, want %v", tc.iss, got, tc.want)
			}
		})
	}
}
