package emulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/emulate"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/timefmt"
)

func run(ctx context.Context, opts *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cfg, err := opts.config()
	if err != nil {
		return err
	}
	if cfg.TLS, opts.selfSigned, err = opts.tlsCert(); err != nil {
		return err
	}
	lg := &logger{w: opts.IO.ErrOut, json: opts.Format != output.FormatText, p: output.NewPalette(opts.IO.ColorErr())}
	cfg.Log = lg.entry
	srv, err := emulate.New(cfg)
	if err != nil {
		return startError(err, opts)
	}
	ctx, stop := cmdutil.InterruptContext(ctx)
	defer stop()
	lg.started(srv, cfg, opts)
	if opts.started != nil {
		opts.started(srv)
	}
	if err := srv.Serve(ctx); err != nil {
		return err
	}
	lg.stopped(opts.Now())
	return ctx.Err()
}

// startError explains why the emulator could not start.
func startError(err error, opts *Options) error {
	var le *emulate.ListenError
	if errors.As(err, &le) {
		hint := "choose another address with --listen"
		if le.InUse {
			host, port, _ := net.SplitHostPort(le.Addr)
			hint = fmt.Sprintf("another program (another azid emulate?) listens on port %s: stop it, or run with --listen %s:0 to pick a free port", port, host)
		}
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: err, Hint: hint}
	}
	if opts.Entra {
		return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err, Hint: "check --tenant, --client-id and --authority-host"}
	}
	return err
}

// logger writes the emulator's log: aligned text lines, or JSON lines.
type logger struct {
	mu   sync.Mutex
	w    io.Writer
	json bool
	p    *output.Palette
}

// logEvent is one JSON log line.
type logEvent struct {
	Time       string `json:"time"`
	Event      string `json:"event"`
	Method     string `json:"method,omitempty"`
	Path       string `json:"path,omitempty"`
	Status     int    `json:"status,omitempty"`
	User       string `json:"user,omitempty"`
	DurationMS *int64 `json:"duration_ms,omitempty"`
	Message    string `json:"message,omitempty"`
	Error      bool   `json:"error,omitempty"`

	URL                 string `json:"url,omitempty"`
	App                 string `json:"app,omitempty"`
	Issuer              string `json:"issuer,omitempty"`
	OpenIDConfiguration string `json:"openid_configuration,omitempty"`
	RedirectURI         string `json:"redirect_uri,omitempty"`
	Mode                string `json:"mode,omitempty"`
	TLSFingerprint      string `json:"tls_sha256,omitempty"`
}

func (l *logger) write(ev logEvent, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		b, _ := json.Marshal(ev)
		_, _ = l.w.Write(append(b, '\n'))
		return
	}
	_, _ = io.WriteString(l.w, text)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (l *logger) entry(e emulate.Entry) {
	clock := l.p.Dim(e.Time.Local().Format("15:04:05"))
	if e.Message != "" {
		label := l.p.Yellow("note:")
		if e.Error {
			label = l.p.Red("error:")
		}
		l.write(logEvent{Time: stamp(e.Time), Event: "notice", Message: e.Message, Error: e.Error},
			fmt.Sprintf("%s %s %s\n", clock, label, output.Sanitize(e.Message)))
		return
	}
	ms := e.Duration.Milliseconds()
	status := fmt.Sprint(e.Status)
	switch {
	case e.Status >= 500:
		status = l.p.Red(status)
	case e.Status >= 400:
		status = l.p.Yellow(status)
	}
	user := e.User
	if user == "" {
		user = "-"
	}
	l.write(logEvent{Time: stamp(e.Time), Event: "request", Method: e.Method, Path: e.Path, Status: e.Status, User: e.User, DurationMS: &ms},
		fmt.Sprintf("%s %-6s %s %s %s %s\n", clock, e.Method, status, output.Sanitize(e.Path), output.Sanitize(user), l.p.Dim(requestDuration(e.Duration))))
}

// requestDuration is a request's time, to the microsecond below 1ms and the
// millisecond below a second.
func requestDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return timefmt.Duration(d)
}

