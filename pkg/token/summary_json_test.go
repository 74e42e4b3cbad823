package token

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/azid-cli/azid/pkg/entra"
)

func TestSummaryJSONMatchesReflection(t *testing.T) {
	type plain Summary // same fields and tags, without the MarshalJSON method
	tm := time.Date(2026, 11, 30, 12, 0, 0, 500, time.UTC)
	for _, s := range []Summary{
		{Kind: KindAccess, KindLikely: true, KindReason: "r", Version: "2.0", SubjectType: SubjectUser, SubjectReason: "x", Issuer: "https://i/<&>",
			TenantID: "t", Cloud: entra.CloudPublic, Audience: []string{"a", "b\"c"}, ClientID: "c", ClientAuth: "ca", Subject: "s", ObjectID: "o",
			Username: "ü@x", Name: "n\x01", Scopes: []string{"s1"}, Roles: []string{"r1"}, IssuedAt: &tm, NotBefore: &tm, ExpiresAt: &tm,
			Expired: true, NotYetValid: true, PersonalAccount: true, Guest: true, Graph: true, Unsigned: true, GroupsOverage: true,
			GroupsOverageSource: &Overage{Shape: "claim_sources", Source: "src1", Endpoint: "https://graph.windows.net/x", RetiredEndpoint: true, SubjectKind: "user", SubjectID: "o", GraphURL: "https://graph.microsoft.com/v1.0/users/o/getMemberObjects", Problem: "p"},
			DirectoryRoles:      []entra.Role{{ID: "i", Name: "n", Privileged: true, Note: "no"}, {ID: "j", Name: "m"}}, AuthMethods: []string{"pwd"}, Notes: []string{"n1"}},
		{Kind: KindUnknown, SubjectType: SubjectUnknown, Cloud: entra.CloudUnknown, Audience: []string{}, Notes: []string{}},
		{},
	} {
		got, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(plain(s))
		if string(got) != string(want) {
			t.Errorf("hand-encoded\n%s\nencoding/json\n%s", got, want)
		}
	}
}
