package token

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// One token, one meaning: each of these is signed correctly with a trusted
// key, and still fails.
func TestVerifyOneTokenOneMeaning(t *testing.T) {
	e := newEnv(t, "")
	k := e.key
	exp := vNow.Add(time.Hour).Unix()
	base := `"iss":"https://login.microsoftonline.com/` + vTenant + `/v2.0","tid":"` + vTenant + `","ver":"2.0"`
	payload := func(extra string) string { return `{` + base + `,` + extra + `}` }
	hdr := `{"typ":"JWT","alg":"RS256","kid":"key-1"}`
	good := k.Sign(t, hdr, payload(fmt.Sprintf(`"aud":"api://my-api","exp":%d`, exp)))
	padded := func() string {
		p := strings.Split(good, ".")
		for len(p[2])%4 != 0 { // the signature: padding it leaves the signing input alone
			p[2] += "="
		}
		return strings.Join(p, ".")
	}()
	strayBits := func() string {
		// the payload's last character with unused low bits set decodes to
		// the same bytes: a second spelling of one token
		p := strings.Split(good, ".")
		s := p[2]
		if len(s)%4 == 2 || len(s)%4 == 3 {
			alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
			i := strings.IndexByte(alphabet, s[len(s)-1])
			p[2] = s[:len(s)-1] + string(alphabet[i|1])
		}
		return strings.Join(p, ".")
	}()
	cases := []struct {
		name   string
		token  string
		check  string
		code   CheckCode
		detail string
	}{
		{"duplicate claim", k.Sign(t, hdr, payload(fmt.Sprintf(`"aud":"api://other","aud":"api://my-api","exp":%d`, exp))), "format", CodeMalformed, "the claims repeat aud"},
		{"duplicate header member", k.Sign(t, `{"alg":"none","alg":"RS256","kid":"key-1"}`, payload(fmt.Sprintf(`"aud":"api://my-api","exp":%d`, exp))), "format", CodeMalformed, "the header repeats alg"},
		{"crit", k.Sign(t, `{"alg":"RS256","kid":"key-1","crit":["exp"],"exp":1}`, payload(fmt.Sprintf(`"aud":"api://my-api","exp":%d`, exp))), "format", CodeMalformed, "crit"},
		{"b64 false", k.Sign(t, `{"alg":"RS256","kid":"key-1","b64":false}`, payload(fmt.Sprintf(`"aud":"api://my-api","exp":%d`, exp))), "format", CodeMalformed, "b64"},
		{"exp as hex string", k.Sign(t, hdr, payload(`"aud":"api://my-api","exp":"0x1p33"`)), "lifetime", CodeBadTime, "JSON number"},
		{"exp as decimal string", k.Sign(t, hdr, payload(fmt.Sprintf(`"aud":"api://my-api","exp":"%d"`, exp))), "lifetime", CodeBadTime, "JSON number"},
		{"nbf as string", k.Sign(t, hdr, payload(fmt.Sprintf(`"aud":"api://my-api","exp":%d,"nbf":"0"`, exp))), "lifetime", CodeBadTime, "nbf"},
		{"audience element a number", k.Sign(t, hdr, payload(fmt.Sprintf(`"aud":[1,"x"],"exp":%d`, exp))), "audience", CodeAudience, "array of strings"},
		{"padded base64url", padded, "format", CodeMalformed, "canonical"},
	}
	if strayBits != good {
		cases = append(cases, struct {
			name   string
			token  string
			check  string
			code   CheckCode
			detail string
		}{"stray low bits", strayBits, "format", CodeMalformed, "canonical"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			aud := []string{"api://my-api"}
			if tc.name == "audience element a number" {
				aud = []string{"1"}
			}
			v := verify(t, tc.token, VerifyOptions{Keys: e.keys, Audiences: aud})
			if v.Valid {
				t.Fatal("called valid")
			}
			if !hasCode(v, tc.code) {
				t.Errorf("no code %s: %+v", tc.code, v.Checks)
			}
			check(t, v, tc.check, Failed, tc.detail)
		})
	}
	if v := verify(t, good, VerifyOptions{Keys: e.keys, Audiences: []string{"api://my-api"}}); !v.Valid {
		t.Fatalf("the plain token: %s", v.Error)
	}
}

// -o json is valid UTF-8 always, whatever bytes the claims hold.
func TestObjectJSONIsValidUTF8(t *testing.T) {
	o, err := parseObject([]byte("{\"a\":\"x\xff\xfey\",\"b\":1}"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := o.MarshalJSON()
	if err != nil || !utf8.Valid(out) || !json.Valid(out) || !strings.Contains(string(out), `x\ufffdy`) {
		t.Fatalf("%q %v", out, err)
	}
}
