package graph

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Error is Graph's error object: {"error":{"code","message","innerError":{…}}}.
type Error struct {
	Status    int
	Code      string
	Message   string
	RequestID string
	// RetryAfter is the wait Graph asked for, when it throttled.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("graph: HTTP %d", e.Status)
	}
	return fmt.Sprintf("graph: %s: %s (%d)", e.Code, strings.TrimSpace(e.Message), e.Status)
}

func parseError(status int, body []byte) *Error {
	var doc struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	e := &Error{Status: status}
	if json.Unmarshal(body, &doc) == nil {
		e.Code, e.Message, e.RequestID = doc.Error.Code, doc.Error.Message, doc.Error.InnerError.RequestID
	}
	return e
}

// PermissionError is Graph refusing a call (401 or 403) together with the
// permissions that call needs, least privileged first.
type PermissionError struct {
	Call  string   // the call, such as "POST /me/getMemberObjects"
	Needs []string // delegated (or, for a service principal, application) permissions
	Err   *Error
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s: %s needs %s", e.Err, e.Call, strings.Join(e.Needs, " or "))
}
func (e *PermissionError) Unwrap() error { return e.Err }