func (l *logger) started(srv *emulate.Server, cfg emulate.Config, opts *Options) {
	mode := "mock"
	if cfg.Entra != nil {
		mode = "entra"
	}
	ev := logEvent{Time: stamp(opts.Now()), Event: "listening", URL: srv.URL(), App: cfg.App.String(), Mode: mode, RedirectURI: srv.RedirectURI()}
	if cfg.Entra == nil {
		ev.Issuer, ev.OpenIDConfiguration = srv.Issuer(), srv.MetadataURL()
	}
	var b strings.Builder
	if opts.ListenAny && !emulate.IsLoopbackAddr(cfg.Listen) {
		msg := "listening on " + cfg.Listen + ", not loopback: anyone who can reach this port can sign in as anyone, with tokens this emulator signs"
		l.write(logEvent{Time: stamp(opts.Now()), Event: "warning", Message: msg, Error: true}, l.p.Red("warning:")+" "+msg+"\n")
	}
	fmt.Fprintf(&b, "%s Easy Auth for %s on %s\n", l.p.Bold("azid emulate:"), cfg.App, l.p.Bold(srv.URL()))
	rows := []output.KV{{Key: "sign-in", Value: srv.URL() + "/.auth/login/aad"}}
	if cfg.Entra != nil {
		rows[0].Value += "  (real Entra ID, tenant " + cfg.Entra.Tenant + ")"
		platform := "platform Mobile and desktop: no client secret given"
		if cfg.Entra.ClientSecret != "" {
			platform = "platform Web"
		}
		rows = append(rows, output.KV{Key: "redirect URI", Value: srv.RedirectURI() + "  (register it, " + platform + ")"})
	} else {
		users := "type any user"
		if n := len(cfg.Users); n > 0 {
			users = fmt.Sprintf("%d mock users offered, or type one", n)
			if n == 1 {
				users = "1 mock user offered, or type one"
			}
		}
		rows[0].Value += "  (" + users + ")"
		rows = append(rows, output.KV{Key: "issuer", Value: srv.Issuer()}, output.KV{Key: "client ID", Value: clientID(cfg)})
	}
	unauth := string(cfg.Unauthenticated)
	if cfg.Unauthenticated == emulate.ActionRedirect {
		unauth = "redirect browsers to sign-in, 401 for API clients"
	}
	if len(cfg.Exclude) > 0 {
		unauth += "; excluded: " + strings.Join(cfg.Exclude, ", ")
	}
	rows = append(rows, output.KV{Key: "unauthenticated", Value: unauth})
	if f := faults(cfg); f != "" {
		rows = append(rows, output.KV{Key: "faults", Value: f})
	}
	trust := ""
	if cfg.TLS != nil {
		ev.TLSFingerprint = emulate.Fingerprint(cfg.TLS)
		v := "SHA-256 " + ev.TLSFingerprint
		switch {
		case opts.selfSigned != nil && opts.TLSCertOut != "":
			v += "  (made for this run; written to " + opts.TLSCertOut + ")"
			trust = "AZID_CA_FILE=" + opts.TLSCertOut + " "
		case opts.selfSigned != nil:
			v += "  (made for this run: the browser will warn once; --tls-cert-out FILE saves it for clients to trust)"
		default:
			v += "  (" + opts.TLSCert + ")"
		}
		rows = append(rows, output.KV{Key: "TLS", Value: v})
	}
	_ = output.KeyValues(&b, rows, 2, l.p.Dim)
	hint := "open " + srv.URL() + "/ in a browser; Ctrl-C stops"
	if cfg.Entra == nil {
		hint = "open " + srv.URL() + "/ in a browser; check a minted token with: " + trust + "azid verify --authority-host " + srv.URL() + "; Ctrl-C stops"
	}
	b.WriteString(l.p.Dim("hint:") + " " + hint + "\n")
	l.write(ev, b.String())
}

func clientID(cfg emulate.Config) string {
	if cfg.ClientID != "" {
		return cfg.ClientID
	}
	return emulate.DefaultClientID
}

func faults(cfg emulate.Config) string {
	var f []string
	if cfg.TokenStoreOff {
		f = append(f, "token store off")
	}
	if cfg.NoRefreshToken {
		f = append(f, "no refresh token")
	}
	if cfg.TokenLifetime != time.Hour {
		f = append(f, "tokens last "+timefmt.Duration(cfg.TokenLifetime))
	}
	if cfg.LoseTokensOnRestart {
		f = append(f, "token store lost when the app restarts")
	}
	return strings.Join(f, ", ")
}

func (l *logger) stopped(now time.Time) {
	l.write(logEvent{Time: stamp(now), Event: "stopped"}, "azid emulate: stopped\n")
}
