package login

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/azid-cli/azid/pkg/entra"
)

// AuthError is a failure from Entra, explained: what the OAuth error and
// AADSTS code mean, and what to do. It never holds a token or a secret.
type AuthError struct {
	// OAuth is the OAuth error code (invalid_grant, interaction_required, …).
	OAuth string
	// Code is the AADSTS number, or 0.
	Code int
	// Message is the one-line explanation.
	Message string
	// Hint is the next step.
	Hint string
	// NeedsSignIn is true when signing in (again, interactively) is the fix.
	NeedsSignIn bool
}

func (e *AuthError) Error() string { return e.Message }

// oauthErrorBody is Entra's token-endpoint error response.
type oauthErrorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Codes       []int  `json:"error_codes"`
	SubError    string `json:"suberror"`
}

// Explain turns an error from MSAL into an AuthError when it carries an Entra
// error response; other errors are returned as they are.
func Explain(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ae *AuthError
	if errors.As(err, &ae) {
		return err
	}
	msg := err.Error()
	i := strings.Index(msg, "{")
	if i < 0 {
		return err
	}
	var body oauthErrorBody
	if json.NewDecoder(strings.NewReader(msg[i:])).Decode(&body) != nil || body.Error == "" {
		return err
	}
	return explainBody(body)
}

func explainBody(b oauthErrorBody) *AuthError {
	e := &AuthError{OAuth: b.Error}
	if len(b.Codes) > 0 {
		e.Code = b.Codes[0]
	} else if code, ok := entra.FindAADSTS(b.Description); ok {
		e.Code = code
	}
	switch b.Error {
	case "authorization_declined":
		e.Message, e.Hint, e.NeedsSignIn = "sign-in was declined on the device-code page", "run azid login again and approve the sign-in", true
		return e
	case "expired_token":
		e.Message, e.Hint, e.NeedsSignIn = "the device code expired before the sign-in was finished", "run azid login again and finish within the time shown", true
		return e
	case "bad_verification_code":
		e.Message, e.Hint, e.NeedsSignIn = "the code typed on the sign-in page was wrong", "run azid login again and type the code exactly", true
		return e
	}
	head := b.Error
	if e.Code != 0 {
		head = "AADSTS" + strconv.Itoa(e.Code)
		if a, ok := entra.LookupAADSTS(e.Code); ok {
			if a.Name() != "" {
				head += " " + a.Name()
			}
			head += ": " + a.Meaning()
		} else if d := firstLine(b.Description); d != "" {
			head += ": " + strings.TrimPrefix(d, "AADSTS"+strconv.Itoa(e.Code)+": ")
		}
	} else if d := firstLine(b.Description); d != "" {
		head += ": " + d
	}
	e.Message = head
	switch e.Code {
	case 65001, 90094:
		e.Hint, e.NeedsSignIn = "consent is needed: sign in interactively to consent, or ask an admin to grant consent to the app", true
	case 65002:
		e.Hint = "the Azure CLI client ID cannot ask for single Graph scopes: use --scope https://graph.microsoft.com/.default, or your own app with --client-id"
	case 50076, 50079, 50074, 50072, 50078:
		e.Hint, e.NeedsSignIn = "multifactor authentication is required: run azid login (device code or --browser) and complete MFA", true
	case 53003, 53000, 53001, 53002, 50005:
		e.Hint, e.NeedsSignIn = "blocked by Conditional Access: the tenant's sign-in logs name the policy; sign in from a device and place it allows", true
	case 700016:
		e.Hint = "the client ID is not an app in this tenant: check --client-id and --tenant (and consent for multi-tenant apps)"
	case 90002:
		e.Hint = "the tenant was not found: check --tenant (a tenant ID or verified domain) and the cloud (--authority-host)"
	case 50020, 50034, 51004:
		e.Hint, e.NeedsSignIn = "the user is not in this tenant: invite them as a guest, or sign in to their home tenant with --tenant", true
	case 7000215:
		e.Hint = "the client secret is wrong: use the secret's value (not its ID) in AZURE_CLIENT_SECRET or --client-secret-file"
	case 7000222:
		e.Hint = "the client secret has expired: create a new one for the app registration"
	case 50173, 700082, 70008, 700084, 70043, 50132, 50133:
		e.Hint, e.NeedsSignIn = "the refresh token was revoked or expired: run azid login again", true
	case 50126:
		e.Hint, e.NeedsSignIn = "wrong username or password: sign in again", true
	case 70011:
		e.Hint = "the scope is not valid: check --scope (for example https://graph.microsoft.com/.default or api://<app-id>/.default)"
	}
	if e.Hint == "" {
		switch b.Error {
		case "interaction_required", "invalid_grant", "consent_required", "login_required":
			e.Hint, e.NeedsSignIn = "sign in again: run azid login", true
		case "invalid_client", "unauthorized_client":
			e.Hint = "check the app registration: --client-id, its secret or certificate, and 'Allow public client flows' for device code"
		case "invalid_scope":
			e.Hint = "check --scope"
		default:
			if e.Code != 0 {
				e.Hint = "azid explain " + strconv.Itoa(e.Code) + ", or https://login.microsoftonline.com/error?code=" + strconv.Itoa(e.Code)
			}
		}
	}
	return e
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s, _, _ = strings.Cut(s, "\r")
	// drop the Trace ID / Correlation ID tail
	if i := strings.Index(s, " Trace ID:"); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
