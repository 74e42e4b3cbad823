// Package graph is a small Microsoft Graph client: authenticated requests
// that only ever go to the Graph host (paging included), Retry-After honoured
// on throttling with an injected clock, Graph's error object turned into one
// line, and the directory calls that resolve group memberships in bulk.
package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultEndpoint is Microsoft Graph in the public cloud.
const DefaultEndpoint = "https://graph.microsoft.com"

// maxBody bounds how much of one answer is read.
const maxBody = 64 << 20

// Client calls Microsoft Graph.
type Client struct {
	HTTP *http.Client
	// Endpoint is Graph's base URL, such as https://graph.microsoft.com.
	Endpoint string
	// Token returns the bearer token to send (a secret).
	Token func(ctx context.Context) (string, error)
	// MaxRetries bounds retries of throttled (429) and unavailable (503, 504) answers.
	MaxRetries int
	// Now is the clock for Retry-After dates and the deadline check (time.Now when nil).
	Now func() time.Time
	// MaxWait is the longest Retry-After wait honoured (0: any, within ctx's
	// deadline); a longer one is a *PastDeadlineError at once.
	MaxWait time.Duration
	// Sleep waits (tests replace it); it must return early when ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
}

// ErrForeignNextLink means a next-page link pointed away from the Graph host.
var ErrForeignNextLink = errors.New("refusing to follow @odata.nextLink to another host: the token never leaves the Graph host")

// ForeignHostError means a URL given to the client names a host other than
// the Graph endpoint's: the token is never sent there.
type ForeignHostError struct {
	URL      string // the URL as given, without its query
	Endpoint string // the Graph endpoint in use
}

func (e *ForeignHostError) Error() string {
	return fmt.Sprintf("refusing to send the Graph token to %s: it only goes to the Graph endpoint %s", e.URL, e.Endpoint)
}

func (c *Client) base() (*url.URL, error) {
	ep := strings.TrimSuffix(c.Endpoint, "/")
	if ep == "" {
		ep = DefaultEndpoint
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return nil, fmt.Errorf("the Graph endpoint %q is not a URL such as https://graph.microsoft.com", c.Endpoint)
	}
	return u, nil
}

// URL resolves a path (/me, /v1.0/me, beta/me) or a full URL on the Graph
// host (as Graph Explorer shows it) against the endpoint; a path without a
// version gets /v1.0. A URL on any other host is a *ForeignHostError.
// Spaces and other characters Graph Explorer leaves unescaped are escaped.
func (c *Client) URL(path string) (string, error) {
	base, err := c.base()
	if err != nil {
		return "", err
	}
	path = strings.TrimSpace(path)
	if hasScheme(path) {
		u, err := url.Parse(escapeLoose(path))
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("%q is not a URL", stripQuery(path))
		}
		if !sameHost(u, base) || u.User != nil {
			return "", &ForeignHostError{URL: stripQuery(path), Endpoint: base.String()}
		}
		u.Scheme, u.Host = base.Scheme, base.Host
		if u.Path == "" || u.Path == "/" {
			return "", fmt.Errorf("%q names no Graph resource (such as /v1.0/me)", stripQuery(path))
		}
		u.RawQuery = normaliseQuery(u.RawQuery)
		return u.String(), nil
	}
	path = "/" + strings.TrimPrefix(path, "/")
	if !strings.HasPrefix(path, "/v1.0/") && !strings.HasPrefix(path, "/beta/") && path != "/v1.0" && path != "/beta" {
		path = "/v1.0" + path
	}
	full := strings.TrimSuffix(base.String(), "/") + escapeLoose(path)
	if _, err := url.Parse(full); err != nil {
		return "", fmt.Errorf("%q is not a Graph path", stripQuery(path))
	}
	return full, nil
}

func hasScheme(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")
}

// escapeLoose escapes the characters a pasted URL often carries raw.
func escapeLoose(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "<", "%3C", ">", "%3E", "`", "%60", "{", "%7B", "}", "%7D", "|", "%7C").Replace(s)
}

// normaliseQuery keeps the query as written (Graph reads $filter=… with its
// quotes and commas) but escapes what would break the request line.
func normaliseQuery(q string) string { return escapeLoose(q) }

func stripQuery(s string) string {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		return s[:i]
	}
	return s
}

func sameHost(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(hostPort(u), hostPort(base))
}

// hostPort is the host with an explicit default port dropped.
func hostPort(u *url.URL) string {
	h, p := u.Hostname(), u.Port()
	if p == "" || (p == "443" && u.Scheme == "https") || (p == "80" && u.Scheme == "http") {
		return strings.ToLower(h)
	}
	return strings.ToLower(h) + ":" + p
}

