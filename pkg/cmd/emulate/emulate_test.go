package emulate

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/emulate"
	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

func factory(env map[string]string) *cmdutil.Factory {
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{Output: "text"}, Now: time.Now,
		Getenv:     func(k string) string { return env[k] },
		HTTPClient: func() (*http.Client, error) { return &http.Client{}, nil }}
}

func parse(t *testing.T, env map[string]string, args ...string) (*Options, error) {
	t.Helper()
	var got *Options
	cmd := NewCmd(factory(env), func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetErr(io.Discard)
	cmd.SetOut(io.Discard)
	err := cmd.Execute()
	return got, err
}

func TestFlags(t *testing.T) {
	o, err := parse(t, map[string]string{"AZURE_TENANT_ID": "t-env", "AZURE_CLIENT_SECRET": "from-env"},
		"--app", "http://127.0.0.1:8501", "--user", "alex@contoso.com", "--role", "Admin", "--role", "Reader",
		"--claim", "a=b", "--exclude", "/health", "--exclude", "/static", "--token-store", "off", "--no-refresh-token",
		"--token-lifetime", "2m", "--lose-tokens-on-restart", "--unauthenticated", "401")
	if err != nil {
		t.Fatal(err)
	}
	if o.Listen != DefaultListen || o.App != "http://127.0.0.1:8501" || o.User != "alex@contoso.com" || len(o.Roles) != 2 ||
		len(o.Claims) != 1 || len(o.Exclude) != 2 || o.TokenStore != "off" || !o.NoRefreshToken || o.TokenLifetime != 2*time.Minute ||
		!o.LoseTokens || o.Unauthenticated != "401" || o.Tenant != "t-env" {
		t.Errorf("options = %+v", o)
	}
	if o.SecretEnv != "" {
		t.Error("the client secret was read without --entra")
	}
	o, err = parse(t, map[string]string{"AZURE_CLIENT_SECRET": "from-env"}, "--app", "http://x", "--entra", "--tenant", "t", "--client-id", "c")
	if err != nil || o.SecretEnv != "from-env" || !o.Entra {
		t.Errorf("--entra: %+v %v", o, err)
	}
	if _, err := parse(t, nil, "--app", "http://x", "--client-secret", "s"); exitCode(err) != cmdutil.ExitUsage {
		t.Errorf("--client-secret: %v", err)
	}
	if _, err := parse(t, nil, "extra"); exitCode(err) != cmdutil.ExitUsage {
		t.Errorf("an argument: %v", err)
	}
}

// normalizeLog replaces what changes from run to run: the address, the
// tenant-free parts stay.
func normalizeLog(log, url string) string {
	log = strings.ReplaceAll(log, url, "http://127.0.0.1:PORT")
	log = regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d`).ReplaceAllString(log, "HH:MM:SS")
	return regexp.MustCompile(`(?m) [0-9.]+(µs|ms|s)$`).ReplaceAllString(log, " DURATION")
}

func exitCode(err error) int { c, _ := cmdutil.ExitCode(err); return c }

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users.json")
	_ = os.WriteFile(users, []byte(`[{"username": "a@b", "oid": "nope"}]`), 0o600)
	secret := filepath.Join(dir, "empty")
	_ = os.WriteFile(secret, nil, 0o600)
	base := Options{App: "http://127.0.0.1:8501", Listen: "127.0.0.1:0", Unauthenticated: "redirect", TokenStore: "on", TokenLifetime: time.Hour,
		HTTPClient: func() (*http.Client, error) { return &http.Client{}, nil }}
	cases := []struct {
		name string
		edit func(*Options)
		code int
		msg  string
	}{
		{"no app", func(o *Options) { o.App = "" }, 2, "--app is required"},
		{"app with query", func(o *Options) { o.App = "http://127.0.0.1:8501/?x=1" }, 2, "not an http or https URL"},
		{"app ftp", func(o *Options) { o.App = "ftp://127.0.0.1" }, 2, "not an http or https URL"},
		{"listen no port", func(o *Options) { o.Listen = "localhost" }, 2, "is not host:port"},
		{"listen public", func(o *Options) { o.Listen = "192.0.2.1:8400" }, 2, "not a loopback address"},
		{"action", func(o *Options) { o.Unauthenticated = "later" }, 2, "--unauthenticated"},
		{"exclude", func(o *Options) { o.Exclude = []string{"health"} }, 2, "must be a path"},
		{"token store", func(o *Options) { o.TokenStore = "maybe" }, 2, "--token-store"},
		{"lifetime", func(o *Options) { o.TokenLifetime = time.Second }, 2, "--token-lifetime"},
		{"role alone", func(o *Options) { o.Roles = []string{"Admin"} }, 2, "give --user too"},
		{"bad claim", func(o *Options) { o.User, o.Claims = "a@b", []string{"novalue"} }, 2, "--claim"},
		{"mock tenant", func(o *Options) { o.Tenant = "contoso.com" }, 2, "must be a GUID"},
		{"users file", func(o *Options) { o.UsersFile = users }, 1, "user 1: user a@b: oid \"nope\" is not a GUID"},
		{"secret without entra", func(o *Options) { o.SecretFile = secret }, 2, "needs --entra"},
		{"entra with users", func(o *Options) { o.Entra, o.User = true, "a@b" }, 2, "mock users"},
		{"entra no ids", func(o *Options) { o.Entra = true }, 2, "--entra needs --tenant and --client-id"},
		{"entra empty secret", func(o *Options) { o.Entra, o.Tenant, o.ClientID, o.SecretFile = true, "t", "c", secret }, 1, "is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.edit(&o)
			_, err := o.config()
			if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err %v (exit %d), want exit %d with %q", err, exitCode(err), tc.code, tc.msg)
			}
		})
	}
	o := base
	o.ListenAny, o.Listen = true, "0.0.0.0:0"
	if _, err := o.config(); err != nil {
		t.Errorf("--listen-any: %v", err)
	}
}

// TestRun: the start lines, a request log line and the stop, on standard
// error; nothing on standard output; the context's end is the exit.
func TestRun(t *testing.T) {
	for _, format := range []output.Format{output.FormatText, output.FormatJSON} {
		t.Run(string(format), func(t *testing.T) {
			ios, _, out, errOut := iostreams.Test()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			opts := &Options{IO: ios, Format: format, App: "http://127.0.0.1:9", Listen: "127.0.0.1:0", Unauthenticated: "allow",
				TokenStore: "on", TokenLifetime: 2 * time.Minute, Exclude: []string{"/health"}, User: "alex@contoso.com"}
			started := make(chan *emulate.Server, 1)
			opts.started = func(s *emulate.Server) { started <- s }
			go func() { done <- run(ctx, opts) }()
			var srv *emulate.Server
			select {
			case srv = <-started:
			case err := <-done:
				t.Fatalf("run ended: %v", err)
			}
			resp, err := http.Get(srv.URL() + "/health?secret=abc")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadGateway {
				t.Errorf("app down: %d", resp.StatusCode)
			}
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("run = %v, want the context's end", err)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out)
			}
			log := errOut.String()
			var want []string
			if format == output.FormatText {
				want = []string{"azid emulate: Easy Auth for http://127.0.0.1:9 on " + srv.URL(), "  issuer           " + srv.Issuer(),
					"  faults           tokens last 2m", "hint: open " + srv.URL() + "/", "GET    502 /health - ", "error: the app at http://127.0.0.1:9 did not answer GET /health",
					"azid emulate: stopped"}
			} else {
				want = []string{`{"time":"`, `"event":"listening","url":"` + srv.URL() + `","app":"http://127.0.0.1:9","issuer":"` + srv.Issuer(),
					`"event":"request","method":"GET","path":"/health","status":502,"duration_ms":`, `"event":"notice","message":"the app at`, `"event":"stopped"`}
			}
			for _, w := range want {
				if !strings.Contains(log, w) {
					t.Errorf("log lacks %q:\n%s", w, log)
				}
			}
			if strings.Contains(log, "secret=abc") {
				t.Error("the log shows the query string")
			}
			if format == output.FormatText {
				golden.Assert(t, "run.txt", []byte(normalizeLog(log, srv.URL())))
			}
		})
	}
}

func TestRequestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0µs", 420 * time.Microsecond: "420µs", 12 * time.Millisecond: "12ms", 2500 * time.Millisecond: "3s"} {
		if got := requestDuration(d); got != want {
			t.Errorf("requestDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
