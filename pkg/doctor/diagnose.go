package doctor

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/entra"
	"github.com/azid-cli/azid/pkg/token"
)

// BrowserUserAgent is what the doctor sends as a browser: Easy Auth decides
// browser or API client by the User-Agent (easyauth-failures.md §A.3).
const BrowserUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// Options are the inputs of a diagnosis.
type Options struct {
	// Origin is the app's origin (scheme://host[:port]).
	Origin string
	// Platform, when set, overrides the platform the host name implies
	// (a custom domain in front of a Container App).
	Platform Platform
	// HTTP makes the requests; redirects are never followed whatever its policy.
	HTTP *http.Client
	// Now is the clock.
	Now func() time.Time
	// UserAgent is sent as the API client (CLI) User-Agent.
	UserAgent string
	// Trust says which hosts may be asked about a tenant or probed:
	// Microsoft's login hosts and the configured authority hosts. The
	// authority in a sign-in redirect is never trusted for what it says.
	Trust entra.TrustPolicy
	// Session is the user's session (cookie or X-ZUMO-AUTH), or nil.
	Session *easyauth.Credential
	// TryRefresh calls /.auth/refresh (needs Session).
	TryRefresh bool
	// ProbeEntra requests the sign-in URL from Entra and reads its error page.
	ProbeEntra bool
	// Progress, when not nil, is told what is being requested.
	Progress func(step string)
	// ARM, when not nil, reads the site's configuration (config/authsettingsV2).
	ARM *ARMAccess
	// ARMSkip says why the configuration is not read (no ARM token).
	ARMSkip string
	// DescribeError words a network error in one line (nil: err.Error()).
	DescribeError func(error) string
}

// doctor carries one diagnosis.
type doctor struct {
	opts   Options
	client http.Client
	rep    *Report
	host   string // the app's host:port
	// what the outside checks saw
	signIn    *SignIn
	loginPath string
	// what the session checks saw
	accessToken, idToken *token.Summary
}

// Diagnose runs every check that opts allow and returns the report. It
// returns an error only when the app cannot be reached at all (a
// *RequestError) or opts are unusable; a broken app is a report with
// failed checks.
func Diagnose(ctx context.Context, opts Options) (*Report, error) {
	u, err := url.Parse(opts.Origin)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, errors.New("the app URL is not an http(s) origin")
	}
	if opts.HTTP == nil || opts.Now == nil {
		return nil, errors.New("doctor: an HTTP client and a clock are required")
	}
	d := &doctor{opts: opts, client: *opts.HTTP, host: u.Host, loginPath: "/.auth/login/aad"}
	// Never follow a redirect: the redirect is the evidence, and a session
	// must not travel to wherever it points.
	d.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	platform := ClassifyHost(u.Host)
	if opts.Platform != "" {
		platform = opts.Platform
	}
	d.rep = &Report{URL: opts.Origin, Platform: platform, Checks: []Check{}}
	d.rep.add(d.platformCheck(u.Host, platform))
	if err := d.outside(ctx); err != nil {
		return nil, err
	}
	d.sessionChecks(ctx)
	switch {
	case opts.ARM != nil:
		d.armChecks(ctx)
	case opts.ARMSkip != "":
		d.rep.add(skipped(IDARMConfig, opts.ARMSkip, DocsFileConfig))
	default:
		d.rep.add(skipped(IDARMConfig, "not asked for (it reads the site's configuration from Azure Resource Manager)", DocsFileConfig))
	}
	return d.rep, nil
}

// kind of client a request pretends to be.
type client int

const (
	asBrowser client = iota
	asAPI
)

// response is what the doctor keeps of an answer: never a cookie's value.
type response struct {
	Status          int
	Location        string
	WWWAuthenticate string
	ContentType     string
	Body            []byte
	SetCookies      []string // names only
	// Emulated is the X-Azid-Emulate header: azid emulate's mock sign-in page.
	Emulated string
}

// EmulateHeader marks the pages of azid emulate's mock identity (its sign-in
// page), which stand where Easy Auth's redirect to Entra would.
const EmulateHeader = "X-Azid-Emulate"

// get makes one GET request to the app (or, with an absolute URL, to a
// trusted Entra host), with the credential when given.
func (d *doctor) get(ctx context.Context, target string, as client, cred *easyauth.Credential) (*response, error) {
	if !strings.Contains(target, "://") {
		target = d.opts.Origin + target
	}
	if d.opts.Progress != nil {
		d.opts.Progress("GET " + RedactURL(target))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, &RequestError{URL: RedactURL(target), Err: err}
	}
	switch as {
	case asBrowser:
		req.Header.Set("User-Agent", BrowserUserAgent)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	default:
		ua := d.opts.UserAgent
		if ua == "" {
			ua = "azid"
		}
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Accept", "application/json")
	}
	if cred != nil {
		if cred.Zumo != "" {
			req.Header.Set("X-ZUMO-AUTH", cred.Zumo)
		} else if cred.Cookie != nil {
			req.Header.Set("Cookie", cred.Cookie.Name+"="+cred.Cookie.Value)
		}
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, &RequestError{URL: RedactURL(target), Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	if err != nil {
		return nil, &RequestError{URL: RedactURL(target), Err: err}
	}
	r := &response{Status: resp.StatusCode, WWWAuthenticate: resp.Header.Get("WWW-Authenticate"),
		ContentType: resp.Header.Get("Content-Type"), Body: body, Emulated: resp.Header.Get(EmulateHeader)}
	if loc := resp.Header.Get("Location"); loc != "" {
		if lu, err := req.URL.Parse(loc); err == nil {
			r.Location = lu.String()
		} else {
			r.Location = loc
		}
	}
	for _, c := range resp.Cookies() {
		r.SetCookies = append(r.SetCookies, c.Name)
	}
	return r, nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func (d *doctor) describe(err error) string {
	var re *RequestError
	if errors.As(err, &re) {
		err = re.Err
	}
	if d.opts.DescribeError != nil {
		return d.opts.DescribeError(err)
	}
	return err.Error()
}

// sameApp reports whether an absolute URL is on the app's own origin.
func (d *doctor) sameApp(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, false
	}
	return u, strings.EqualFold(u.Host, d.host)
}

// isHTML reports whether an answer is a web page.
func (r *response) isHTML() bool {
	if strings.Contains(strings.ToLower(r.ContentType), "text/html") {
		return true
	}
	b := strings.ToLower(strings.TrimSpace(string(r.Body[:min(len(r.Body), 64)])))
	return strings.HasPrefix(b, "<!doctype") || strings.HasPrefix(b, "<html")
}
