package decode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

var fixedNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

const tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// Tokens shaped like real Entra tokens, in Entra's claim order.
var samples = map[string]struct{ header, payload string }{
	"v2-delegated": {`{"typ":"JWT","alg":"RS256","kid":"k1"}`,
		`{"aud":"6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","iat":1796039400,"nbf":1796039400,"exp":1796044500,"aio":"AWQAm/8a","azp":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","azpacr":"0","name":"Alex Example","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","preferred_username":"alex@contoso.example","rh":"1.AXk.","scp":"User.Read Files.Read","sub":"Zq8sub","tid":"` + tid + `","uti":"u1","ver":"2.0","wids":["62e90394-69f5-4237-9190-012177145e10","b79fbf4d-3ef9-4689-8143-76b194e85509"],"xms_cc":["cp1"],"custom_thing":{"a":[1,2]}}`},
	"v1-app-only-expired": {`{"typ":"JWT","alg":"RS256","x5t":"k1","kid":"k1"}`,
		`{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/` + tid + `/","iat":1796020000,"nbf":1796020000,"exp":1796028800,"aio":"E2RgY","appid":"11111111-2222-3333-4444-555555555555","appidacr":"1","idp":"https://sts.windows.net/` + tid + `/","idtyp":"app","oid":"99999999-8888-7777-6666-555555555555","rh":"0.A","roles":["Data.Read.All"],"sub":"99999999-8888-7777-6666-555555555555","tid":"` + tid + `","uti":"u2","ver":"1.0"}`},
	"graph": {`{"typ":"JWT","nonce":"AQABAAAAAABnfiG","alg":"RS256","x5t":"k1","kid":"k1"}`,
		`{"aud":"00000003-0000-0000-c000-000000000000","iss":"https://sts.windows.net/` + tid + `/","iat":1796039400,"nbf":1796039400,"exp":1796044500,"acct":0,"amr":["pwd","mfa"],"app_displayname":"Azure CLI","appid":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","appidacr":"0","name":"Alex Example","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","scp":"User.Read","tid":"` + tid + `","unique_name":"alex@contoso.example","upn":"alex@contoso.example","ver":"1.0"}`},
	"id-token-not-yet-valid": {`{"typ":"JWT","alg":"RS256","kid":"k1"}`,
		`{"aud":"6e7d1b5c-0c5e-4f8e-9d1a-3b2c1d0e9f8a","iss":"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0","iat":1796050000,"nbf":1796050000,"exp":1796053600,"name":"Pat \u001b[31mPersonal","nonce":"n-0S6_WzA2Mj","oid":"00000000-0000-0000-aaaa-bbbbbbbbbbbb","preferred_username":"pat@outlook.com","sub":"AAAAAAAA","tid":"9188040d-6c67-4c5b-b112-36a304b66dad","ver":"2.0"}`},
}

func sampleToken(t *testing.T, name string) string {
	t.Helper()
	s, ok := samples[name]
	if !ok {
		t.Fatalf("no sample %q", name)
	}
	return testjwt.SharedKey(t, "k1").Sign(t, s.header, s.payload)
}

func runDecode(t *testing.T, opts *Options, stdin string) (string, string, error) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	opts.IO = ios
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.Format == "" {
		opts.Format = output.FormatText
	}
	err := run(t.Context(), opts)
	return out.String(), errOut.String(), err
}

func TestGoldenText(t *testing.T) {
	for name := range samples {
		t.Run(name, func(t *testing.T) {
			out, errOut, err := runDecode(t, &Options{Input: sampleToken(t, name)}, "")
			if err != nil {
				t.Fatal(err)
			}
			if errOut != "signature not verified (use --verify)\n" {
				t.Errorf("stderr = %q", errOut)
			}
			if strings.Contains(out, "\x1b") {
				t.Error("colour or raw escape codes in non-terminal output")
			}
			golden.Assert(t, name+".txt", []byte(out))
		})
	}
}

func TestGoldenJSON(t *testing.T) {
	for name := range samples {
		t.Run(name, func(t *testing.T) {
			out, _, err := runDecode(t, &Options{Input: sampleToken(t, name), Format: output.FormatJSON}, "")
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, name+".json", []byte(out))
		})
	}
}

