// Package login signs people and apps in to Entra ID with MSAL Go (device
// code, browser with PKCE, client credentials) and keeps MSAL's token cache in
// one file that concurrent azid processes share safely.
package login

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/cache"
	"github.com/gofrs/flock"
)

// CacheFileName is the token cache's file name under AZID_HOME.
const CacheFileName = "msal_token_cache.json"

// Store is MSAL's token cache persisted in one file: mode 0600 in a 0700
// directory, written to a temporary file and renamed (readers never see half a
// file), and guarded by a lock file held around each whole operation, so
// parallel `azid token` calls neither corrupt nor lose it. It implements
// cache.ExportReplace.
type Store struct {
	Path string
	// Warn receives one-line warnings (a corrupt cache moved aside).
	Warn func(string)
	Now  func() time.Time
	// Keys, when set, protects the cache at rest: the file is sealed with
	// AES-256-GCM under a random key kept in Keys (the system keyring), so
	// it holds no token in the clear. A plain file is sealed on the next
	// write. Nil keeps a plain 0600 file.
	Keys KeyStore
	// Fallback says why Keys is nil although a keyring was looked for
	// (shown by azid status and login); "" when a file was chosen.
	Fallback string

	mu   sync.Mutex
	held bool // the operation lock is held: Replace and Export need not lock
	// dropApp, when set, is a client ID whose cached app-only tokens the next
	// load hides from MSAL, so that a service-principal sign-in asks Entra.
	dropApp string
	key     []byte // the cache key, once read from Keys
	// loaded is what the last Replace gave MSAL while the operation lock
	// is held: MSAL loads the cache more than once per operation (accounts,
	// then the token), and no one else can change the file meanwhile. Any
	// change azid makes, and the lock's release, forget it.
	loaded []byte
}

var _ cache.ExportReplace = (*Store)(nil)

// Lock takes the cross-process lock of the cache, waiting up to the
// context's deadline (30 seconds when it has none). Call the returned
// function to release it.
func (s *Store) Lock(ctx context.Context) (func(), error) {
	if err := s.ensureDir(); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
	}
	lock := flock.New(s.Path + ".lock")
	ok, err := lock.TryLockContext(ctx, 25*time.Millisecond)
	if err != nil || !ok {
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("the token cache is locked by another azid (%s.lock): %w", s.Path, firstErr(err, ctx.Err()))
	}
	s.mu.Lock()
	s.held = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.held, s.loaded = false, nil
		s.mu.Unlock()
		_ = lock.Unlock()
	}, nil
}

// briefly runs fn under the file lock unless the operation lock is already held.
func (s *Store) briefly(ctx context.Context, fn func() error) error {
	s.mu.Lock()
	held := s.held
	s.mu.Unlock()
	if held {
		return fn()
	}
	unlock, err := s.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return errors.New("timed out")
}

func (s *Store) ensureDir() error {
	dir := filepath.Dir(s.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	return nil
}

// Replace loads the cache file into MSAL. A missing file is an empty cache; a
// file MSAL cannot read is moved aside (kept, not deleted) with a warning,
// and azid carries on as signed out. Entries are canonicalised first (one
// identity, one account: see cachefile.go), which heals caches written by
// earlier releases.
func (s *Store) Replace(ctx context.Context, u cache.Unmarshaler, _ cache.ReplaceHints) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.briefly(ctx, func() error { return s.replace(u) })
}

func (s *Store) replace(u cache.Unmarshaler) error {
	s.mu.Lock()
	loaded := s.loaded
	if s.dropApp != "" {
		loaded = nil
	}
	s.mu.Unlock()
	if loaded != nil {
		return u.Unmarshal(loaded)
	}
	raw, err := s.read()
	if err != nil {
		return err
	}
	if raw != nil && s.dropAppPending() == "" && bytes.Contains(raw, []byte(canonicalMark)) {
		return s.feed(u, raw) // written canonical by azid: nothing to heal
	}
	var doc *cacheDoc
	if raw != nil {
		if doc, err = parseCache(raw); err != nil {
			if err := s.moveAside(); err != nil {
				return err
			}
			doc = nil
		}
	}
	if doc == nil {
		return u.Unmarshal(nil)
	}
	changed := doc.canonicalize()
	s.mu.Lock()
	if s.dropApp != "" {
		doc.dropAppTokens(s.dropApp)
		s.dropApp, changed = "", true
	}
	s.mu.Unlock()
	data := raw // azid writes the file canonical: most loads change nothing
	if changed {
		if data, err = doc.marshal(); err != nil {
			return fmt.Errorf("reading the token cache: %w", err)
		}
	}
	return s.feed(u, data)
}

// feed gives MSAL the cache's bytes, and remembers them while the operation
// lock is held; bytes MSAL cannot read are moved aside (signed out).
func (s *Store) feed(u cache.Unmarshaler, data []byte) error {
	if err := u.Unmarshal(data); err != nil {
		if err := s.moveAside(); err != nil {
			return err
		}
		return u.Unmarshal(nil)
	}
	s.mu.Lock()
	if s.held {
		s.loaded = data
	}
	s.mu.Unlock()
	return nil
}

// dropAppPending returns the client ID whose app tokens the next load hides.
func (s *Store) dropAppPending() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropApp
}

