// Package signin holds what the sign-in commands (login, token, graph, …)
// share beyond cmdutil's sign-in flags: the "azid login" hint that fixes
// "not signed in", and reading a service principal's credential.
package signin

import (
	"fmt"
	"os"
	"strings"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/login"
)

// ConfigFunc builds the sign-in configuration (token cache, authority, HTTP
// client) for the sign-in flags.
type ConfigFunc func(cmdutil.SignInFlags) (login.Config, error)

// Config is the ConfigFunc of the running azid: the cache under AZID_HOME and
// the global options of f, read when it is called (after flags are parsed).
func Config(f *cmdutil.Factory) ConfigFunc {
	return func(s cmdutil.SignInFlags) (login.Config, error) { return s.LoginConfig(f) }
}

// LoginHint is the azid login command that would fix "not signed in".
func LoginHint(s cmdutil.SignInFlags) string {
	parts := []string{"azid", "login"}
	if s.Tenant != "" {
		parts = append(parts, "--tenant", s.Tenant)
	}
	if s.ClientID != "" {
		parts = append(parts, "--client-id", s.ClientID)
	}
	for _, sc := range s.Scopes {
		parts = append(parts, "--scope", sc)
	}
	return `run "` + strings.Join(parts, " ") + `"`
}

// AppCredential reads a service principal's secret (AZURE_CLIENT_SECRET,
// read with env, or a file) or certificate. A secret is never taken from a
// flag value.
func AppCredential(env func(string) string, secretFile, certFile string) (login.AppCredential, error) {
	switch {
	case certFile != "":
		pem, err := os.ReadFile(certFile)
		if err != nil {
			return login.AppCredential{}, fmt.Errorf("--certificate: %w", err)
		}
		certs, key, err := login.CertificateFromPEM(pem)
		if err != nil {
			return login.AppCredential{}, fmt.Errorf("--certificate %s: %w", certFile, err)
		}
		return login.AppCredential{Certificate: certs, Key: key}, nil
	case secretFile != "":
		data, err := os.ReadFile(secretFile)
		if err != nil {
			return login.AppCredential{}, fmt.Errorf("--client-secret-file: %w", err)
		}
		secret := strings.TrimSpace(string(data))
		if secret == "" {
			return login.AppCredential{}, fmt.Errorf("--client-secret-file %s is empty", secretFile)
		}
		return login.AppCredential{Secret: secret}, nil
	}
	if s := strings.TrimSpace(env("AZURE_CLIENT_SECRET")); s != "" {
		return login.AppCredential{Secret: s}, nil
	}
	return login.AppCredential{}, cmdutil.UsageErrorf("no client credential: set AZURE_CLIENT_SECRET, or give --client-secret-file or --certificate")
}
