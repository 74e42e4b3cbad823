package decode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
)

// pasteNow is a moment the paste samples' tokens are valid at.
var pasteNow = time.Date(2025, 12, 2, 19, 10, 0, 0, time.UTC)

// TestGoldenPastedInput decodes each sample written the way real tools
// print it (testdata/paste/make_samples.py: Python's print and pprint, a
// log line, a curl command…): standard error says which token was taken of
// several, standard output is the decoded token.
func TestGoldenPastedInput(t *testing.T) {
	cases := []struct {
		file   string
		choice tokenarg.Choice
		golden string
	}{
		{"streamlit_headers_print.txt", tokenarg.Choice{}, "paste-streamlit-print"},
		{"streamlit_headers_pprint.txt", tokenarg.Choice{}, "paste-streamlit-pprint"},
		{"streamlit_headers_assign.txt", tokenarg.Choice{IDToken: true}, "paste-streamlit-assign-id-token"},
		{"streamlit_stwrite_copy.txt", tokenarg.Choice{}, "paste-streamlit-stwrite"},
		{"msal_response_print.txt", tokenarg.Choice{}, "paste-msal-print"},
		{"msal_response_pprint.txt", tokenarg.Choice{IDToken: true}, "paste-msal-pprint-id-token"},
		{"google_auth_me.json", tokenarg.Choice{}, "paste-google-auth-me"},
		{"header_line.txt", tokenarg.Choice{}, "paste-header-line"},
		{"json_fragment.txt", tokenarg.Choice{}, "paste-json-fragment"},
		{"log_line.txt", tokenarg.Choice{}, "paste-log-line"},
		{"curl_command.txt", tokenarg.Choice{}, "paste-curl-command"},
		{"token_object.json", tokenarg.Choice{}, "paste-token-object"},
		{"credential_object.json", tokenarg.Choice{}, "paste-credential-object"},
		{"two_tokens_text.txt", tokenarg.Choice{}, "paste-two-tokens"},
		{"two_tokens_text.txt", tokenarg.Choice{Index: 1}, "paste-two-tokens-index-1"},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "paste", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			out, errOut, err := runDecode(t, &Options{Input: "-", Choice: tc.choice, Now: func() time.Time { return pasteNow }}, string(data))
			if err != nil {
				t.Fatalf("%v\n%s", err, errOut)
			}
			golden.Assert(t, tc.golden+".txt", []byte("--- stderr\n"+errOut+"--- stdout\n"+out))
			if strings.Contains(errOut+out, "eyJ") {
				t.Error("a token was printed")
			}
		})
	}
}
