package cmdutil

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/spf13/pflag"
)

// SecretFlag refuses a client secret given as a flag value (it would show in
// the process list and the shell history). Register it on every command that
// takes an app credential, and call Check before running.
type SecretFlag struct{ value string }

// Register adds the hidden --client-secret flag.
func (s *SecretFlag) Register(fs *pflag.FlagSet) {
	fs.StringVar(&s.value, "client-secret", "", "refused: a secret is never taken as a flag value")
	_ = fs.MarkHidden("client-secret")
}

// Check fails with a usage error naming the two safe ways when the flag was given.
func (s *SecretFlag) Check(fs *pflag.FlagSet) error {
	if !fs.Changed("client-secret") {
		return nil
	}
	return &ExitError{Code: ExitUsage, Err: errors.New("--client-secret is refused: a secret given as a flag value shows in the process list and the shell history"),
		Hint: "set AZURE_CLIENT_SECRET in the environment, or put the secret in a file (mode 0600) and pass --client-secret-file FILE"}
}

// ParseClaims reads a --claims value: a claims request as JSON, or as the
// base64 a WWW-Authenticate challenge carries (claims="…"). It returns the
// JSON to hand to MSAL.
func ParseClaims(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	v = strings.Trim(v, `"`)
	if !strings.HasPrefix(v, "{") {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(v); err == nil {
				v = strings.TrimSpace(string(b))
				break
			}
		}
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(v), &obj); err != nil {
		return "", UsageErrorf("--claims must be a JSON object (a claims request such as {\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}) or the base64 of one from a claims challenge")
	}
	return v, nil
}
