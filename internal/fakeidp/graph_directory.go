package fakeidp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// MeID is the object ID of the fake's signed-in user (also in /v1.0/me).
const MeID = "3f2e1d0c-b9a8-4765-8432-10fedcba9876"

// ServicePrincipalID is a service principal the fake knows, member of two groups.
const ServicePrincipalID = "5c4b3a29-1807-4f6e-9d5c-4b3a29180706"

// dirObject is one object of the fake directory.
type dirObject struct {
	ID, Type, Name string
	Security       bool
}

func (o dirObject) json() map[string]any {
	m := map[string]any{"@odata.type": "#microsoft.graph." + o.Type, "id": o.ID, "displayName": o.Name}
	if o.Type == "group" {
		m["securityEnabled"], m["mailEnabled"] = o.Security, !o.Security
	}
	return m
}

// GroupID is the ID of the fake's generated group number i (from 0).
func GroupID(i int) string { return fmt.Sprintf("0000%04x-0000-4000-8000-%012d", i/10000, i) }

// directory is the signed-in user's transitive memberships: three named
// groups, a directory role, an administrative unit, then n generated groups.
func directory(n int) []dirObject {
	d := []dirObject{
		{"g1", "group", "Engineering", true}, {"g2", "group", "All Company", false},
		{"g3", "group", "Nested Platform Team", true},
		{"r1", "directoryRole", "Global Reader", false}, {"au1", "administrativeUnit", "Seattle", false},
	}
	for i := range n {
		d = append(d, dirObject{GroupID(i), "group", fmt.Sprintf("Team %04d", i), i%3 != 2})
	}
	return d
}

func spDirectory() []dirObject {
	return []dirObject{{"g1", "group", "Engineering", true}, {"g4", "group", "Automation", true}}
}

// servePaged serves a transitiveMemberOf page: $top (default 100, at most
// 999) objects from $skiptoken on, and a next link while more remain.
func servePaged(w http.ResponseWriter, r *http.Request, base string, d []dirObject) {
	top := 100
	if v := r.URL.Query().Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 999 {
			graphError(w, 400, "Request_BadRequest", "Invalid page size specified: '"+v+"'. Must be between 1 and 999 inclusive.")
			return
		}
		top = n
	}
	from, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
	from = min(max(from, 0), len(d))
	to := min(from+top, len(d))
	items := make([]map[string]any, 0, to-from)
	for _, o := range d[from:to] {
		items = append(items, o.json())
	}
	body := map[string]any{"@odata.context": base + "/$metadata#directoryObjects", "value": items}
	if to < len(d) {
		body["@odata.nextLink"] = fmt.Sprintf("%s/me/transitiveMemberOf?$top=%d&$skiptoken=%d", base, top, to)
	}
	_ = json.NewEncoder(w).Encode(body)
}

func ids(value []string, base string) map[string]any {
	return map[string]any{"@odata.context": base + "/$metadata#Collection(Edm.String)", "value": value}
}

// serveAction answers the POST actions, as Graph's API reference shows them.
func (g *Graph) serveAction(w http.ResponseWriter, r *http.Request, body []byte, base string, appOnly bool, groups int) {
	path := strings.TrimPrefix(r.URL.Path, "/v1.0")
	if path == "/directoryObjects/getByIds" {
		var req struct {
			IDs   []string `json:"ids"`
			Types []string `json:"types"`
		}
		if json.Unmarshal(body, &req) != nil || req.IDs == nil {
			graphError(w, 400, "Request_BadRequest", "Invalid request body: the ids parameter is required.")
			return
		}
		if len(req.IDs) > 1000 {
			graphError(w, 400, "Request_BadRequest", "Too many ids: the maximum is 1000.")
			return
		}
		known := map[string]dirObject{}
		for _, o := range append(directory(groups), spDirectory()...) {
			known[o.ID] = o
		}
		out := []map[string]any{}
		for _, id := range req.IDs {
			if o, ok := known[id]; ok {
				out = append(out, o.json())
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"@odata.context": base + "/$metadata#directoryObjects", "value": out})
		return
	}
	subject, action, ok := cutLast(path)
	var d []dirObject
	switch {
	case !ok:
	case subject == "/me" && appOnly:
		graphError(w, 400, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return
	case subject == "/me" || strings.EqualFold(subject, "/users/"+MeID) || strings.EqualFold(subject, "/users/alex@contoso.example"):
		d = directory(groups)
	case strings.EqualFold(subject, "/servicePrincipals/"+ServicePrincipalID):
		d = spDirectory()
	case strings.HasPrefix(subject, "/users/") || strings.HasPrefix(subject, "/servicePrincipals/"):
		graphError(w, 404, "Request_ResourceNotFound", "Resource '"+strings.TrimPrefix(strings.TrimPrefix(subject, "/users/"), "/servicePrincipals/")+"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	switch action {
	case "getMemberObjects":
		var req struct {
			SecurityEnabledOnly *bool `json:"securityEnabledOnly"`
		}
		if json.Unmarshal(body, &req) != nil || req.SecurityEnabledOnly == nil {
			graphError(w, 400, "Request_BadRequest", "Invalid request body: securityEnabledOnly is required.")
			return
		}
		out := []string{}
		for _, o := range d {
			if !*req.SecurityEnabledOnly || (o.Type == "group" && o.Security) {
				out = append(out, o.ID)
			}
		}
		_ = json.NewEncoder(w).Encode(ids(out, base))
	case "checkMemberGroups":
		var req struct {
			GroupIDs []string `json:"groupIds"`
		}
		if json.Unmarshal(body, &req) != nil || req.GroupIDs == nil {
			graphError(w, 400, "Request_BadRequest", "Invalid request body: groupIds is required.")
			return
		}
		if len(req.GroupIDs) > 20 {
			graphError(w, 400, "Request_BadRequest", "Too many groupIds: the maximum is 20.")
			return
		}
		member := map[string]bool{}
		for _, o := range d {
			member[o.ID] = o.Type == "group"
		}
		out := []string{}
		for _, id := range req.GroupIDs {
			if member[id] {
				out = append(out, id)
			}
		}
		_ = json.NewEncoder(w).Encode(ids(out, base))
	default:
		graphError(w, 405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
	}
}

func cutLast(path string) (string, string, bool) {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "", "", false
	}
	return path[:i], path[i+1:], true
}
