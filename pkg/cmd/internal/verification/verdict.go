package verification

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/azid-cli/azid/pkg/cmd/internal/trustpolicy"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// Verify verifies t at now with the verification flags, discovering keys
// through d.
func Verify(ctx context.Context, d trustpolicy.Deps, flags *Flags, t *token.Token, now time.Time) (*token.Verification, error) {
	vo, err := flags.Options(d, now)
	if err != nil {
		return nil, err
	}
	return token.Verify(ctx, t, vo), nil
}

// PrintWarnings writes the verification's warnings on stderr.
func PrintWarnings(ios *iostreams.IOStreams, v *token.Verification) {
	p := output.NewPalette(ios.ColorErr())
	for _, w := range v.Warnings {
		output.Warning(ios.ErrOut, p, "%s", w)
	}
}

// InvalidError is the exit-3 error for a token that failed verification,
// listing every failed check; nil when v is nil or valid.
func InvalidError(v *token.Verification) error {
	if v == nil || v.Valid {
		return nil
	}
	var details []string
	failed := v.Failed()
	for _, c := range failed {
		details = append(details, c.Name+": "+c.Detail)
	}
	if v.Unverifiable() {
		// Nothing is wrong with the token as far as azid could see: it could
		// not get the keys to judge it, which is a runtime error, not a verdict.
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: errors.New("cannot verify the token: " + failed[0].Detail),
			Hint: "check the network (with --offline: run once online to fill the key cache), or give the keys with --jwks FILE"}
	}
	msg := "token is not valid"
	if n := len(details); n > 1 {
		msg = fmt.Sprintf("token is not valid: %d checks failed", n)
	}
	return &cmdutil.ExitError{Code: cmdutil.ExitInvalid, Err: errors.New(msg), Details: details, Hint: checkHint(failed)}
}

// checkHint turns the domain's check codes into the next step, naming flags
// (the token package never does).
func checkHint(failed []token.Check) string {
	for _, c := range failed {
		switch c.Code {
		case token.CodeUnknownKid:
			return "an app with a custom signing key: add --appid <client-id>; or give the key set with --jwks"
		case token.CodeUntrustedIssuer:
			return "give the issuer's key set with --jwks, or trust its host with --authority-host"
		case token.CodeExpired, token.CodeNotYetValid:
			return "get a fresh token, or judge it at another instant with --at"
		case token.CodeAudience:
			return "request a token for your API's scope (api://<client-id>/.default)"
		}
	}
	return ""
}
