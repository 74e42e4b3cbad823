package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

const runTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// signedAndKeys signs a v2 access token for api://my-api with a key generated
// in the test, and writes that key's set to a file.
func signedAndKeys(t *testing.T, now time.Time) (tok, jwksFile string) {
	t.Helper()
	key := testjwt.SharedKey(t, "run-key")
	jwksFile = filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwksFile, testjwt.JWKS(t, key.JWK(nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	tok = key.SignClaims(t, map[string]any{
		"aud": "api://my-api", "iss": "https://login.microsoftonline.com/" + runTenant + "/v2.0", "tid": runTenant,
		"iat": now.Add(-5 * time.Minute).Unix(), "nbf": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(42 * time.Minute).Unix(),
		"ver": "2.0", "sub": "s", "oid": "o", "preferred_username": "alex@contoso.example",
	})
	return tok, jwksFile
}

func TestRun(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tok, jwks := signedAndKeys(t, now)
	clock := func() time.Time { return now }
	newOpts := func(input string, format output.Format, audience string) (*Options, *iostreams.IOStreams) {
		ios, _, _, _ := iostreams.Test()
		o := &Options{IO: ios, Now: clock, Format: format, Input: input,
			Discovery: trustpolicy.Deps{IO: ios, Now: clock}}
		o.Flags.JWKS, o.Flags.Tenant, o.Flags.Audiences = jwks, runTenant, []string{audience}
		o.Flags.Offline = true
		return o, ios
	}
	text := func(ios *iostreams.IOStreams) string { return ios.Out.(interface{ String() string }).String() }

	t.Run("valid, text", func(t *testing.T) {
		opts, ios := newOpts(tok, output.FormatText, "api://my-api")
		if err := run(t.Context(), opts); err != nil {
			t.Fatalf("err = %v, want a valid token", err)
		}
		if out := text(ios); !strings.Contains(out, "alex@contoso.example") || !strings.Contains(out, "signature") {
			t.Errorf("text verdict:\n%s", out)
		}
	})
	t.Run("wrong audience, JSON", func(t *testing.T) {
		opts, ios := newOpts(tok, output.FormatJSON, "api://other-api")
		err := run(t.Context(), opts)
		if code, _ := cmdutil.ExitCode(err); code != cmdutil.ExitInvalid {
			t.Errorf("err = %v (code %d), want exit 3", err, code)
		}
		var res struct {
			Verification struct {
				Valid bool `json:"valid"`
			} `json:"verification"`
		}
		if err := json.Unmarshal([]byte(text(ios)), &res); err != nil || res.Verification.Valid {
			t.Errorf("JSON %v valid=%v:\n%s", err, res.Verification.Valid, text(ios))
		}
	})
	t.Run("tampered signature", func(t *testing.T) {
		bad := tok[:len(tok)-4] + "AAAA"
		opts, _ := newOpts(bad, output.FormatText, "api://my-api")
		if code, _ := cmdutil.ExitCode(run(t.Context(), opts)); code != cmdutil.ExitInvalid {
			t.Errorf("code %d, want exit 3 for a signature that does not verify", code)
		}
	})
	t.Run("not a token", func(t *testing.T) {
		opts, ios := newOpts("hello", output.FormatText, "api://my-api")
		err := run(t.Context(), opts)
		if code, _ := cmdutil.ExitCode(err); err == nil || code == 0 || text(ios) != "" {
			t.Errorf("err = %v (code %d), stdout %q: want an error and nothing on stdout", err, code, text(ios))
		}
	})
}
