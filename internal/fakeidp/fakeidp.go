// Package fakeidp is a fake Microsoft identity platform for tests: OpenID
// discovery (v1, v2, B2C, ?appid=) and key sets, served over loopback TLS in
// the wire formats Microsoft documents (see shared/reference/samples). Its
// certificate also names the real Microsoft login hosts, so a client built by
// Client() talks to it for login.microsoftonline.com and friends, and to
// nothing else: no test ever reaches the internet.
package fakeidp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// Hosts are the names the fake's certificate is valid for, besides 127.0.0.1.
var Hosts = []string{
	"localhost", "login.microsoftonline.com", "sts.windows.net", "login.windows.net",
	"login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn",
	"sts.chinacloudapi.cn", "*.b2clogin.com", "*.ciamlogin.com", "management.azure.com",
	// app hosts for the fake App Service (ServeApp)
	"*.azurewebsites.net", "*.happyrock-1234.eastus.azurecontainerapps.io", "*.5.azurestaticapps.net",
	"contoso.example", "*.contoso.example",
}

// Server is the fake identity provider.
type Server struct {
	*httptest.Server
	caPEM []byte
	pool  *x509.CertPool

	mu      sync.Mutex
	keys    []map[string]any // the published key set
	appKeys map[string][]map[string]any
	hits    map[string]int
	down    bool
	sts     *STS
	graph   *Graph
	apps    map[string]*AppService
	arm     *ARM
	// missingTenants answer discovery with AADSTS90002.
	missingTenants map[string]bool
	registrations  []Registration
	// Handlers lets tests add routes (Easy Auth, token endpoints, Graph).
	Handlers map[string]http.HandlerFunc
}

