package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/fakeidp"
	"github.com/azid-cli/azid/pkg/graph"
)

// fakeClock advances only when the client sleeps: retries never read the wall clock.
type fakeClock struct{ now time.Time }

func newClient(t *testing.T, g *fakeidp.Graph) (*graph.Client, *fakeClock) {
	idp := fakeidp.New(t)
	idp.ServeGraph(g)
	clk := &fakeClock{now: time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)}
	return &graph.Client{HTTP: idp.Client(), Endpoint: idp.URL, Token: func(context.Context) (string, error) { return "eyJfake", nil },
		Now:   func() time.Time { return clk.now },
		Sleep: func(_ context.Context, d time.Duration) error { clk.now = clk.now.Add(d); return nil }}, clk
}

func TestMembersAtScale(t *testing.T) {
	g := &fakeidp.Graph{Groups: 2500, ThrottleEvery: 3, RetryAfter: "7"}
	c, clk := newClient(t, g)
	start := clk.now
	ctx := context.Background()
	ids, err := c.MemberObjects(ctx, graph.Subject{Kind: graph.SubjectMe}, true)
	if err != nil || len(ids) != 2+1667 { // g1, g3 and two of every three generated groups
		t.Fatalf("MemberObjects: %d %v", len(ids), err)
	}
	all, err := c.MemberObjects(ctx, graph.Subject{Kind: graph.SubjectUser, ID: fakeidp.MeID}, false)
	if err != nil || len(all) != 2505 {
		t.Fatalf("MemberObjects all: %d %v", len(all), err)
	}
	objs, err := c.GetByIDs(ctx, append(all, "deleted-id"))
	if err != nil || len(objs) != 2506 || objs[0].DisplayName != "Engineering" || objs[3].TypeName() != "directoryRole" || objs[2505].DisplayName != "" {
		t.Fatalf("GetByIDs: %d %v", len(objs), err)
	}
	if n := g.Requests["/v1.0/directoryObjects/getByIds"]; n < 3 || n > 5 { // 3 batches, plus retries
		t.Errorf("getByIds requests = %d, want 3 batches", n)
	}
	check := []string{"g1", "g2", "nope", fakeidp.GroupID(2499)}
	for i := range 30 {
		check = append(check, fakeidp.GroupID(i))
	}
	in, err := c.CheckMemberGroups(ctx, graph.Subject{Kind: graph.SubjectMe}, check)
	if err != nil || len(in) != 33 {
		t.Fatalf("CheckMemberGroups: %d %v", len(in), err)
	}
	items, err := c.GetAll(ctx, "/me/transitiveMemberOf", nil)
	if err != nil || len(items) != 2505 || g.Requests["/v1.0/me/transitiveMemberOf"] < 26 {
		t.Fatalf("paged transitiveMemberOf: %d %v (%d requests)", len(items), err, g.Requests["/v1.0/me/transitiveMemberOf"])
	}
	if clk.now.Sub(start) == 0 || clk.now.Sub(start)%(7*time.Second) != 0 {
		t.Errorf("the clock moved %v: retries did not wait as Retry-After said", clk.now.Sub(start))
	}
}

func TestMembersErrors(t *testing.T) {
	g := &fakeidp.Graph{Deny: []string{"getByIds", "checkMemberGroups"}}
	c, clk := newClient(t, g)
	ctx := context.Background()
	var pe *graph.PermissionError
	if _, err := c.GetByIDs(ctx, []string{"g1"}); !errors.As(err, &pe) || pe.Needs[0] != "Directory.Read.All" || !strings.Contains(err.Error(), "Authorization_RequestDenied") {
		t.Errorf("getByIds refused: %v", err)
	}
	if _, err := c.CheckMemberGroups(ctx, graph.Subject{Kind: graph.SubjectUser, ID: "x"}, []string{"g1"}); !errors.As(err, &pe) || !strings.Contains(pe.Needs[0], "GroupMember.Read.All") {
		t.Errorf("check refused: %v", err)
	}
	g.Deny = []string{"getMemberObjects"}
	for s, want := range map[graph.Subject]string{{Kind: graph.SubjectMe}: "User.Read", {Kind: graph.SubjectUser, ID: "u"}: "User.Read.All",
		{Kind: graph.SubjectServicePrincipal, ID: fakeidp.ServicePrincipalID}: "Application.Read.All"} {
		t.Run(want, func(t *testing.T) {
			if _, err := c.MemberObjects(ctx, s, true); !errors.As(err, &pe) || pe.Needs[0] != want {
				t.Errorf("%v refused: %v", s, err)
			}
		})
	}
	g.Deny = nil
	if ids, err := c.MemberObjects(ctx, graph.Subject{Kind: graph.SubjectServicePrincipal, ID: fakeidp.ServicePrincipalID}, true); err != nil || len(ids) != 2 {
		t.Errorf("service principal: %v %v", ids, err)
	}
	var ge *graph.Error
	if _, err := c.MemberObjects(ctx, graph.Subject{Kind: graph.SubjectUser, ID: "nobody"}, true); !errors.As(err, &ge) || ge.Status != 404 {
		t.Errorf("unknown user: %v", err)
	}
	// Retry-After past the deadline: stop at once, say so.
	g.Throttle, g.RetryAfter = 1, "120"
	clk.now = time.Now() // context deadlines are wall-clock times
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var pd *graph.PastDeadlineError
	if _, err := c.MemberObjects(dctx, graph.Subject{Kind: graph.SubjectMe}, true); !errors.As(err, &pd) || pd.Wait != 2*time.Minute {
		t.Errorf("past deadline: %v", err)
	}
	if _, err := c.Post(ctx, "https://evil.example/v1.0/me/getMemberObjects", nil, []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "refusing to send the Graph token") {
		t.Errorf("post to a foreign host: %v", err)
	}
}
