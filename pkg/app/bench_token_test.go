package app

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

// BenchmarkTokenWarm is `azid token` served from a warm cache with a CA file
// set (issue 17): no request is made, so neither the CA file nor the system
// roots should be read.
func BenchmarkTokenWarm(b *testing.B) {
	key := testjwt.SharedKey(b, "key-1")
	idp := fakeidp.New(b, key)
	const tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	sts := &fakeidp.STS{Key: key, Username: "alex@contoso.example", Name: "Alex", ObjectID: "3f2e1d0c-b9a8-4765-8432-10fedcba9876", TenantID: tenant}
	idp.ServeSTS(sts)
	env := map[string]string{"AZURE_AUTHORITY_HOST": idp.URL, "AZID_CA_FILE": idp.CAFile(b),
		"AZID_HOME": filepath.Join(b.TempDir(), "home"), "AZURE_TENANT_ID": tenant}
	ios, _, _, _ := iostreams.Test()
	ios.Out, ios.ErrOut = io.Discard, io.Discard
	runAzid := func(args ...string) int {
		f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(k string) string { return env[k] }}
		f.HTTPClient = httpClientFunc(f)
		return Run(context.Background(), f, args)
	}
	var errOut strings.Builder
	ios.ErrOut = &errOut
	if code := runAzid("login"); code != 0 {
		b.Fatalf("login: exit %d: %s", code, errOut.String())
	}
	ios.ErrOut = io.Discard
	hits := idp.TotalHits()
	b.ReportAllocs()
	for b.Loop() {
		if code := runAzid("token"); code != 0 {
			b.Fatalf("token: exit %d", code)
		}
	}
	if idp.TotalHits() != hits {
		b.Errorf("warm token runs made %d requests", idp.TotalHits()-hits)
	}
}
