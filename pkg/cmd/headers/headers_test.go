package headers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func sampleHeaders(t *testing.T) string {
	key := testjwt.SharedKey(t, "k1")
	access := key.SignClaims(t, map[string]any{"aud": "00000003-0000-0000-c000-000000000000", "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
		"iat": now.Add(-50 * time.Minute).Unix(), "exp": now.Add(25 * time.Minute).Unix(), "appid": "11111111-2222-3333-4444-555555555555", "scp": "openid profile User.Read",
		"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "1.0", "upn": "alex@contoso.example"})
	idTok := key.SignClaims(t, map[string]any{"aud": "11111111-2222-3333-4444-555555555555", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		"iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix(), "nonce": "n", "name": "Alex Example", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0"})
	principal, _ := json.Marshal(map[string]any{
		"auth_typ": "aad",
		"claims": []map[string]string{
			{"typ": "aud", "val": "11111111-2222-3333-4444-555555555555"},
			{"typ": "name", "val": "Alex Example"},
			{"typ": "http://schemas.microsoft.com/identity/claims/objectidentifier", "val": "3f2e1d0c-b9a8-4765-8432-10fedcba9876"},
			{"typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "val": "alex@contoso.example"},
			{"typ": "roles", "val": "Reader"},
			{"typ": "roles", "val": "Approver"},
		},
		"name_typ": "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
		"role_typ": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
	})
	return "GET / HTTP/1.1\nHost: contoso.azurewebsites.net\n" +
		"X-MS-CLIENT-PRINCIPAL: " + base64.StdEncoding.EncodeToString(principal) + "\n" +
		"X-MS-CLIENT-PRINCIPAL-NAME: alex@contoso.example\nX-MS-CLIENT-PRINCIPAL-ID: 3f2e1d0c-b9a8-4765-8432-10fedcba9876\nX-MS-CLIENT-PRINCIPAL-IDP: aad\n" +
		"X-MS-TOKEN-AAD-ACCESS-TOKEN: " + access + "\nX-MS-TOKEN-AAD-ID-TOKEN: " + idTok + "\n" +
		"X-MS-TOKEN-AAD-EXPIRES-ON: 2026-11-30T12:25:00.0000000Z\nX-MS-TOKEN-AAD-REFRESH-TOKEN: 0.ARoA-secret\n\n"
}

func runHeaders(t *testing.T, opts *Options, stdin string) (string, string, error) {
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	opts.IO, opts.Now = ios, func() time.Time { return now }
	if opts.Format == "" {
		opts.Format = output.FormatText
	}
	err := run(t.Context(), opts)
	return out.String(), errOut.String(), err
}

func TestGolden(t *testing.T) {
	out, errOut, err := runHeaders(t, &Options{}, sampleHeaders(t))
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "headers.txt", []byte(out))
	if !strings.Contains(errOut, "trust these headers only") {
		t.Errorf("stderr = %q", errOut)
	}
	out, _, err = runHeaders(t, &Options{Format: output.FormatJSON}, sampleHeaders(t))
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "headers.json", []byte(out))
	if strings.Contains(out, "0.ARoA-secret") || strings.Contains(out, "eyJ") {
		t.Error("a token was printed without --show-tokens")
	}
	out, _, _ = runHeaders(t, &Options{ShowTokens: true}, sampleHeaders(t))
	if !strings.Contains(out, "0.ARoA-secret") {
		t.Error("--show-tokens did not show the refresh token")
	}
}

func TestFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "yaml"}, Now: time.Now}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"req.txt", "--show-tokens"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Input != "req.txt" || !got.ShowTokens || got.Format != output.FormatYAML {
		t.Errorf("options = %+v", got)
	}
}

func TestClaimSelection(t *testing.T) {
	cases := []struct {
		claims []string
		json   bool
		want   string
	}{
		{[]string{"roles"}, false, "Reader\nApprover\n"},
		{[]string{"oid"}, false, "3f2e1d0c-b9a8-4765-8432-10fedcba9876\n"},
		{[]string{"http://schemas.microsoft.com/identity/claims/objectidentifier"}, false, "3f2e1d0c-b9a8-4765-8432-10fedcba9876\n"},
		{[]string{"email,roles", "name"}, false, "alex@contoso.example\n[\"Reader\",\"Approver\"]\nAlex Example\n"},
		{[]string{"roles", "oid"}, true, `{"roles":["Reader","Approver"],"oid":["3f2e1d0c-b9a8-4765-8432-10fedcba9876"]}` + "\n"},
	}
	for _, tc := range cases {
		opts := &Options{Claims: tc.claims}
		if tc.json {
			opts.Format = output.FormatJSON
		}
		out, _, err := runHeaders(t, opts, sampleHeaders(t))
		if err != nil || out != tc.want {
			t.Errorf("-c %v: %q, %v; want %q", tc.claims, out, err, tc.want)
		}
	}
	_, _, err := runHeaders(t, &Options{Claims: []string{"upn"}}, sampleHeaders(t))
	if code, hint := cmdutil.ExitCode(err); code != 1 || err.Error() != `claim "upn" is not in the client principal` || hint != "the principal has email, name: try -c email" {
		t.Errorf("missing: %v (exit %d, hint %q)", err, code, hint)
	}
	_, _, err = runHeaders(t, &Options{Claims: []string{"oid"}}, "Host: x\nX-MS-CLIENT-PRINCIPAL-NAME: a\n")
	if err == nil || !strings.Contains(err.Error(), "no X-MS-CLIENT-PRINCIPAL header") {
		t.Errorf("no principal: %v", err)
	}
}
