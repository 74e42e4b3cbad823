package token

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// pasteSample reads one of the samples python3 printed the way real tools
// print them (testdata/paste/make_samples.py).
func pasteSample(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "paste", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// sampleTokens returns the ID and access token the samples are made of.
func sampleTokens(t *testing.T) (id, access string) {
	id = strings.TrimSpace(strings.TrimPrefix(pasteSample(t, "header_line.txt"), "X-MS-TOKEN-AAD-ID-TOKEN: "))
	frag := pasteSample(t, "json_fragment.txt")
	access = frag[strings.Index(frag, "eyJ"):strings.LastIndex(frag, `"`)]
	if strings.Count(id, ".") != 2 || strings.Count(access, ".") != 2 || id == access {
		t.Fatalf("sample tokens not found: %q %q", id, access)
	}
	return id, access
}

func TestExtractPastedSamples(t *testing.T) {
	id, access := sampleTokens(t)
	cases := []struct {
		file, source, field, kind, reason, want string
		n                                       int
	}{
		{"header_line.txt", "text", "X-MS-TOKEN-AAD-ID-TOKEN", KindID, ChoseOnly, "id", 1},
		{"json_fragment.txt", "text", "access_token", KindAccess, ChoseOnly, "access", 1},
		{"log_line.txt", "text", "token", KindAccess, ChoseOnly, "access", 1},
		{"curl_command.txt", "text", "Authorization", KindAccess, ChoseOnly, "access", 1},
		{"token_object.json", "json", "token", KindID, ChoseOnly, "id", 1},
		{"credential_object.json", "json", "credential", KindID, ChoseOnly, "id", 1},
		{"two_tokens_text.txt", "text", "access", KindAccess, ChoseAccess, "access", 2},
		{"google_auth_me.json", "json", "id_token", KindID, ChoseOpaqueAccess, "id", 2},
		{"msal_response_print.txt", "python", "access_token", KindAccess, ChoseAccess, "access", 2},
		{"msal_response_pprint.txt", "python", "access_token", KindAccess, ChoseAccess, "access", 2},
		{"streamlit_headers_print.txt", "python", "X-Ms-Token-Aad-Access-Token", KindAccess, ChoseAccess, "access", 2},
		{"streamlit_headers_pprint.txt", "python", "X-Ms-Token-Aad-Access-Token", KindAccess, ChoseAccess, "access", 2},
		{"streamlit_headers_assign.txt", "python", "X-Ms-Token-Aad-Access-Token", KindAccess, ChoseAccess, "access", 2},
		{"streamlit_stwrite_copy.txt", "python", "X-Ms-Token-Aad-Access-Token", KindAccess, ChoseAccess, "access", 2},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			ex, err := Extract(pasteSample(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			want := access
			if tc.want == "id" {
				want = id
			}
			if ex.Token != want {
				t.Errorf("chose the %s token? got %.40s…", tc.want, ex.Token)
			}
			if ex.Source != tc.source || ex.Field != tc.field || ex.Kind != tc.kind || ex.Reason != tc.reason {
				t.Errorf("source, field, kind, reason = %q, %q, %q, %q; want %q, %q, %q, %q",
					ex.Source, ex.Field, ex.Kind, ex.Reason, tc.source, tc.field, tc.kind, tc.reason)
			}
			if len(ex.Candidates) != tc.n {
				t.Errorf("found %s, want %d", Describe(ex.Candidates), tc.n)
			}
			if ex.Candidates[ex.Chosen].Token != ex.Token {
				t.Error("Chosen does not index the token")
			}
			if tc.n > 1 {
				if err := ex.ChooseKind(KindID); err != nil || ex.Token != id || ex.Reason != ChoseKind {
					t.Errorf("ChooseKind(id): %v, reason %q, id token %v", err, ex.Reason, ex.Token == id)
				}
			}
		})
	}
}

func TestChooseKindOfABareToken(t *testing.T) {
	id, access := sampleTokens(t)
	ex, err := Extract(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := ex.ChooseKind(KindID); err != nil || ex.Token != id {
		t.Errorf("ChooseKind(id) of a bare ID token: %v", err)
	}
	ex, _ = Extract(access)
	err = ex.ChooseKind(KindID)
	var ce *ChoiceError
	if !errors.As(err, &ce) || err.Error() != "the input holds no ID token (it holds 1 token: access token)" {
		t.Errorf("ChooseKind(id) of an access token: %v", err)
	}
}

func TestChooseIndex(t *testing.T) {
	id, access := sampleTokens(t)
	ex, err := Extract("first " + id + "\nsecond " + access)
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{1: id, 2: access} {
		if err := ex.ChooseIndex(n); err != nil || ex.Token != want || ex.Reason != ChoseIndex {
			t.Errorf("ChooseIndex(%d): %v", n, err)
		}
	}
	for _, n := range []int{0, -1, 3} {
		err := ex.ChooseIndex(n)
		if err == nil || !strings.Contains(err.Error(), "holds no token") || !strings.Contains(err.Error(), "2 tokens: first (ID token), second (access token)") {
			t.Errorf("ChooseIndex(%d) = %v", n, err)
		}
	}
}

func TestChooseFirstWithoutAccessToken(t *testing.T) {
	id, _ := sampleTokens(t)
	id2 := strings.Replace(id, ".", ".eyJub25jZSI6IngifQ.", 1)
	id2 = id2[:strings.Index(id2, ".eyJub25jZSI6IngifQ.")+len(".eyJub25jZSI6IngifQ")] + ".c2ln"
	ex, err := Extract("a: " + id + "\nb: " + id2)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Reason != ChoseFirst || ex.Token != id || ex.Field != "a" {
		t.Errorf("reason %q field %q", ex.Reason, ex.Field)
	}
}

func TestExtractJSONShapes(t *testing.T) {
	id, access := sampleTokens(t)
	cases := []struct{ name, in, field, want string }{
		{"bearer value", `{"Authorization": "Bearer ` + access + `"}`, "Authorization", access},
		{"array value", `{"Authorization": ["Bearer ` + access + `"]}`, "Authorization", access},
		{"token in a message", `{"message": "callback id_token=` + id + `&state=x"}`, "id_token", id},
		{"escaped", `{"id_token": "` + strings.Replace(id, "e", `\u0065`, 1) + `"}`, "id_token", id},
		{"opaque access only", `{"access_token": "EwBwA8l6BAAUopaque", "token_type": "Bearer"}`, "access_token", "EwBwA8l6BAAUopaque"},
		{"trailing text ignored", `{"token": "` + id + `"} and more`, "token", id},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Extract(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Token != tc.want || ex.Field != tc.field {
				t.Errorf("field %q, token %.30q", ex.Field, ex.Token)
			}
		})
	}
	// a refresh token, a host name and client_info are not tokens to decode
	ex, err := Extract(`{"refresh_token": "1.AXkAv4j5.AgABAwEAAAAp", "host": "contoso.azurewebsites.net", "client_info": "eyJ1aWQiOiIwIn0", "id_token": "` + id + `"}`)
	if err != nil || len(ex.Candidates) != 1 {
		t.Errorf("found %s (%v), want only the ID token", Describe(ex.Candidates), err)
	}
}

func TestScan(t *testing.T) {
	const a = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
	const jwe = "eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn"
	cases := []struct {
		name, in string
		tokens   []string
		labels   []string
	}{
		{"header line", "X-MS-TOKEN-AAD-ID-TOKEN: " + a, []string{a}, []string{"X-MS-TOKEN-AAD-ID-TOKEN"}},
		{"json fragment", `  "access_token": "` + a + `",`, []string{a}, []string{"access_token"}},
		{"assignment", "token=" + a + " user=x", []string{a}, []string{"token"}},
		{"bearer", `-H "Authorization: Bearer ` + a + `"`, []string{a}, []string{"Authorization"}},
		{"bare bearer", "Bearer " + a, []string{a}, []string{""}},
		{"end of sentence", "the token is " + a + ".", []string{a}, []string{"is"}},
		{"inside a word", "x" + a, nil, nil},
		{"payload only", "." + a, nil, nil},
		{"two segments", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0", nil, nil},
		{"empty payload", "eyJhbGciOiJSUzI1NiJ9..c2ln", nil, nil},
		{"four segments", a + ".x", nil, nil},
		{"unsigned", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", []string{"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}, []string{""}},
		{"unsigned at the end of a sentence", "see eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0..", []string{"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}, []string{"see"}},
		{"encrypted", "jwe: " + jwe, []string{jwe}, []string{"jwe"}},
		{"repeated", a + "\n> Authorization: Bearer " + a, []string{a}, []string{""}},
		{"url fragment", "https://app/cb#id_token=" + a + "&state=1", []string{a}, []string{"id_token"}},
		{"no token", "nothing to see; eyJ alone", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Scan(tc.in)
			if len(got) != len(tc.tokens) {
				t.Fatalf("Scan found %d tokens, want %d: %+v", len(got), len(tc.tokens), got)
			}
			for i, f := range got {
				if f.Token != tc.tokens[i] || f.Label != tc.labels[i] {
					t.Errorf("token %d = %q label %q; want %q label %q", i, f.Token, f.Label, tc.tokens[i], tc.labels[i])
				}
				if tc.in[f.Offset:f.Offset+len(f.Token)] != f.Token {
					t.Errorf("Offset %d does not point at the token", f.Offset)
				}
			}
		})
	}
}

func TestScanIsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 200; i++ {
		b.WriteString("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(' ')
	}
	if n := len(Scan(b.String())); n != maxScanned {
		t.Errorf("Scan found %d, want the bound %d", n, maxScanned)
	}
}

// FuzzScan: Scan never panics, and every token it finds is in the input at
// its offset, starts like a JWT header and has three or five segments.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"X-MS-TOKEN-AAD-ID-TOKEN: " + jwt3, `"access_token": "` + jwt3 + `",`, "token=" + jwt3 + ".",
		"curl -H \"Authorization: Bearer " + jwt3 + "\"", "eyJ.eyJ.", "a.eyJ.b.c", "eyJeyJ.eyJ..eyJ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, found := range Scan(in) {
			if found.Offset < 0 || found.Offset+len(found.Token) > len(in) || in[found.Offset:found.Offset+len(found.Token)] != found.Token {
				t.Fatalf("found %q at %d: not in the input", found.Token, found.Offset)
			}
			if !strings.HasPrefix(found.Token, "eyJ") || !isCompact(found.Token) {
				t.Fatalf("found %q: not a compact token", found.Token)
			}
			if d := strings.Count(found.Token, "."); d != 2 && d != 4 {
				t.Fatalf("found %q: %d dots", found.Token, d)
			}
			if strings.Contains(found.Label, "\n") {
				t.Fatalf("label %q spans lines", found.Label)
			}
		}
	})
}
