package token

import "strings"

// ClaimInfo explains one JWT header member or claim.
type ClaimInfo struct {
	Name    string
	Meaning string
}

// headerInfo explains JOSE header members (RFC 7515 and Entra practice).
var headerInfo = [...]ClaimInfo{
	{"typ", "media type of the token: JWT (at+jwt marks an access token)"},
	{"alg", "signing algorithm; Entra signs with RS256, \"none\" means unsigned"},
	{"kid", "ID of the key that signed the token, looked up in the issuer's key set"},
	{"x5t", "thumbprint of the signing certificate; same as kid, v1 tokens only"},
	{"nonce", "Microsoft first-party (e.g. Graph) token: the signature covers a transformed nonce, so only that service can verify it"},
	{"cty", "content type of the payload (a nested token when \"JWT\")"},
	{"jku", "URL of a key set, chosen by whoever made the token: never trusted"},
	{"x5u", "URL of a certificate, chosen by whoever made the token: never trusted"},
	{"jwk", "public key embedded by whoever made the token: never trusted"},
	{"x5c", "certificate chain embedded by whoever made the token: never trusted"},
	{"crit", "header extensions the recipient must understand"},
	{"enc", "content encryption algorithm (encrypted tokens)"},
	{"zip", "compression of the payload"},
}

// claimInfo explains claims, from Microsoft's access token, ID token and
// optional claims references and the JWT and OpenID Connect specifications.
var claimInfo = [...]ClaimInfo{
	{"aud", "audience: the app or API the token is for; the recipient must check it is itself"},
	{"iss", "issuer: the security token service and tenant that issued the token"},
	{"idp", "identity provider that authenticated the user; differs from iss for guests and personal accounts"},
	{"iat", "issued at: when the token was issued"},
	{"nbf", "not before: the token must not be accepted before this time"},
	{"exp", "expiry: the token must not be accepted after this time"},
	{"auth_time", "when the user last authenticated"},
	{"aio", "opaque value Entra uses internally; ignore"},
	{"acr", "authentication context class; \"0\" means the sign-in did not meet ISO/IEC 29115 (v1)"},
	{"acrs", "Conditional Access authentication contexts the user satisfied"},
	{"amr", "how the user authenticated (password, MFA, …)"},
	{"appid", "client application (caller) ID (v1)"},
	{"appidacr", "how the client authenticated: 0 public client, 1 secret, 2 certificate (v1)"},
	{"azp", "client application (caller) ID (v2)"},
	{"azpacr", "how the client authenticated: 0 public client, 1 secret, 2 certificate (v2)"},
	{"app_displayname", "display name of the client application (undocumented)"},
	{"preferred_username", "primary username (email, phone or UPN); mutable, for display only"},
	{"name", "display name of the user; mutable, for display only"},
	{"given_name", "first name of the user"},
	{"family_name", "surname of the user"},
	{"unique_name", "human-readable name of the user; display only (v1)"},
	{"upn", "user principal name; mutable, for display and login hints only"},
	{"email", "email address; unverified and mutable, never use it to authorise"},
	{"scp", "delegated permissions (scopes) the user granted the client, space-separated"},
	{"roles", "app roles: application permissions of an app-only token, or the user's roles in the app"},
	{"wids", "Entra directory roles of the user, as role template IDs"},
	{"groups", "object IDs of the groups the user belongs to"},
	{"hasgroups", "the user is in too many groups to list here: query Microsoft Graph"},
	{"_claim_names", "claims too large for the token (groups overage), with where to fetch them"},
	{"_claim_sources", "where to fetch the claims named in _claim_names"},
	{"sub", "subject: unique, immutable ID of the user for this application (pairwise)"},
	{"oid", "object ID of the user or service principal in the tenant; same across apps"},
	{"tid", "tenant ID the user signed in to"},
	{"uti", "unique token identifier (like jti)"},
	{"jti", "unique token identifier"},
	{"rh", "opaque value Entra uses to revalidate tokens; ignore"},
	{"ver", "token version: 1.0 or 2.0"},
	{"idtyp", "token type: app for app-only tokens, user for user tokens (optional claim)"},
	{"xms_cc", "client capabilities: cp1 means the client can handle claims challenges (CAE)"},
	{"xms_ssm", "internal claim; undocumented"},
	{"xms_st", "internal claim; undocumented"},
	{"xms_tcdt", "tenant creation time; undocumented"},
	{"xms_ftd", "internal claim; undocumented"},
	{"xms_idrel", "internal claim; undocumented"},
	{"xms_mirid", "managed identity: ARM resource ID of the identity; undocumented"},
	{"xms_edov", "the email domain owner is verified (optional claim)"},
	{"xms_pdl", "preferred data location (Multi-Geo)"},
	{"xms_pl", "user's preferred language"},
	{"xms_tpl", "tenant's preferred language"},
	{"nonce", "echo of the nonce the app sent to /authorize; the app must check it (ID tokens)"},
	{"c_hash", "hash of the authorization code issued with this ID token"},
	{"at_hash", "hash of the access token issued with this ID token"},
	{"ipaddr", "IP address the user authenticated from"},
	{"onprem_sid", "on-premises security identifier of the user"},
	{"pwd_exp", "when the user's password expires"},
	{"pwd_url", "where the user can change their password"},
	{"in_corp", "the client signs in from the corporate network"},
	{"nickname", "another name for the user"},
	{"acct", "account status in the tenant: 0 member, 1 guest"},
	{"ctry", "user's country or region"},
	{"tenant_ctry", "resource tenant's country or region"},
	{"tenant_region_scope", "region of the resource tenant"},
	{"fwd", "original client IP address, when behind a VNET"},
	{"login_hint", "opaque, reliable login hint for this user"},
	{"verified_primary_email", "user's primary authoritative email"},
	{"verified_secondary_email", "user's secondary authoritative email"},
	{"vnet", "VNET specifier information"},
	{"ztdid", "zero-touch deployment (Autopilot) device ID"},
	{"sid", "session ID, used for per-session sign-out"},
	{"puid", "internal user identifier; undocumented"},
	{"platf", "device platform; undocumented"},
	{"deviceid", "ID of the device the user signed in on"},
	{"signin_state", "sign-in state, such as kmsi (keep me signed in) or dvc_cmp (compliant device)"},
	{"tfp", "B2C user flow (policy) that issued the token"},
	{"emails", "B2C: the user's email addresses"},
	{"cnf", "confirmation key: the token is bound to a proof-of-possession key"},
}

