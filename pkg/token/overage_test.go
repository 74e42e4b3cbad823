package token

import (
	"strings"
	"testing"

	"github.com/azid-cli/azid/pkg/entra"
)

func TestDetectOverage(t *testing.T) {
	const oid = "3f2e1d0c-b9a8-4765-8432-10fedcba9876"
	for _, tc := range []struct {
		name, claims, subject string
		cloud                 entra.Cloud
		want                  Overage // zero Shape: no overage
	}{
		{"v1 AAD Graph pointer", `{"oid":"` + oid + `","_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/72f988bf/users/` + oid + `/getMemberObjects"}}}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageClaimSources, Source: "src1", Endpoint: "https://graph.windows.net/72f988bf/users/" + oid + "/getMemberObjects", RetiredEndpoint: true, SubjectKind: "user", SubjectID: oid, GraphURL: "https://graph.microsoft.com/v1.0/users/" + oid + "/getMemberObjects"}},
		{"v2 docs pointer with placeholder, no oid", `{"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.microsoft.com/v1.0/users/{userID}/getMemberObjects"}}}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageClaimSources, Source: "src1", Endpoint: "https://graph.microsoft.com/v1.0/users/{userID}/getMemberObjects", SubjectKind: "me", GraphURL: "https://graph.microsoft.com/v1.0/me/getMemberObjects"}},
		{"oid from the endpoint", `{"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/t/users/abc/getMemberObjects"}}}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageClaimSources, Source: "src1", Endpoint: "https://graph.windows.net/t/users/abc/getMemberObjects", RetiredEndpoint: true, SubjectKind: "user", SubjectID: "abc", GraphURL: "https://graph.microsoft.com/v1.0/users/abc/getMemberObjects"}},
		{"app-only, US Gov", `{"oid":"sp1","_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.microsoftazure.us/t/servicePrincipals/sp1/getMemberObjects"}}}`, SubjectApp, entra.CloudUSGov,
			Overage{Shape: OverageClaimSources, Source: "src1", Endpoint: "https://graph.microsoftazure.us/t/servicePrincipals/sp1/getMemberObjects", RetiredEndpoint: true, SubjectKind: "servicePrincipal", SubjectID: "sp1", GraphURL: "https://graph.microsoft.us/v1.0/servicePrincipals/sp1/getMemberObjects"}},
		{"Easy Auth flattened strings", `{"oid":"u","_claim_names":"{\"groups\":\"src1\"}","_claim_sources":"{\"src1\":{\"endpoint\":\"https://graph.windows.net/t/users/u/getMemberObjects\"}}"}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageClaimSources, Source: "src1", Endpoint: "https://graph.windows.net/t/users/u/getMemberObjects", RetiredEndpoint: true, SubjectKind: "user", SubjectID: "u", GraphURL: "https://graph.microsoft.com/v1.0/users/u/getMemberObjects"}},
		{"source missing", `{"oid":"u","_claim_names":{"groups":"src2"},"_claim_sources":{"src1":{"endpoint":"x"}}}`, SubjectUser, entra.CloudChina,
			Overage{Shape: OverageClaimSources, Source: "src2", SubjectKind: "user", SubjectID: "u", GraphURL: "https://microsoftgraph.chinacloudapi.cn/v1.0/users/u/getMemberObjects", Problem: `_claim_sources has no source "src2"`}},
		{"foreign endpoint is only read", `{"oid":"u","_claim_names":{"groups":"s"},"_claim_sources":{"s":{"endpoint":"https://evil.example/users/x/getMemberObjects"}}}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageClaimSources, Source: "s", Endpoint: "https://evil.example/users/x/getMemberObjects", SubjectKind: "user", SubjectID: "u", GraphURL: "https://graph.microsoft.com/v1.0/users/u/getMemberObjects", Problem: "the endpoint evil.example is not a Microsoft Graph host"}},
		{"hasgroups", `{"oid":"u","hasgroups":true}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageHasGroups, SubjectKind: "user", SubjectID: "u", GraphURL: "https://graph.microsoft.com/v1.0/users/u/getMemberObjects"}},
		{"SAML groups.link", `{"oid":"u","http://schemas.microsoft.com/claims/groups.link":"https://graph.windows.net/t/users/u/getMemberObjects"}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageGroupsLink, Endpoint: "https://graph.windows.net/t/users/u/getMemberObjects", RetiredEndpoint: true, SubjectKind: "user", SubjectID: "u", GraphURL: "https://graph.microsoft.com/v1.0/users/u/getMemberObjects"}},
		{"groups:src1 pointer", `{"oid":"u","groups":"groups:src1"}`, SubjectUser, entra.CloudPublic,
			Overage{Shape: OverageGroupsLink, Source: "src1", SubjectKind: "user", SubjectID: "u", GraphURL: "https://graph.microsoft.com/v1.0/users/u/getMemberObjects"}},
		{"hasgroups false", `{"hasgroups":false}`, SubjectUser, entra.CloudPublic, Overage{}},
		{"other claim names only", `{"_claim_names":{"wids":"src1"}}`, SubjectUser, entra.CloudPublic, Overage{}},
		{"groups present", `{"groups":["a","b"]}`, SubjectUser, entra.CloudPublic, Overage{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseObject([]byte(tc.claims))
			if err != nil {
				t.Fatal(err)
			}
			got := DetectOverage(o, tc.subject, o.Str("oid"), tc.cloud)
			if tc.want.Shape == "" {
				if got != nil {
					t.Fatalf("overage %+v in a token without one", got)
				}
				return
			}
			if got == nil || *got != tc.want {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			if n := got.Note(); !strings.HasPrefix(n, "groups overage: ") || !strings.Contains(n, got.GraphURL) {
				t.Errorf("note %q", n)
			}
		})
	}
}

func FuzzDetectOverage(f *testing.F) {
	f.Add(`{"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/t/users/u/getMemberObjects"}}}`, "user", "u")
	f.Add(`{"hasgroups":"true"}`, "app", "")
	f.Add(`{"_claim_names":"{\"groups\":\"s\"}","_claim_sources":"{\"s\":{\"endpoint\":\"https://[::1\"}}"}`, "user", "")
	f.Add(`{"groups":"groups:"}`, "user", "a/b")
	f.Fuzz(func(t *testing.T, claims, subject, oid string) {
		o, err := parseObject([]byte(claims))
		if err != nil {
			return
		}
		ov := DetectOverage(o, subject, oid, entra.CloudPublic)
		if ov == nil {
			return
		}
		if !strings.HasPrefix(ov.GraphURL, "https://graph.microsoft.") && !strings.HasPrefix(ov.GraphURL, "https://microsoftgraph.") && !strings.HasPrefix(ov.GraphURL, "https://dod-graph.") {
			t.Fatalf("Graph URL off the Graph hosts: %q", ov.GraphURL)
		}
		if !strings.HasSuffix(ov.GraphURL, "/getMemberObjects") || strings.Count(ov.GraphURL, "/") != strings.Count("https://h/v1.0/x/getMemberObjects", "/")+map[bool]int{true: 1}[ov.SubjectKind != "me"] {
			t.Fatalf("Graph URL path %q (subject %q)", ov.GraphURL, ov.SubjectKind)
		}
		if strings.Contains(ov.Note(), "\n") {
			t.Fatal("multi-line note")
		}
	})
}
