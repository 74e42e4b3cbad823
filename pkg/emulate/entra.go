package emulate

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// EntraConfig configures real Entra sign-in (authorization code with PKCE).
type EntraConfig struct {
	// Authority is the authority host, such as https://login.microsoftonline.com.
	Authority string
	Tenant    string
	ClientID  string
	// ClientSecret is optional (a confidential Web app registration).
	ClientSecret string
	// Scopes requested (default openid profile email offline_access).
	Scopes []string
	// HTTPClient talks to Entra.
	HTTPClient *http.Client
}

type entraClient struct {
	cfg  *EntraConfig
	base string
}

func newEntraClient(cfg *EntraConfig, base string) *entraClient {
	return &entraClient{cfg: cfg, base: base}
}

func (e *entraClient) start(w http.ResponseWriter, r *http.Request, redirect string) {
	http.Error(w, "501 real Entra sign-in is not available in this build", http.StatusNotImplemented)
}

func (e *entraClient) refresh(ctx context.Context, sess *session, now time.Time) (string, error) {
	return "", errors.New("not available")
}

func (s *Server) serveCallback(w http.ResponseWriter, r *http.Request) string {
	http.NotFound(w, r)
	return ""
}