func TestJSONClaimsExact(t *testing.T) {
	tok := testjwt.SharedKey(t, "k1").Sign(t, `{"alg":"RS256"}`, `{"exp":1796044500.25,"big":123456789012345678901234567890,"b":"x"}`)
	out, _, err := runDecode(t, &Options{Input: tok, Format: output.FormatJSON}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"big": 123456789012345678901234567890`, `"exp": 1796044500.25`, `"expires_at": "2026-11-30T13:15:00.25Z"`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
	var v struct {
		Header map[string]any `json:"header"`
		Claims map[string]any `json:"claims"`
		Token  token.Summary  `json:"token"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Header["alg"] != "RS256" || v.Claims["b"] != "x" {
		t.Errorf("round trip: %+v", v)
	}
}

func TestYAML(t *testing.T) {
	out, _, err := runDecode(t, &Options{Input: sampleToken(t, "v2-delegated"), Format: output.FormatYAML}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"header:\n  typ: JWT\n", "  exp: 1796044500\n", "token:\n  kind: access\n", "  expired: false\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("YAML lacks %q:\n%s", want, out)
		}
	}
}

func TestColourOnTerminalOnly(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	ios.SetTTY(false, true, true)
	err := run(t.Context(), &Options{IO: ios, Now: func() time.Time { return fixedNow }, Format: output.FormatText, Input: sampleToken(t, "v1-app-only-expired")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\x1b[") {
		t.Error("no colour on a terminal")
	}
	if !strings.Contains(out.String(), "EXPIRED") {
		t.Error("no EXPIRED marker")
	}
	ios.SetNoColorEnv(true)
	out.Reset()
	_ = run(t.Context(), &Options{IO: ios, Now: func() time.Time { return fixedNow }, Format: output.FormatText, Input: sampleToken(t, "v1-app-only-expired")})
	if strings.Contains(out.String(), "\x1b[") {
		t.Error("colour despite NO_COLOR")
	}
}

func TestClaimFlag(t *testing.T) {
	tok := sampleToken(t, "v2-delegated")
	cases := []struct {
		claims []string
		want   string
	}{
		{[]string{"oid"}, "3f2e1d0c-b9a8-4765-8432-10fedcba9876\n"},
		{[]string{"wids"}, "62e90394-69f5-4237-9190-012177145e10\nb79fbf4d-3ef9-4689-8143-76b194e85509\n"},
		{[]string{"exp"}, "1796044500\n"},
		{[]string{"custom_thing"}, `{"a":[1,2]}` + "\n"},
		{[]string{"name", "ver"}, "Alex Example\n2.0\n"},
		// several claims: one line each, arrays as JSON
		{[]string{"oid", "wids"}, "3f2e1d0c-b9a8-4765-8432-10fedcba9876\n" + `["62e90394-69f5-4237-9190-012177145e10","b79fbf4d-3ef9-4689-8143-76b194e85509"]` + "\n"},
		{[]string{"name,ver"}, "Alex Example\n2.0\n"},
		{[]string{"name, ver", "name"}, "Alex Example\n2.0\n"},
		{[]string{"header.alg"}, "RS256\n"},
		{[]string{"header.typ", "tid"}, "JWT\n" + "72f988bf-86f1-41af-91ab-2d7cd011db47\n"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.claims, "+"), func(t *testing.T) {
			out, errOut, err := runDecode(t, &Options{Input: tok, Claims: tc.claims}, "")
			if err != nil {
				t.Fatalf("%v: %v", tc.claims, err)
			}
			if out != tc.want {
				t.Errorf("--claim %v = %q, want %q", tc.claims, out, tc.want)
			}
			if errOut != "" {
				t.Errorf("--claim wrote to stderr: %q", errOut)
			}
		})
	}
	_, _, err := runDecode(t, &Options{Input: tok, Claims: []string{"oid", "nope"}}, "")
	if err == nil || err.Error() != `claim "nope" is not in the token` {
		t.Errorf("missing claim: err = %v", err)
	}
	if code, _ := cmdutil.ExitCode(err); code != 1 {
		t.Errorf("missing claim exit code = %d", code)
	}
}

func TestClaimFlagJSON(t *testing.T) {
	tok := sampleToken(t, "v2-delegated")
	out, _, err := runDecode(t, &Options{Input: tok, Claims: []string{"oid,wids", "exp", "header.alg"}, Format: output.FormatJSON}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","wids":["62e90394-69f5-4237-9190-012177145e10","b79fbf4d-3ef9-4689-8143-76b194e85509"],"exp":1796044500,"header.alg":"RS256"}` + "\n"
	if out != want {
		t.Errorf("json = %q, want %q", out, want)
	}
	if _, _, err := runDecode(t, &Options{Input: tok, Claims: []string{"oid", "upn"}, Format: output.FormatJSON}, ""); err == nil {
		t.Error("a missing claim in JSON mode passed")
	}
}

func TestClaimFlagControlCharacters(t *testing.T) {
	p, err := token.Parse(testjwt.Unsigned(`{"alg":"RS256"}`, `{"note":"two\nlines","tab":"a\tb","plain":"ok","cr":"a\rb"}`))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := PrintClaims(&buf, p, []string{"note", "plain", "tab", "cr"}, ClaimsFormat{}); err != nil {
		t.Fatal(err)
	}
	if want := `"two\nlines"` + "\nok\na\tb\n" + `"a\rb"` + "\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestMissingClaimNamesSimilar(t *testing.T) {
	tok := sampleToken(t, "v2-delegated")
	cases := []struct{ name, hint string }{
		{"upn", "preferred_username"},
		{"appid", "azp"},
		{"nmae", "name"},
		{"kid", "try -c header.kid"},
		{"header.kidd", "header.kid"},
		{"header.zzzzzz", "see every claim"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := runDecode(t, &Options{Input: tok, Claims: []string{tc.name}}, "")
			var ee *cmdutil.ExitError
			if !errors.As(err, &ee) || ee.Code != cmdutil.ExitFailure || !strings.Contains(ee.Hint, tc.hint) || out != "" {
				t.Errorf("err %v (%+v), out %q; want a hint naming %s", err, ee, out, tc.hint)
			}
		})
	}
}

func TestClaimFlagSanitisesOnTerminal(t *testing.T) {
	tok := sampleToken(t, "id-token-not-yet-valid")
	var buf bytes.Buffer
	p, _ := token.Parse(tok)
	if err := PrintClaims(&buf, p, []string{"name"}, ClaimsFormat{TTY: true}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != `Pat \x1b[31mPersonal`+"\n" {
		t.Errorf("tty claim = %q", buf.String())
	}
	buf.Reset()
	_ = PrintClaims(&buf, p, []string{"name"}, ClaimsFormat{})
	if buf.String() != "Pat \x1b[31mPersonal\n" {
		t.Errorf("piped claim = %q, want the raw value", buf.String())
	}
}

func TestStdinAndForms(t *testing.T) {
	tok := sampleToken(t, "v2-delegated")
	for _, in := range []string{tok, "Bearer " + tok, `{"accessToken":"` + tok + `"}`} {
		out, _, err := runDecode(t, &Options{Input: "-", Claims: []string{"tid"}}, in)
		if err != nil || out != tid+"\n" {
			t.Errorf("stdin %.20q: out=%q err=%v", in, out, err)
		}
	}
	idTok := sampleToken(t, "id-token-not-yet-valid")
	two := `{"access_token":"` + tok + `","id_token":"` + idTok + `"}`
	out, errOut, err := runDecode(t, &Options{Input: "-", Claims: []string{"tid"}}, two)
	if err != nil || out != tid+"\n" || !strings.Contains(errOut, "note: the input holds 2 tokens: access_token (access token), id_token (ID token); decoding access_token, the access token (token 1 of 2): --id-token for the ID token, --index N for another") {
		t.Errorf("two tokens: out=%q err=%v stderr=%q", out, err, errOut)
	}
	for name, choice := range map[string]tokenarg.Choice{"--id-token": {IDToken: true}, "--index 2": {Index: 2}} {
		out, errOut, err = runDecode(t, &Options{Input: "-", Claims: []string{"tid"}, Choice: choice}, two)
		if err != nil || out != "9188040d-6c67-4c5b-b112-36a304b66dad\n" || !strings.Contains(errOut, "decoding id_token (ID token), token 2 of 2, as asked") {
			t.Errorf("%s: out=%q err=%v stderr=%q", name, out, err, errOut)
		}
	}
	for name, tc := range map[string]struct {
		in     string
		choice tokenarg.Choice
		msg    string
		code   int
	}{
		"no id token":  {tok, tokenarg.Choice{IDToken: true}, "the input holds no ID token (it holds 1 token: access token)", cmdutil.ExitFailure},
		"index beyond": {two, tokenarg.Choice{Index: 3}, "the input holds no token 3 (it holds 2 tokens: access_token (access token), id_token (ID token))", cmdutil.ExitFailure},
		"both":         {two, tokenarg.Choice{Index: 1, IDToken: true}, "--id-token and --index both choose a token: give one of them", cmdutil.ExitUsage},
	} {
		_, _, err := runDecode(t, &Options{Input: "-", Choice: tc.choice}, tc.in)
		if code, _ := cmdutil.ExitCode(err); err == nil || err.Error() != tc.msg || code != tc.code {
			t.Errorf("%s: err = %v (exit %d), want %q and exit %d", name, err, code, tc.msg, tc.code)
		}
	}
}

// TestTerminalStdinWithoutArgument: no argument and a terminal on standard
// input answers at once, never waiting on the terminal, and with the same
// error an empty pipe gets (issue 11 item 9).
func TestTerminalStdinWithoutArgument(t *testing.T) {
	ios, in, _, _ := iostreams.Test()
	ios.SetTTY(true, true, true)
	in.WriteString(sampleTokenForTerminalTest) // would be read if azid waited on the terminal
	err := run(t.Context(), &Options{IO: ios, Now: time.Now, Format: output.FormatText})
	if !errors.Is(err, token.ErrEmpty) || in.Len() != len(sampleTokenForTerminalTest) {
		t.Fatalf("err = %v (%d bytes left unread), want token.ErrEmpty without reading the terminal", err, in.Len())
	}
	_, _, pipeErr := runDecode(t, &Options{Input: "-"}, "")
	if pipeErr == nil || pipeErr.Error() != err.Error() {
		t.Errorf("an empty pipe says %v, a terminal %v: want the same", pipeErr, err)
	}
}

const sampleTokenForTerminalTest = "eyJhbGciOiJub25lIn0.e30."

func TestBadAt(t *testing.T) {
	_, _, err := runDecode(t, &Options{Input: sampleToken(t, "graph"), At: "yesterday"}, "")
	if code, _ := cmdutil.ExitCode(err); code != 2 || !strings.Contains(err.Error(), "--at") {
		t.Errorf("err = %v code %d", err, code)
	}
}

func TestAtChangesVerdict(t *testing.T) {
	out, _, err := runDecode(t, &Options{Input: sampleToken(t, "v1-app-only-expired"), At: "1796025000", Format: output.FormatJSON}, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"expired": false`) {
		t.Error("--at before exp still says expired")
	}
}

func TestNewCmdFlags(t *testing.T) {
	f := &cmdutil.Factory{Global: &cmdutil.GlobalOptions{Output: "json"}}
	f.IOStreams, _, _, _ = iostreams.Test()
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"TOKEN", "--claim", "oid", "-c", "tid", "--at", "0"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Input != "TOKEN" || strings.Join(got.Claims, ",") != "oid,tid" || got.At != "0" || got.Format != output.FormatJSON {
		t.Errorf("options = %+v", got)
	}
	cmd = NewCmd(f, func(_ context.Context, o *Options) error { return nil })
	cmd.SetArgs([]string{"a", "b"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	var flagErr *cmdutil.FlagError
	if err := cmd.Execute(); !errors.As(err, &flagErr) {
		t.Errorf("two arguments: err = %v", err)
	}
}
