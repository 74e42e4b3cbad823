package output

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// DisplayWidth returns the number of terminal columns s takes: East Asian
// wide and fullwidth characters (CJK, most emoji) take two, combining marks,
// zero-width joiners and variation selectors none, and ANSI colour
// sequences none.
func DisplayWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' { // CSI … final byte
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == 0x200d || (r >= 0xfe00 && r <= 0xfe0f) || (r >= 0xe0100 && r <= 0xe01ef):
		return 0 // joiner, variation selectors
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// KV is one row of an aligned key/value list.
type KV struct {
	Key   string
	Value string
}

// PadRight pads s with spaces to width columns; s may hold colour codes,
// which take no width, so the visible width is given separately.
func PadRight(s string, visible, width int) string {
	if visible >= width {
		return s
	}
	return s + strings.Repeat(" ", width-visible)
}

// PadTo pads s with spaces to cols display columns.
func PadTo(s string, cols int) string {
	if w := DisplayWidth(s); w < cols {
		return s + strings.Repeat(" ", cols-w)
	}
	return s
}

// KeyValues writes an aligned key/value list, one row a line: indent spaces,
// the key padded to the widest key (by display width), two spaces, the
// value. Keys are styled with style (nil: plain), such as a Palette's Dim.
// Values that span lines are indented under the first.
func KeyValues(w io.Writer, rows []KV, indent int, style func(a ...any) string) error {
	return KeyValuesWidth(w, rows, indent, KeyColumns(rows), style)
}

// KeyColumns returns the display width of the widest key of the lists
// given, for lists printed apart that must align with each other.
func KeyColumns(lists ...[]KV) int {
	cols := 0
	for _, rows := range lists {
		for _, r := range rows {
			cols = max(cols, DisplayWidth(r.Key))
		}
	}
	return cols
}

// KeyValuesWidth is KeyValues with the key column's width given.
func KeyValuesWidth(w io.Writer, rows []KV, indent, keyCols int, style func(a ...any) string) error {
	pad := strings.Repeat(" ", indent)
	cont := strings.Repeat(" ", indent+keyCols+2)
	var b strings.Builder
	for _, r := range rows {
		key := PadTo(r.Key, keyCols)
		if style != nil {
			key = style(key)
		}
		b.WriteString(pad + key + "  ")
		b.WriteString(strings.ReplaceAll(r.Value, "\n", "\n"+cont))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Table writes rows in aligned columns (by display width) separated by two
// spaces; the header row, when given, is styled with style (nil: plain).
// The last column is not padded, so lines carry no trailing spaces.
func Table(w io.Writer, header []string, rows [][]string, style func(a ...any) string) error {
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	var cols []int
	for _, row := range all {
		for i, cell := range row {
			if i >= len(cols) {
				cols = append(cols, 0)
			}
			cols[i] = max(cols[i], DisplayWidth(cell))
		}
	}
	var b strings.Builder
	for n, row := range all {
		for i, cell := range row {
			text := cell
			if n == 0 && header != nil && style != nil {
				text = style(cell)
			}
			b.WriteString(text)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", cols[i]-DisplayWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Warning writes one warning line, the way every azid warning looks:
// "warning: " (yellow where colour is on) and the message.
func Warning(w io.Writer, p *Palette, format string, args ...any) {
	fmt.Fprintf(w, "%s %s\n", p.Yellow("warning:"), fmt.Sprintf(format, args...))
}

// Note writes one note line: "note: " and the message.
func Note(w io.Writer, p *Palette, format string, args ...any) {
	fmt.Fprintf(w, "%s %s\n", p.Yellow("note:"), fmt.Sprintf(format, args...))
}
