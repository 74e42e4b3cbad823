// Package claimsview renders an Easy Auth client principal's claims for
// humans, shared by `azid me` and `azid headers`.
package claimsview

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/tokenview"
)

// Write prints claims aligned, short names first, with the long claim
// type URI after the value; times (exp, iat, nbf, …) are shown as decode
// shows them, relative to now.
func Write(w io.Writer, p *output.Palette, claims []easyauth.Claim, now time.Time) {
	if len(claims) == 0 {
		return
	}
	fmt.Fprintln(w, p.Bold("  Claims"))
	width := 0
	for _, c := range claims {
		if n := output.DisplayWidth(easyauth.ShortClaimType(c.Type)); n > width && n <= 28 {
			width = n
		}
	}
	for _, c := range claims {
		short := output.Sanitize(easyauth.ShortClaimType(c.Type))
		value := output.Sanitize(c.Value)
		if tokenview.IsTimeClaim(short) {
			if secs, err := strconv.ParseInt(c.Value, 10, 64); err == nil && secs > 0 && secs < 1<<40 {
				value += "  " + tokenview.TimeValue(p, short, time.Unix(secs, 0), now)
			}
		}
		line := "    " + output.PadRight(p.Cyan(short), output.DisplayWidth(short), width) + "  " + value
		if short != c.Type {
			line += p.Dim("  (" + output.Sanitize(c.Type) + ")")
		}
		fmt.Fprintln(w, line)
	}
}
