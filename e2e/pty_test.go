//go:build linux || darwin

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// ptyRun is azid running with a pseudo-terminal as standard input and
// standard error (its controlling terminal), and standard output a pipe, as
// in `azid me --cookie - > me.json` typed at a shell.
type ptyRun struct {
	cmd    *exec.Cmd
	master *os.File
	tty    *os.File
	stdout bytes.Buffer

	mu     sync.Mutex
	screen bytes.Buffer // what the terminal shows: azid's stderr and any echo
	done   chan struct{}
}

func startPTY(t *testing.T, env []string, args ...string) *ptyRun {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no pseudo-terminal under CI: %v", err)
		}
		t.Skipf("no pseudo-terminal on this machine (%v): the terminal tests need /dev/ptmx", err)
	}
	p := &ptyRun{master: master, tty: tty, done: make(chan struct{})}
	p.cmd = exec.Command(binary(t), args...)
	p.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "AZID_HOME=" + t.TempDir(), "TERM=xterm",
		"HTTPS_PROXY=" + deadProxy, "HTTP_PROXY=" + deadProxy, "NO_PROXY="}, env...)
	p.cmd.Stdin, p.cmd.Stderr, p.cmd.Stdout = tty, tty, &p.stdout
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			p.mu.Lock()
			p.screen.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		master.Close()
		tty.Close()
	})
	return p
}

// waitFor waits until the terminal shows want.
func (p *ptyRun) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(p.Screen(), want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %q; it shows:\n%q", want, p.Screen())
}

// Screen is everything the terminal has shown so far.
func (p *ptyRun) Screen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.screen.String()
}

func (p *ptyRun) typeText(t *testing.T, s string) {
	t.Helper()
	if _, err := p.master.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// wait waits for azid to exit and returns its exit code.
func (p *ptyRun) wait(t *testing.T) int {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- p.cmd.Wait() }()
	select {
	case err := <-errc:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(15 * time.Second):
		t.Fatalf("azid did not exit; the terminal shows:\n%q", p.Screen())
		return -1
	}
}

// echoOn reports whether the terminal echoes again (azid put it back).
func (p *ptyRun) echoOn(t *testing.T) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(p.tty.Fd()), ioctlGetTermios)
	if err != nil {
		t.Fatal(err)
	}
	return tio.Lflag&unix.ECHO != 0 && tio.Lflag&unix.ICANON != 0
}

func TestTerminalCookiePromptDoesNotEcho(t *testing.T) {
	a := newApp(t)
	// A real session cookie can be longer than a terminal's line buffer
	// (4 KiB on Linux, 1 KiB on macOS): the paste must arrive whole.
	long := strings.Repeat("0123456789ABCDEF", 400) // 6400 characters
	a.app.Sessions[long] = a.app.Sessions[sessionCookie]
	for name, cookie := range map[string]string{"a short cookie": sessionCookie, "a 6400-character cookie": long} {
		t.Run(name, func(t *testing.T) {
			p := startPTY(t, a.env, "me", "--cookie", "-", "-o", "json")
			p.waitFor(t, "then press Enter: ")
			// paste in pieces, as a terminal delivers a large paste
			for i := 0; i < len(cookie); i += 1000 {
				p.typeText(t, cookie[i:min(i+1000, len(cookie))])
			}
			p.typeText(t, "\r")
			if code := p.wait(t); code != 0 {
				t.Fatalf("exit %d; the terminal shows:\n%q", code, p.Screen())
			}
			if strings.Contains(p.Screen(), cookie[:16]) {
				t.Errorf("the cookie was echoed to the terminal:\n%q", p.Screen())
			}
			if !strings.Contains(p.stdout.String(), `"alex@contoso.example"`) {
				t.Errorf("stdout (a pipe) lacks the user:\n%s", p.stdout.String())
			}
			if !p.echoOn(t) {
				t.Error("the terminal was left without echo")
			}
		})
	}
}

