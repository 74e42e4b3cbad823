package token

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/timefmt"
)

// The checks of what a token claims: the key's own issuer, lifetime,
// issuer and audience.

// checkKeyIssuer applies Entra's per-key issuer: a key that says which issuer
// it signs for may only verify tokens of that issuer.
func checkKeyIssuer(t *Token, k *entra.Key, v *Verification) {
	if k.Issuer == "" {
		return
	}
	iss, tid := t.Claims.Str("iss"), t.Claims.Str("tid")
	want := k.Issuer
	if strings.Contains(want, "{tenantid}") {
		if !entra.IsGUID(tid) {
			v.add(Check{Name: "key issuer", Status: Failed, Code: CodeKeyIssuer, Expected: want, Actual: iss,
				Detail: "the key signs for a multi-tenant issuer template, and the token's tid is not a GUID"})
			return
		}
		want = entra.ResolveIssuer(want, tid)
	}
	if iss == want || v1Equivalent(iss, want) {
		v.keyIssuer = want
		return
	}
	v.add(Check{Name: "key issuer", Status: Failed, Code: CodeKeyIssuer, Expected: want, Actual: iss,
		Detail: "the key that verified the signature belongs to issuer " + want + ", not to the token's issuer"})
}

// v1Equivalent accepts a v1 token (sts.windows.net/{tid}/) verified with a v2
// key whose issuer names the same tenant, as Microsoft.IdentityModel does.
func v1Equivalent(iss, keyIssuer string) bool {
	a, ok1 := entra.ParseIssuer(iss)
	b, ok2 := entra.ParseIssuer(keyIssuer)
	return ok1 && ok2 && !a.V2 && b.V2 && a.Tenant == b.Tenant && a.Cloud == b.Cloud && a.Cloud != entra.CloudUnknown
}

func checkLifetime(t *Token, o VerifyOptions, v *Verification) {
	now, leeway := o.Now, o.Leeway
	exp, hasExp := t.Claims.Time("exp")
	nbf, hasNbf := t.Claims.Time("nbf")
	var problems []string
	c := Check{Name: "lifetime"}
	if now.IsZero() {
		// Not a silent skip: without a clock nothing is known of the lifetime.
		c.Status, c.Code, c.Detail = Failed, CodeNoClock, "no evaluation time was given, so the lifetime cannot be checked"
		v.add(c)
		return
	}
	switch {
	case !t.Claims.Has("exp"):
		c.Code = CodeNoExpiry
		problems = append(problems, "no exp claim: a token without an expiry is not accepted")
	case !hasExp || !numericDate(t.Claims, "exp"):
		c.Code = CodeBadTime
		problems = append(problems, "exp is not a valid time (a NumericDate must be a JSON number)")
	case !now.Before(exp.Add(leeway)):
		c.Code = CodeExpired
		problems = append(problems, fmt.Sprintf("expired %s ago at %s", durationText(now.Sub(exp)), exp.Format(time.RFC3339)))
		c.Expected, c.Actual = "now before exp + leeway "+durationText(leeway), now.Format(time.RFC3339)
	}
	if t.Claims.Has("nbf") && (!hasNbf || !numericDate(t.Claims, "nbf")) {
		c.Code = cmp.Or(c.Code, CodeBadTime)
		problems = append(problems, "nbf is not a valid time (a NumericDate must be a JSON number)")
	} else if hasNbf && now.Add(leeway).Before(nbf) {
		c.Code = cmp.Or(c.Code, CodeNotYetValid)
		problems = append(problems, fmt.Sprintf("not valid yet: valid from %s (in %s)", nbf.Format(time.RFC3339), durationText(nbf.Sub(now))))
		c.Expected, c.Actual = "now after nbf - leeway "+durationText(leeway), now.Format(time.RFC3339)
	}
	if len(problems) > 0 {
		c.Status, c.Detail = Failed, strings.Join(problems, "; ")
	} else {
		c.Status = Passed
		if !o.Terse {
			c.Detail = "expires " + relText(exp, now) + " at " + exp.Format(time.RFC3339) + " (leeway " + durationText(leeway) + ")"
		}
	}
	v.add(c)
}