// New starts a fake IdP publishing the given keys; it stops when the test ends.
func New(t testing.TB, keys ...*testjwt.Key) *Server {
	t.Helper()
	s := &Server{hits: map[string]int{}, appKeys: map[string][]map[string]any{}, Handlers: map[string]http.HandlerFunc{}}
	s.SetKeys(keys...)
	cert, caPEM, pool := makeCert(t)
	s.caPEM, s.pool = caPEM, pool
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Server.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// Host is the fake's host:port on loopback.
func (s *Server) Host() string { return strings.TrimPrefix(s.URL, "https://") }

// SetKeys replaces the published key set (key rotation). Keys carry Entra's
// per-key issuer template, as the real v2 key set does.
func (s *Server) SetKeys(keys ...*testjwt.Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = nil
	for _, k := range keys {
		s.keys = append(s.keys, k.JWK(map[string]any{"x5t": k.ID}))
	}
}

// SetRawKeys publishes JWK objects exactly as given.
func (s *Server) SetRawKeys(keys ...map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

// SetAppKeys publishes the key set served for ?appid=<appID>.
func (s *Server) SetAppKeys(appID string, keys ...*testjwt.Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var jwks []map[string]any
	for _, k := range keys {
		jwks = append(jwks, k.JWK(nil))
	}
	s.appKeys[appID] = jwks
}

// SetDown makes every request fail with 503 (an outage) or serve again.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// Hits returns how many requests a path (without query) received.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// TotalHits returns how many requests the fake received in all.
func (s *Server) TotalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

// CAFile writes the fake's CA certificate to a PEM file for --ca-file.
func (s *Server) CAFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fakeidp-ca.pem")
	if err := os.WriteFile(path, s.caPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Transport returns a transport that trusts the fake's CA and connects every
// request, whatever its host, to the fake on loopback.
func (s *Server) Transport() *http.Transport {
	addr := s.Listener.Addr().String()
	return &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: s.pool},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
}

// Client returns an HTTP client using Transport.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: s.Transport(), Timeout: 10 * time.Second}
}

// V2Issuer is the v2 issuer of tenant on host.
func V2Issuer(host, tenant string) string { return "https://" + host + "/" + tenant + "/v2.0" }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	down := s.down
	h := s.Handlers[r.URL.Path]
	sts := s.sts
	g := s.graph
	s.mu.Unlock()
	if down {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if app := s.appFor(r); app != nil {
		app.serve(w, r)
		return
	}
	if h != nil {
		h(w, r)
		return
	}
	s.mu.Lock()
	arm := s.arm
	s.mu.Unlock()
	if arm != nil && arm.serve(w, r) {
		return
	}
	if sts != nil && sts.serve(w, r) {
		return
	}
	if g != nil && g.serve(w, r) {
		return
	}
	host := r.Host
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	appID := r.URL.Query().Get("appid")
	q := ""
	if appID != "" {
		q = "?appid=" + appID
	}
	if len(segs) >= 3 && segs[len(segs)-1] == "openid-configuration" && s.tenantMissing(segs[0]) {
		invalidTenant(w, segs[0])
		return
	}
	if s.servePortal(w, r) {
		return
	}
	switch {
	// /{tenant}/v2.0/.well-known/openid-configuration
	case len(segs) == 4 && segs[1] == "v2.0" && segs[2] == ".well-known" && segs[3] == "openid-configuration":
		// Entra resolves a domain to its tenant GUID in every URL of the
		// document; common and organizations keep their alias and publish
		// the {tenantid} issuer template.
		tenant := resolveTenant(sts, segs[0])
		issuer := V2Issuer(host, tenant)
		if tenant == "common" || tenant == "organizations" {
			issuer = V2Issuer(host, "{tenantid}")
		}
		writeJSON(w, metadata(host, tenant, issuer, "https://"+host+"/"+tenant+"/discovery/v2.0/keys"+q, true))
	// /{tenant}/.well-known/openid-configuration (v1)
	case len(segs) == 3 && segs[1] == ".well-known" && segs[2] == "openid-configuration":
		stsHost := host
		switch strings.Split(host, ":")[0] {
		case "login.microsoftonline.com":
			stsHost = "sts.windows.net"
		case "login.chinacloudapi.cn":
			stsHost = "sts.chinacloudapi.cn"
		}
		tenant := resolveTenant(sts, segs[0])
		issTenant := tenant
		if tenant == "common" || tenant == "organizations" {
			issTenant = "{tenantid}"
		}
		writeJSON(w, metadata(host, tenant, "https://"+stsHost+"/"+issTenant+"/", "https://"+host+"/"+tenant+"/discovery/keys"+q, false))
	// B2C: /{tenant}/{policy}/v2.0/.well-known/openid-configuration
	case len(segs) == 5 && segs[2] == "v2.0" && segs[3] == ".well-known":
		issuer := "https://" + host + "/tfp/" + segs[0] + "/" + segs[1] + "/v2.0/"
		writeJSON(w, metadata(host, segs[0], issuer, "https://"+host+"/"+segs[0]+"/"+segs[1]+"/discovery/v2.0/keys", true))
	case len(segs) >= 3 && segs[len(segs)-1] == "keys":
		s.mu.Lock()
		keys := s.keys
		if appID != "" {
			keys = s.appKeys[appID]
		}
		v2 := segs[len(segs)-2] == "v2.0"
		out := make([]map[string]any, 0, len(keys))
		for _, k := range keys {
			c := map[string]any{}
			for name, v := range k {
				c[name] = v
			}
			if _, ok := c["issuer"]; !ok && v2 && appID == "" && len(segs) == 4 {
				c["issuer"] = V2Issuer(host, "{tenantid}")
			}
			out = append(out, c)
		}
		s.mu.Unlock()
		writeJSON(w, map[string]any{"keys": out})
	default:
		http.NotFound(w, r)
	}
}

// resolveTenant is the tenant a discovery path names, as Entra answers it: a
// domain (it has a dot) is the STS's tenant GUID; aliases and GUIDs as given.
func resolveTenant(sts *STS, tenant string) string {
	if sts != nil && sts.TenantID != "" && strings.Contains(tenant, ".") {
		return sts.TenantID
	}
	return tenant
}

func metadata(host, tenant, issuer, jwks string, v2 bool) map[string]any {
	base := "https://" + host + "/" + tenant + "/oauth2"
	if v2 {
		base += "/v2.0"
	}
	return map[string]any{
		"token_endpoint":                        base + "/token",
		"jwks_uri":                              jwks,
		"issuer":                                issuer,
		"authorization_endpoint":                base + "/authorize",
		"device_authorization_endpoint":         base + "/devicecode",
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"subject_types_supported":               []string{"pairwise"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"cloud_instance_name":                   "microsoftonline.com",
		"msgraph_host":                          "graph.microsoft.com",
		"tenant_region_scope":                   nil,
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

// makeCert makes a CA and a server certificate for 127.0.0.1, ::1 and Hosts.
func makeCert(t testing.TB) (tls.Certificate, []byte, *x509.CertPool) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "azid fake IdP CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "fakeidp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: Hosts, IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, caPEM, pool
}
