package fakeidp

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Graph fakes the Microsoft Graph calls azid makes: /v1.0/me (with $select),
// /me/memberOf and /me/transitiveMemberOf over several pages, the directory
// actions getMemberObjects, checkMemberGroups and directoryObjects/getByIds
// (graph_directory.go), throttling with Retry-After, Graph's error object,
// and a next link to a foreign host.
type Graph struct {
	mu sync.Mutex
	// Throttle makes this many requests answer 429 with Retry-After first.
	Throttle   int
	RetryAfter string
	// ThrottleEvery makes every Nth request answer 503 with Retry-After
	// (throttling in the middle of paging or batching).
	ThrottleEvery int
	// AppOnly answers /me as Graph does for an app-only token.
	AppOnly bool
	// Groups, when set, makes the signed-in user a transitive member of this
	// many more groups (every third a Microsoft 365 group, not security
	// enabled); transitiveMemberOf then pages them by $top (default 100).
	Groups int
	// Deny answers 403 Authorization_RequestDenied to requests whose path
	// ends with one of these (such as "getByIds").
	Deny []string
	// Requests counts requests by path; Headers keeps the last request's headers.
	Requests map[string]int
	Headers  http.Header
	// Bodies keeps the body of every POST, in order.
	Bodies []string
	total  int
}

// ServeGraph serves g under /v1.0/ on this server.
func (s *Server) ServeGraph(g *Graph) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g.Requests = map[string]int{}
	s.graph = g
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q,"innerError":{"date":"2026-11-30T12:00:00","request-id":"req-1","client-request-id":"creq-1"}}}`, code, msg)
}

func (g *Graph) serve(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, "/v1.0/") && !strings.HasPrefix(r.URL.Path, "/beta/") {
		return false
	}
	var body []byte
	if r.Method == http.MethodPost {
		body, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
	}
	g.mu.Lock()
	g.Requests[r.URL.Path]++
	g.total++
	g.Headers = r.Header.Clone()
	if body != nil {
		g.Bodies = append(g.Bodies, string(body))
	}
	throttle := g.Throttle > 0
	if throttle {
		g.Throttle--
	}
	unavailable := g.ThrottleEvery > 0 && g.total%g.ThrottleEvery == 0
	appOnly, groups := g.AppOnly, g.Groups
	denied := false
	for _, d := range g.Deny {
		denied = denied || strings.HasSuffix(r.URL.Path, d)
	}
	g.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer eyJ") {
		graphError(w, 401, "InvalidAuthenticationToken", "Access token is empty.")
		return true
	}
	if throttle || unavailable {
		w.Header().Set("Retry-After", g.RetryAfter)
		if unavailable {
			graphError(w, 503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.")
		} else {
			graphError(w, 429, "TooManyRequests", "Too many requests.")
		}
		return true
	}
	if denied {
		graphError(w, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return true
	}
	base := "https://" + r.Host + "/v1.0"
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodPost {
		g.serveAction(w, r, body, base, appOnly, groups)
		return true
	}
	if r.URL.Path == "/v1.0/me/transitiveMemberOf" && groups > 0 {
		servePaged(w, r, base, directory(groups))
		return true
	}
	switch r.URL.Path {
	case "/v1.0/me":
		if appOnly {
			graphError(w, 400, "BadRequest", "/me request is only valid with delegated authentication flow.")
			return true
		}
		user := map[string]any{"@odata.context": base + "/$metadata#users/$entity", "businessPhones": []string{"+1 412 555 0109"},
			"displayName": "Alex Example", "givenName": "Alex", "jobTitle": "Retail Manager", "mail": "alex@contoso.example",
			"mobilePhone": nil, "officeLocation": "18/2111", "preferredLanguage": "en-US", "surname": "Example",
			"userPrincipalName": "alex@contoso.example", "id": "3f2e1d0c-b9a8-4765-8432-10fedcba9876"}
		if sel := r.URL.Query().Get("$select"); sel != "" {
			picked := map[string]any{"@odata.context": user["@odata.context"]}
			for _, f := range strings.Split(sel, ",") {
				if v, ok := user[f]; ok {
					picked[f] = v
				} else {
					picked[f] = "selected-" + f
				}
			}
			user = picked
		}
		_ = json.NewEncoder(w).Encode(user)
	case "/v1.0/me/transitiveMemberOf", "/v1.0/me/memberOf":
		transitive := strings.HasSuffix(r.URL.Path, "transitiveMemberOf")
		page := r.URL.Query().Get("$skiptoken")
		var items []map[string]any
		next := ""
		group := func(name, id string, sec bool) map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.group", "id": id, "displayName": name, "securityEnabled": sec, "mailEnabled": !sec}
		}
		switch {
		case !transitive:
			items = []map[string]any{group("Engineering", "g1", true), {"@odata.type": "#microsoft.graph.directoryRole", "id": "r1", "displayName": "Global Reader", "roleTemplateId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"}}
		case page == "":
			items, next = []map[string]any{group("Engineering", "g1", true), group("All Company", "g2", false)}, base+"/me/transitiveMemberOf?$skiptoken=p2"
		case page == "p2":
			items, next = []map[string]any{}, base+"/me/transitiveMemberOf?$skiptoken=p3" // an empty page in the middle
		case page == "p3":
			items = []map[string]any{group("Nested Platform Team", "g3", true), {"@odata.type": "#microsoft.graph.directoryRole", "id": "r1", "displayName": "Global Reader"}}
		}
		body := map[string]any{"@odata.context": base + "/$metadata#directoryObjects", "value": items}
		if next != "" {
			body["@odata.nextLink"] = next
		}
		_ = json.NewEncoder(w).Encode(body)
	case "/v1.0/me/manager":
		_ = json.NewEncoder(w).Encode(map[string]any{"@odata.type": "#microsoft.graph.user", "id": "m1", "displayName": "Morgan Manager"})
	case "/v1.0/organization":
		graphError(w, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
	case "/v1.0/groups":
		_ = json.NewEncoder(w).Encode(map[string]any{"value": []any{map[string]any{"id": "g1"}}, "@odata.nextLink": "https://evil.example/v1.0/groups?$skiptoken=steal"})
	default:
		graphError(w, 404, "Request_ResourceNotFound", "Resource '"+r.URL.Path+"' does not exist.")
	}
	return true
}
