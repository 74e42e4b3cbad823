package entra

import (
	"regexp"
	"strings"
	"testing"
)

// TestAADSTSCatalogueIsClean holds the catalogue to what azid explain
// promises: clean prose (no research notes, source tags or placeholders), a
// name and a meaning for every code, a fix for the codes people hit most,
// sorted tables (LookupAADSTS binary-searches them) and no duplicates.
func TestAADSTSCatalogueIsClean(t *testing.T) {
	dirty := regexp.MustCompile(`[{}]|\[S\d|live text|not in S\d|app ID X|\be\.g\.|\bi\.e\.|\?\?|TODO|XXX`)
	check := func(t *testing.T, table []AADSTS, lo, hi int) {
		t.Helper()
		for i, a := range table {
			if a.Code < lo || a.Code >= hi {
				t.Errorf("AADSTS%d is in the wrong table", a.Code)
			}
			if i > 0 && table[i-1].Code >= a.Code {
				t.Errorf("AADSTS%d follows AADSTS%d: the table must be sorted, without duplicates", a.Code, table[i-1].Code)
			}
			if a.Name == "" || a.Meaning == "" {
				t.Errorf("AADSTS%d has no name or no meaning: %+v", a.Code, a)
			}
			for field, text := range map[string]string{"name": a.Name, "meaning": a.Meaning, "fix": a.Fix} {
				if m := dirty.FindString(text); m != "" {
					t.Errorf("AADSTS%d's %s holds %q: %s", a.Code, field, m, text)
				}
				if text != strings.TrimSpace(text) || strings.Contains(text, "  ") || strings.HasSuffix(text, ".") {
					t.Errorf("AADSTS%d's %s is not clean prose: %q", a.Code, field, text)
				}
			}
			if strings.Contains(a.Name, " - ") || strings.Contains(a.Name, " – ") {
				t.Errorf("AADSTS%d's title %q reads like a name and a meaning run together", a.Code, a.Name)
			}
		}
	}
	check(t, aadstsShort[:], 10000, 100000)
	check(t, aadstsLong[:], 100000, 100000000)
	if n := len(AADSTSCodes()); n < 120 {
		t.Errorf("the catalogue holds %d codes, want at least 120", n)
	}
	// The codes people paste most (issue 11), each with what to do.
	for _, code := range []int{500113, 50155, 530003, 530004, 700051, 9002313, 90008, 90019, 165000, 700003, 1000031, 500112,
		50011, 9002326, 9002327, 700054, 50076, 50079, 65001, 700016, 7000215, 7000222, 50058, 50126, 53003, 70008, 70011,
		700024, 700027, 500011, 90072, 50020, 50034, 50105, 50173, 54005, 70043, 700082, 9002341, 50196, 90014, 90102,
		900144, 501461, 50107, 50194, 65002, 700022, 7000112, 90009, 90094, 90095, 50161, 50169, 750054, 16000, 16001,
		50000, 50001, 53000, 530035, 90002, 7000218, 700025, 90038} {
		a, ok := LookupAADSTS(code)
		switch {
		case !ok:
			t.Errorf("AADSTS%d is missing", code)
		case a.Fix == "":
			t.Errorf("AADSTS%d has no fix", code)
		}
	}
}

func TestAADSTSSymbolic(t *testing.T) {
	for _, tc := range []struct {
		code     int
		symbolic bool
	}{{50011, true}, {700016, true}, {500113, false}, {9002326, false}, {50056, false}} {
		a, _ := LookupAADSTS(tc.code)
		if a.Symbolic() != tc.symbolic {
			t.Errorf("AADSTS%d %q: symbolic %v, want %v", tc.code, a.Name, a.Symbolic(), tc.symbolic)
		}
	}
}
