package token

import (
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

var now = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

const (
	tid = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	// times relative to now
	iat = "1796040000" // 2026-11-30T11:00:00Z
	exp = "1796047200" // 2026-11-30T13:00:00Z
)

func classify(t *testing.T, header, payload string) Summary {
	t.Helper()
	tok, err := Parse(testjwt.Unsigned(header, payload) + "c2ln")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return Classify(tok, now)
}

const rs = `{"typ":"JWT","alg":"RS256","kid":"k"}`

func TestClassify(t *testing.T) {
	cases := []struct {
		name, header, payload string
		check                 func(t *testing.T, s Summary)
	}{
		{"v2 delegated access token", rs,
			`{"aud":"api://x","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","iat":` + iat + `,"exp":` + exp + `,"azp":"c","azpacr":"0","scp":"User.Read Mail.Send","oid":"o","sub":"s","tid":"` + tid + `","ver":"2.0"}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindAccess)
				want(t, s.Version, "2.0")
				want(t, s.SubjectType, SubjectUser)
				want(t, string(s.Cloud), "public")
				want(t, s.TenantID, tid)
				want(t, s.ClientAuth, "public client, no secret")
				want(t, strings.Join(s.Scopes, ","), "User.Read,Mail.Send")
				if s.Expired || s.NotYetValid || !s.KindLikely {
					t.Errorf("expired=%v notYetValid=%v likely=%v", s.Expired, s.NotYetValid, s.KindLikely)
				}
			}},
		{"v1 app-only access token", `{"typ":"JWT","alg":"RS256","x5t":"k","kid":"k"}`,
			`{"aud":"https://management.azure.com/","iss":"https://sts.windows.net/` + tid + `/","iat":` + iat + `,"exp":` + exp + `,"appid":"a","appidacr":"2","idp":"https://sts.windows.net/` + tid + `/","oid":"same","sub":"same","roles":["Data.ReadWrite.All"],"tid":"` + tid + `","ver":"1.0"}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindAccess)
				want(t, s.Version, "1.0")
				want(t, s.SubjectType, SubjectApp)
				want(t, s.SubjectReason, "no scp, and sub equals oid: the app itself")
				want(t, s.ClientAuth, "certificate or client assertion")
				if s.Guest {
					t.Error("guest for idp == iss")
				}
			}},
		{"idtyp app", rs, `{"aud":"x","idtyp":"app","roles":["r"],"azp":"a","oid":"1","sub":"2","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				want(t, s.SubjectType, SubjectApp)
				want(t, s.SubjectReason, "idtyp is app")
			}},
		{"v2 ID token", rs,
			`{"aud":"client","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","iat":` + iat + `,"nbf":` + iat + `,"exp":` + exp + `,"name":"A","nonce":"n","oid":"o","preferred_username":"a@b","sub":"s","tid":"` + tid + `","ver":"2.0"}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindID)
				want(t, s.SubjectType, SubjectUser)
				want(t, s.Username, "a@b")
			}},
		{"v1 ID token without nonce", rs,
			`{"aud":"client","iss":"https://sts.windows.net/` + tid + `/","exp":` + exp + `,"name":"A","sub":"s","upn":"a@b","unique_name":"a@b"}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindID)
				want(t, s.Version, "1.0")
			}},
		{"at+jwt is certain", `{"typ":"at+jwt","alg":"RS256"}`, `{"aud":"x","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindAccess)
				if s.KindLikely {
					t.Error("at+jwt marked likely")
				}
			}},
		{"graph token with nonce", `{"typ":"JWT","nonce":"abc","alg":"RS256","x5t":"k","kid":"k"}`,
			`{"aud":"00000003-0000-0000-c000-000000000000","iss":"https://sts.windows.net/` + tid + `/","appid":"c","scp":"User.Read","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.Graph {
					t.Error("Graph = false")
				}
				wantNote(t, s, "only Graph can verify")
			}},
		{"graph audience url", rs, `{"aud":"https://graph.microsoft.com/","scp":"x","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.Graph {
					t.Error("Graph = false")
				}
			}},
		{"b2c", rs, `{"aud":"client","iss":"https://contoso.b2clogin.com/tfp/` + tid + `/B2C_1_signin/v2.0/","exp":` + exp + `,"nonce":"n","sub":"s","tfp":"B2C_1_signin"}`,
			func(t *testing.T, s Summary) {
				want(t, string(s.Cloud), string(entra.CloudB2C))
				want(t, s.TenantID, tid)
				want(t, s.Version, "2.0")
				wantNote(t, s, "B2C")
			}},
		{"external id", rs, `{"aud":"client","iss":"https://` + tid + `.ciamlogin.com/` + tid + `/v2.0","tid":"` + tid + `","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				want(t, string(s.Cloud), string(entra.CloudExternalID))
			}},
		{"personal account", rs, `{"aud":"client","iss":"https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0","tid":"9188040d-6c67-4c5b-b112-36a304b66dad","exp":` + exp + `,"nonce":"n"}`,
			func(t *testing.T, s Summary) {
				if !s.PersonalAccount {
					t.Error("PersonalAccount = false")
				}
			}},
		{"guest", rs, `{"aud":"x","iss":"https://login.microsoftonline.com/` + tid + `/v2.0","idp":"https://sts.windows.net/11111111-1111-1111-1111-111111111111/","tid":"` + tid + `","scp":"a","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.Guest {
					t.Error("Guest = false")
				}
			}},
		{"us gov", rs, `{"aud":"x","iss":"https://login.microsoftonline.us/` + tid + `/v2.0","exp":` + exp + `}`,
			func(t *testing.T, s Summary) { want(t, string(s.Cloud), "usgov") }},
		{"china", rs, `{"aud":"x","iss":"https://sts.chinacloudapi.cn/` + tid + `/","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				want(t, string(s.Cloud), "china")
				want(t, s.Version, "1.0")
			}},
		{"foreign issuer", rs, `{"aud":"x","iss":"https://accounts.google.com","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				want(t, string(s.Cloud), "unknown")
				want(t, s.TenantID, "")
				wantNote(t, s, "not a Microsoft login host")
			}},
		{"groups overage", rs, `{"aud":"x","scp":"a","_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.windows.net/x/users/y/getMemberObjects"}},"exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.GroupsOverage {
					t.Error("GroupsOverage = false")
				}
			}},
		{"hasgroups", rs, `{"aud":"x","hasgroups":true,"exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.GroupsOverage {
					t.Error("GroupsOverage = false")
				}
			}},
		{"wids", rs, `{"aud":"x","scp":"a","wids":["62e90394-69f5-4237-9190-012177145e10","b79fbf4d-3ef9-4689-8143-76b194e85509","00000000-0000-0000-0000-000000000001"],"exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if len(s.DirectoryRoles) != 3 {
					t.Fatalf("roles = %+v", s.DirectoryRoles)
				}
				want(t, s.DirectoryRoles[0].Name, "Global Administrator")
				if !s.DirectoryRoles[0].Privileged || s.DirectoryRoles[1].Privileged {
					t.Error("privilege flags wrong")
				}
				want(t, s.DirectoryRoles[2].Name, "unknown role")
				wantNote(t, s, "privileged directory role: Global Administrator")
			}},
		{"unsigned", `{"typ":"JWT","alg":"none"}`, `{"aud":"x","exp":` + exp + `}`,
			func(t *testing.T, s Summary) {
				if !s.Unsigned {
					t.Error("Unsigned = false")
				}
				wantNote(t, s, "unsigned token")
			}},
		{"expired", rs, `{"aud":"x","exp":1796036400}`,
			func(t *testing.T, s Summary) {
				if !s.Expired {
					t.Error("Expired = false")
				}
			}},
		{"not yet valid", rs, `{"aud":"x","nbf":1796047200,"exp":1796050800}`,
			func(t *testing.T, s Summary) {
				if !s.NotYetValid {
					t.Error("NotYetValid = false")
				}
			}},
		{"no exp", rs, `{"aud":"x"}`,
			func(t *testing.T, s Summary) { wantNote(t, s, "no valid exp") }},
		{"duplicate claims", rs, `{"aud":"x","aud":"y","exp":` + exp + `}`,
			func(t *testing.T, s Summary) { wantNote(t, s, `duplicate claim "aud" written "x" then "y"`) }},
		{"claim written three times", rs, `{"roles":["User"],"exp":` + exp + `,"roles":[],"roles":["Admin"]}`,
			func(t *testing.T, s Summary) {
				wantNote(t, s, `duplicate claim "roles" written ["User"] then [] then ["Admin"]`)
				if n := strings.Count(strings.Join(s.Notes, "\n"), "duplicate claim"); n != 1 {
					t.Errorf("%d duplicate notes for one name, want 1: %q", n, s.Notes)
				}
			}},
		{"duplicate header member", `{"alg":"RS256","kid":"a","kid":"b"}`, `{"aud":"x","exp":` + exp + `}`,
			func(t *testing.T, s Summary) { wantNote(t, s, `duplicate header member "kid" written "a" then "b"`) }},
		{"empty", rs, `{}`,
			func(t *testing.T, s Summary) {
				want(t, s.Kind, KindUnknown)
				want(t, s.SubjectType, SubjectUnknown)
				if s.Audience == nil || s.Notes == nil {
					t.Error("nil slices would marshal as null")
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, classify(t, tc.header, tc.payload)) })
	}
}

func want(t *testing.T, got, expected string) {
	t.Helper()
	if got != expected {
		t.Errorf("got %q, want %q", got, expected)
	}
}

func wantNote(t *testing.T, s Summary, sub string) {
	t.Helper()
	for _, n := range s.Notes {
		if strings.Contains(n, sub) {
			return
		}
	}
	t.Errorf("no note contains %q; notes: %q", sub, s.Notes)
}

func TestExplainClaims(t *testing.T) {
	for _, name := range []string{"aud", "iss", "oid", "tid", "scp", "roles", "wids", "xms_cc", "idtyp", "amr"} {
		if m, ok := ExplainClaim(name); !ok || m == "" {
			t.Errorf("ExplainClaim(%q) not found", name)
		}
	}
	if m, ok := ExplainClaim("xms_newthing"); !ok || !strings.Contains(m, "undocumented") {
		t.Errorf("xms_ prefix: %q %v", m, ok)
	}
	if _, ok := ExplainClaim("frobnicate"); ok {
		t.Error("unknown claim explained")
	}
	if _, ok := ExplainHeader("jku"); !ok {
		t.Error("jku not explained")
	}
}
