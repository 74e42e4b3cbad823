// Package e2e runs the real azid binary as a user would: arguments, standard
// input, pipes, exit codes and streams.
package e2e

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// azidBin is the binary TestMain builds; tests reach it through binary(t).
var azidBin string

var trackOnce sync.Once

// binary returns the azid binary. The first call stats every file the binary
// is built from: go test caches a package's result until a file its tests
// read changes, and the build in TestMain happens out of its sight (merely
// importing pkg/app is not enough: the linker drops its unused code, so the
// test binary, and the cached result, stayed the same when azid changed).
func binary(t *testing.T) string {
	t.Helper()
	trackOnce.Do(func() {
		for _, root := range []string{"../go.mod", "../go.sum", "../cmd", "../pkg", "../internal"} {
			_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					_, _ = os.Stat(path)
				}
				return nil
			})
		}
	})
	return azidBin
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azid-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	azidBin = filepath.Join(dir, "azid")
	build := exec.Command("go", "build", "-o", azidBin, "../cmd/azid")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building azid:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// deadProxy is a loopback port nothing listens on (port 9, discard, is
// closed on any machine running these tests).
const deadProxy = "http://127.0.0.1:9"

type result struct {
	stdout, stderr string
	code           int
}

// run runs azid with args and stdin, in a clean environment plus env.
func run(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	// Every public host goes through a dead loopback proxy, so a stray call
	// to the internet fails loudly; the loopback fakes are never proxied.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AZID_HOME=" + t.TempDir(),
		"HTTPS_PROXY=" + deadProxy, "HTTP_PROXY=" + deadProxy, "NO_PROXY="}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running azid: %v", err)
	}
	r := result{out.String(), errOut.String(), code}
	if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
		t.Fatalf("azid crashed:\n%s", r.stderr)
	}
	return r
}

func sampleToken(t *testing.T) string {
	now := time.Now().Unix()
	return testjwt.SharedKey(t, "k1").Sign(t, `{"typ":"JWT","alg":"RS256","kid":"k1"}`,
		fmt.Sprintf(`{"aud":"api://e2e","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":%d,"nbf":%d,"exp":%d,"azp":"c","name":"E2E User","oid":"o","scp":"a b","sub":"s","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","ver":"2.0"}`, now-60, now-60, now+3900))
}