// ExplainClaim returns the one-line meaning of a claim.
func ExplainClaim(name string) (string, bool) { return lookupInfo(claimInfo[:], name) }

// ExplainClaimIn returns the meaning of a claim in a token of the given kind
// (KindAccess, KindID) and subject type (SubjectApp, SubjectUser): in an
// app-only token sub and oid are the client application's service
// principal, not a user; an ID token's aud is the app that signed the user
// in. Other claims mean what ExplainClaim says.
func ExplainClaimIn(name, kind, subject string) (string, bool) {
	if subject == SubjectApp {
		switch name {
		case "sub":
			return "subject: the client application's service principal (the same as oid); no user is involved", true
		case "oid":
			return "object ID of the client application's service principal in the tenant", true
		case "tid":
			return "tenant ID the application got the token in", true
		case "roles":
			return "app roles: the application permissions granted to the client application", true
		case "appid", "azp":
			return "client application ID: the app that got this token for itself (v" + map[string]string{"appid": "1", "azp": "2"}[name] + ")", true
		}
	}
	if kind == KindID {
		switch name {
		case "aud":
			return "audience: the client ID of the app the user signed in to (an ID token is for that app, never for an API)", true
		case "sub":
			return "subject: the signed-in user's unique, immutable ID for this application (pairwise): the key to store the user under", true
		}
	}
	if subject == SubjectUser && name == "roles" {
		return "app roles the signed-in user (or a group of theirs) is assigned in the app the token is for", true
	}
	return ExplainClaim(name)
}

// ExplainHeader returns the one-line meaning of a header member.
func ExplainHeader(name string) (string, bool) { return lookupInfo(headerInfo[:], name) }

func lookupInfo(list []ClaimInfo, name string) (string, bool) {
	for _, c := range list {
		if c.Name == name {
			return c.Meaning, true
		}
	}
	if strings.HasPrefix(name, "xms_") {
		return "Microsoft internal claim; undocumented", true
	}
	return "", false
}

// amrInfo explains values of the amr claim.
var amrInfo = [...]ClaimInfo{
	{"pwd", "password"},
	{"rsa", "RSA key (e.g. Authenticator app or certificate)"},
	{"otp", "one-time passcode"},
	{"fed", "federated assertion"},
	{"wia", "Windows Integrated Authentication"},
	{"mfa", "multifactor authentication"},
	{"ngcmfa", "multifactor (advanced credential)"},
	{"wiaormfa", "Windows or MFA credential"},
	{"none", "no completed authentication"},
	{"kba", "knowledge-based"},
	{"face", "face biometric"},
	{"fido", "FIDO2 key"},
	{"hwk", "hardware key"},
	{"swk", "software key"},
	{"pop", "proof of possession"},
	{"sms", "text message"},
	{"tel", "phone call"},
}

// ExplainAMR returns the meaning of one amr value.
func ExplainAMR(v string) (string, bool) { return lookupInfo(amrInfo[:], v) }

// ClientAuthMethod explains an appidacr/azpacr value.
func ClientAuthMethod(v string) string {
	switch v {
	case "0":
		return "public client, no secret"
	case "1":
		return "client secret"
	case "2":
		return "certificate or client assertion"
	}
	return ""
}

// ClaimNames lists the claims ExplainClaim knows (for suggestions).
func ClaimNames() []string { return infoNames(claimInfo[:]) }

// HeaderNames lists the header members ExplainHeader knows.
func HeaderNames() []string { return infoNames(headerInfo[:]) }

func infoNames(list []ClaimInfo) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = c.Name
	}
	return out
}
