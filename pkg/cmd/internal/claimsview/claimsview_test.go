package claimsview

import (
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/output"
)

// TestWriteShowsTimesAsDecodeDoes: the principal's exp, iat and nbf claims
// get UTC and relative times and the EXPIRED marker, as in azid decode;
// values that are not times stay as they are.
func TestWriteShowsTimesAsDecodeDoes(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	claims := []easyauth.Claim{
		{Type: "exp", Value: "1796044800"}, // 2026-11-30 13:20:00 UTC
		{Type: "iat", Value: "1796037600"},
		{Type: "nbf", Value: "not a time"},
		{Type: "http://schemas.microsoft.com/identity/claims/objectidentifier", Value: "3f2e1d0c-b9a8-4765-8432-10fedcba9876"},
	}
	var b strings.Builder
	Write(&b, output.NewPalette(false), claims, now)
	got := b.String()
	for _, want := range []string{
		"exp  1796044800  2026-11-30 13:20:00 UTC (expires in 1h20m)",
		"iat  1796037600  2026-11-30 11:20:00 UTC (40m ago)",
		"nbf  not a time\n",
		"oid  3f2e1d0c-b9a8-4765-8432-10fedcba9876  (http://schemas.microsoft.com/identity/claims/objectidentifier)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	b.Reset()
	Write(&b, output.NewPalette(false), claims[:1], now.Add(2*time.Hour))
	if !strings.Contains(b.String(), "(expired 40m ago)  EXPIRED") {
		t.Errorf("expired principal:\n%s", b.String())
	}
}
