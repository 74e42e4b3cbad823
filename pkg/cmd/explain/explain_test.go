package explain

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func TestLookup(t *testing.T) {
	cases := []struct{ key, kind, name string }{
		{"AADSTS50011", "aadsts", "InvalidReplyTo"},
		{"aadsts700016", "aadsts", "UnauthorizedClient_DoesNotMatchRequest"},
		{"50076", "aadsts", "UserStrongAuthClientAuthNRequired"},
		{"62e90394-69f5-4237-9190-012177145e10", "role", "Global Administrator"},
		{"Security Reader", "role", "Security Reader"},
		{"oid", "claim", ""},
		{"kid", "header", ""},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			entries, err := Lookup(tc.key)
			if err != nil {
				t.Errorf("Lookup(%q): %v", tc.key, err)
				return
			}
			if entries[0].Kind != tc.kind || entries[0].Name != tc.name {
				t.Errorf("Lookup(%q) = %+v", tc.key, entries[0])
			}
		})
	}
	// nonce is a header member, an ID token claim and an Easy Auth cookie
	if entries, _ := Lookup("nonce"); len(entries) != 3 {
		t.Errorf("nonce: %+v", entries)
	}
}

func TestLookupErrors(t *testing.T) {
	for key, msg := range map[string]string{
		"":                                     "nothing to explain",
		"AADSTS1234567":                        "not in azid's catalogue",
		"00000000-0000-0000-0000-000000000000": "not a known directory role",
		"bogus\x1b[31m":                        `nothing known about "bogus\\x1b[31m"`,
	} {
		_, err := Lookup(key)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Lookup(%q) err = %v, want %q", key, err, msg)
		}
		if code, _ := cmdutil.ExitCode(err); code != 1 {
			t.Errorf("Lookup(%q) exit code %d", key, code)
		}
	}
	_, err := Lookup("AADSTS1234567")
	if _, hint := cmdutil.ExitCode(err); !strings.Contains(hint, "login.microsoftonline.com/error?code=1234567") {
		t.Errorf("hint = %q", hint)
	}
}

func TestRunGolden(t *testing.T) {
	for _, key := range []string{"AADSTS50011", "62e90394-69f5-4237-9190-012177145e10", "nonce"} {
		ios, _, out, _ := iostreams.Test()
		if err := run(t.Context(), &Options{IO: ios, Format: output.FormatText, Key: key}); err != nil {
			t.Fatal(err)
		}
		golden.Assert(t, "explain-"+strings.ToLower(key[:min(8, len(key))])+".txt", out.Bytes())
	}
	ios, _, out, _ := iostreams.Test()
	if err := run(t.Context(), &Options{IO: ios, Format: output.FormatJSON, Key: "50011"}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "explain-50011.json", out.Bytes())
}

func TestNewCmdFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}}
	var got *Options
	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"AADSTS50011"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Key != "AADSTS50011" || got.Format != output.FormatJSON || got.IO != ios {
		t.Errorf("options = %+v", got)
	}
	// several arguments are one pasted text; none reads standard input
	for args, want := range map[string]string{"AADSTS50011: The redirect URI": "AADSTS50011: The redirect URI", "": "-", "-": "-"} {
		cmd = NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
		cmd.SetArgs(strings.Fields(args))
		if err := cmd.Execute(); err != nil || got.Key != want {
			t.Errorf("args %q: key %q, err %v; want %q", args, got.Key, err, want)
		}
	}
}

// TestPastedErrorsGolden explains the error texts users paste, written as
// Entra and MSAL print them (testdata/paste/make_samples.py).
func TestPastedErrorsGolden(t *testing.T) {
	for _, name := range []string{"error_line_50011.txt", "error_json_9002326.json", "error_redirect_700054.txt", "error_page_50011.txt"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "paste", name))
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []output.Format{output.FormatText, output.FormatJSON} {
				ios, in, out, _ := iostreams.Test()
				in.Write(data)
				if err := run(t.Context(), &Options{IO: ios, Format: format, Key: "-"}); err != nil {
					t.Fatal(err)
				}
				golden.Assert(t, "pasted-"+strings.TrimSuffix(strings.TrimSuffix(name, ".txt"), ".json")+"."+string(format), out.Bytes())
			}
		})
	}
}

