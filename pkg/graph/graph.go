// Package graph is a small Microsoft Graph client: authenticated GETs with
// paging that never leaves the Graph host, Retry-After honoured on throttling,
// and Graph's error object turned into one line.
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

// Client calls Microsoft Graph.
type Client struct {
	HTTP *http.Client
	// Endpoint is Graph's base URL, such as https://graph.microsoft.com.
	Endpoint string
	// Token returns the bearer token to send (a secret).
	Token func(ctx context.Context) (string, error)
	// MaxRetries bounds retries of throttled (429) and unavailable (503, 504) answers.
	MaxRetries int
	// Sleep waits (tests replace it); it must return early when ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Error is Graph's error object: {"error":{"code","message","innerError":{…}}}.
type Error struct {
	Status    int
	Code      string
	Message   string
	RequestID string
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("graph: HTTP %d", e.Status)
	}
	return fmt.Sprintf("graph: %s: %s (%d)", e.Code, strings.TrimSpace(e.Message), e.Status)
}

// ErrForeignNextLink means a next-page link pointed away from the Graph host.
var ErrForeignNextLink = errors.New("refusing to follow @odata.nextLink to another host: the token never leaves the Graph host")

func (c *Client) base() (*url.URL, error) {
	ep := strings.TrimSuffix(c.Endpoint, "/")
	if ep == "" {
		ep = DefaultEndpoint
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("the Graph endpoint %q is not a URL such as https://graph.microsoft.com", c.Endpoint)
	}
	return u, nil
}

// URL resolves a path (/me, /v1.0/me, beta/me, or a full URL on the Graph
// host) against the endpoint; a path without a version gets /v1.0.
func (c *Client) URL(path string) (string, error) {
	base, err := c.base()
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		u, err := url.Parse(path)
		if err != nil || !sameHost(u, base) {
			return "", ErrForeignNextLink
		}
		return u.String(), nil
	}
	path = "/" + strings.TrimPrefix(path, "/")
	if !strings.HasPrefix(path, "/v1.0/") && !strings.HasPrefix(path, "/beta/") && path != "/v1.0" && path != "/beta" {
		path = "/v1.0" + path
	}
	return strings.TrimSuffix(base.String(), "/") + path, nil
}

func sameHost(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// Get fetches one URL (already resolved) and returns the body of a 200.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header) ([]byte, error) {
	token, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return nil, fmt.Errorf("bad Graph URL: %w", err)
		}
		for k, vs := range header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/json")
		resp, err := c.HTTP.Do(req)
		if err != nil {
			return nil, &RequestError{Err: err}
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return nil, &RequestError{Err: err}
		}
		if resp.StatusCode == http.StatusOK {
			return body, nil
		}
		retryable := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout
		if retryable && attempt < c.maxRetries() {
			wait := retryAfter(resp.Header.Get("Retry-After"), attempt)
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				return nil, fmt.Errorf("%w; Graph asks to retry after %s, past --timeout", parseError(resp.StatusCode, body), wait)
			}
			if err := c.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		return nil, parseError(resp.StatusCode, body)
	}
}

// RequestError is a network failure talking to Graph.
type RequestError struct{ Err error }

func (e *RequestError) Error() string { return "calling Microsoft Graph: " + e.Err.Error() }
func (e *RequestError) Unwrap() error { return e.Err }

func (c *Client) maxRetries() int {
	if c.MaxRetries <= 0 {
		return 3
	}
	return c.MaxRetries
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

// retryAfter reads Retry-After (seconds or an HTTP date), or backs off exponentially.
func retryAfter(v string, attempt int) time.Duration {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return min(time.Duration(n)*time.Second, 5*time.Minute)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, 5*time.Minute)
		}
		return 0
	}
	return time.Duration(1<<attempt) * time.Second
}

func parseError(status int, body []byte) *Error {
	var doc struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	e := &Error{Status: status}
	if json.Unmarshal(body, &doc) == nil {
		e.Code, e.Message, e.RequestID = doc.Error.Code, doc.Error.Message, doc.Error.InnerError.RequestID
	}
	return e
}

// Page is a collection page.
type Page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// GetAll fetches a collection, following every @odata.nextLink on the Graph
// host (re-sending the headers), and returns the merged value items.
func (c *Client) GetAll(ctx context.Context, path string, header http.Header) ([]json.RawMessage, error) {
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	base, _ := c.base()
	var all []json.RawMessage
	for pages := 0; u != ""; pages++ {
		if pages >= 1000 {
			return nil, errors.New("graph: more than 1000 pages; stopping")
		}
		body, err := c.Get(ctx, u, header)
		if err != nil {
			return nil, err
		}
		var p Page
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, errors.New("graph: the answer is not a collection (no value array)")
		}
		all = append(all, p.Value...)
		u = p.NextLink
		if u != "" {
			next, err := url.Parse(u)
			if err != nil || !sameHost(next, base) {
				return nil, ErrForeignNextLink
			}
		}
	}
	if all == nil {
		all = []json.RawMessage{}
	}
	return all, nil
}

// IndentJSON re-indents a JSON body for printing.
func IndentJSON(body []byte) []byte {
	var buf bytes.Buffer
	if json.Indent(&buf, body, "", "  ") != nil {
		return body
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}
