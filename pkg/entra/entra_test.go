package entra

import "testing"

func TestParseAADSTS(t *testing.T) {
	cases := map[string]int{"AADSTS50011": 50011, "aadsts700016": 700016, "50011": 50011, " 7000215 ": 7000215}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got, ok := ParseAADSTS(in); !ok || got != want {
				t.Errorf("ParseAADSTS(%q) = %d %v", in, got, ok)
			}
		})
	}
	for _, bad := range []string{"", "AADSTS", "abc", "123", "AADSTS12a45", "123456789", "-5001"} {
		if _, ok := ParseAADSTS(bad); ok {
			t.Errorf("ParseAADSTS(%q) accepted", bad)
		}
	}
}

func TestLookupAADSTS(t *testing.T) {
	a, ok := LookupAADSTS(50011)
	if !ok || a.Name != "InvalidReplyTo" || !a.Symbolic() || a.Meaning == "" || a.Fix == "" {
		t.Fatalf("50011 = %+v", a)
	}
	b, ok := LookupAADSTS(500133)
	if !ok || b.Symbolic() || b.Name == "" {
		t.Errorf("500133 (titled, no symbolic name) = %+v", b)
	}
	for _, code := range []int{65001, 50076, 50079, 53003, 700016, 90002, 50020, 7000215, 7000222, 50173, 700082, 90124, 90130} {
		if _, ok := LookupAADSTS(code); !ok {
			t.Errorf("AADSTS%d missing from the catalogue", code)
		}
	}
	for _, absent := range []int{0, 1, 50004, 99999, 100000, 500000, 99999999} {
		if a, ok := LookupAADSTS(absent); ok {
			t.Errorf("AADSTS%d found: %+v", absent, a)
		}
	}
	if code, ok := FindAADSTS("AADSTS50076: Due to a configuration change"); !ok || code != 50076 {
		t.Errorf("FindAADSTS = %d %v", code, ok)
	}
	if _, ok := FindAADSTS("no code here"); ok {
		t.Error("FindAADSTS found a code in plain text")
	}
}

func TestRoles(t *testing.T) {
	r, ok := LookupRole("62E90394-69F5-4237-9190-012177145E10")
	if !ok || r.Name != "Global Administrator" || !r.Privileged {
		t.Errorf("Global Administrator = %+v", r)
	}
	if r, ok := LookupRole("88d8e3e3-8f55-4a1e-953a-9b9898b8876b"); !ok || r.Privileged {
		t.Errorf("Directory Readers = %+v", r)
	}
	if _, ok := LookupRoleByName("global administrator"); !ok {
		t.Error("role by name")
	}
	if len(builtinRoles) < 100 {
		t.Errorf("only %d roles", len(builtinRoles))
	}
}

func TestParseIssuer(t *testing.T) {
	cases := []struct {
		iss    string
		cloud  Cloud
		tenant string
		v2     bool
	}{
		{"https://login.microsoftonline.com/t/v2.0", CloudPublic, "t", true},
		{"https://sts.windows.net/t/", CloudPublic, "t", false},
		{"https://login.microsoftonline.us/t/v2.0", CloudUSGov, "t", true},
		{"https://login.partner.microsoftonline.cn/t/v2.0", CloudChina, "t", true},
		{"https://sts.chinacloudapi.cn/t/", CloudChina, "t", false},
		{"https://contoso.b2clogin.com/tfp/t/B2C_1_x/v2.0/", CloudB2C, "t", true},
		{"https://contoso.b2clogin.com/t/v2.0/", CloudB2C, "t", true},
		{"https://t.ciamlogin.com/t/v2.0", CloudExternalID, "t", true},
		{"https://evil.example/login.microsoftonline.com/t/v2.0", CloudUnknown, "login.microsoftonline.com", true},
		{"https://login.microsoftonline.com.evil.example/t/v2.0", CloudUnknown, "t", true},
		{"https://b2clogin.com/t/v2.0", CloudUnknown, "t", true},
		// a local issuer (azid emulate) on loopback may be plain http
		{"http://127.0.0.1:8400/t/v2.0", CloudUnknown, "t", true},
		{"http://localhost:8400/t/v2.0", CloudUnknown, "t", true},
		{"http://[::1]:8400/t/v2.0", CloudUnknown, "t", true},
	}
	for _, tc := range cases {
		t.Run(tc.iss, func(t *testing.T) {
			info, ok := ParseIssuer(tc.iss)
			if !ok || info.Cloud != tc.cloud || info.Tenant != tc.tenant || info.V2 != tc.v2 {
				t.Errorf("ParseIssuer(%q) = %+v %v", tc.iss, info, ok)
			}
		})
	}
	for _, bad := range []string{"", "http://login.microsoftonline.com/t/v2.0", "http://10.0.0.1:8400/t/v2.0", "http://localhost.evil.example/t/v2.0", "not a url", "https://"} {
		if _, ok := ParseIssuer(bad); ok {
			t.Errorf("ParseIssuer(%q) accepted", bad)
		}
	}
}

func TestIsGUID(t *testing.T) {
	if !IsGUID("72f988bf-86f1-41af-91ab-2d7cd011db47") || !IsGUID("72F988BF-86F1-41AF-91AB-2D7CD011DB47") {
		t.Error("valid GUID rejected")
	}
	for _, bad := range []string{"", "contoso.onmicrosoft.com", "72f988bf-86f1-41af-91ab-2d7cd011db4", "72f988bf186f1-41af-91ab-2d7cd011db47", "zzf988bf-86f1-41af-91ab-2d7cd011db47"} {
		if IsGUID(bad) {
			t.Errorf("IsGUID(%q) = true", bad)
		}
	}
}

func TestGraphAudience(t *testing.T) {
	for _, a := range []string{"00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com", "https://graph.microsoft.com/", "https://graph.microsoft.us", "https://dod-graph.microsoft.us/"} {
		if !IsGraphAudience(a) {
			t.Errorf("%s not Graph", a)
		}
	}
	if IsGraphAudience("api://my-api") {
		t.Error("api://my-api is Graph")
	}
}
