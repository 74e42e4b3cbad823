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
