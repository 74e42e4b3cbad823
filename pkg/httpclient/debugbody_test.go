package httpclient

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

const fakeJWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

func TestRedactBody(t *testing.T) {
	mfa, err := os.ReadFile("testdata/token-error-mfa-required.json") // Entra's documented token error
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		body      string
		keep      []string
		forbidden []string
	}{
		{"Entra token error", string(mfa),
			[]string{"AADSTS50076", `"error":"interaction_required"`, "5c3bd525-61b3-44d4-a70a-fb93e9ddc500", "d66bc564-8e3b-45d1-8909-988927d3ec8e", "2020-11-05 19:52:45Z", "[50076]"}, nil},
		{"a body echoing secrets", `{"error":"invalid_grant","refresh_token":"0.ARoA-secret-refresh","client_secret":"s3cr3t","code":"authcode123","access_token":"` + fakeJWT + `"}`,
			[]string{`"error":"invalid_grant"`, "[redacted]"}, []string{"0.ARoA-secret-refresh", "s3cr3t", "authcode123", fakeJWT}},
		{"a JWT inside a description", `{"error":"invalid_request","error_description":"AADSTS50027: JWT token is invalid: ` + fakeJWT + `"}`,
			[]string{"AADSTS50027"}, []string{fakeJWT}},
		{"Graph error", `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"req-1"}}}`,
			[]string{"Authorization_RequestDenied", "Insufficient privileges", "req-1"}, nil},
		{"an HTML error page", "<html>\n<body>Sorry, AADSTS90002: Tenant not found. " + fakeJWT + "\x1b[31m</body></html>",
			[]string{"AADSTS90002: Tenant not found.", `\x1b`}, []string{fakeJWT, "\n", "\x1b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := RedactBody([]byte(tc.body))
			for _, k := range tc.keep {
				if !strings.Contains(got, k) {
					t.Errorf("lost %q:\n%s", k, got)
				}
			}
			for _, f := range tc.forbidden {
				if strings.Contains(got, f) {
					t.Errorf("kept %q:\n%s", f, got)
				}
			}
			if strings.Contains(got, "\n") {
				t.Errorf("not one line: %q", got)
			}
		})
	}
}

func TestDebugTraceShowsErrorBodies(t *testing.T) {
	const errBody = `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215],"trace_id":"t-1","correlation_id":"c-1"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/ok" {
			io.WriteString(w, `{"access_token":"`+fakeJWT+`"}`)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, errBody)
	}))
	defer srv.Close()
	var trace bytes.Buffer
	c, _ := New(Options{Debug: &trace})
	resp, err := c.Post(srv.URL+"/token", "application/x-www-form-urlencoded", strings.NewReader("client_secret=s3cr3t"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != errBody {
		t.Errorf("the caller reads %q, want the whole body back", body)
	}
	if !strings.Contains(trace.String(), "< body: ") || !strings.Contains(trace.String(), "AADSTS7000215") || !strings.Contains(trace.String(), "c-1") {
		t.Errorf("trace lacks the error body:\n%s", trace.String())
	}
	trace.Reset()
	resp, err = c.Get(srv.URL + "/ok")
	if err != nil {
		t.Fatal(err)
	}
	var ok map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&ok)
	resp.Body.Close()
	if ok["access_token"] != fakeJWT || strings.Contains(trace.String(), "body") || strings.Contains(trace.String(), "eyJ") {
		t.Errorf("a success body is the caller's alone: trace\n%s", trace.String())
	}
}

func FuzzRedactBody(f *testing.F) {
	f.Add([]byte(`{"error":"x","refresh_token":"r"}`))
	f.Add([]byte("<html>" + fakeJWT + "</html>"))
	f.Add([]byte(`[{"a":["` + fakeJWT + `"]}]`))
	f.Add([]byte(`{"` + fakeJWT + `":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got := RedactBody(body)
		if strings.ContainsAny(got, "\n\r\x1b") {
			t.Fatalf("RedactBody(%q) = %q: not one safe line", body, got)
		}
		if jwtLike().MatchString(got) {
			t.Fatalf("RedactBody(%q) = %q: a JWT survived", body, got)
		}
	})
}