func (s *Store) moveAside() error {
	s.forgetLoaded()
	aside := s.Path + ".corrupt-" + strconv.FormatInt(s.now().Unix(), 10)
	if rerr := os.Rename(s.Path, aside); rerr != nil {
		return fmt.Errorf("the token cache %s is corrupt and cannot be moved aside: %w", s.Path, rerr)
	}
	s.warn(fmt.Sprintf("the token cache was corrupt; kept it as %s and carried on signed out", aside))
	return nil
}

// Export writes MSAL's cache, canonicalised, atomically with mode 0600.
func (s *Store) Export(ctx context.Context, m cache.Marshaler, _ cache.ExportHints) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("serialising the token cache: %w", err)
	}
	if doc, perr := parseCache(data); perr == nil {
		doc.canonicalize()
		if out, merr := doc.marshal(); merr == nil {
			data = out
		}
	}
	return s.briefly(ctx, func() error { return s.write(data) })
}

// forgetLoaded drops the memo of the last load: the file is changing.
func (s *Store) forgetLoaded() {
	s.mu.Lock()
	s.loaded = nil
	s.mu.Unlock()
}

// read and write are the cache's storage: the bytes of one file, read and
// written under the lock. They are the only code that touches the medium;
// another medium (a keyring) replaces these two. read returns nil, nil for
// a missing cache.
func (s *Store) read() ([]byte, error) {
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, s.orphanKey()
	}
	if err != nil {
		return nil, fmt.Errorf("reading the token cache: %w", err)
	}
	if !isEncrypted(data) {
		return data, nil // plain: sealed on the next write when Keys is set
	}
	if s.Keys == nil {
		return nil, ErrEncryptedNoKeyring
	}
	key, err := s.cacheKey(false)
	if err != nil {
		return nil, fmt.Errorf("reading the token cache key from %s: %w", s.Keys.Name(), err)
	}
	if key == nil {
		return nil, s.lostKey("its key is no longer in " + s.Keys.Name())
	}
	plain, err := open(key, data)
	if err != nil {
		return nil, s.lostKey(err.Error())
	}
	return plain, nil
}

// orphanKey removes a keyring key whose cache file is gone, with a warning.
func (s *Store) orphanKey() error {
	if s.Keys == nil {
		return nil
	}
	key, err := s.cacheKey(false)
	if err != nil || key == nil {
		return nil // nothing there, or the keyring is unreachable: signed out either way
	}
	s.forgetKey()
	s.warn("the system keyring held a token cache key but the cache file " + s.Path + " is gone; removed the key and carried on signed out")
	return nil
}

// lostKey moves an encrypted cache that cannot be opened aside (kept, never
// deleted) with a warning; azid carries on signed out.
func (s *Store) lostKey(why string) error {
	aside := s.Path + ".undecryptable-" + strconv.FormatInt(s.now().Unix(), 10)
	if err := os.Rename(s.Path, aside); err != nil {
		return fmt.Errorf("the token cache %s cannot be decrypted (%s) and cannot be moved aside: %w", s.Path, why, err)
	}
	s.forgetKey()
	s.warn(fmt.Sprintf("the token cache could not be decrypted (%s); kept it as %s and carried on signed out", why, aside))
	return nil
}

func (s *Store) forgetKey() {
	s.mu.Lock()
	s.key = nil
	s.mu.Unlock()
	if s.Keys != nil {
		_ = s.Keys.Delete(keyAccount(s.Path))
	}
}

func (s *Store) write(data []byte) error {
	s.forgetLoaded()
	if s.Keys == nil {
		if old, err := os.ReadFile(s.Path); err == nil && isEncrypted(old) {
			return ErrEncryptedNoKeyring // never overwrite sealed tokens with plain ones unasked
		}
		return WriteFileAtomic(s.Path, data)
	}
	key, err := s.cacheKey(true)
	if err != nil {
		return err
	}
	sealed, err := seal(key, data)
	if err != nil {
		return fmt.Errorf("encrypting the token cache: %w", err)
	}
	return WriteFileAtomic(s.Path, sealed)
}

// Forget removes the cache file and its keyring key (logout --all); the
// caller holds the lock.
func (s *Store) Forget() error {
	s.forgetLoaded()
	if err := os.Remove(s.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing the token cache: %w", err)
	}
	s.forgetKey()
	return nil
}

func (s *Store) warn(msg string) {
	if s.Warn != nil {
		s.Warn(msg)
	}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// knownTenant returns the tenant ID tenant stands for, as far as the cache
// knows (a GUID is itself; a domain, once Entra has answered for it), or "".
func (s *Store) knownTenant(tenant string) string {
	if s == nil || isMultiTenant(tenant) {
		return ""
	}
	if IsTenantID(tenant) {
		return strings.ToLower(tenant)
	}
	data, err := s.read()
	if err != nil || data == nil {
		return ""
	}
	doc, err := parseCache(data)
	if err != nil {
		return ""
	}
	doc.canonicalize()
	return doc.resolveTenant(tenant)
}

// apps lists the service principals the cache holds tokens of.
func (s *Store) apps() []Account {
	data, err := s.read()
	if err != nil || data == nil {
		return nil
	}
	doc, err := parseCache(data)
	if err != nil {
		return nil
	}
	return doc.summary(time.Time{}).Apps()
}

// hideAppTokens makes the next load hide clientID's app-only tokens from
// MSAL, so that it asks the authority.
func (s *Store) hideAppTokens(clientID string) {
	s.mu.Lock()
	s.dropApp = clientID
	s.mu.Unlock()
}
