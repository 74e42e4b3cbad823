package token

import (
	"fmt"
	"strings"
	"testing"
)

// TestLargeObjectLookups holds objects past smallObject members (which use a
// hash table) to what a small one answers: every member found at its
// position with its last value, absent names absent, duplicates reported,
// whatever the names' hashes.
func TestLargeObjectLookups(t *testing.T) {
	for _, n := range []int{smallObject - 10, smallObject - 1, smallObject + 1, 40, 200, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var b strings.Builder
			b.WriteByte('{')
			for i := range n {
				fmt.Fprintf(&b, `"c%d":%d,`, i, i)
			}
			// Repeat three names, the last value wins; "" is a legal name.
			b.WriteString(`"c0":"again","c7":"again","":1,"c7":"last"}`)
			o, err := parseObject([]byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(o.members), n+1; got != want {
				t.Fatalf("%d members, want %d", got, want)
			}
			if (o.table != nil) != (n+4 > smallObject) { // by colons: n members and 4 more
				t.Errorf("table %v for %d members", o.table != nil, n)
			}
			for i := range n {
				name := fmt.Sprint("c", i)
				want := fmt.Sprint(i)
				switch i {
				case 0:
					want = `"again"`
				case 7:
					want = `"last"`
				}
				if got, ok := o.get(name); !ok || got != want {
					t.Fatalf("%s = %q, %v; want %s", name, got, ok, want)
				}
				if o.find(name) != i {
					t.Fatalf("%s at %d, want %d", name, o.find(name), i)
				}
			}
			for _, absent := range []string{"c", "c-1", fmt.Sprint("c", n), "C0", "c00"} {
				if _, ok := o.get(absent); ok {
					t.Errorf("absent %q found", absent)
				}
			}
			if got := strings.Join(o.Duplicates, ","); got != "c0,c7,c7" {
				t.Errorf("duplicates %q, want c0,c7,c7", got)
			}
		})
	}
	t.Run("colliding names", func(t *testing.T) {
		// Names that all hash to one slot still answer right (probes get
		// longer, lookups never wrong).
		var names []string
		size := uint32(tableSize(64))
		for i := 0; len(names) < 64; i++ {
			name := fmt.Sprint("k", i)
			if nameHash(name)&(size-1) == nameHash("k0")&(size-1) {
				names = append(names, name)
			}
		}
		var b strings.Builder
		b.WriteByte('{')
		for i, name := range names {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%s":%d`, name, i)
		}
		b.WriteByte('}')
		o, err := parseObject([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		for i, name := range names {
			if got, _ := o.get(name); got != fmt.Sprint(i) {
				t.Fatalf("%s = %q, want %d", name, got, i)
			}
		}
	})
}
