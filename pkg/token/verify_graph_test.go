package token

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// graphHeader is a Graph access token header as Entra writes it (member
// order typ, nonce, alg, x5t, kid; entra-tokens.md §2).
func graphHeader(nonce string) string {
	return `{"typ":"JWT","nonce":"` + nonce + `","alg":"RS256","x5t":"key-1","kid":"key-1"}`
}

// graphSigned signs payload the way Entra signs Graph tokens: over the header
// with the nonce replaced by base64url(SHA-256(nonce)), then ships the header
// with the original nonce.
func graphSigned(t *testing.T, k *testjwt.Key, nonce, payload string) string {
	sum := sha256.Sum256([]byte(nonce))
	signed := k.Sign(t, graphHeader(testjwt.B64(sum[:])), payload)
	sig := signed[strings.LastIndexByte(signed, '.')+1:]
	return testjwt.B64([]byte(graphHeader(nonce))) + "." + testjwt.B64([]byte(payload)) + "." + sig
}

func graphPayload(aud string) string {
	return `{"aud":"` + aud + `","iss":"https://login.microsoftonline.com/` + vTenant + `/v2.0","exp":` +
		fmt.Sprint(vNow.Add(time.Hour).Unix()) + `,"nbf":` + fmt.Sprint(vNow.Add(-time.Minute).Unix()) + `,"tid":"` + vTenant + `","ver":"2.0"}`
}

func TestVerifyGraphNonce(t *testing.T) {
	e := newEnv(t, "")
	nonce := "AQABAAAAAABnfiG-x_Yz0123456789abcdefghijklmnop"
	good := graphSigned(t, e.key, nonce, graphPayload("00000003-0000-0000-c000-000000000000"))
	tampered := func() string {
		p := strings.Split(good, ".")
		return p[0] + "." + testjwt.B64([]byte(graphPayload("api://my-api"))) + "." + p[2]
	}()
	plainWithNonce := e.key.Sign(t, graphHeader(nonce), graphPayload("00000003-0000-0000-c000-000000000000"))
	dupNonce := func() string { // the hashed nonce first, the real one second: ambiguous, refused
		sum := sha256.Sum256([]byte(nonce))
		h := `{"typ":"JWT","nonce":"` + testjwt.B64(sum[:]) + `","nonce":"` + nonce + `","alg":"RS256","kid":"key-1"}`
		signed := e.key.Sign(t, `{"typ":"JWT","nonce":"`+testjwt.B64(sum[:])+`","nonce":"`+testjwt.B64(sum[:])+`","alg":"RS256","kid":"key-1"}`, graphPayload("x"))
		return testjwt.B64([]byte(h)) + "." + testjwt.B64([]byte(graphPayload("x"))) + "." + signed[strings.LastIndexByte(signed, '.')+1:]
	}()
	escaped := graphSigned(t, e.key, `AQAB\u0041`, graphPayload("x"))
	cases := []struct {
		name      string
		token     string
		opts      VerifyOptions
		valid     bool
		scheme    string
		code      CheckCode
		sentinel  error
		warnGraph bool
	}{
		{"graph scheme verifies", good, VerifyOptions{}, true, SchemeGraphNonce, "", nil, true},
		{"graph scheme, audience pin applies", good, VerifyOptions{Audiences: []string{"api://my-api"}}, false, SchemeGraphNonce, CodeAudience, ErrAudienceInvalid, true},
		{"graph scheme, graph audience pinned", good, VerifyOptions{Audiences: []string{"https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"}}, true, SchemeGraphNonce, "", nil, true},
		{"tampered payload", tampered, VerifyOptions{}, false, "", CodeBadSignature, ErrSignatureInvalid, false},
		{"nonce header signed plainly", plainWithNonce, VerifyOptions{}, true, "", "", nil, false},
		{"duplicate nonce refused", dupNonce, VerifyOptions{}, false, "", CodeBadSignature, ErrSignatureInvalid, false},
		{"escaped nonce refused", escaped, VerifyOptions{}, false, "", CodeBadSignature, ErrSignatureInvalid, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Keys = e.keys
			v := verify(t, tc.token, tc.opts)
			if v.Valid != tc.valid || v.SignatureScheme != tc.scheme {
				t.Fatalf("valid %v scheme %q, want %v %q: %+v", v.Valid, v.SignatureScheme, tc.valid, tc.scheme, v.Checks)
			}
			if tc.code != "" {
				if !hasCode(v, tc.code) || !errors.Is(v.Err(), tc.sentinel) {
					t.Errorf("want code %s and %v, got %v", tc.code, tc.sentinel, v.Err())
				}
			}
			warned := strings.Contains(strings.Join(v.Warnings, "\n"), "only Microsoft Graph should accept it")
			if warned != tc.warnGraph {
				t.Errorf("graph warning %v, want %v: %q", warned, tc.warnGraph, v.Warnings)
			}
			if tc.scheme != "" {
				check(t, v, "signature", Passed, "Microsoft Graph's undocumented nonce scheme")
			}
		})
	}
}

