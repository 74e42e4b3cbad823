package doctor

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/azid-cli/azid/pkg/doctor"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// writeText prints one line per check, then each warning and failure with
// its evidence and fix, failures first.
func writeText(ios *iostreams.IOStreams, rep *doctor.Report) error {
	p := output.NewPalette(ios.ColorOut())
	clean := output.Sanitize
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s · %s\n\n", p.Bold("Easy Auth doctor:"), clean(rep.URL), rep.Platform.Description())
	idWidth := 0
	for _, c := range rep.Checks {
		idWidth = max(idWidth, len(c.ID))
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "  %s %s  %s\n", status(p, c.Status), output.PadTo(c.ID, idWidth), clean(c.Summary))
	}
	fix := rep.ToFix()
	if len(fix) > 0 {
		fmt.Fprintf(&b, "\n%s\n", p.Bold("What to fix, in this order:"))
	}
	for i, c := range fix {
		fmt.Fprintf(&b, "\n%d. %s %s: %s\n", i+1, strings.TrimSpace(status(p, c.Status)), c.ID, clean(c.Summary))
		var rows []output.KV
		if len(c.Evidence) > 0 {
			ev := make([]string, len(c.Evidence))
			for j, e := range c.Evidence {
				ev[j] = clean(e)
			}
			rows = append(rows, output.KV{Key: "seen", Value: strings.Join(ev, "\n")})
		}
		if c.Fix != "" {
			rows = append(rows, output.KV{Key: "fix", Value: clean(c.Fix)})
		}
		if c.Docs != "" {
			rows = append(rows, output.KV{Key: "docs", Value: c.Docs})
		}
		if err := output.KeyValues(&b, rows, 3, p.Dim); err != nil {
			return err
		}
	}
	_, err := ios.Out.Write(b.Bytes())
	return err
}

func status(p *output.Palette, s doctor.Status) string {
	label := output.PadTo(string(s), 7)
	switch s {
	case doctor.OK:
		return p.Green(label)
	case doctor.Warn:
		return p.Yellow(label)
	case doctor.Fail:
		return p.Red(label)
	}
	return p.Dim(label)
}
