package e2e

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
)

// TestHeadlineSaysWhy: issue 11 item 10. The headline's app-only or
// user-delegated names the claims that decided it, and claim meanings fit
// the token: in an app-only token sub is the application's service
// principal, not a user.
func TestHeadlineSaysWhy(t *testing.T) {
	key := testjwt.SharedKey(t, "k")
	now := time.Now()
	appOnly := key.SignClaims(t, map[string]any{"aud": "api://my-api", "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
		"appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "oid": "5a1b2c3d-0000-4000-8000-000000000001", "sub": "5a1b2c3d-0000-4000-8000-000000000001",
		"roles": []string{"Data.Read.All"}, "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "1.0", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix()})
	r := run(t, appOnly, nil, "decode")
	if r.code != 0 || !strings.Contains(r.stdout, "app-only (no scp, and sub equals oid: the app itself)") ||
		!strings.Contains(r.stdout, "the client application's service principal (the same as oid); no user is involved") ||
		strings.Contains(r.stdout, "ID of the user for this application") {
		t.Errorf("app-only token:\n%s%s", r.stdout, r.stderr)
	}
	delegated := key.SignClaims(t, map[string]any{"aud": "api://my-api", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
		"azp": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "scp": "access_as_user", "idtyp": "user", "oid": "3f2e1d0c-b9a8-4765-8432-10fedcba9876", "sub": "pairwise-sub",
		"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0", "exp": now.Add(time.Hour).Unix()})
	if r := run(t, delegated, nil, "decode"); r.code != 0 || !strings.Contains(r.stdout, "user-delegated (idtyp is user)") {
		t.Errorf("delegated token:\n%s%s", r.stdout, r.stderr)
	}
}

// TestHeadersShowTimesAsDecode: issue 11 item 10, headers and me show
// times as decode does (the principal's exp, X-MS-TOKEN-AAD-EXPIRES-ON).
func TestHeadersShowTimesAsDecode(t *testing.T) {
	exp := time.Now().Add(42*time.Minute + 30*time.Second).Unix()
	principal := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf(`{"auth_typ":"aad","claims":[{"typ":"exp","val":"%d"},{"typ":"name","val":"Alex"}],"name_typ":"name","role_typ":"roles"}`, exp)))
	in := "X-MS-CLIENT-PRINCIPAL: " + principal + "\nX-MS-TOKEN-AAD-EXPIRES-ON: " + time.Unix(exp, 0).UTC().Format(time.RFC3339) + "\n"
	r := run(t, in, nil, "headers")
	if r.code != 0 || strings.Count(r.stdout, "(expires in 42m)") != 2 {
		t.Errorf("headers:\n%s%s", r.stdout, r.stderr)
	}
}
