// Package output formats results for people (aligned, coloured text with
// relative times) and for programs (JSON and YAML).
package output

import "github.com/fatih/color"

// Palette colours text for one stream. A disabled palette returns text unchanged.
type Palette struct {
	Bold, Dim, Red, Green, Yellow, Cyan, Magenta func(a ...any) string
	enabled                                      bool
}

// NewPalette returns a palette that colours only when enabled is true.
// It never touches fatih/color's global NoColor switch.
func NewPalette(enabled bool) *Palette {
	mk := func(attrs ...color.Attribute) func(a ...any) string {
		c := color.New(attrs...)
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.SprintFunc()
	}
	return &Palette{
		Bold:    mk(color.Bold),
		Dim:     mk(color.Faint),
		Red:     mk(color.FgRed, color.Bold),
		Green:   mk(color.FgGreen),
		Yellow:  mk(color.FgYellow),
		Cyan:    mk(color.FgCyan),
		Magenta: mk(color.FgMagenta),
		enabled: enabled,
	}
}

// Enabled reports whether the palette emits colour codes.
func (p *Palette) Enabled() bool { return p.enabled }
