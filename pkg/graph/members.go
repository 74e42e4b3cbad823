package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Batch sizes Graph allows.
const (
	// GetByIDsBatch is the most IDs one directoryObjects/getByIds accepts.
	GetByIDsBatch = 1000
	// CheckBatch is the most group IDs one checkMemberGroups accepts.
	CheckBatch = 20
)

// Subject kinds: whose memberships are asked for.
const (
	SubjectMe               = "me"
	SubjectUser             = "user"
	SubjectServicePrincipal = "servicePrincipal"
)

// Subject is the directory object whose memberships are resolved.
type Subject struct {
	Kind string // SubjectMe, SubjectUser or SubjectServicePrincipal
	ID   string // object ID (or, for a user, the UPN); empty for SubjectMe
}

// Path is the subject's Graph path: /me, /users/{id} or /servicePrincipals/{id}.
func (s Subject) Path() string {
	switch s.Kind {
	case SubjectUser:
		return "/users/" + url.PathEscape(s.ID)
	case SubjectServicePrincipal:
		return "/servicePrincipals/" + url.PathEscape(s.ID)
	}
	return "/me"
}

// Permissions each call needs (least privileged first), from the Graph API
// reference (directoryobject-getmemberobjects.md, -checkmembergroups.md,
// -getbyids.md).
func memberObjectsNeeds(s Subject) []string {
	switch s.Kind {
	case SubjectUser:
		return []string{"User.Read.All", "GroupMember.Read.All"}
	case SubjectServicePrincipal:
		return []string{"Application.Read.All"}
	}
	return []string{"User.Read"}
}

func checkNeeds(s Subject) []string {
	switch s.Kind {
	case SubjectUser:
		return []string{"User.ReadBasic.All with GroupMember.Read.All"}
	case SubjectServicePrincipal:
		return []string{"Application.Read.All with GroupMember.Read.All"}
	}
	return []string{"User.Read with GroupMember.Read.All"}
}

var getByIDsNeeds = []string{"Directory.Read.All"}

// refused wraps a 403 in a PermissionError naming what the call needs.
func refused(err error, call string, needs []string) error {
	var ge *Error
	if errors.As(err, &ge) && ge.Status == 403 {
		return &PermissionError{Call: call, Needs: needs, Err: ge}
	}
	return err
}

// MemberObjects returns the IDs of every group the subject is a transitive
// member of: security groups only, or (securityOnly false) every group,
// administrative unit and directory role. One request, whatever the count.
func (c *Client) MemberObjects(ctx context.Context, s Subject, securityOnly bool) ([]string, error) {
	path := s.Path() + "/getMemberObjects"
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	body := fmt.Appendf(nil, `{"securityEnabledOnly":%t}`, securityOnly)
	items, err := c.collect(ctx, "POST", u, nil, body)
	if err != nil {
		return nil, refused(err, "POST "+path, memberObjectsNeeds(s))
	}
	return stringsOf(items)
}

// CheckMemberGroups returns which of groupIDs the subject is a transitive
// member of, asking CheckBatch IDs a request.
func (c *Client) CheckMemberGroups(ctx context.Context, s Subject, groupIDs []string) ([]string, error) {
	path := s.Path() + "/checkMemberGroups"
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	found := []string{}
	for start := 0; start < len(groupIDs); start += CheckBatch {
		batch := groupIDs[start:min(start+CheckBatch, len(groupIDs))]
		body, _ := json.Marshal(map[string][]string{"groupIds": batch})
		items, err := c.collect(ctx, "POST", u, nil, body)
		if err != nil {
			return nil, refused(err, "POST "+path, checkNeeds(s))
		}
		ids, err := stringsOf(items)
		if err != nil {
			return nil, err
		}
		found = append(found, ids...)
	}
	return found, nil
}

// Object is a directory object as getByIds returns it (the fields azid shows).
type Object struct {
	ID              string `json:"id"`
	Type            string `json:"@odata.type,omitempty"`
	DisplayName     string `json:"displayName,omitempty"`
	SecurityEnabled *bool  `json:"securityEnabled,omitempty"`
	MailEnabled     *bool  `json:"mailEnabled,omitempty"`
}

// TypeName is the object's type without the #microsoft.graph. prefix.
func (o Object) TypeName() string { return strings.TrimPrefix(o.Type, "#microsoft.graph.") }

// GetByIDs returns the objects with these IDs, in the same order, asking
// GetByIDsBatch IDs a request. An ID Graph does not return (deleted, or not
// readable) comes back with its ID only.
func (c *Client) GetByIDs(ctx context.Context, ids []string) ([]Object, error) {
	const path = "/directoryObjects/getByIds"
	u, err := c.URL(path)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Object, len(ids))
	for start := 0; start < len(ids); start += GetByIDsBatch {
		batch := ids[start:min(start+GetByIDsBatch, len(ids))]
		body, _ := json.Marshal(map[string]any{"ids": batch, "types": []string{"group", "directoryRole", "administrativeUnit"}})
		items, err := c.collect(ctx, "POST", u, nil, body)
		if err != nil {
			return nil, refused(err, "POST "+path, getByIDsNeeds)
		}
		for _, it := range items {
			var o Object
			if json.Unmarshal(it, &o) == nil && o.ID != "" {
				byID[strings.ToLower(o.ID)] = o
			}
		}
	}
	out := make([]Object, len(ids))
	for i, id := range ids {
		if o, ok := byID[strings.ToLower(id)]; ok {
			out[i] = o
		} else {
			out[i] = Object{ID: id}
		}
	}
	return out, nil
}

func stringsOf(items []json.RawMessage) ([]string, error) {
	out := make([]string, 0, len(items))
	for _, it := range items {
		var s string
		if err := json.Unmarshal(it, &s); err != nil {
			return nil, errors.New("graph: the answer's value array holds something other than IDs")
		}
		out = append(out, s)
	}
	return out, nil
}
