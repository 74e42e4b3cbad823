package token

import (
	"errors"
	"strings"
	"testing"
)

const jwt3 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"

func TestExtractForms(t *testing.T) {
	cases := []struct {
		name, in, source, field string
	}{
		{"bare", jwt3, "jwt", ""},
		{"whitespace", "\n\t  " + jwt3 + "  \r\n", "jwt", ""},
		{"bom", "\ufeff" + jwt3, "jwt", ""},
		{"double quotes", `"` + jwt3 + `"`, "jwt", ""},
		{"single quotes", `'` + jwt3 + `'`, "jwt", ""},
		{"bearer", "Bearer " + jwt3, "bearer", ""},
		{"bearer lowercase", "bearer   " + jwt3, "bearer", ""},
		{"authorization", "Authorization: Bearer " + jwt3, "authorization header", ""},
		{"authorization lowercase", "authorization:bearer " + jwt3, "authorization header", ""},
		{"quoted bearer", `"Bearer ` + jwt3 + `"`, "bearer", ""},
		{"wrapped lines", jwt3[:10] + "\n" + jwt3[10:20] + "\n  " + jwt3[20:], "jwt", ""},
		{"url fragment", "https://app.example/callback#id_token=" + jwt3 + "&state=abc&session_state=x", "url", "id_token"},
		{"url query", "https://app.example/cb?code=1&access_token=" + jwt3, "url", "access_token"},
		{"bare fragment", "#access_token=" + jwt3 + "&token_type=Bearer", "url", "access_token"},
		{"form body", "access_token=" + jwt3 + "&expires_in=3599", "url", "access_token"},
		{"parameter alone", "access_token=" + jwt3, "url", "access_token"},
		{"id_token parameter alone", "id_token=" + jwt3, "url", "id_token"},
		{"both prefer access", "https://x/#id_token=" + jwt3 + "&access_token=" + jwt3, "url", "access_token"},
		{"json access_token", `{"token_type":"Bearer","access_token":"` + jwt3 + `"}`, "json", "access_token"},
		{"json accessToken", `{"accessToken": "` + jwt3 + `", "expiresOn": "2026-01-01"}`, "json", "accessToken"},
		{"json id_token", `{"id_token":"` + jwt3 + `"}`, "json", "id_token"},
		{"auth me array", `[{"access_token":"` + jwt3 + `","id_token":"` + jwt3 + `","provider_name":"aad","user_claims":[]}]`, "json", "access_token"},
		{"nested json", `{"result":{"tokens":{"id_token":"` + jwt3 + `"}}}`, "json", "id_token"},
		{"json with spaces", "  \n" + `{"access_token":"` + jwt3 + `"}` + "\n", "json", "access_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Extract(tc.in)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if got.Token != jwt3 {
				t.Errorf("token = %q, want %q", got.Token, jwt3)
			}
			if got.Source != tc.source || got.Field != tc.field {
				t.Errorf("source, field = %q, %q; want %q, %q", got.Source, got.Field, tc.source, tc.field)
			}
		})
	}
}

func TestExtractReportsOtherTokens(t *testing.T) {
	got, err := Extract((`{"access_token":"` + jwt3 + `","id_token":"` + jwt3 + `x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Candidates) != 2 || got.Candidates[1].Field != "id_token" || got.Reason != ChoseAccess {
		t.Errorf("Candidates = %+v, Reason %q", got.Candidates, got.Reason)
	}
}

func TestExtractErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrEmpty, ""},
		{"blank", []byte(" \n\t "), ErrEmpty, ""},
		{"empty quotes", []byte(`""`), ErrEmpty, ""},
		{"bearer only", []byte("Bearer "), nil, ""},
		{"nul", []byte("eyJ\x00abc"), ErrBinary, ""},
		{"invalid utf8", []byte{0xff, 0xfe, 0x41}, ErrBinary, ""},
		{"too large", []byte(strings.Repeat("a", MaxTokenSize+1)), ErrTooLarge, ""},
		{"bad json", []byte(`{"access_token": `), nil, "valid JSON"},
		{"url without token and no jwt", []byte("https://x/?access_token=%zz"), nil, "cannot be parsed"},
		{"json without token", []byte(`{"foo":"bar"}`), nil, "holds no token"},
		{"json token not string", []byte(`{"access_token":42}`), nil, "holds no token"},
		{"neither json nor python", []byte(`{'access_token': `), nil, "neither valid JSON nor a Python literal"},
		{"python without token", []byte(`{'a': True}`), nil, "the Python literal holds no token"},
		{"url without value", []byte("https://x/#access_token=&state=1"), nil, "holds no access_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Extract(string(tc.in))
			if tc.name == "bearer only" {
				// "Bearer" alone is taken as a (non-JWT) word; Parse then rejects it.
				if err == nil {
					_, err = Parse(got.Token)
				}
			}
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q, want %q in it", err, tc.msg)
			}
			if !IsInputError(err) {
				t.Errorf("IsInputError(%v) = false", err)
			}
		})
	}
}

func TestExtractDeepJSONIsBounded(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000)
	if _, err := Extract(deep); err == nil {
		t.Fatal("want an error for JSON without a token")
	}
}

func TestIsCompactTable(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		want := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.'
		if got := isCompact(string([]byte{'a', b, 'Z'})); got != want {
			t.Errorf("isCompact with byte %#x = %v, want %v", b, got, want)
		}
	}
}
