package graph

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/golden"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

func TestGoldenText(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now}
	me := []byte(`{"displayName":"Alex Example","userPrincipalName":"alex@contoso.example","mail":"alex@contoso.example","id":"3f2e1d0c","jobTitle":"Retail Manager","department":"Sales","employeeId":null}`)
	if err := printUser(f, me, []string{"department", "employeeId"}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "me.txt", out.Bytes())
	out.Reset()
	items := []json.RawMessage{
		json.RawMessage(`{"@odata.type":"#microsoft.graph.group","id":"g1","displayName":"Engineering","securityEnabled":true}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.group","id":"g2","displayName":"All Company","securityEnabled":false}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.directoryRole","id":"r1","displayName":"Global Reader"}`),
		json.RawMessage(`{"@odata.type":"#microsoft.graph.administrativeUnit","id":"au1","displayName":"Seattle \u001b[31m"}`),
	}
	if err := printGroups(f, items); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "groups.txt", out.Bytes())
	out.Reset()
	_ = printGroups(f, nil)
	if out.String() != "no memberships\n" {
		t.Errorf("empty: %q", out.String())
	}
}
