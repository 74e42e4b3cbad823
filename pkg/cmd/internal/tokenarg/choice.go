package tokenarg

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// Choice is how a command chooses among the tokens of its input: by default
// the first readable access token, else the first readable token; --id-token
// for the ID token, --index N for the N-th token.
type Choice struct {
	IDToken bool
	Index   int
}

// Register adds --id-token and --index to a command's flags.
func (c *Choice) Register(fs *pflag.FlagSet) {
	fs.BoolVar(&c.IDToken, "id-token", false, "of several tokens in the input (a token response, /.auth/me, Easy Auth headers), take the ID token")
	fs.IntVar(&c.Index, "index", 0, "of several tokens in the input, take the N-th (1 = the first; the note on standard error lists them)")
}

// Apply makes the choice on ex. A token that is not there is an error (exit
// 1) naming what the input holds.
func (c Choice) Apply(ex *token.Extracted) error {
	if c.IDToken && c.Index != 0 {
		return cmdutil.UsageErrorf("--id-token and --index both choose a token: give one of them")
	}
	var err error
	switch {
	case c.IDToken:
		err = ex.ChooseKind(token.KindID)
	case c.Index != 0:
		err = ex.ChooseIndex(c.Index)
	}
	var ce *token.ChoiceError
	if errors.As(err, &ce) {
		hint := "leave out --id-token and --index to take the one token there is"
		if len(ce.Found) > 1 {
			hint = fmt.Sprintf("--index 1 to %d chooses among them", len(ce.Found))
		}
		return cmdutil.WithExit(cmdutil.ExitFailure, err, hint)
	}
	return err
}

// Note says on standard error which token of several was taken and how to
// choose another; verb is what the command does with it ("decoding"). It
// prints nothing for input that held one token.
func Note(ios *iostreams.IOStreams, ex *token.Extracted, verb string) {
	n := len(ex.Candidates)
	if n == 0 || ex.Reason == token.ChoseOnly {
		return
	}
	p := output.NewPalette(ios.ColorErr())
	chosen := ex.Candidates[ex.Chosen]
	name := chosen.Describe()
	pos := fmt.Sprintf("token %d of %d", ex.Chosen+1, n)
	switch ex.Reason {
	case token.ChoseOpaqueAccess:
		opaque := "the access token"
		for _, c := range ex.Candidates {
			if !c.JWT && c.Kind == token.KindAccess && c.Field != "" {
				opaque += " (" + output.Sanitize(c.Field) + ")"
				break
			}
		}
		output.Note(ios.ErrOut, p, "%s is opaque, not a JWT: only its issuer can read it (Google, personal Microsoft accounts and other providers issue such tokens); %s %s, the JWT beside it, %s",
			opaque, verb, output.Sanitize(name), pos)
	case token.ChoseAccess:
		output.Note(ios.ErrOut, p, "the input holds %s; %s %s, the access token (%s): %s",
			output.Sanitize(token.Describe(ex.Candidates)), verb, output.Sanitize(chosen.Field), pos, otherHint(ex))
	case token.ChoseFirst:
		output.Note(ios.ErrOut, p, "the input holds %s; %s the first, %s: %s",
			output.Sanitize(token.Describe(ex.Candidates)), verb, output.Sanitize(name), otherHint(ex))
	default: // chosen as asked
		output.Note(ios.ErrOut, p, "%s %s, %s, as asked", verb, output.Sanitize(name), pos)
	}
}

// otherHint says how to choose another token of ex.
func otherHint(ex *token.Extracted) string {
	for i, c := range ex.Candidates {
		if i != ex.Chosen && c.Kind == token.KindID {
			return "--id-token for the ID token, --index N for another"
		}
	}
	return "--index N for another"
}
