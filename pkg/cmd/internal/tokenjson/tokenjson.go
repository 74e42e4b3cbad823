// Package tokenjson is the JSON and YAML schema of a decoded (and perhaps
// verified) token, shared by `azid decode` and `azid verify`.
package tokenjson

import (
	"bytes"
	"encoding/json"

	"github.com/azid-cli/azid/pkg/token"
)

// Result is the JSON and YAML form of `azid decode` and `azid verify`.
type Result struct {
	Header       *token.Object       `json:"header"`
	Claims       *token.Object       `json:"claims"`
	Token        token.Summary       `json:"token"`
	Verification *token.Verification `json:"verification,omitempty"`
}

// MarshalJSON writes the result without reflection over its parts (start-up
// cost of `azid decode -o json`); the field names are those of the struct tags.
func (r Result) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"header":`)
	for i, part := range []json.Marshaler{r.Header, r.Claims, r.Token} {
		b, err := part.MarshalJSON()
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		switch i {
		case 0:
			buf.WriteString(`,"claims":`)
		case 1:
			buf.WriteString(`,"token":`)
		}
	}
	if r.Verification != nil {
		b, err := json.Marshal(r.Verification)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"verification":`)
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