func TestTerminalCookiePromptCtrlC(t *testing.T) {
	a := newApp(t)
	p := startPTY(t, a.env, "me", "--cookie", "-")
	p.waitFor(t, "then press Enter: ")
	p.typeText(t, "half-a-cook\x03")
	if code := p.wait(t); code != 130 {
		t.Errorf("Ctrl-C at the prompt: exit %d, want 130\n%q", code, p.Screen())
	}
	if !p.echoOn(t) {
		t.Error("Ctrl-C left the terminal without echo")
	}
	if strings.Contains(p.Screen(), "half-a-cook") || p.stdout.Len() != 0 {
		t.Errorf("terminal %q, stdout %q", p.Screen(), p.stdout.String())
	}
}

func TestTerminalDeviceCodeCountdown(t *testing.T) {
	s := newSTS(t)
	s.sts.DevicePending = 1000 // never approved: the user presses Ctrl-C
	p := startPTY(t, s.env, "login")
	p.waitFor(t, "enter the code FAKE-CODE")
	p.waitFor(t, "left (Ctrl-C to cancel)")
	first := p.Screen()
	time.Sleep(2200 * time.Millisecond)
	later := p.Screen()
	if strings.Count(later, "Waiting for sign-in… ") < 2 || !strings.Contains(later, "\r\x1b[K") {
		t.Errorf("the countdown does not redraw one line:\n%q", later)
	}
	if first == later || !strings.Contains(later, ":5") && !strings.Contains(later, ":4") {
		t.Errorf("the countdown does not count down:\n%q", later)
	}
	p.typeText(t, "\x03") // the terminal sends SIGINT
	if code := p.wait(t); code != 130 {
		t.Errorf("Ctrl-C while waiting: exit %d, want 130\n%q", code, p.Screen())
	}
	if p.stdout.Len() != 0 {
		t.Errorf("stdout %q: progress belongs on stderr", p.stdout.String())
	}
	if strings.Contains(p.Screen(), "device-code-secret") {
		t.Error("the device code (a secret) is on the terminal")
	}
}

// TestTerminalDoctorProgress: with stderr a terminal, the doctor shows what
// it is checking on one line and clears it; stdout (a pipe) gets the report
// alone.
func TestTerminalDoctorProgress(t *testing.T) {
	_, url, env := newDoctorApp(t, healthyApp())
	p := startPTY(t, env, "doctor", url, "--platform", "app-service")
	if code := p.wait(t); code != 0 {
		t.Fatalf("exit %d\n%q", code, p.Screen())
	}
	time.Sleep(200 * time.Millisecond) // let the reader drain what the terminal got
	screen := p.Screen()
	// each step redraws the line (dim on a colour terminal)
	if !strings.Contains(screen, "\r\x1b[K\x1b[2mchecking… GET "+url+"/.auth/login/aad") {
		t.Errorf("no progress line on the terminal:\n%q", screen)
	}
	if before, _, ok := strings.Cut(screen, "hint:"); !ok || !strings.HasSuffix(strings.TrimSuffix(before, "\x1b[2m"), "\r\x1b[K") {
		t.Errorf("the progress line is not cleared before the hint:\n%q", screen)
	}
	if strings.Contains(p.stdout.String(), "checking…") || !strings.Contains(p.stdout.String(), "ok      easy-auth") {
		t.Errorf("stdout:\n%s", p.stdout.String())
	}
}

// TestTerminalNoInput: decode and headers with a terminal on standard input
// and nothing else answer at once, as an empty pipe does (exit 1, one line).
func TestTerminalNoInput(t *testing.T) {
	for cmd, want := range map[string]string{"decode": "no token given", "headers": "no headers given"} {
		t.Run(cmd, func(t *testing.T) {
			p := startPTY(t, nil, cmd)
			if code := p.wait(t); code != 1 {
				t.Errorf("exit %d, want 1\n%q", code, p.Screen())
			}
			time.Sleep(100 * time.Millisecond)
			// the same words (the terminal's "azid:" is red)
			pipe := run(t, "", nil, cmd)
			msg := strings.TrimPrefix(strings.TrimSpace(pipe.stderr), "azid:")
			if pipe.code != 1 || !strings.Contains(p.Screen(), msg+"\r\n") || !strings.Contains(pipe.stderr, want) || strings.Count(pipe.stderr, "\n") != 1 {
				t.Errorf("terminal %q, empty pipe %q (exit %d): want the same answer", p.Screen(), pipe.stderr, pipe.code)
			}
		})
	}
}
