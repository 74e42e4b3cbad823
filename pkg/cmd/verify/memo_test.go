package verify

import (
	"crypto/sha256"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/token"
)

// memoCorpus returns a shuffled stream in which every kind of line a
// signature memo could get wrong appears many times: valid tokens of two
// keys, a token naming no key (its second candidate verifies it), a Graph
// nonce token, tokens that verify but fail other checks, and tampered copies
// of repeated tokens (another payload under a good signature, a changed
// signature, a signature by a key outside the set), plus malformed lines.
func memoCorpus(t *testing.T, now time.Time) (stream, jwksFile string) {
	t.Helper()
	k1, k2, outsider := testjwt.SharedKey(t, "k1"), testjwt.NewKey(t, "k2"), testjwt.NewKey(t, "k1")
	jwksFile = filepath.Join(t.TempDir(), "jwks.json")
	if err := os.WriteFile(jwksFile, testjwt.JWKS(t, k1.JWK(nil), k2.JWK(nil)), 0o600); err != nil {
		t.Fatal(err)
	}
	claims := func(sub string, exp time.Duration, aud string) string {
		b, err := json.Marshal(map[string]any{
			"aud": aud, "iss": "https://login.microsoftonline.com/" + runTenant + "/v2.0", "tid": runTenant,
			"iat": now.Add(-5 * time.Minute).Unix(), "nbf": now.Add(-5 * time.Minute).Unix(), "exp": now.Add(exp).Unix(),
			"ver": "2.0", "sub": sub, "oid": sub,
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	hdr := func(kid string) string { return `{"typ":"JWT","alg":"RS256","kid":"` + kid + `"}` }
	valid1 := k1.Sign(t, hdr("k1"), claims("a", time.Hour, "api://my-api"))
	valid2 := k2.Sign(t, hdr("k2"), claims("b", time.Hour, "api://my-api"))
	noKid := k2.Sign(t, `{"typ":"JWT","alg":"RS256"}`, claims("c", time.Hour, "api://my-api"))
	expired := k1.Sign(t, hdr("k1"), claims("d", -time.Hour, "api://my-api"))
	otherAud := k1.Sign(t, hdr("k1"), claims("e", time.Hour, "api://other"))
	forged := outsider.Sign(t, hdr("k1"), claims("f", time.Hour, "api://my-api"))

	// Graph signs its header with the nonce replaced by base64url(SHA-256(nonce)).
	sum := sha256.Sum256([]byte("n0nce"))
	graphPayload := claims("g", time.Hour, "00000003-0000-0000-c000-000000000000")
	signed := k1.Sign(t, `{"typ":"JWT","nonce":"`+testjwt.B64(sum[:])+`","alg":"RS256","kid":"k1"}`, graphPayload)
	graph := testjwt.B64([]byte(`{"typ":"JWT","nonce":"n0nce","alg":"RS256","kid":"k1"}`)) + "." +
		testjwt.B64([]byte(graphPayload)) + signed[strings.LastIndexByte(signed, '.'):]

	parts := strings.Split(valid1, ".")
	otherPayload := strings.Split(valid2, ".")[1]
	swapped := parts[0] + "." + otherPayload + "." + parts[2] // valid1's signature over valid2's claims
	flipped := []byte(valid1)
	mid := len(valid1) - 40 // inside the signature, away from its last, partly unused, character
	if flipped[mid] == 'A' {
		flipped[mid] = 'B'
	} else {
		flipped[mid] = 'A'
	}
	kinds := []string{valid1, valid2, noKid, graph, expired, otherAud, forged, swapped, string(flipped),
		"not a token", valid1 + "x", parts[0] + "." + parts[1]}
	var lines []string
	for i, k := range kinds {
		for range 12 + i {
			lines = append(lines, k)
		}
	}
	r := rand.New(rand.NewPCG(17, 2026))
	r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	return strings.Join(lines, "\n") + "\n", jwksFile
}

// TestStreamMemoIsInvisible proves the signature memo changes nothing a
// stream writes: byte-identical results and summary with and without it, on
// one worker and on several, with tampered copies of repeated tokens.
func TestStreamMemoIsInvisible(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	stream, jwks := memoCorpus(t, now)
	streamRun := func(t *testing.T, noMemo bool, workers int) (stdout, stderr string) {
		t.Helper()
		ios, stdin, out, errOut := iostreams.Test()
		stdin.WriteString(stream)
		clock := func() time.Time { return now }
		opts := &Options{IO: ios, Now: clock, Stream: true, Workers: workers, NoMemo: noMemo,
			Discovery: trustpolicy.Deps{IO: ios, Now: clock}}
		opts.Flags.JWKS, opts.Flags.Tenant, opts.Flags.Audiences = jwks, runTenant, []string{"api://my-api"}
		opts.Flags.Leeway = token.DefaultLeeway
		_ = runStream(t.Context(), opts) // exit 3: the corpus holds invalid lines
		return out.String(), errOut.String()
	}
	wantOut, wantErr := streamRun(t, true, 1)
	if !strings.Contains(wantOut, `"valid":true`) || !strings.Contains(wantOut, `"malformed":true`) ||
		!strings.Contains(wantOut, `"signature"`) || !strings.Contains(wantOut, `"lifetime"`) || !strings.Contains(wantOut, `"audience"`) {
		t.Fatalf("the corpus does not exercise valid, malformed, signature, lifetime and audience outcomes:\n%.600s", wantOut)
	}
	for _, workers := range []int{1, 4} {
		for _, noMemo := range []bool{false, true} {
			out, errOut := streamRun(t, noMemo, workers)
			if out != wantOut {
				t.Errorf("workers %d, memo %v: results differ from a memo-less single-worker run", workers, !noMemo)
			}
			if errOut != wantErr {
				t.Errorf("workers %d, memo %v: summary %q, want %q", workers, !noMemo, errOut, wantErr)
			}
		}
	}
}
