package token

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// Overage shapes: how a token says its groups did not fit.
const (
	// OverageClaimSources is the JWT pointer (v1 and v2):
	// "_claim_names":{"groups":"src1"}, "_claim_sources":{"src1":{"endpoint":…}}.
	OverageClaimSources = "claim_sources"
	// OverageHasGroups is the implicit flow's "hasgroups": true.
	OverageHasGroups = "hasgroups"
	// OverageGroupsLink is the SAML-style link: the groups.link claim
	// (http://schemas.microsoft.com/claims/groups.link) or a groups claim
	// holding a "groups:src1" pointer instead of IDs.
	OverageGroupsLink = "groups_link"
)

// SAMLGroupsLinkClaim is the claim type of the SAML overage link.
const SAMLGroupsLinkClaim = "http://schemas.microsoft.com/claims/groups.link"

// Overage describes a groups overage pointer and how to resolve it.
type Overage struct {
	Shape string `json:"shape"`
	// Source is the _claim_sources key (such as "src1"), when the shape has one.
	Source string `json:"source,omitempty"`
	// Endpoint is the URL the token points at, as given (often the retired
	// Azure AD Graph, graph.windows.net); empty when the token gives none.
	Endpoint string `json:"endpoint,omitempty"`
	// RetiredEndpoint is true when Endpoint is on Azure AD Graph.
	RetiredEndpoint bool `json:"retired_endpoint"`
	// SubjectKind is "me", "user" or "servicePrincipal": whose groups to ask for.
	SubjectKind string `json:"subject_kind"`
	// SubjectID is the object ID to ask about (the token's oid); empty for "me".
	SubjectID string `json:"subject_id,omitempty"`
	// GraphURL is the Microsoft Graph call that resolves the groups instead
	// (POST, body {"securityEnabledOnly":true}).
	GraphURL string `json:"graph_url"`
	// Problem says what is wrong with the pointer itself, if anything.
	Problem string `json:"problem,omitempty"`
}

// aadGraphHosts are Azure AD Graph hosts (retired), with the Microsoft Graph
// host that replaces each.
var aadGraphHosts = map[string]string{
	"graph.windows.net":       "graph.microsoft.com",
	"graph.microsoftazure.de": "graph.microsoft.de",
	"graph.chinacloudapi.cn":  "microsoftgraph.chinacloudapi.cn",
	"graph.microsoftazure.us": "graph.microsoft.us",
}

// msGraphHosts are Microsoft Graph hosts in the clouds.
var msGraphHosts = map[string]bool{
	"graph.microsoft.com": true, "graph.microsoft.us": true, "dod-graph.microsoft.us": true,
	"microsoftgraph.chinacloudapi.cn": true, "graph.microsoft.de": true,
}

func cloudGraphHost(c entra.Cloud) string {
	switch c {
	case entra.CloudUSGov:
		return "graph.microsoft.us"
	case entra.CloudChina:
		return "microsoftgraph.chinacloudapi.cn"
	}
	return "graph.microsoft.com"
}

// DetectOverage finds a groups overage pointer in claims, or returns nil.
// subjectType and oid come from the token's classification; cloud picks the
// Microsoft Graph host when the pointer does not name one.
func DetectOverage(c *Object, subjectType, oid string, cloud entra.Cloud) *Overage {
	var o *Overage
	if names := objectOf(c, "_claim_names"); names != nil {
		if src, ok := names["groups"]; ok {
			o = &Overage{Shape: OverageClaimSources}
			var key string
			if json.Unmarshal(src, &key) != nil || key == "" {
				o.Problem = "_claim_names.groups does not name a source"
			} else {
				o.Source = key
				sources := objectOf(c, "_claim_sources")
				var s struct {
					Endpoint string `json:"endpoint"`
				}
				switch {
				case sources == nil:
					o.Problem = "_claim_sources is missing or not an object"
				case sources[key] == nil:
					o.Problem = "_claim_sources has no source " + quoteOr(key, "")
				case json.Unmarshal(sources[key], &s) != nil || s.Endpoint == "":
					o.Problem = "_claim_sources." + key + " has no endpoint"
				default:
					o.Endpoint = s.Endpoint
				}
			}
		}
	}
	if o == nil {
		if v, ok := c.Raw("hasgroups"); ok && (string(v) == "true" || string(v) == `"true"`) {
			o = &Overage{Shape: OverageHasGroups}
		}
	}
	if o == nil {
		if link, ok := c.String(SAMLGroupsLinkClaim); ok {
			o = &Overage{Shape: OverageGroupsLink, Endpoint: link}
		} else if g, ok := c.String("groups"); ok && strings.HasPrefix(g, "groups:") {
			o = &Overage{Shape: OverageGroupsLink, Source: strings.TrimPrefix(g, "groups:")}
		}
	}
	if o == nil {
		return nil
	}
	o.resolve(subjectType, oid, cloud)
	return o
}