func TestAdvice(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"AADSTS50011: The redirect URI 'https://contoso.azurewebsites.net/.auth/login/aad/callback' specified in the request does not match the redirect URIs configured for the application 'x'.",
			[]string{"register https://contoso.azurewebsites.net/.auth/login/aad/callback as a Web redirect URI"}},
		{"AADSTS50011: The redirect URI 'http://contoso.azurewebsites.net/.auth/login/aad/callback' specified", []string{"turn on HTTPS Only"}},
		{"AADSTS50011: The redirect URI 'http://localhost:3000/auth' specified", []string{"register http://localhost:3000/auth under App registrations", "Single-page application for MSAL.js"}},
		{"AADSTS50011", []string{"https://<host>/.auth/login/aad/callback", "Web redirect URI"}},
		{"AADSTS9002326", []string{"move the redirect URI to the Single-page application platform", "redeem the code on the server"}},
		{"AADSTS9002327", []string{"register the redirect URI under the Web platform instead of Single-page application"}},
		{"AADSTS700054", []string{"Implicit grant and hybrid flows", "--enable-id-token-issuance true"}},
	}
	for _, tc := range cases {
		entries, err := LookupText(tc.text)
		if err != nil || len(entries) != 1 {
			t.Fatalf("LookupText(%.30q) = %v, %v", tc.text, entries, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(entries[0].Fix, w) {
				t.Errorf("%.40q: fix %q lacks %q", tc.text, entries[0].Fix, w)
			}
		}
	}
}

func TestVocabulary(t *testing.T) {
	cases := []struct{ key, kind, keyOut, name string }{
		{"X-MS-TOKEN-AAD-ID-TOKEN", "easyauth-header", "X-MS-TOKEN-AAD-ID-TOKEN", ""},
		{"x-ms-client-principal", "easyauth-header", "X-MS-CLIENT-PRINCIPAL", ""},
		{"AppServiceAuthSession", "easyauth-cookie", "AppServiceAuthSession", ""},
		{"StaticWebAppsAuthCookie", "easyauth-cookie", "StaticWebAppsAuthCookie", ""},
		{"http://schemas.microsoft.com/identity/claims/objectidentifier", "claim", "http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"},
		{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "claim", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email"},
		{"global admin", "role", "62e90394-69f5-4237-9190-012177145e10", "Global Administrator"},
		{`Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="`, "challenge", "WWW-Authenticate", "Bearer"},
	}
	for _, tc := range cases {
		entries, err := Lookup(tc.key)
		if err != nil || len(entries) != 1 {
			t.Errorf("Lookup(%.40q) = %+v, %v", tc.key, entries, err)
			continue
		}
		if e := entries[0]; e.Kind != tc.kind || e.Key != tc.keyOut || e.Name != tc.name || e.Meaning == "" {
			t.Errorf("Lookup(%.40q) = %+v", tc.key, e)
		}
	}
}

func TestChallengeAnswer(t *testing.T) {
	cases := map[string]string{
		`WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="`: "azid token --scope https://graph.microsoft.com/.default --claims eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=",
		`Bearer error="insufficient_claims", resource_id="api://my-api", claims="{\"access_token\":{\"acrs\":{\"essential\":true,\"value\":\"c1\"}}}"`:                                                                                                                                                       `azid token --scope api://my-api/.default --claims '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'`,
		`Bearer error="insufficient_claims", claims="eyJ9"`: "neither Base64 of JSON nor JSON",
		`Bearer error="invalid_token"`:                      "azid decode",
	}
	for in, want := range cases {
		entries, err := Lookup(in)
		if err != nil || entries[0].Fix != want && !strings.Contains(entries[0].Fix, want) {
			t.Errorf("Lookup(%.50q): fix %q (%v), want %q", in, entries[0].Fix, err, want)
		}
	}
	ios, _, out, _ := iostreams.Test()
	if err := run(t.Context(), &Options{IO: ios, Format: output.FormatText, Key: strings.Split(strings.Join(strings.Fields(`WWW-Authenticate: Bearer realm="", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="`), " "), "\n")[0]}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "explain-challenge.txt", out.Bytes())
}

func TestSuggestions(t *testing.T) {
	for key, want := range map[string]string{"upnn": "did you mean upn", "preferred_usrname": "did you mean preferred_username", "X-MS-CLIENT-PRINCIPL": "X-MS-CLIENT-PRINCIPAL", "Global Administratr": "Global Administrator"} {
		_, err := Lookup(key)
		if _, hint := cmdutil.ExitCode(err); !strings.Contains(hint, want) {
			t.Errorf("Lookup(%q): %v, hint %q; want %q", key, err, hint, want)
		}
	}
	if _, err := Lookup("zzzzzzzzzzzzzzzz"); err == nil {
		t.Error("no error")
	} else if _, hint := cmdutil.ExitCode(err); hint != "" {
		t.Errorf("a suggestion for nonsense: %q", hint)
	}
}