// GraphSigningInput splices the original header bytes: spacing and member
// order stay what was signed.
func TestGraphSigningInputSplices(t *testing.T) {
	header := `{ "nonce" : "abc", "alg":"RS256" }`
	tok, err := Parse(testjwt.B64([]byte(header)) + "." + testjwt.B64([]byte(`{}`)) + ".c2ln")
	if err != nil {
		t.Fatal(err)
	}
	in, ok := GraphSigningInput(tok)
	if !ok {
		t.Fatal("refused")
	}
	sum := sha256.Sum256([]byte("abc"))
	want := testjwt.B64([]byte(`{ "nonce" : "`+testjwt.B64(sum[:])+`", "alg":"RS256" }`)) + "." + testjwt.B64([]byte(`{}`))
	if in != want {
		t.Fatalf("got %s\nwant %s", in, want)
	}
}

func hasCode(v *Verification, code CheckCode) bool {
	for _, c := range v.Checks {
		if c.Code == code {
			return true
		}
	}
	return false
}

// A check not made is never a pass: Verify without keys or a clock does not
// call a token valid, and says it could not verify it.
func TestVerifyRequiresKeysAndClock(t *testing.T) {
	e := newEnv(t, "")
	good := e.key.SignClaims(t, claims(nil))
	expired1970 := testjwt.Unsigned(`{"alg":"RS256","kid":"key-1"}`, `{"exp":1,"iss":"x","aud":"y"}`)
	tests := []struct {
		name     string
		token    string
		opts     VerifyOptions
		codes    []CheckCode
		sentinel error
		unverif  bool
	}{
		{"empty options", expired1970, VerifyOptions{}, []CheckCode{CodeNoKeySource, CodeNoClock}, ErrTokenUnverifiable, true},
		{"good token, no keys", good, VerifyOptions{Now: vNow}, []CheckCode{CodeNoKeySource}, ErrTokenUnverifiable, true},
		{"good token, no clock", good, VerifyOptions{Keys: e.keys}, []CheckCode{CodeNoClock}, ErrTokenUnverifiable, true},
		{"expired and no keys", e.key.SignClaims(t, claims(map[string]any{"exp": 1})), VerifyOptions{Now: vNow}, []CheckCode{CodeNoKeySource, CodeExpired}, ErrTokenExpired, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := Parse(tc.token)
			if err != nil {
				t.Fatal(err)
			}
			v := Verify(context.Background(), tok, tc.opts)
			if v.Valid || v.Err() == nil {
				t.Fatalf("called valid: %+v", v.Checks)
			}
			for _, c := range tc.codes {
				if !hasCode(v, c) {
					t.Errorf("no check with code %s: %+v", c, v.Checks)
				}
			}
			if !errors.Is(v.Err(), tc.sentinel) || v.Unverifiable() != tc.unverif {
				t.Errorf("Err %v, Unverifiable %v; want %v, %v", v.Err(), v.Unverifiable(), tc.sentinel, tc.unverif)
			}
			var ce *CheckError
			if !errors.As(v.Err(), &ce) || ce.Check.Code == "" {
				t.Errorf("Err does not carry a coded check: %v", v.Err())
			}
		})
	}
	// With keys and a clock, the good token is valid and Err is nil.
	v := verify(t, good, VerifyOptions{Keys: e.keys})
	if !v.Valid || v.Err() != nil {
		t.Fatalf("good token: %v", v.Err())
	}
}
