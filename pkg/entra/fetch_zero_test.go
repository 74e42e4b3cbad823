package entra

import (
	"context"
	"strings"
	"testing"
)

// TestZeroFetcher: the zero value says what is missing instead of panicking.
func TestZeroFetcher(t *testing.T) {
	var f Fetcher
	_, _, err := f.KeySet(context.Background(), "https://login.microsoftonline.com/common/discovery/v2.0/keys", false)
	if err == nil || !strings.Contains(err.Error(), "no HTTP client") {
		t.Errorf("KeySet on a zero Fetcher: %v", err)
	}
	_, _, err = f.Metadata(context.Background(), "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration")
	if err == nil || !strings.Contains(err.Error(), "no HTTP client") {
		t.Errorf("Metadata on a zero Fetcher: %v", err)
	}
}
