package login

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadsSkipWorkDone: a file azid wrote canonical is given to MSAL as it
// is; one written by an earlier release (no mark) is still healed; a second
// load under one operation lock reads the file once; and any write, or the
// lock's release, makes the next load read the file again.
func TestLoadsSkipWorkDone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), CacheFileName)
	s := &Store{Path: path}
	load := func() string {
		t.Helper()
		var m memCache
		if err := s.Replace(ctx, &m, noHints); err != nil {
			t.Fatal(err)
		}
		return string(m.data)
	}

	t.Run("an unmarked file is healed, and marked", func(t *testing.T) {
		if err := os.WriteFile(path, []byte(duplicatedCache()), 0o600); err != nil {
			t.Fatal(err)
		}
		got := load()
		if strings.Count(got, `"username":"alex@contoso.example"`) != 1 || !strings.Contains(got, `"AzidCanonical":1`) {
			t.Errorf("an earlier release's cache was not canonicalised for MSAL:\n%.300s", got)
		}
	})
	t.Run("a marked file is given as it is", func(t *testing.T) {
		// Marked but (as no azid would write it) holding three accounts: the
		// mark is trusted, so the bytes reach MSAL untouched.
		marked := strings.Replace(duplicatedCache(), `{"Account"`, `{"AzidCanonical":1,"Account"`, 1)
		if err := os.WriteFile(path, []byte(marked), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := load(); got != marked {
			t.Errorf("a marked file was rewritten:\n%.300s", got)
		}
	})
	t.Run("a pending app-token drop is applied even to a marked file", func(t *testing.T) {
		marked := strings.Replace(duplicatedCache(), `{"Account"`, `{"AzidCanonical":1,"Account"`, 1)
		if err := os.WriteFile(path, []byte(marked), 0o600); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		s.dropApp = "11111111-2222-3333-4444-555555555555"
		s.mu.Unlock()
		if got := load(); strings.Contains(got, "app-secret") {
			t.Error("the app's cached token reached MSAL although a drop was pending")
		}
	})
	t.Run("one read per operation lock", func(t *testing.T) {
		if err := os.WriteFile(path, []byte(`{"AzidCanonical":1,"Account":{}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		unlock, err := s.Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		first := load()
		// Changed behind the lock's back (no azid would): the memo answers.
		if err := os.WriteFile(path, []byte(`{"AzidCanonical":1,"Account":{"x":{}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := load(); got != first {
			t.Errorf("second load under the lock read the file again: %q", got)
		}
		// A write through the store forgets the memo.
		if err := s.Export(ctx, &memCache{data: []byte(`{"Account":{"y":{}}}`)}, noHints); err != nil {
			t.Fatal(err)
		}
		if got := load(); got == first || strings.Contains(got, `"x"`) { // Export canonicalised "y"'s key
			t.Errorf("after a write the load did not read the file: %q", got)
		}
		unlock()
		if err := os.WriteFile(path, []byte(`{"AzidCanonical":1,"Account":{"z":{}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := load(); !strings.Contains(got, `"z"`) {
			t.Errorf("after the lock's release the load did not read the file: %q", got)
		}
	})
}
