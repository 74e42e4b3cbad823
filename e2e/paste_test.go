package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pasted reads a sample written the way real tools print it
// (testdata/paste/make_samples.py).
func pasted(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "paste", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// The samples' access token is a v1.0 token, their ID token a v2.0 one: the
// ver claim tells which one azid chose.
const accessVer, idVer = "1.0\n", "2.0\n"

// TestDecodePastedForms: items 1 and 2 of "paste what you have", in a pipe.
func TestDecodePastedForms(t *testing.T) {
	cases := []struct {
		file, want, note string
	}{
		{"streamlit_headers_print.txt", accessVer, "note: the input holds 2 tokens: X-Ms-Token-Aad-Access-Token (access token), X-Ms-Token-Aad-Id-Token (ID token); decoding X-Ms-Token-Aad-Access-Token"},
		{"streamlit_headers_pprint.txt", accessVer, "--id-token for the ID token"},
		{"streamlit_headers_assign.txt", accessVer, "token 1 of 2"},
		{"streamlit_stwrite_copy.txt", accessVer, "token 1 of 2"},
		{"msal_response_print.txt", accessVer, "access_token (access token), id_token (ID token)"},
		{"msal_response_pprint.txt", accessVer, "access_token (access token), id_token (ID token)"},
		{"header_line.txt", idVer, ""},
		{"json_fragment.txt", accessVer, ""},
		{"log_line.txt", accessVer, ""},
		{"curl_command.txt", accessVer, ""},
		{"token_object.json", idVer, ""},
		{"credential_object.json", idVer, ""},
		{"two_tokens_text.txt", accessVer, "2 tokens: id (ID token), access (access token); decoding access"},
		{"google_auth_me.json", idVer, "the access token (access_token) is opaque, not a JWT"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := run(t, pasted(t, tc.file), nil, "decode", "-c", "ver")
			if r.code != 0 || r.stdout != tc.want {
				t.Fatalf("code %d stdout %q, want %q\n%s", r.code, r.stdout, tc.want, r.stderr)
			}
			if tc.note == "" && strings.Contains(r.stderr, "note:") || !strings.Contains(r.stderr, tc.note) {
				t.Errorf("stderr = %q, want the note %q", r.stderr, tc.note)
			}
			if strings.Count(r.stderr, "\n") > 1 {
				t.Errorf("more than one line on stderr: %q", r.stderr)
			}
			// the text form decodes too, and prints no token
			r = run(t, pasted(t, tc.file), nil, "decode", "--at", "2025-12-02T19:10:00Z")
			if r.code != 0 || !strings.Contains(r.stdout, "Ada Lovelace") || strings.Contains(r.stdout+r.stderr, "eyJ") {
				t.Errorf("text: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestChoosingTheToken: item 3, --id-token and --index, for decode and verify.
func TestChoosingTheToken(t *testing.T) {
	for _, file := range []string{"streamlit_headers_print.txt", "msal_response_pprint.txt", "two_tokens_text.txt", "google_auth_me.json"} {
		t.Run(file, func(t *testing.T) {
			r := run(t, pasted(t, file), nil, "decode", "--id-token", "-c", "ver")
			if r.code != 0 || r.stdout != idVer || !strings.Contains(r.stderr, "as asked") {
				t.Errorf("--id-token: code %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
	r := run(t, pasted(t, "two_tokens_text.txt"), nil, "decode", "--index", "1", "-c", "ver")
	if r.code != 0 || r.stdout != idVer || !strings.Contains(r.stderr, "note: decoding id (ID token), token 1 of 2, as asked") {
		t.Errorf("--index 1: %+v", r)
	}
	r = run(t, pasted(t, "two_tokens_text.txt"), nil, "decode", "--index", "3")
	if r.code != 1 || !strings.Contains(r.stderr, "azid: the input holds no token 3 (it holds 2 tokens: id (ID token), access (access token))") ||
		!strings.Contains(r.stderr, "hint: --index 1 to 2 chooses among them") {
		t.Errorf("--index 3: %+v", r)
	}
	r = run(t, pasted(t, "json_fragment.txt"), nil, "decode", "--id-token")
	if r.code != 1 || !strings.Contains(r.stderr, "the input holds no ID token (it holds 1 token: access_token (access token))") {
		t.Errorf("--id-token without one: %+v", r)
	}
	r = run(t, pasted(t, "two_tokens_text.txt"), nil, "decode", "--index", "1", "--id-token")
	if r.code != 2 {
		t.Errorf("both flags: %+v", r)
	}
	// verify takes the same choice; the samples' signatures are dummies, so exit 3
	r = run(t, pasted(t, "msal_response_print.txt"), nil, "verify", "--id-token", "--offline")
	if !strings.Contains(r.stderr, "note: verifying id_token (ID token), token 2 of 2, as asked") {
		t.Errorf("verify --id-token: %+v", r)
	}
	r = run(t, "", nil, "verify", "--stream", "--id-token")
	if r.code != 2 || !strings.Contains(r.stderr, "--id-token and --index choose within one input") {
		t.Errorf("verify --stream --id-token: %+v", r)
	}
}

// TestHeadersPastedPython: item 1 for azid headers.
func TestHeadersPastedPython(t *testing.T) {
	var first string
	for _, file := range []string{"streamlit_headers_print.txt", "streamlit_headers_pprint.txt", "streamlit_headers_assign.txt", "streamlit_stwrite_copy.txt"} {
		t.Run(file, func(t *testing.T) {
			r := run(t, pasted(t, file), nil, "headers", "-o", "json")
			if r.code != 0 || !strings.Contains(r.stdout, `"preferred_username"`) || !strings.Contains(r.stdout, `"header": "X-Ms-Token-Aad-Id-Token"`) {
				t.Fatalf("code %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if first == "" {
				first = r.stdout
			} else if r.stdout != first {
				t.Errorf("%s gives another report than print's form", file)
			}
			if strings.Contains(r.stdout, "eyJ") {
				t.Error("a token was printed without --show-tokens")
			}
		})
	}
	r := run(t, "{'Host': 'x', 'X-Ms-Client-Principal-Name': ", nil, "headers")
	if r.code != 1 || !strings.Contains(r.stderr, "neither valid JSON nor a printed Python dict of headers") {
		t.Errorf("broken repr: %+v", r)
	}
}

// TestBareClientPrincipal: item 4, the X-MS-CLIENT-PRINCIPAL value alone.
func TestBareClientPrincipal(t *testing.T) {
	for _, file := range []string{"client_principal.txt", "client_principal_unpadded.txt"} {
		t.Run(file, func(t *testing.T) {
			r := run(t, pasted(t, file), nil, "headers", "-o", "json")
			if r.code != 0 || !strings.Contains(r.stdout, `"auth_typ": "aad"`) || !strings.Contains(r.stdout, `"Reader"`) {
				t.Errorf("headers: code %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, pasted(t, file), nil, "decode")
			if r.code != 1 || !strings.Contains(r.stderr, "azid: this is an X-MS-CLIENT-PRINCIPAL value") || !strings.Contains(r.stderr, `hint: decode it with "azid headers"`) {
				t.Errorf("decode: %+v", r)
			}
		})
	}
	r := run(t, "{'X-MS-CLIENT-PRINCIPAL-NAME': 'ada@contoso.com', 'Host': 'x'}", nil, "decode")
	if r.code != 1 || !strings.Contains(r.stderr, "the input holds Easy Auth's X-MS-CLIENT-PRINCIPAL headers") {
		t.Errorf("decode of headers without tokens: %+v", r)
	}
}

// TestMeFromSavedAnswers: item 4, a saved /.auth/me body or a curl
// transcript gets the view and diagnoses of a live azid me.
func TestMeFromSavedAnswers(t *testing.T) {
	cases := []struct {
		file      string
		code      int
		out, msg  string
		hint      string
		extraArgs []string
	}{
		{"auth_me_aad.json", 0, "aad · ada@contoso.com", "", "", nil},
		{"curl_i_auth_me_200.txt", 0, "aad · ada@contoso.com", "", "", nil},
		{"google_auth_me.json", 0, "google · ada@gmail.com", "", "", nil},
		{"auth_me_empty.json", 4, "", "token store holds nothing", "hint: turn the token store on (az webapp auth update -g <group> -n <app> --enable-token-store true)", nil},
		{"auth_me_empty.json", 4, "", "token store holds nothing", "-n contoso --enable-token-store true", []string{"--url", "https://contoso.azurewebsites.net"}},
		{"auth_me_empty.json", 4, "", "token store holds nothing", "Container Apps keeps tokens only in a blob token store", []string{"--url", "https://api.blue-sea-1.westeurope.azurecontainerapps.io"}},
		{"curl_v_auth_me_empty.txt", 4, "", "token store holds nothing", "-n contoso --enable-token-store true", nil},
		{"curl_v_auth_me_302.txt", 4, "", "azid: not signed in: Easy Auth answered HTTP 302 to sign in at login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize (client_id 6e74172b-be56-4843-9ff4-e66a39bb12e3, redirect_uri https://contoso.azurewebsites.net/.auth/login/aad/callback)",
			"hint: sign in at https://contoso.azurewebsites.net/.auth/login/aad, then copy the AppServiceAuthSession cookie", nil},
		{"curl_v_auth_me_401.txt", 4, "", "session rejected", "copy a fresh AppServiceAuthSession cookie for https://contoso.azurewebsites.net", nil},
		{"auth_me_swa_null.json", 4, "", "Static Web Apps returned no client principal", "copy the StaticWebAppsAuthCookie cookie", nil},
		{"curl_v_swa_auth_me_null.txt", 4, "", "Static Web Apps returned no client principal", "sign in at https://polite-sea-0a1b2c3d4.5.azurestaticapps.net/.auth/login/aad, then copy the StaticWebAppsAuthCookie", nil},
	}
	for _, tc := range cases {
		t.Run(tc.file+strings.Join(tc.extraArgs, ""), func(t *testing.T) {
			for _, how := range []string{"file", "stdin"} {
				args := append([]string{"me", "--from", filepath.Join("..", "testdata", "paste", tc.file)}, tc.extraArgs...)
				stdin := ""
				if how == "stdin" {
					args[2], stdin = "-", pasted(t, tc.file)
				}
				r := run(t, stdin, nil, args...)
				if r.code != tc.code || !strings.Contains(r.stdout, tc.out) || !strings.Contains(r.stderr, tc.msg) || !strings.Contains(r.stderr, tc.hint) {
					t.Errorf("%s: code %d\nstdout %s\nstderr %s", how, r.code, r.stdout, r.stderr)
				}
				if strings.Contains(r.stdout+r.stderr, "eyJ") || strings.Contains(r.stdout+r.stderr, "REDACTED") {
					t.Errorf("%s: a token or a cookie was printed", how)
				}
			}
		})
	}
	r := run(t, "", nil, "me", "--from", "/nonexistent/me.json")
	if r.code != 1 || !strings.Contains(r.stderr, "azid: --from /nonexistent/me.json: no such file") {
		t.Errorf("missing file: %+v", r)
	}
	r = run(t, "", nil, "me", "--from", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, "is a directory") {
		t.Errorf("directory: %+v", r)
	}
	r = run(t, "hello", nil, "me", "--from", "-")
	if r.code != 1 || !strings.Contains(r.stderr, "not a /.auth/me answer") {
		t.Errorf("not an answer: %+v", r)
	}
	r = run(t, "[]", nil, "me", "--from", "-", "--refresh")
	if r.code != 2 {
		t.Errorf("--from --refresh: %+v", r)
	}
}

// TestMeLiveRedirectAndZumo: item 4, --debug shows a redirect's Location
// (without its nonce and state), and a rejected X-ZUMO-AUTH token is answered
// with a fresh token, not a cookie.
func TestMeLiveRedirectAndZumo(t *testing.T) {
	a := newApp(t)
	a.app.Mode = "redirect-login"
	r := run(t, sessionCookie, a.env, "me", "--cookie", "-", "--debug")
	if r.code != 4 || !strings.Contains(r.stderr, "< Location: https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/authorize?client_id=6e74172b-be56-4843-9ff4-e66a39bb12e3") ||
		strings.Contains(r.stderr, "SECRETNONCE") {
		t.Errorf("--debug: %+v", r)
	}
	assertNoSecrets(t, r, sessionCookie)
	a.app.Mode = ""
	r = run(t, "not-a-known-token", a.env, "me", "--zumo", "-")
	if r.code != 4 || !strings.Contains(r.stderr, "hint: get a fresh X-ZUMO-AUTH token") || !strings.Contains(r.stderr, "not a cookie") {
		t.Errorf("rejected zumo: %+v", r)
	}
}

// TestExplainPastedErrors: item 5, explain reads the error text users paste,
// as an argument and in a pipe.
func TestExplainPastedErrors(t *testing.T) {
	cases := []struct{ file, code, fix string }{
		{"error_line_50011.txt", "AADSTS50011 InvalidReplyTo", "register https://contoso.azurewebsites.net/.auth/login/aad/callback as a Web redirect URI"},
		{"error_page_50011.txt", "AADSTS50011 InvalidReplyTo", "register https://contoso.azurewebsites.net/.auth/login/aad/callback as a Web redirect URI"},
		{"error_json_9002326.json", "AADSTS9002326", "move the redirect URI to the Single-page application platform"},
		{"error_redirect_700054.txt", "AADSTS700054", "Implicit grant and hybrid flows"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			text := pasted(t, tc.file)
			for how, r := range map[string]result{"pipe": run(t, text, nil, "explain"), "dash": run(t, text, nil, "explain", "-"), "argument": run(t, "", nil, "explain", text)} {
				if r.code != 0 || !strings.Contains(r.stdout, tc.code) || !strings.Contains(r.stdout, tc.fix) || !strings.Contains(r.stdout, "more     https://login.microsoftonline.com/error?code=") {
					t.Errorf("%s: code %d\n%s\n%s", how, r.code, r.stdout, r.stderr)
				}
			}
		})
	}
	r := run(t, pasted(t, "error_page_50011.txt"), nil, "explain", "-o", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"correlation_id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"`) || !strings.Contains(r.stdout, `"trace_id": "0c5f1c1e-2b3a-4d5e-8f90-1a2b3c4d5e6f"`) {
		t.Errorf("json: %+v", r)
	}
	r = run(t, "", nil, "explain", "AADSTS50076:", "Due", "to", "a", "configuration", "change", "AADSTS65001")
	if r.code != 0 || strings.Count(r.stdout, "\nAADSTS") != 1 || !strings.Contains(r.stdout, "AADSTS65001 DelegationDoesNotExist") {
		t.Errorf("unquoted words: %+v", r)
	}
	// A whole error page (as copied from the browser) with two codes, one
	// of which Microsoft's reference table lacks: each gets a name, a
	// meaning and a fix, in order, and nothing of a research note.
	page := "Sign in\nSorry, but we're having trouble signing you in.\n\nAADSTS530003: Your device is required to be managed to access this resource.\n" +
		"Troubleshooting details\nRequest Id: 6b1a0c5e-2f3d-4e4f-8a9b-0c1d2e3f4a5b\nCorrelation Id: 1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9\nTimestamp: 2026-12-03T09:12:44.512Z\n" +
		"Message: AADSTS165000: Invalid Request: The request did not include the required tokens for the user context.\nFlag sign-in errors for review: Enable flagging\n"
	r = run(t, page, nil, "explain")
	i, j := strings.Index(r.stdout, "AADSTS530003 Device must be managed"), strings.Index(r.stdout, "AADSTS165000 Sign-in context missing or mismatched")
	if r.code != 0 || i < 0 || j < i || strings.Count(r.stdout, "  fix ") != 2 || !strings.Contains(r.stdout, "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9") ||
		strings.ContainsAny(r.stdout, "{}") || strings.Contains(r.stdout, "[S") {
		t.Errorf("error page with two codes: %+v", r)
	}
	r = run(t, "Sorry, but we're having trouble signing you in.", nil, "explain")
	if r.code != 1 || !strings.Contains(r.stderr, "nothing known about") {
		t.Errorf("text without a code: %+v", r)
	}
}

// TestExplainVocabulary: item 6, Easy Auth's headers and cookies, claim type
// URIs, loose role names, a claims challenge, and suggestions.
func TestExplainVocabulary(t *testing.T) {
	for key, want := range map[string]string{
		"X-MS-TOKEN-AAD-ID-TOKEN": "X-MS-TOKEN-AAD-ID-TOKEN (Easy Auth header)",
		"X-MS-CLIENT-PRINCIPAL":   "Base64 JSON of the signed-in user's claims",
		"AppServiceAuthSession":   "AppServiceAuthSession (Easy Auth cookie)",
		"StaticWebAppsAuthCookie": "StaticWebAppsAuthCookie (Easy Auth cookie)",
		"global admin":            "Global Administrator  privileged",
		"http://schemas.microsoft.com/ws/2008/06/identity/claims/role": "(claim roles)",
		`WWW-Authenticate: Bearer realm="", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0="`: `fix        azid token --scope https://graph.microsoft.com/.default --claims eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTYwNDEwNjY1MSJ9fX0=`,
	} {
		r := run(t, "", nil, "explain", key)
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("explain %.40s: code %d\n%s%s", key, r.code, r.stdout, r.stderr)
		}
	}
	r := run(t, "", nil, "explain", "-o", "json", `Bearer error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="`)
	if r.code != 0 || !strings.Contains(r.stdout, `"claims": {`) || !strings.Contains(r.stdout, `"essential": true`) {
		t.Errorf("challenge json: %+v", r)
	}
	r = run(t, "", nil, "explain", "preferred_usrname")
	if r.code != 1 || !strings.Contains(r.stderr, "hint: did you mean preferred_username?") {
		t.Errorf("suggestion: %+v", r)
	}
}

// TestHeadersClaimsAndHelpExamples: item 7 (headers -c) and item 10 (the
// examples of headers --help work as written, from the repository root).
func TestHeadersClaimsAndHelpExamples(t *testing.T) {
	r := run(t, pasted(t, "streamlit_headers_pprint.txt"), nil, "headers", "-c", "roles,preferred_username")
	if r.code != 0 || r.stdout != "Reader\nada@contoso.com\n" {
		t.Errorf("-c: %+v", r)
	}
	help := run(t, "", nil, "headers", "--help")
	ran := 0
	for _, l := range strings.Split(help.stdout, "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "azid headers ") || !strings.Contains(l, "examples/") {
			continue
		}
		args := strings.Fields(strings.ReplaceAll(strings.TrimPrefix(l, "azid "), "examples/", "../examples/"))
		if r := run(t, "", nil, args...); r.code != 0 || r.stdout == "" {
			t.Errorf("help example %q: %+v", l, r)
		}
		ran++
	}
	if ran < 3 {
		t.Errorf("ran %d examples of:\n%s", ran, help.stdout)
	}
}

// TestHeadersInputPaths: item 9 for headers: a missing file and a directory.
func TestHeadersInputPaths(t *testing.T) {
	r := run(t, "", nil, "headers", "../examples/missing.txt")
	if r.code != 1 || !strings.Contains(r.stderr, "azid: ../examples/missing.txt: no such file") {
		t.Errorf("missing: %+v", r)
	}
	r = run(t, "", nil, "headers", "../examples")
	if r.code != 2 || !strings.Contains(r.stderr, "../examples is a directory") {
		t.Errorf("directory: %+v", r)
	}
}
