package entra

import (
	"strings"
	"testing"
)

// FuzzIssuerPath holds issuerPath to the plain reading of the path: split on
// "/" after trimming the slashes at both ends.
func FuzzIssuerPath(f *testing.F) {
	for _, s := range []string{"/t/v2.0", "/t/", "/", "", "/tfp/t/B2C_1_x/v2.0/", "/tfp/t", "tfp/t/p", "//a//b//", "/v2.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		segs := strings.Split(strings.Trim(path, "/"), "/")
		wantTenant, wantPolicy := segs[0], ""
		if segs[0] == "tfp" && len(segs) >= 3 {
			wantTenant, wantPolicy = segs[1], segs[2]
		}
		wantV2 := segs[len(segs)-1] == "v2.0"
		tenant, policy, v2 := issuerPath(path)
		if tenant != wantTenant || policy != wantPolicy || v2 != wantV2 {
			t.Fatalf("issuerPath(%q) = %q %q %v, want %q %q %v", path, tenant, policy, v2, wantTenant, wantPolicy, wantV2)
		}
	})
}

// FuzzParseIssuer checks that any string is handled: no panic, and an
// accepted issuer always has a host.
func FuzzParseIssuer(f *testing.F) {
	for _, s := range []string{"https://login.microsoftonline.com/t/v2.0", "https://sts.windows.net/t/", "https://x.b2clogin.com/tfp/t/p/v2.0/",
		"https://", "https://h", "https://h:443/t", "https://u@h/t", "https://[::1]:8443/t/v2.0", "https://h/%2F/v2.0", "http://h/t", "http://127.0.0.1:8400/t/v2.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, iss string) {
		info, ok := ParseIssuer(iss)
		if ok && info.Host == "" {
			t.Fatalf("ParseIssuer(%q) accepted an issuer without a host", iss)
		}
		if ok && !strings.HasPrefix(strings.ToLower(iss), "https://") && !isLoopbackHost(info.Host) {
			t.Fatalf("ParseIssuer(%q) accepted a non-https issuer off loopback", iss)
		}
	})
}
