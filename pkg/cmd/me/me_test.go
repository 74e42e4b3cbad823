package me

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

func setup(t *testing.T) (*fakeidp.Server, *fakeidp.EasyAuthApp) {
	key := testjwt.SharedKey(t, "k1")
	idp := fakeidp.New(t, key)
	entry := fakeidp.AADEntry(t, key, fakeidp.V2Issuer("login.microsoftonline.com", tenant), tenant, now.Add(42*time.Minute))
	app := &fakeidp.EasyAuthApp{Sessions: map[string]*fakeidp.Session{"good": {Body: []any{entry},
		Renew: func(s *fakeidp.Session) {
			s.Body.([]any)[0].(map[string]any)["expires_on"] = fakeidp.ExpiresOn(now.Add(90 * time.Minute))
		}}}}
	idp.EasyAuth(app)
	return idp, app
}

func runMe(t *testing.T, idp *fakeidp.Server, opts *Options, stdin string) (string, string, error) {
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	opts.IO, opts.Now = ios, func() time.Time { return now }
	opts.HTTPClient = func() (*http.Client, error) { return idp.Client(), nil }
	opts.URL = idp.URL
	if opts.Format == "" {
		opts.Format = output.FormatText
	}
	err := run(t.Context(), opts)
	return out.String(), errOut.String(), err
}

func TestGolden(t *testing.T) {
	idp, _ := setup(t)
	out, _, err := runMe(t, idp, &Options{Cookie: "-"}, "AppServiceAuthSession=good")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "me.txt", []byte(out))
	out, _, err = runMe(t, idp, &Options{Cookie: "-", Format: output.FormatJSON}, "good")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "me.json", []byte(strings.ReplaceAll(out, idp.URL, "https://app.example")))
	out, _, err = runMe(t, idp, &Options{Cookie: "good", Refresh: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "✓ refreshed: access token expiry 2026-11-30 12:42:00 UTC (in 42m) → 2026-11-30 13:30:00 UTC (in 1h30m)") {
		t.Errorf("refresh line: %s", out)
	}
}

func TestCredentialErrors(t *testing.T) {
	idp, _ := setup(t)
	cases := []struct {
		opts *Options
		code int
		msg  string
	}{
		{&Options{}, 2, "no session given"},
		{&Options{Cookie: "a", Zumo: "b"}, 2, "not both"},
		{&Options{Cookie: "-", Zumo: "-"}, 2, "not both"},
		{&Options{Cookie: "-"}, 1, "the session cookie is empty"},
		{&Options{Zumo: "-"}, 1, "X-ZUMO-AUTH token is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			_, _, err := runMe(t, idp, tc.opts, "")
			code, _ := cmdutil.ExitCode(err)
			if err == nil || code != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%+v: err %v code %d, want %d %q", tc.opts, err, code, tc.code, tc.msg)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	env := map[string]string{"AZID_APP_URL": "https://env.example", "AZID_COOKIE": "envcookie"}
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}, Now: time.Now, Getenv: func(k string) string { return env[k] }}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--refresh", "--show-tokens"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.URL != "https://env.example" || got.Cookie != "envcookie" || !got.Refresh || !got.ShowTokens {
		t.Errorf("options = %+v", got)
	}
	cmd = NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--url", "https://flag.example", "--zumo", "z"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.URL != "https://flag.example" || got.Cookie != "" || got.Zumo != "z" {
		t.Errorf("flags over env: %+v", got)
	}
}
