package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func client(srv *httptest.Server) *Client {
	return &Client{HTTP: srv.Client(), Endpoint: srv.URL, Token: func(context.Context) (string, error) { return "tok", nil },
		Sleep: func(context.Context, time.Duration) error { return nil }}
}

func TestURL(t *testing.T) {
	c := &Client{Endpoint: "https://graph.microsoft.us/"}
	for in, want := range map[string]string{
		"/me": "https://graph.microsoft.us/v1.0/me", "me/manager": "https://graph.microsoft.us/v1.0/me/manager",
		"/beta/me": "https://graph.microsoft.us/beta/me", "/v1.0/users?$top=5": "https://graph.microsoft.us/v1.0/users?$top=5",
		"https://graph.microsoft.us/v1.0/me": "https://graph.microsoft.us/v1.0/me",
	} {
		if got, err := c.URL(in); err != nil || got != want {
			t.Errorf("URL(%q) = %q %v", in, got, err)
		}
	}
	var fh *ForeignHostError
	for _, in := range []string{"https://evil.example/v1.0/me", "http://graph.microsoft.us/v1.0/me", "https://user@graph.microsoft.us/v1.0/me", "https://graph.microsoft.us.evil.example/v1.0/me"} {
		if _, err := c.URL(in); !errors.As(err, &fh) || strings.Contains(err.Error(), "nextLink") {
			t.Errorf("foreign URL %s: %v", in, err)
		}
	}
	if got, err := c.URL("https://GRAPH.microsoft.us:443/v1.0/groups?$filter=startswith(displayName, 'eng')"); err != nil || got != "https://graph.microsoft.us/v1.0/groups?$filter=startswith(displayName,%20'eng')" {
		t.Errorf("pasted Graph Explorer URL = %q %v", got, err)
	}
	if _, err := (&Client{Endpoint: "not a url"}).URL("/me"); err == nil {
		t.Error("bad endpoint accepted")
	}
}

func TestErrorsAndRetries(t *testing.T) {
	calls := 0
	var waits []time.Duration
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Error("no bearer token")
		}
		switch r.URL.Path {
		case "/v1.0/401":
			w.WriteHeader(401)
			w.Write([]byte(`{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired.","innerError":{"request-id":"r1"}}}`))
		case "/v1.0/503":
			if calls < 3 {
				w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
				w.WriteHeader(503)
				return
			}
			w.Write([]byte(`{"ok":true}`))
		case "/v1.0/plain500":
			w.WriteHeader(500)
			w.Write([]byte("oops"))
		}
	}))
	defer srv.Close()
	c := client(srv)
	c.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	u, _ := c.URL("/401")
	_, err := c.Get(context.Background(), u, nil)
	var ge *Error
	if !errors.As(err, &ge) || ge.Status != 401 || ge.RequestID != "r1" || err.Error() != "graph: InvalidAuthenticationToken: Lifetime validation failed, the token is expired. (401)" {
		t.Errorf("401: %v", err)
	}
	calls = 0
	u, _ = c.URL("/503")
	if body, err := c.Get(context.Background(), u, nil); err != nil || string(body) != `{"ok":true}` || len(waits) != 2 || waits[0] <= 0 || waits[0] > 3*time.Second {
		t.Errorf("503 with an HTTP-date Retry-After: %s %v waits %v", body, err, waits)
	}
	u, _ = c.URL("/plain500")
	if _, err := c.Get(context.Background(), u, nil); err == nil || err.Error() != "graph: HTTP 500" {
		t.Errorf("500 without an error object: %v", err)
	}
	if d := retryAfter("", 2, time.Now()); d != 4*time.Second {
		t.Errorf("backoff = %v", d)
	}
	if d := retryAfter("99999", 0, time.Now()); d != 5*time.Minute {
		t.Errorf("capped Retry-After = %v", d)
	}
}

func TestGetAllPaging(t *testing.T) {
	var srvURL string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("ConsistencyLevel") != "eventual" {
			t.Error("headers not re-sent on every page")
		}
		switch r.URL.Query().Get("$skiptoken") {
		case "":
			w.Write([]byte(`{"value":[1,2],"@odata.nextLink":"` + srvURL + `/v1.0/x?$skiptoken=b"}`))
		case "b":
			w.Write([]byte(`{"value":[],"@odata.nextLink":"` + srvURL + `/v1.0/x?$skiptoken=c"}`))
		case "c":
			w.Write([]byte(`{"value":[3]}`))
		}
	}))
	defer srv.Close()
	srvURL = srv.URL
	h := http.Header{}
	h.Set("ConsistencyLevel", "eventual")
	items, err := client(srv).GetAll(context.Background(), "/x", h)
	if err != nil || len(items) != 3 || strings.TrimSpace(string(items[2])) != "3" {
		t.Errorf("GetAll = %s %v", items, err)
	}
}
