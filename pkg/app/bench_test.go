package app

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

// BenchmarkDecodeJSON measures one whole `azid decode TOKEN -o json` inside
// the process: building the command tree, parsing flags, decoding,
// classifying and writing JSON.
func BenchmarkDecodeJSON(b *testing.B) {
	raw, err := os.ReadFile("../../examples/access-token.jwt")
	if err != nil {
		b.Fatal(err)
	}
	tok := strings.TrimSpace(string(raw))
	ios, _, _, _ := iostreams.Test()
	ios.Out, ios.ErrOut = io.Discard, io.Discard
	b.ReportAllocs()
	for b.Loop() {
		f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
		if code := Run(context.Background(), f, []string{"decode", "-o", "json", tok}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkDecodeText is the same for the coloured text output.
func BenchmarkDecodeText(b *testing.B) {
	raw, err := os.ReadFile("../../examples/access-token.jwt")
	if err != nil {
		b.Fatal(err)
	}
	tok := strings.TrimSpace(string(raw))
	ios, _, _, _ := iostreams.Test()
	ios.Out, ios.ErrOut = io.Discard, io.Discard
	ios.SetTTY(false, true, true)
	b.ReportAllocs()
	for b.Loop() {
		f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
		if code := Run(context.Background(), f, []string{"decode", tok}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}
