package login

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// memKeys is a KeyStore in memory.
type memKeys struct {
	mu   sync.Mutex
	keys map[string]string
	down error // every call fails with this when set
}

func (k *memKeys) Get(a string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return "", k.down
	}
	v, ok := k.keys[a]
	if !ok {
		return "", ErrKeyNotFound
	}
	return v, nil
}

func (k *memKeys) Set(a, v string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return k.down
	}
	if k.keys == nil {
		k.keys = map[string]string{}
	}
	k.keys[a] = v
	return nil
}

func (k *memKeys) Delete(a string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.keys, a)
	return nil
}

func (k *memKeys) Name() string { return "the test keyring" }

func (k *memKeys) count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.keys)
}

var noHints = struct{ PartitionKey string }{}

func TestKeyringSealsTheCache(t *testing.T) {
	dir := t.TempDir()
	keys := &memKeys{}
	path := filepath.Join(dir, CacheFileName)
	// a plaintext cache as the current release writes it: migrated on the first write
	if err := os.WriteFile(path, []byte(duplicatedCache()), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Store{Path: path, Keys: keys}
	var m memCache
	if err := s.Replace(context.Background(), &m, noHints); err != nil || !strings.Contains(string(m.data), "rt-secret") {
		t.Fatalf("reading the plain cache: %v", err)
	}
	if err := s.Export(context.Background(), &m, noHints); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, secret := range []string{"rt-secret", "at-secret", "app-secret", "RefreshToken", "alex@contoso.example"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the sealed file holds %q in the clear", secret)
		}
	}
	if !isEncrypted(data) || keys.count() != 1 {
		t.Fatalf("file sealed %v, %d keys", isEncrypted(data), keys.count())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	// another process (a new Store) opens it with the key from the keyring
	var m2 memCache
	if err := (&Store{Path: path, Keys: keys}).Replace(context.Background(), &m2, noHints); err != nil || !strings.Contains(string(m2.data), "rt-secret") {
		t.Errorf("reopening: %v", err)
	}
	if got := s.Storage(); got.Kind != "keyring" || got.Where != "the test keyring" {
		t.Errorf("storage %+v", got)
	}
	// a damaged byte: the authenticated cipher refuses it
	data[len(data)-1] ^= 1
	os.WriteFile(path, data, 0o600)
	var warned string
	s3 := &Store{Path: path, Keys: keys, Warn: func(m string) { warned = m }, Now: func() time.Time { return time.Unix(1700000000, 0) }}
	var m3 memCache
	if err := s3.Replace(context.Background(), &m3, noHints); err != nil || m3.data != nil {
		t.Errorf("damaged: %v %q", err, m3.data)
	}
	if _, err := os.Stat(path + ".undecryptable-1700000000"); err != nil || !strings.Contains(warned, "could not be decrypted") {
		t.Errorf("not kept aside: %v, warning %q", err, warned)
	}
}

func TestKeyringKeyLostOrOrphaned(t *testing.T) {
	t.Run("the key is gone", func(t *testing.T) {
		dir := t.TempDir()
		keys := &memKeys{}
		path := filepath.Join(dir, CacheFileName)
		s := &Store{Path: path, Keys: keys}
		if err := s.Export(context.Background(), &memCache{data: []byte(`{"Account":{}}`)}, noHints); err != nil {
			t.Fatal(err)
		}
		keys.keys = nil
		var warned string
		s2 := &Store{Path: path, Keys: keys, Warn: func(m string) { warned = m }}
		var m memCache
		if err := s2.Replace(context.Background(), &m, noHints); err != nil || m.data != nil {
			t.Errorf("%v %q", err, m.data)
		}
		if !strings.Contains(warned, "no longer in the test keyring") {
			t.Errorf("warning %q", warned)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Error("the undecryptable file is still in place")
		}
	})
	t.Run("a key without its file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, CacheFileName)
		keys := &memKeys{keys: map[string]string{keyAccount(path): "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}
		var warned string
		s := &Store{Path: path, Keys: keys, Warn: func(m string) { warned = m }}
		var m memCache
		if err := s.Replace(context.Background(), &m, noHints); err != nil || m.data != nil {
			t.Errorf("%v %q", err, m.data)
		}
		if keys.count() != 0 || !strings.Contains(warned, "is gone") {
			t.Errorf("%d keys left, warning %q", keys.count(), warned)
		}
	})
	t.Run("sealed, but the storage is now a file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, CacheFileName)
		if err := (&Store{Path: path, Keys: &memKeys{}}).Export(context.Background(), &memCache{data: []byte(`{}`)}, noHints); err != nil {
			t.Fatal(err)
		}
		s := &Store{Path: path}
		var m memCache
		if err := s.Replace(context.Background(), &m, noHints); !errors.Is(err, ErrEncryptedNoKeyring) {
			t.Errorf("read: %v", err)
		}
		if err := s.Export(context.Background(), &memCache{data: []byte(`{}`)}, noHints); !errors.Is(err, ErrEncryptedNoKeyring) {
			t.Errorf("write: %v (sealed tokens must not be overwritten unasked)", err)
		}
		if err := s.Forget(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Error("Forget left the file")
		}
	})
	t.Run("the keyring stops answering", func(t *testing.T) {
		dir := t.TempDir()
		keys := &memKeys{}
		path := filepath.Join(dir, CacheFileName)
		if err := (&Store{Path: path, Keys: keys}).Export(context.Background(), &memCache{data: []byte(`{}`)}, noHints); err != nil {
			t.Fatal(err)
		}
		keys.down = &KeyringUnavailableError{Err: errors.New("no answer")}
		var m memCache
		err := (&Store{Path: path, Keys: keys}).Replace(context.Background(), &m, noHints)
		if err == nil || !strings.Contains(err.Error(), "no answer") {
			t.Errorf("err = %v, want the keyring's failure (never a silent sign-out)", err)
		}
		if _, serr := os.Stat(path); serr != nil {
			t.Error("the sealed file was moved although its key may come back")
		}
	})
}

func TestKeyringConcurrentWritersShareOneKey(t *testing.T) {
	dir := t.TempDir()
	keys := &memKeys{}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := &Store{Path: filepath.Join(dir, CacheFileName), Keys: keys}
			if err := s.Export(context.Background(), &memCache{data: []byte(`{"n":` + strings.Repeat("1", 100+i) + `}`)}, noHints); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	var m memCache
	if err := (&Store{Path: filepath.Join(dir, CacheFileName), Keys: keys}).Replace(context.Background(), &m, noHints); err != nil || !strings.HasPrefix(string(m.data), `{"AzidCanonical":1,"n":1`) {
		t.Errorf("after 10 writers: %v %q", err, m.data)
	}
	if keys.count() != 1 {
		t.Errorf("%d keys, want 1", keys.count())
	}
}

// TestSystemKeyringWithMock drives the go-keyring adapter against the
// library's in-memory mock.
func TestSystemKeyringWithMock(t *testing.T) {
	keyring.MockInit()
	k := SystemKeyring{}
	if err := k.Probe(); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get("a"); !errors.Is(err, ErrKeyNotFound) {
		t.Errorf("missing key: %v", err)
	}
	if err := k.Set("a", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("a"); v != "v" || err != nil {
		t.Errorf("%q %v", v, err)
	}
	if err := k.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("a"); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
	keyring.MockInitWithError(errors.New("dbus: no session"))
	var ku *KeyringUnavailableError
	if err := k.Probe(); !errors.As(err, &ku) {
		t.Errorf("a failing keyring: %v", err)
	}
}
