package token

import (
	"strconv"
	"time"

	"github.com/azid-cli/azid/pkg/jsonw"
)

// MarshalJSON encodes the summary by hand, in the order and with the names of
// its struct tags (TestSummaryJSONMatchesReflection keeps them in step):
// encoding/json's reflection cost a cold `azid decode -o json` more than all
// the decoding.
func (s Summary) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 1024)
	b = append(b, `{"kind":`...)
	b = appendStr(b, s.Kind)
	b = append(b, `,"kind_likely":`...)
	b = strconv.AppendBool(b, s.KindLikely)
	b = optStr(b, "kind_reason", s.KindReason)
	b = optStr(b, "version", s.Version)
	b = append(b, `,"subject_type":`...)
	b = appendStr(b, s.SubjectType)
	b = optStr(b, "subject_reason", s.SubjectReason)
	b = optStr(b, "issuer", s.Issuer)
	b = optStr(b, "tenant_id", s.TenantID)
	b = append(b, `,"cloud":`...)
	b = appendStr(b, string(s.Cloud))
	b = append(b, `,"audience":`...)
	b = appendStrs(b, s.Audience)
	b = optStr(b, "client_id", s.ClientID)
	b = optStr(b, "client_auth", s.ClientAuth)
	b = optStr(b, "subject", s.Subject)
	b = optStr(b, "object_id", s.ObjectID)
	b = optStr(b, "username", s.Username)
	b = optStr(b, "name", s.Name)
	if len(s.Scopes) > 0 {
		b = append(b, `,"scopes":`...)
		b = appendStrs(b, s.Scopes)
	}
	if len(s.Roles) > 0 {
		b = append(b, `,"roles":`...)
		b = appendStrs(b, s.Roles)
	}
	b = appendTime(b, "issued_at", s.IssuedAt)
	b = appendTime(b, "not_before", s.NotBefore)
	b = appendTime(b, "expires_at", s.ExpiresAt)
	for _, f := range [...]struct {
		name string
		v    bool
	}{{"expired", s.Expired}, {"not_yet_valid", s.NotYetValid}, {"personal_account", s.PersonalAccount}, {"guest", s.Guest},
		{"graph", s.Graph}, {"unsigned", s.Unsigned}, {"groups_overage", s.GroupsOverage}} {
		b = strconv.AppendBool(jsonw.Key(b, f.name), f.v)
	}
	if o := s.GroupsOverageSource; o != nil {
		b = append(b, `,"groups_overage_source":{"shape":`...)
		b = appendStr(b, o.Shape)
		b = optStr(b, "source", o.Source)
		b = optStr(b, "endpoint", o.Endpoint)
		b = strconv.AppendBool(jsonw.Key(b, "retired_endpoint"), o.RetiredEndpoint)
		b = appendStr(jsonw.Key(b, "subject_kind"), o.SubjectKind)
		b = optStr(b, "subject_id", o.SubjectID)
		b = appendStr(jsonw.Key(b, "graph_url"), o.GraphURL)
		b = optStr(b, "problem", o.Problem)
		b = append(b, '}')
	}
	if len(s.DirectoryRoles) > 0 {
		b = append(b, `,"directory_roles":[`...)
		for i, r := range s.DirectoryRoles {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendStr(b, r.ID)
			b = append(b, `,"name":`...)
			b = appendStr(b, r.Name)
			b = append(b, `,"privileged":`...)
			b = strconv.AppendBool(b, r.Privileged)
			b = optStr(b, "note", r.Note)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if len(s.AuthMethods) > 0 {
		b = append(b, `,"auth_methods":`...)
		b = appendStrs(b, s.AuthMethods)
	}
	b = append(b, `,"notes":`...)
	b = appendStrs(b, s.Notes)
	return append(b, '}'), nil
}

func optStr(b []byte, name, v string) []byte { return jsonw.OptString(b, name, v) }

func appendStr(b []byte, s string) []byte { return jsonw.String(b, s) }

func appendStrs(b []byte, list []string) []byte { return jsonw.Strings(b, list) }

func appendTime(b []byte, name string, t *time.Time) []byte {
	b = jsonw.Key(b, name)
	if t == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
