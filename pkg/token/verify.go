package token

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
)

// Check statuses.
const (
	Passed     = "passed"
	Failed     = "failed"
	NotChecked = "not_checked"
)

// Check is the outcome of one verification step.
type Check struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	// Code says why a check failed or was not made ("" when it passed).
	Code     CheckCode `json:"code,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	Expected string    `json:"expected,omitempty"`
	Actual   string    `json:"actual,omitempty"`
}

// Verification is the verdict on a token and how it was reached.
type Verification struct {
	Valid bool `json:"valid"`
	// Error sums up why the token is not valid ("" when valid).
	Error  string     `json:"error,omitempty"`
	Checks []Check    `json:"checks"`
	Keys   *KeyOrigin `json:"keys,omitempty"`
	// KeyID is the kid of the key that verified the signature.
	KeyID    string   `json:"kid,omitempty"`
	Warnings []string `json:"warnings"`
	// KeysUnavailable is true when the keys could not be had (network
	// failure, or offline with an empty cache): the token was not judged.
	KeysUnavailable bool `json:"keys_unavailable,omitempty"`
	// SignatureScheme is "graph_nonce" when the signature verified only with
	// Microsoft Graph's undocumented header-nonce transform; "" otherwise.
	SignatureScheme string `json:"signature_scheme,omitempty"`

	// keyIssuer is the signing key's own issuer, resolved, when it matched the token.
	keyIssuer string
	// checks backs Checks and origin Keys, so a verification is one allocation.
	checks [8]Check
	origin KeyOrigin
}

// SchemeGraphNonce is Verification.SignatureScheme for a Microsoft Graph
// token whose signature covers SHA-256 of its header nonce.
const SchemeGraphNonce = "graph_nonce"

// Failed returns the checks that failed.
func (v *Verification) Failed() []Check {
	var out []Check
	for _, c := range v.Checks {
		if c.Status == Failed {
			out = append(out, c)
		}
	}
	return out
}

// VerifyOptions say what a token must satisfy. Now and Keys are required:
// without them the signature or lifetime check fails (the token is
// "unverifiable", never valid).
type VerifyOptions struct {
	Now    time.Time
	Leeway time.Duration
	// Issuers pins the issuer (any of these; {tenantid} resolved against tid).
	Issuers []string
	// Tenant pins the tenant ID (a GUID): tid and the v1 or v2 issuer form.
	Tenant string
	// Audiences pins the audience (any of these, GUID and App ID URI forms alike).
	Audiences []string
	Keys      KeySource
	// TrustedHost says whether an issuer host may be a tenant's (for --tenant);
	// nil means the known Microsoft login hosts only.
	TrustedHost func(host string) bool
	// Memo, when set, remembers tokens whose signature verified so a
	// repeated token is not checked again (verify --stream); nil checks
	// every signature.
	Memo *SignatureMemo
	// Terse leaves the detail of passed checks empty (for --stream, which
	// reports only failures), saving their formatting on every token.
	Terse bool
}

// DefaultLeeway is the clock skew allowed on exp and nbf, as Microsoft.IdentityModel does.
const DefaultLeeway = 5 * time.Minute

// Verify checks a token's algorithm, key, signature, lifetime, issuer and
// audience, and reports every check. The algorithm is checked before any key
// is looked up, and nothing in the token header (jku, x5u, jwk, x5c) is ever
// used to find a key.
func Verify(ctx context.Context, t *Token, o VerifyOptions) *Verification {
	v := new(Verification)
	VerifyTo(ctx, t, o, v)
	return v
}

// VerifyTo is Verify into v, reusing its storage (a stream verifies each
// line into one Verification per worker). v's previous contents are lost;
// slices it handed out before (Checks, Warnings) must no longer be used.
func VerifyTo(ctx context.Context, t *Token, o VerifyOptions, v *Verification) {
	warnings := v.Warnings[:0]
	if warnings == nil {
		warnings = []string{}
	}
	*v = Verification{Warnings: warnings}
	v.Checks = v.checks[:0]
	algOK := checkAlgorithm(t, v)
	var origin *KeyOrigin
	if algOK {
		origin = checkKeyAndSignature(ctx, t, o, v)
	} else {
		v.add(Check{Name: "key", Status: NotChecked, Code: CodeAlgorithmRejected, Detail: "the algorithm was rejected first"})
		v.add(Check{Name: "signature", Status: NotChecked, Code: CodeAlgorithmRejected, Detail: "the algorithm was rejected first"})
	}
	v.Keys = origin
	checkFormat(t, v)
	checkLifetime(t, o, v)
	checkIssuer(t, o, origin, v)
	checkAudience(t, o, v)
	if len(o.Issuers) == 0 && o.Tenant == "" && len(o.Audiences) == 0 {
		v.Warnings = append(v.Warnings, "no tenant, issuer or audience pinned: a genuine token of any tenant or app would pass")
	} else if len(o.Audiences) == 0 {
		v.Warnings = append(v.Warnings, "no audience pinned: a genuine token for any app would pass")
	} else if len(o.Issuers) == 0 && o.Tenant == "" {
		v.Warnings = append(v.Warnings, "no tenant or issuer pinned: a genuine token of any tenant would pass")
	}
	failed := v.Failed()
	// Valid only when the checks that matter passed, not merely when
	// nothing failed: a check not made is never a pass.
	v.Valid = len(failed) == 0 && v.passed("signature") && v.passed("lifetime") && v.passed("algorithm")
	if !v.Valid {
		parts := make([]string, 0, len(failed))
		for _, c := range failed {
			parts = append(parts, c.Name+": "+c.Detail)
		}
		v.Error = strings.Join(parts, "; ")
	}
}

func (v *Verification) add(c Check) { v.Checks = append(v.Checks, c) }

func (v *Verification) passed(name string) bool {
	for _, c := range v.Checks {
		if c.Name == name {
			return c.Status == Passed
		}
	}
	return false
}

func checkAlgorithm(t *Token, v *Verification) bool {
	alg := t.Alg()
	switch {
	case alg == "RS256":
		v.add(Check{Name: "algorithm", Status: Passed, Actual: alg, Detail: "RS256"})
		return true
	case alg == "" || strings.EqualFold(alg, "none"):
		v.add(Check{Name: "algorithm", Status: Failed, Code: CodeUnsigned, Expected: "RS256", Actual: quoteOr(alg, "missing"),
			Detail: "unsigned token (alg " + quoteOr(alg, "missing") + "): it proves nothing"})
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		v.add(Check{Name: "algorithm", Status: Failed, Code: CodeAlgorithmHMAC, Expected: "RS256", Actual: alg,
			Detail: alg + " is a shared-secret (HMAC) algorithm Entra never uses; rejected before any key was used (algorithm confusion)"})
	default:
		v.add(Check{Name: "algorithm", Status: Failed, Code: CodeAlgorithm, Expected: "RS256", Actual: alg,
			Detail: "algorithm " + quoteOr(alg, "missing") + " is not accepted: Entra signs with RS256"})
	}
	return false
}

func checkKeyAndSignature(ctx context.Context, t *Token, o VerifyOptions, v *Verification) *KeyOrigin {
	kid, x5t := t.Header.Str("kid"), t.Header.Str("x5t")
	for _, h := range []string{"jku", "x5u", "jwk", "x5c"} {
		if t.Header.Has(h) {
			v.Warnings = append(v.Warnings, "the header names its own key source ("+h+"): ignored, keys come only from the given key set or the issuer's published one")
		}
	}
	if o.Keys == nil {
		// Not a silent skip: without keys the token is unverifiable.
		v.add(Check{Name: "key", Status: Failed, Code: CodeNoKeySource, Detail: "no key source was given, so the signature cannot be checked"})
		v.add(Check{Name: "signature", Status: NotChecked, Code: CodeNoKeySource, Detail: "no key to check it with"})
		return nil
	}
	set, origin, err := o.Keys.Keys(ctx, t, false)
	if err != nil {
		detail := "no keys: " + err.Error()
		code := CodeNoKeys
		var fetchErr *entra.FetchError
		if errors.As(err, &fetchErr) || errors.Is(err, entra.ErrNotCached) || errors.Is(err, entra.ErrStaleTooOld) {
			v.KeysUnavailable, code = true, CodeKeysUnavailable
		}
		if errors.Is(err, ErrIssuerCap) {
			v.KeysUnavailable, code = true, CodeIssuerCap
		}
		if errors.Is(err, entra.ErrUntrustedIssuer) {
			code = CodeUntrustedIssuer
			detail += "; keys are fetched only from Microsoft login hosts or a configured authority host"
		}
		v.add(Check{Name: "key", Status: Failed, Code: code, Detail: detail})
		v.add(Check{Name: "signature", Status: NotChecked, Code: CodeNoKey, Detail: "no key to check it with"})
		v.origin = origin
		return &v.origin
	}
	cands := set.Candidates(kid, x5t)
	if len(cands) == 0 && (kid != "" || x5t != "") {
		// An unknown kid: the keys may have rotated. Fetch once more (rate-limited).
		if set2, origin2, err := o.Keys.Keys(ctx, t, true); err == nil {
			set, origin = set2, origin2
			cands = set.Candidates(kid, x5t)
		}
	}
	if len(cands) == 0 {
		v.add(Check{Name: "key", Status: Failed, Code: CodeUnknownKid, Expected: "a key with kid " + quoteOr(cmp.Or(kid, x5t), "(none)"),
			Actual: "kids " + strings.Join(set.IDs(), ", "), Detail: unknownKidDetail(t, kid, x5t)})
		v.add(Check{Name: "signature", Status: NotChecked, Code: CodeNoKey, Detail: "no key to check it with"})
		v.origin = origin
		return &v.origin
	}
	graph := t.Header.Has("nonce")
	// A Graph token is signed over its header with the nonce hashed; try
	// that first, then the plain signing input (a token signed plainly,
	// nonce or not, still verifies plainly).
	var inputs [2]string
	n := 0
	if graph {
		if in, ok := GraphSigningInput(t); ok {
			inputs[n], n = in, n+1
		}
	}
	inputs[n], n = t.SigningInput(), n+1
	var used *entra.Key
	graphScheme := false
	var sighting memoSighting
	if o.Memo != nil {
		// The same token under the same set verified before: the same key,
		// the same way. Everything else is still checked below.
		i, g, ok, s := o.Memo.lookup(t.Raw, set)
		if sighting = s; ok && i < len(cands) {
			used, graphScheme = &cands[i], g
		}
	}
	for i := 0; used == nil && i < len(cands); i++ {
		for j, in := range inputs[:n] {
			if VerifySignature(in, t.Signature, &cands[i]) {
				used, graphScheme = &cands[i], graph && j == 0 && n == 2
				if o.Memo != nil {
					o.Memo.remember(sighting, t.Raw, set, i, graphScheme)
				}
				break
			}
		}
	}
	keyDetail := ""
	switch {
	case kid == "" && x5t == "":
		keyDetail = "the token names no key; every key of the set was tried"
	case !o.Terse:
		keyDetail = "kid " + cmp.Or(kid, x5t)
	}
	v.add(Check{Name: "key", Status: Passed, Detail: keyDetail})
	switch {
	case used != nil:
		v.KeyID = used.ID
		sigDetail := ""
		if graphScheme {
			v.SignatureScheme = SchemeGraphNonce
			sigDetail = "RS256 signature verified with key " + used.ID + " using Microsoft Graph's undocumented nonce scheme (the header nonce replaced by its SHA-256)"
			v.Warnings = append(v.Warnings, "this is a Microsoft Graph token: only Microsoft Graph should accept it; for your API, request a token for your API")
		} else if !o.Terse {
			sigDetail = "RS256 signature verified with key " + used.ID
		}
		v.add(Check{Name: "signature", Status: Passed, Detail: sigDetail})
	case graph:
		v.add(Check{Name: "signature", Status: Failed, Code: CodeBadSignature,
			Detail: "the signature does not match, neither plainly nor with Microsoft Graph's nonce scheme: the token was altered, or signed by another key"})
	default:
		v.add(Check{Name: "signature", Status: Failed, Code: CodeBadSignature, Detail: "the signature does not match: the token was altered, or signed by another key"})
	}
	if used != nil {
		for _, n := range used.Notes {
			v.Warnings = append(v.Warnings, "signing key "+used.ID+": "+n)
		}
		checkKeyIssuer(t, used, v)
	}
	v.origin = origin
	return &v.origin
}

func unknownKidDetail(t *Token, kid, x5t string) string {
	id := cmp.Or(kid, x5t)
	hints := []string{"keys rotated after the token was issued (it may be old)",
		"the app has a custom signing key (SAML SSO or claims mapping): its keys are published with ?appid=<client-id>"}
	if info, ok := entra.ParseIssuer(t.Claims.Str("iss")); ok {
		switch info.Cloud {
		case entra.CloudB2C:
			hints = append(hints, "B2C keys are per user flow: check the tfp/acr claim")
		case entra.CloudUnknown:
			hints = append(hints, "the token comes from another identity provider")
		}
	}
	hints = append(hints, "the token is from another cloud, or a forgery")
	return "no published key has kid " + quoteOr(id, "(none)") + "; likely causes: " + strings.Join(hints, "; ")
}
