package verify

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

func TestNewCmdFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "json"}, Now: time.Now}
	var got *Options

	cmd := NewCmd(f, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"TOKEN", "--jwks", "k.json", "--audience", "a", "--audience", "b", "--issuer", "i", "--tenant", "t",
		"--leeway", "1m", "--at", "0", "--offline", "--appid", "app"})
	// The global flags are parsed after the command is built: discovery must
	// read --authority-host when the command runs.
	f.Global.AuthorityHost = "http://127.0.0.1:1"
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Discovery.AuthorityHost != "http://127.0.0.1:1" || got.Discovery.IO != ios {
		t.Errorf("discovery = %+v, want the authority host set at run time", got.Discovery)
	}
	fl := got.Flags
	if got.Input != "TOKEN" || fl.JWKS != "k.json" || strings.Join(fl.Audiences, ",") != "a,b" || fl.Issuers[0] != "i" || fl.Tenant != "t" ||
		fl.Leeway != time.Minute || got.At != "0" || !fl.Offline || fl.AppID != "app" || got.Stream {
		t.Errorf("options = %+v", got)
	}
	cmd = NewCmd(f, func(_ context.Context, o *Options) error { return nil })
	cmd.SetArgs([]string{"--stream", "TOKEN"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	var flagErr *cmdutil.FlagError
	if err := cmd.Execute(); !errors.As(err, &flagErr) {
		t.Errorf("--stream with a token argument: %v", err)
	}
}

func TestReadLines(t *testing.T) {
	long := strings.Repeat("a", 300<<10)
	wide := strings.Repeat("b", 100<<10) // longer than the read buffer, under the limit
	in := "one\n\n  \ntwo\r\n" + long + "\n" + wide + "\nthree"
	var got []string
	var idle int
	err := readLines(t.Context(), strings.NewReader(in), func(n int, data []byte) {
		if data == nil {
			got = append(got, "too long")
			return
		}
		line := strings.TrimSpace(string(data))
		if line == wide {
			line = "wide"
		}
		got = append(got, line+"@"+string(rune('0'+n)))
	}, func() { idle++ })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "one@1,two@4,too long,wide@6,three@7" {
		t.Errorf("lines = %v", got)
	}
	if idle == 0 {
		t.Error("idle never called")
	}
}

func TestStreamResultJSONMatchesEncodingJSON(t *testing.T) {
	exp := time.Date(2026, 11, 30, 12, 0, 0, 500, time.UTC)
	for _, r := range []StreamResult{
		{Line: 1, Valid: true, Kid: "k", Issuer: "https://x/y", Subject: "s", TenantID: "t", Audience: []string{"a", "b"}, ExpiresAt: exp},
		{Line: 2, Malformed: true, Error: "not a JWT: \"quoted\" <html> & \x01 ü"},
		{Line: 3, Error: "e", Failed: []string{"lifetime", "issuer"}},
		{Line: 4, KeysUnavailable: true, Error: "key: no keys", Failed: []string{"key"}, Issuer: "https://x"},
	} {
		got := string(r.appendJSON(nil))
		want, _ := jsonMarshal(r)
		if got != want+"\n" {
			t.Errorf("hand-encoded\n%s\nencoding/json\n%s", got, want)
		}
	}
}

// jsonMarshal is encoding/json without HTML escaping, as azid writes JSON.
func jsonMarshal(v any) (string, error) {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n"), err
}