func TestDecodeInputForms(t *testing.T) {
	tok := sampleToken(t)
	forms := map[string]string{
		"bare":          tok,
		"padded":        "\n  " + tok + " \n",
		"quoted":        `"` + tok + `"`,
		"bearer":        "Bearer " + tok,
		"authorization": "Authorization: Bearer " + tok,
		"fragment":      "https://app.example/cb#id_token=" + tok + "&state=xyz",
		"query":         "https://app.example/cb?access_token=" + tok,
		"az json":       `{"accessToken":"` + tok + `","expiresOn":"2026-12-01 10:00:00.000000","tokenType":"Bearer"}`,
		"auth me":       `[{"access_token":"` + tok + `","provider_name":"aad","user_claims":[]}]`,
		"id_token json": `{"id_token":"` + tok + `"}`,
	}
	for name, in := range forms {
		t.Run(name+" stdin", func(t *testing.T) {
			r := run(t, in, nil, "decode", "--claim", "name")
			if r.code != 0 || r.stdout != "E2E User\n" {
				t.Errorf("code %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
		t.Run(name+" argument", func(t *testing.T) {
			r := run(t, "", nil, "decode", in, "-c", "name")
			if r.code != 0 || r.stdout != "E2E User\n" {
				t.Errorf("code %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
	r := run(t, tok, nil, "decode", "-", "-c", "ver")
	if r.code != 0 || r.stdout != "2.0\n" {
		t.Errorf("decode -: %+v", r)
	}
}

func TestDecodeTextAndJSON(t *testing.T) {
	tok := sampleToken(t)
	r := run(t, tok, nil, "decode")
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Likely access token · v2.0 · user-delegated", "(expires in 1h", "Claims", "scp", "delegated permissions"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if r.stderr != "signature not verified (use --verify)\n" {
		t.Errorf("stderr = %q", r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Error("colour codes in a pipe")
	}
	if strings.Contains(r.stdout, tok) || strings.Contains(r.stdout, strings.Split(tok, ".")[2]) {
		t.Error("the raw token or signature was printed")
	}
	j := run(t, tok, nil, "decode", "-o", "json")
	if j.code != 0 || !strings.HasPrefix(j.stdout, "{\n  \"header\": {") || !strings.Contains(j.stdout, `"expired": false`) || strings.Contains(j.stdout, "\x1b") {
		t.Errorf("json: %+v", j)
	}
	y := run(t, tok, nil, "decode", "-o", "yaml")
	if y.code != 0 || !strings.Contains(y.stdout, "token:\n  kind: access") {
		t.Errorf("yaml: %+v", y)
	}
}

func TestColour(t *testing.T) {
	tok := sampleToken(t)
	if r := run(t, tok, nil, "decode", "--color", "always"); !strings.Contains(r.stdout, "\x1b[") {
		t.Error("--color always gave no colour")
	}
	if r := run(t, tok, []string{"NO_COLOR=1"}, "decode"); strings.Contains(r.stdout+r.stderr, "\x1b[") {
		t.Error("NO_COLOR ignored")
	}
	if r := run(t, tok, nil, "decode", "--color", "always", "-o", "json"); strings.Contains(r.stdout, "\x1b[") {
		t.Error("colour in JSON")
	}
	if r := run(t, tok, nil, "decode", "--color", "sometimes"); r.code != 2 {
		t.Errorf("--color sometimes: code %d", r.code)
	}
}

func TestBadInput(t *testing.T) {
	hdr := testjwt.B64([]byte(`{"alg":"RS256"}`))
	cases := map[string]struct{ in, msg string }{
		"empty":          {"", "no token given"},
		"blank":          {"   \n", "no token given"},
		"two segments":   {"abc.def", "expected three dot-separated parts"},
		"bad base64":     {"!!!.eyJ9.x", "header is not valid base64url"},
		"payload json":   {hdr + "." + testjwt.B64([]byte("nope")) + ".c2ln", "payload is not JSON"},
		"jwe":            {"eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", "encrypted token"},
		"opaque":         {"EwBwA8l6BAAURSN_thisIsAnOpaqueMicrosoftAccountToken", "opaque token"},
		"binary":         {"\x00\x01\x02\xff\xfe", "binary data"},
		"json no token":  {`{"hello":"world"}`, "holds no token"},
		"broken json":    {`{"access_token":`, "neither valid JSON nor a Python literal"},
		"url no token":   {"https://x/#access_token=", "holds no access_token"},
		"bearer nothing": {"Bearer", "expected three dot-separated parts"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := run(t, tc.in, nil, "decode")
			if r.code != 1 {
				t.Errorf("exit code %d, want 1", r.code)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q", r.stdout)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "azid: ") || !strings.Contains(lines[0], tc.msg) {
				t.Errorf("stderr = %q, want one line with %q", r.stderr, tc.msg)
			}
		})
	}
}

func TestHugeInputRejectedFast(t *testing.T) {
	huge := strings.Repeat("A", 64<<20) // 64 MiB on standard input
	start := time.Now()
	r := run(t, huge, nil, "decode")
	if r.code != 1 || !strings.Contains(r.stderr, "over 256 KiB") {
		t.Errorf("code %d stderr %q", r.code, r.stderr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v: input should be rejected without reading it all", d)
	}
	// (An argument cannot exceed 128 KiB on Linux, so the argument path is tested in pkg/cmd/decode.)
}

func TestExitCodes(t *testing.T) {
	tok := sampleToken(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"decode", "--nope"}, 2, "unknown flag: --nope"},
		{[]string{"decode", "-o", "xml", tok}, 2, "invalid output format"},
		{[]string{"decode", "a", "b"}, 2, "too many arguments"},
		{[]string{"decode", "--at", "yesterday", tok}, 2, "--at"},
		{[]string{"decode", "-c", "nope", tok}, 1, `claim "nope" is not in the token`},
		{[]string{"decode", "-c", "upn", tok}, 1, `hint: the token has name: try -c name`},
		{[]string{"explain", "nothing-like-this"}, 1, "nothing known about"},
		{[]string{"explain"}, 1, "nothing to explain"},
	}
	for _, tc := range cases {
		t.Run(tc.msg, func(t *testing.T) {
			r := run(t, "", nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("azid %v: code %d stderr %q; want %d and %q", tc.args[0], r.code, r.stderr, tc.code, tc.msg)
			}
			if r.code == 2 && !strings.Contains(r.stderr, "--help") {
				t.Errorf("azid %v: usage error without a hint: %q", tc.args[0], r.stderr)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	for arg, want := range map[string]string{
		"AADSTS50011":                          "InvalidReplyTo",
		"700016":                               "UnauthorizedClient_DoesNotMatchRequest",
		"oid":                                  "object ID",
		"62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
	} {
		r := run(t, "", nil, "explain", arg)
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("explain %s: %+v", arg, r)
		}
	}
	r := run(t, "", nil, "explain", "-o", "json", "50011")
	if r.code != 0 || !strings.Contains(r.stdout, `"kind": "aadsts"`) {
		t.Errorf("explain json: %+v", r)
	}
}

func TestHelpVersionCompletion(t *testing.T) {
	if r := run(t, "", nil, "help", "exit-codes"); r.code != 0 || !strings.Contains(r.stdout, "130") {
		t.Errorf("help exit-codes: %+v", r)
	}
	if r := run(t, "", nil, "help", "environment"); r.code != 0 || !strings.Contains(r.stdout, "NO_COLOR") {
		t.Errorf("help environment: %+v", r)
	}
	if r := run(t, "", nil, "help", "verify"); r.code != 0 || !strings.Contains(r.stdout, "--stream") {
		t.Errorf("help verify: %+v", r)
	}
	for _, topic := range [][]string{{"nonexistent"}, {"graph", "nope"}} {
		r := run(t, "", nil, append([]string{"help"}, topic...)...)
		if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, `azid: unknown help topic "`+strings.Join(topic, " ")+`"`) {
			t.Errorf("help %v: %+v", topic, r)
		}
	}
	if r := run(t, "", nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "azid ") {
		t.Errorf("version: %+v", r)
	}
	if r := run(t, "", nil, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "azid ") {
		t.Errorf("--version: %+v", r)
	}
	if r := run(t, "", nil, "version", "-o", "json"); r.code != 0 || !strings.Contains(r.stdout, `"go_version"`) {
		t.Errorf("version json: %+v", r)
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if r := run(t, "", nil, "completion", sh); r.code != 0 || !strings.Contains(r.stdout, "azid") {
			t.Errorf("completion %s: code %d", sh, r.code)
		}
	}
}

func TestShippedExample(t *testing.T) {
	tok, err := os.ReadFile("../examples/access-token.jwt")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(tok), nil, "decode")
	if r.code != 0 || !strings.Contains(r.stdout, "Alex Example") {
		t.Errorf("example: %+v", r)
	}
	// item 9: a file argument is read, a missing one is "no such file", a directory a clear error
	for _, cmd := range []string{"decode", "verify"} {
		r = run(t, "", nil, cmd, "-c", "tid", "../examples/access-token.jwt")
		if cmd == "verify" {
			r = run(t, "", nil, cmd, "--offline", "../examples/access-token.jwt")
		}
		if strings.Contains(r.stderr, "not a JWT") || strings.Contains(r.stderr, "malformed") || r.code == 2 {
			t.Errorf("%s of a file path: %+v", cmd, r)
		}
		r = run(t, "", nil, cmd, "../examples/missing.jwt")
		if r.code != 1 || !strings.Contains(r.stderr, "azid: ../examples/missing.jwt: no such file") {
			t.Errorf("%s of a missing file: %+v", cmd, r)
		}
		r = run(t, "", nil, cmd, "../examples")
		if r.code != 2 || !strings.Contains(r.stderr, "../examples is a directory") {
			t.Errorf("%s of a directory: %+v", cmd, r)
		}
	}
	r = run(t, "", nil, "decode", "-c", "tid", "../examples/access-token.jwt")
	if r.code != 0 || r.stdout != "7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n" {
		t.Errorf("file path as the token: %+v", r)
	}
	r = run(t, "", nil, "decode", "-c", "tid", strings.TrimSpace(string(tok)))
	if r.stdout != "7a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n" {
		t.Errorf("example tid: %q", r.stdout)
	}
}

func TestClaimSelectionForScripts(t *testing.T) {
	tok := sampleToken(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "oid,tid"}, "o\n72f988bf-86f1-41af-91ab-2d7cd011db47\n"},
		{[]string{"-c", "oid", "-c", "header.alg", "-o", "json"}, `{"oid":"o","header.alg":"RS256"}` + "\n"},
	} {
		r := run(t, tok, nil, append([]string{"decode"}, tc.args...)...)
		if r.code != 0 || r.stdout != tc.want || r.stderr != "" {
			t.Errorf("decode %v: code %d stdout %q stderr %q; want %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}
