package login

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	msalerrors "github.com/AzureAD/microsoft-authentication-library-for-go/apps/errors"

	"github.com/azid-cli/azid/pkg/entra"
)

// Fix says what resolves an AuthError; the command turns it into words
// naming its own flags and commands.
type Fix int

// The fixes azid knows.
const (
	FixNone Fix = iota
	FixSignInAgain
	FixDeviceDeclined
	FixDeviceExpired
	FixDeviceBadCode
	FixConsent
	FixGraphDefaultScope
	FixMFA
	FixConditionalAccess
	FixClientID
	FixTenant
	FixGuest
	FixSecretValue
	FixSecretExpired
	FixPassword
	FixScope
	FixAppRegistration
	FixLookUpCode
)

// AuthError is a failure from Entra, explained: what the OAuth error and
// AADSTS code mean, Entra's own words, the IDs support asks for, and what
// fixes it. It never holds a token or a secret.
type AuthError struct {
	// OAuth is the OAuth error code (invalid_grant, interaction_required, …).
	OAuth string
	// Code is the AADSTS number, or 0.
	Code int
	// Message is azid's one-line explanation.
	Message string
	// Description is the first line of Entra's error_description, without
	// the trace tail (it names the app, tenant or redirect URI involved).
	Description string
	// TraceID, CorrelationID and Timestamp identify the request for support.
	TraceID, CorrelationID, Timestamp string
	// Fix is what resolves it.
	Fix Fix
	// NeedsSignIn is true when signing in (again, interactively) is the fix.
	NeedsSignIn bool
	// BadCredential is true when the app's secret or certificate was refused.
	BadCredential bool
}

func (e *AuthError) Error() string { return e.Message }

// oauthErrorBody is Entra's token-endpoint error response.
type oauthErrorBody struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	SubError      string `json:"suberror"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	Timestamp     string `json:"timestamp"`
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
	// MSAL's CallErr carries the response; its message ends with the body.
	var ce msalerrors.CallErr
	if !errors.As(err, &ce) {
		return err
	}
	msg := ce.Error()
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
	e := &AuthError{OAuth: b.Error, Description: firstLine(b.Description), TraceID: b.TraceID, CorrelationID: b.CorrelationID, Timestamp: b.Timestamp}
	if e.TraceID == "" {
		e.TraceID = afterLabel(b.Description, "Trace ID:")
	}
	if e.CorrelationID == "" {
		e.CorrelationID = afterLabel(b.Description, "Correlation ID:")
	}
	if e.Timestamp == "" {
		e.Timestamp = afterLabel(b.Description, "Timestamp:")
	}
	if len(b.Codes) > 0 {
		e.Code = b.Codes[0]
	} else if code, ok := entra.FindAADSTS(b.Description); ok {
		e.Code = code
	}
	switch b.Error {
	case "authorization_declined":
		e.Message, e.Fix, e.NeedsSignIn = "sign-in was declined on the device-code page", FixDeviceDeclined, true
		return e
	case "expired_token":
		e.Message, e.Fix, e.NeedsSignIn = "the device code expired before the sign-in was finished", FixDeviceExpired, true
		return e
	case "bad_verification_code":
		e.Message, e.Fix, e.NeedsSignIn = "the code typed on the sign-in page was wrong", FixDeviceBadCode, true
		return e
	}
	head := b.Error
	if e.Code != 0 {
		head = "AADSTS" + strconv.Itoa(e.Code)
		if a, ok := entra.LookupAADSTS(e.Code); ok {
			head += " " + a.Name + ": " + a.Meaning
		} else if d := e.Description; d != "" {
			head += ": " + strings.TrimPrefix(d, "AADSTS"+strconv.Itoa(e.Code)+": ")
		}
	} else if d := e.Description; d != "" {
		head += ": " + d
	}
	e.Message = head
	switch e.Code {
	case 65001, 90094:
		e.Fix, e.NeedsSignIn = FixConsent, true
	case 65002:
		e.Fix = FixGraphDefaultScope
	case 50076, 50079, 50074, 50072, 50078:
		e.Fix, e.NeedsSignIn = FixMFA, true
	case 53003, 53000, 53001, 53002, 50005:
		e.Fix, e.NeedsSignIn = FixConditionalAccess, true
	case 700016:
		e.Fix = FixClientID
	case 90002:
		e.Fix = FixTenant
	case 50020, 50034, 51004:
		e.Fix, e.NeedsSignIn = FixGuest, true
	case 7000215, 7000216, 700027, 700023:
		e.Fix, e.BadCredential = FixSecretValue, true
	case 7000222:
		e.Fix, e.BadCredential = FixSecretExpired, true
	case 50173, 700082, 70008, 700084, 70043, 50132, 50133:
		e.Fix, e.NeedsSignIn = FixSignInAgain, true
	case 50126:
		e.Fix, e.NeedsSignIn = FixPassword, true
	case 70011:
		e.Fix = FixScope
	}
	if e.Fix == FixNone {
		switch b.Error {
		case "interaction_required", "invalid_grant", "consent_required", "login_required":
			e.Fix, e.NeedsSignIn = FixSignInAgain, true
		case "invalid_client", "unauthorized_client":
			e.Fix = FixAppRegistration
			e.BadCredential = b.Error == "invalid_client"
		case "invalid_scope":
			e.Fix = FixScope
		default:
			if e.Code != 0 {
				e.Fix = FixLookUpCode
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

// afterLabel reads the value after label in Entra's error_description tail
// ("Trace ID: … Correlation ID: … Timestamp: …").
func afterLabel(desc, label string) string {
	i := strings.Index(desc, label)
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(desc[i+len(label):])
	for _, next := range []string{"Correlation ID:", "Timestamp:", "Trace ID:", "\n", "\r"} {
		if j := strings.Index(rest, next); j >= 0 {
			rest = rest[:j]
		}
	}
	return strings.TrimSpace(rest)
}
