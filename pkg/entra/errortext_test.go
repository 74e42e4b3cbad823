package entra

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const (
	sampleTrace = "0c5f1c1e-2b3a-4d5e-8f90-1a2b3c4d5e6f"
	sampleCorr  = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
	sampleApp   = "6e74172b-be56-4843-9ff4-e66a39bb12e3"
)

func TestParseErrorTextSamples(t *testing.T) {
	cases := []struct {
		file string
		want ErrorText
	}{
		{"error_line_50011.txt", ErrorText{Codes: []int{50011}, RedirectURI: "https://contoso.azurewebsites.net/.auth/login/aad/callback", AppID: sampleApp}},
		{"error_json_9002326.json", ErrorText{Codes: []int{9002326}, TraceID: sampleTrace, CorrelationID: sampleCorr, Timestamp: "2025-12-02 19:15:00Z"}},
		{"error_redirect_700054.txt", ErrorText{Codes: []int{700054}, TraceID: sampleTrace, CorrelationID: sampleCorr, Timestamp: "2025-12-02 19:15:00Z"}},
		{"error_page_50011.txt", ErrorText{Codes: []int{50011}, TraceID: sampleTrace, CorrelationID: sampleCorr, Timestamp: "2025-12-02T19:15:00.123Z",
			RedirectURI: "https://contoso.azurewebsites.net/.auth/login/aad/callback", AppID: sampleApp}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "paste", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := ParseErrorText(string(data)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseErrorTextForms(t *testing.T) {
	cases := []struct {
		name, in string
		codes    []int
	}{
		{"trailing colon", "AADSTS50011:", []int{50011}},
		{"several, each once", "AADSTS50076: MFA. Then AADSTS65001: consent; again AADSTS50076.", []int{50076, 65001}},
		{"lower case", "error aadsts700016 here", []int{700016}},
		{"error_codes only", `{"error":"invalid_client","error_codes":[7000215, 7000222]}`, []int{7000215, 7000222}},
		{"too short a number", "AADSTS12 and AADSTS123456789", nil},
		{"no code", "Sorry, but we're having trouble signing you in.", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ParseErrorText(tc.in).Codes; !reflect.DeepEqual(got, tc.codes) {
				t.Errorf("codes = %v, want %v", got, tc.codes)
			}
		})
	}
	got := ParseErrorText("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=" + sampleApp + "&redirect_uri=https%3A%2F%2Fx.example%2Fcb\x1b&error=x AADSTS50011")
	if got.AppID != sampleApp || got.RedirectURI != "https://x.example/cb" {
		t.Errorf("from a URL: %+v", got)
	}
}

// FuzzParseErrorText: never panics, and every code it finds is written in
// the input (as AADSTS and digits, or in error_codes).
func FuzzParseErrorText(f *testing.F) {
	for _, s := range []string{"AADSTS50011: The redirect URI 'https://x/.auth/login/aad/callback' specified in the request does not match the redirect URIs configured for the application '" + sampleApp + "'.",
		`{"error_codes":[50076],"trace_id":"` + sampleTrace + `"}`, "https://x/#error_description=AADSTS700054%3a+x%0d%0aTrace+ID%3a+" + sampleTrace, "%%zz AADSTS1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		e := ParseErrorText(in)
		for _, c := range e.Codes {
			if !strings.Contains(in, strconv.Itoa(c)) && !strings.Contains(readable(in), strconv.Itoa(c)) {
				t.Fatalf("code %d is not in the input", c)
			}
		}
		if strings.ContainsAny(e.RedirectURI, "\n\r\x1b") {
			t.Fatalf("control characters in %q", e.RedirectURI)
		}
	})
}