// Get fetches one URL (already resolved by URL) and returns the body of a 2xx.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header) ([]byte, error) {
	return c.Do(ctx, http.MethodGet, rawURL, header, nil)
}

// Post sends a JSON body to a path or Graph URL and returns the body of a 2xx
// (empty for 204 No Content).
func (c *Client) Post(ctx context.Context, path string, header http.Header, body []byte) ([]byte, error) {
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	return c.Do(ctx, http.MethodPost, u, header, body)
}

// Do sends one request to a URL on the Graph host, retrying throttled and
// unavailable answers as Retry-After says (bounded, and never past ctx's
// deadline), and returns the body of a 2xx or an *Error.
func (c *Client) Do(ctx context.Context, method, rawURL string, header http.Header, body []byte) ([]byte, error) {
	base, err := c.base()
	if err != nil {
		return nil, err
	}
	if u, err := url.Parse(rawURL); err != nil || !sameHost(u, base) || u.User != nil {
		return nil, &ForeignHostError{URL: stripQuery(rawURL), Endpoint: base.String()}
	}
	token, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
		if err != nil {
			return nil, fmt.Errorf("bad Graph URL %s: %w", stripQuery(rawURL), err)
		}
		for k, vs := range header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		if body != nil && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &RequestError{Err: err}
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &RequestError{Err: err}
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return data, nil
		}
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout
		if retryable && attempt < c.maxRetries() {
			wait := retryAfter(resp.Header.Get("Retry-After"), attempt, c.now())
			dl, ok := ctx.Deadline()
			if (ok && dl.Sub(c.now()) < wait) || (c.MaxWait > 0 && wait > c.MaxWait) {
				e := parseError(resp.StatusCode, data)
				e.RetryAfter = wait
				return nil, &PastDeadlineError{Err: e, Wait: wait}
			}
			if err := c.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		return nil, parseError(resp.StatusCode, data)
	}
}

// RequestError is a network failure talking to Graph.
type RequestError struct{ Err error }

func (e *RequestError) Error() string { return "calling Microsoft Graph: " + e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

// PastDeadlineError means Graph asked to wait longer than the time left.
type PastDeadlineError struct {
	Err  *Error
	Wait time.Duration
}

func (e *PastDeadlineError) Error() string {
	return fmt.Sprintf("%s; Graph asks to retry after %s, past the time limit", e.Err, e.Wait)
}
func (e *PastDeadlineError) Unwrap() error { return e.Err }

func (c *Client) maxRetries() int {
	if c.MaxRetries <= 0 {
		return 3
	}
	return c.MaxRetries
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryAfter reads Retry-After (seconds or an HTTP date, against now), or
// backs off exponentially; the wait is capped at 5 minutes.
func retryAfter(v string, attempt int, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return min(time.Duration(min(n, 300))*time.Second, 5*time.Minute)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 5*time.Minute)
		}
		return 0
	}
	return time.Duration(1<<min(attempt, 8)) * time.Second
}

// Page is a collection page.
type Page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// maxPages bounds how many pages one collection may take.
const maxPages = 1000

// GetAll fetches a collection, following every @odata.nextLink on the Graph
// host (re-sending the headers), and returns the merged value items.
func (c *Client) GetAll(ctx context.Context, path string, header http.Header) ([]json.RawMessage, error) {
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	return c.collect(ctx, http.MethodGet, u, header, nil)
}

// collect sends the first request and follows next links with GET.
func (c *Client) collect(ctx context.Context, method, u string, header http.Header, body []byte) ([]json.RawMessage, error) {
	base, err := c.base()
	if err != nil {
		return nil, err
	}
	all := []json.RawMessage{}
	for pages := 0; u != ""; pages++ {
		if pages >= maxPages {
			return nil, fmt.Errorf("graph: more than %d pages; stopping", maxPages)
		}
		data, err := c.Do(ctx, method, u, header, body)
		if err != nil {
			return nil, err
		}
		var p Page
		if err := json.Unmarshal(data, &p); err != nil || p.Value == nil && !bytes.Contains(data, []byte(`"value"`)) {
			return nil, errors.New("graph: the answer is not a collection (no value array)")
		}
		all = append(all, p.Value...)
		u, method, body = p.NextLink, http.MethodGet, nil
		if u != "" {
			next, err := url.Parse(u)
			if err != nil || !sameHost(next, base) || next.User != nil {
				return nil, ErrForeignNextLink
			}
		}
	}
	return all, nil
}

// IndentJSON re-indents a JSON body for printing, ending in one newline.
func IndentJSON(body []byte) []byte {
	var buf bytes.Buffer
	if json.Indent(&buf, bytes.TrimSpace(body), "", "  ") != nil {
		return body
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