func checkIssuer(t *Token, o VerifyOptions, origin *KeyOrigin, v *Verification) {
	iss, tid := t.Claims.Str("iss"), t.Claims.Str("tid")
	c := Check{Name: "issuer", Actual: iss}
	var problems []string
	if iss == "" {
		problems = append(problems, "the token has no iss claim")
	}
	// Entra issuers carry the tenant in their path; it must agree with tid.
	if info, ok := entra.ParseIssuer(iss); ok && tid != "" && info.Cloud != entra.CloudUnknown && info.Cloud != entra.CloudB2C && info.Tenant != tid {
		problems = append(problems, "the issuer's tenant "+info.Tenant+" is not the token's tid "+tid)
	}
	checked := false
	if o.Tenant != "" {
		checked = true
		if !strings.EqualFold(tid, o.Tenant) {
			problems = append(problems, "tid "+quoteOr(tid, "missing")+" is not the pinned tenant "+o.Tenant)
			c.Expected = "tenant " + o.Tenant
		} else if !tenantIssuer(iss, o.Tenant, o.TrustedHost) {
			problems = append(problems, "the issuer is not the v1 or v2 issuer of tenant "+o.Tenant)
			c.Expected = "https://sts.windows.net/" + o.Tenant + "/ or https://<login host>/" + o.Tenant + "/v2.0"
		}
	}
	if len(o.Issuers) > 0 {
		checked = true
		match := false
		var wants []string
		for _, want := range o.Issuers {
			if strings.Contains(want, "{tenantid}") {
				if !entra.IsGUID(tid) {
					continue
				}
				want = entra.ResolveIssuer(want, tid)
			}
			wants = append(wants, want)
			if iss == want {
				match = true
			}
		}
		if !match {
			c.Expected = strings.Join(wants, " or ")
			if len(wants) == 0 {
				problems = append(problems, "the pinned issuer is a {tenantid} template and the token's tid is not a GUID")
			} else {
				problems = append(problems, "issuer is not "+c.Expected)
			}
		}
	}
	if origin != nil && origin.MetadataIssuer != "" {
		checked = true
		want := origin.MetadataIssuer
		ok := true
		if strings.Contains(want, "{tenantid}") {
			if !entra.IsGUID(tid) {
				ok = false
				problems = append(problems, "the metadata issuer is a {tenantid} template and the token's tid is not a GUID")
			}
			want = entra.ResolveIssuer(want, tid)
		}
		if ok && iss != want {
			problems = append(problems, "issuer is not "+want+", the issuer the OpenID metadata declares")
			if c.Expected == "" {
				c.Expected = want
			}
		}
	}
	switch {
	case len(problems) > 0:
		c.Status, c.Code, c.Detail = Failed, CodeIssuer, strings.Join(problems, "; ")
	case checked:
		c.Status, c.Detail = Passed, iss
	case v.keyIssuer != "":
		c.Status, c.Detail = Passed, iss+" (the signing key's own issuer)"
	default:
		c.Status, c.Code, c.Detail = NotChecked, CodeIssuerNotPinned, "no issuer or tenant pinned, and the keys came with no issuer"
	}
	v.add(c)
}

// tenantIssuer reports whether iss is the v1 or v2 Entra issuer of tenant,
// on a trusted host.
func tenantIssuer(iss, tenant string, trusted func(string) bool) bool {
	info, ok := entra.ParseIssuer(iss)
	if !ok || !strings.EqualFold(info.Tenant, tenant) {
		return false
	}
	// ParseIssuer accepts http only on loopback (a local issuer such as azid
	// emulate's, trusted only when it is the configured authority host).
	u, found := strings.CutPrefix(iss, "https://")
	if !found {
		u = strings.TrimPrefix(iss, "http://")
	}
	host, _, _ := strings.Cut(u, "/")
	if trusted == nil {
		trusted = entra.TrustPolicy{}.TrustedHost
	}
	if !trusted(host) || !strings.Contains(u, "/") {
		return false
	}
	path := u[strings.IndexByte(u, '/'):]
	if info.V2 {
		return path == "/"+info.Tenant+"/v2.0" || path == "/"+info.Tenant+"/v2.0/"
	}
	return path == "/"+info.Tenant+"/"
}

func checkAudience(t *Token, o VerifyOptions, v *Verification) {
	var one [1]string
	auds, audOK := audiences(t.Claims, &one)
	c := Check{Name: "audience", Actual: strings.Join(auds, ", ")}
	if !audOK {
		c.Status, c.Code, c.Detail = Failed, CodeAudience, "aud is neither a string nor an array of strings"
		v.add(c)
		return
	}
	if len(o.Audiences) == 0 {
		c.Status, c.Code, c.Detail = NotChecked, CodeAudienceNotPinned, "no audience pinned"
		v.add(c)
		return
	}
	c.Expected = strings.Join(o.Audiences, " or ")
	for _, a := range auds {
		for _, want := range o.Audiences {
			if AudienceMatches(a, want) {
				c.Status, c.Detail = Passed, a
				v.add(c)
				return
			}
		}
	}
	c.Status, c.Code = Failed, CodeAudience
	if len(auds) == 0 {
		c.Detail = "the token has no aud claim"
	} else {
		c.Detail = "the token is for " + c.Actual + ", not for " + c.Expected
	}
	v.add(c)
}

// AudienceMatches compares an aud value with an expected audience, accepting
// the variants Entra issues: a trailing slash, and an app's client ID (GUID)
// against its api://<client-id> App ID URI.
func AudienceMatches(aud, want string) bool {
	norm := func(s string) string {
		s = strings.TrimSuffix(strings.TrimSpace(s), "/")
		if strings.HasPrefix(strings.ToLower(s), "api://") && entra.IsGUID(s[6:]) {
			s = s[6:]
		}
		if entra.IsGUID(s) {
			s = strings.ToLower(s)
		}
		return s
	}
	return aud != "" && norm(aud) == norm(want)
}

func durationText(d time.Duration) string { return timefmt.Duration(d) }

func relText(t, now time.Time) string { return timefmt.Relative(t, now) }
