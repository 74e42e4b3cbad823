package entra

import "testing"

func TestMetadataURLPlainHTTPLoopback(t *testing.T) {
	tid := "72f988bf-86f1-41af-91ab-2d7cd011db47"
	p := TrustPolicy{AuthorityHosts: []string{"127.0.0.1:8400"}, PlainHTTPHosts: []string{"127.0.0.1:8400"}}
	got, err := MetadataURL(TokenIssuer{Issuer: "http://127.0.0.1:8400/" + tid + "/v2.0"}, "", p)
	if want := "http://127.0.0.1:8400/" + tid + "/v2.0/.well-known/openid-configuration"; err != nil || got != want {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	// https on the same host keeps working; http anywhere else is refused.
	if _, err := MetadataURL(TokenIssuer{Issuer: "https://127.0.0.1:8400/" + tid + "/v2.0"}, "", p); err != nil {
		t.Errorf("https on the authority host: %v", err)
	}
	for _, iss := range []string{
		"http://127.0.0.1:8401/" + tid + "/v2.0",            // another port
		"http://login.microsoftonline.com/" + tid + "/v2.0", // a Microsoft host over http
		"http://localhost:8400/" + tid + "/v2.0",            // not the configured host
	} {
		if got, err := MetadataURL(TokenIssuer{Issuer: iss}, "", p); err == nil {
			t.Errorf("MetadataURL(%q) = %s, want an error", iss, got)
		}
	}
	// A non-loopback host listed as plain HTTP is still refused.
	evil := TrustPolicy{AuthorityHosts: []string{"evil.example:80"}, PlainHTTPHosts: []string{"evil.example:80"}}
	if got, err := MetadataURL(TokenIssuer{Issuer: "http://evil.example:80/" + tid + "/v2.0"}, "", evil); err == nil {
		t.Errorf("non-loopback plain HTTP accepted: %s", got)
	}
	if (TrustPolicy{}).PlainHTTP("127.0.0.1:8400") {
		t.Error("plain HTTP allowed without configuration")
	}
}