// objectOf reads a claim holding a JSON object, or a string holding one (as
// Easy Auth's client principal flattens claim values).
func objectOf(c *Object, name string) map[string]json.RawMessage {
	raw, ok := c.Raw(name)
	if !ok {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil && m != nil {
		return m
	}
	var s string
	if json.Unmarshal(raw, &s) == nil && json.Unmarshal([]byte(s), &m) == nil && m != nil {
		return m
	}
	return nil
}

// resolve decides whose groups to ask for and the Microsoft Graph URL. The
// endpoint in the token is only read, never called: the subject comes from
// the token's own oid when it has one, as Microsoft's docs advise.
func (o *Overage) resolve(subjectType, oid string, cloud entra.Cloud) {
	host := cloudGraphHost(cloud)
	kind, id := "user", oid
	if subjectType == SubjectApp {
		kind = "servicePrincipal"
	}
	if o.Endpoint != "" {
		u, err := url.Parse(o.Endpoint)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			if o.Problem == "" {
				o.Problem = "the endpoint is not an https URL"
			}
		} else {
			h := strings.ToLower(u.Hostname())
			if repl, ok := aadGraphHosts[h]; ok {
				o.RetiredEndpoint, host = true, repl
			} else if msGraphHosts[h] {
				host = h
			} else if o.Problem == "" {
				o.Problem = "the endpoint " + h + " is not a Microsoft Graph host"
			}
			if id == "" {
				id, kind = endpointSubject(u.Path, kind)
			}
		}
	}
	if id == "" {
		kind = "me"
	}
	o.SubjectKind, o.SubjectID = kind, id
	path := "/me"
	switch kind {
	case "user":
		path = "/users/" + url.PathEscape(id)
	case "servicePrincipal":
		path = "/servicePrincipals/" + url.PathEscape(id)
	}
	o.GraphURL = "https://" + host + "/v1.0" + path + "/getMemberObjects"
}

// endpointSubject reads {users|servicePrincipals}/{id} from a pointer's path
// (.../{tid}/users/{oid}/getMemberObjects), the docs' {userID} placeholder aside.
func endpointSubject(path, kind string) (string, string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		id := parts[i+1]
		if id == "" || strings.ContainsAny(id, "{}") {
			continue
		}
		switch strings.ToLower(parts[i]) {
		case "users":
			return id, "user"
		case "serviceprincipals":
			return id, "servicePrincipal"
		}
	}
	return "", kind
}

// Note is the overage finding in one sentence.
func (o *Overage) Note() string {
	var b strings.Builder
	b.WriteString("groups overage: ")
	switch o.Shape {
	case OverageHasGroups:
		b.WriteString(`"hasgroups" says the user is in more groups than the implicit flow carries (6)`)
	case OverageGroupsLink:
		b.WriteString("a groups link stands where the groups should be (SAML carries at most 150)")
	default:
		b.WriteString("the user is in more groups than a JWT carries (200), so Entra left out the groups claim")
	}
	if o.Endpoint != "" {
		b.WriteString("; the token points at " + o.Endpoint)
		if o.RetiredEndpoint {
			b.WriteString(", on the retired Azure AD Graph")
		}
	}
	if o.Problem != "" {
		b.WriteString("; the pointer is malformed: " + o.Problem)
	}
	b.WriteString("; the groups come from Microsoft Graph: POST " + o.GraphURL)
	return b.String()
}
