// Package claimsview renders an Easy Auth client principal's claims for
// humans, shared by `azid me` and `azid headers`.
package claimsview

import (
	"fmt"
	"io"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/output"
)

// Write prints claims aligned, short names first, with the long claim
// type URI after the value.
func Write(w io.Writer, p *output.Palette, claims []easyauth.Claim) {
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
		line := "    " + output.PadRight(p.Cyan(short), output.DisplayWidth(short), width) + "  " + output.Sanitize(c.Value)
		if short != c.Type {
			line += p.Dim("  (" + output.Sanitize(c.Type) + ")")
		}
		fmt.Fprintln(w, line)
	}
}
