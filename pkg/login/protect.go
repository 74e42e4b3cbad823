package login

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
)

// KeyStore keeps the token cache's encryption key: the system keyring
// (SystemKeyring) or, in tests, a map.
type KeyStore interface {
	// Get returns the secret stored for account, or ErrKeyNotFound.
	Get(account string) (string, error)
	Set(account, secret string) error
	// Delete removes account's secret; a missing one is not an error.
	Delete(account string) error
	// Name says where keys are kept ("the system keyring (Secret Service)").
	Name() string
}

// ErrKeyNotFound means the keyring holds no key for the cache.
var ErrKeyNotFound = errors.New("no key in the keyring")

// KeyringUnavailableError means the keyring could not be used at all.
type KeyringUnavailableError struct{ Err error }

func (e *KeyringUnavailableError) Error() string {
	return "the system keyring is not available: " + e.Err.Error()
}
func (e *KeyringUnavailableError) Unwrap() error { return e.Err }

// ErrEncryptedNoKeyring means the cache file is encrypted but no keyring is
// in use (the storage was set to file, or the keyring cannot be reached).
var ErrEncryptedNoKeyring = errors.New("the token cache is encrypted with a key kept in the system keyring, which is not in use here")

// encryptedMagic starts an encrypted cache file; the rest is a 12-byte nonce
// and the AES-256-GCM sealed cache (the magic is its additional data).
var encryptedMagic = []byte("azid-token-cache:aes-256-gcm:v1\n")

// keyringService is the service name azid's keyring entries carry.
const keyringService = "azid"

// keyAccount names the key of the cache at path, so that each AZID_HOME
// has its own.
func keyAccount(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return "token-cache-key:" + path
}

func isEncrypted(data []byte) bool { return bytes.HasPrefix(data, encryptedMagic) }

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, errors.New("the token cache key in the keyring is not a 256-bit key")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(key, plain []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	out := append([]byte{}, encryptedMagic...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, encryptedMagic), nil
}

// errUndecryptable means the key does not open the file (another key, or a
// damaged file).
var errUndecryptable = errors.New("the token cache cannot be decrypted with the key in the keyring")

func open(key, data []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	body := data[len(encryptedMagic):]
	if len(body) < aead.NonceSize() {
		return nil, errUndecryptable
	}
	plain, err := aead.Open(nil, body[:aead.NonceSize()], body[aead.NonceSize():], encryptedMagic)
	if err != nil {
		return nil, errUndecryptable
	}
	return plain, nil
}

// cacheKey returns the key from the keyring, creating one when create is
// set and none exists; nil, nil when none exists and create is not set.
// The caller holds the cache lock, so two processes never create two keys.
func (s *Store) cacheKey(create bool) ([]byte, error) {
	s.mu.Lock()
	key := s.key
	s.mu.Unlock()
	if key != nil {
		return key, nil
	}
	enc, err := s.Keys.Get(keyAccount(s.Path))
	switch {
	case errors.Is(err, ErrKeyNotFound) && !create:
		return nil, nil
	case errors.Is(err, ErrKeyNotFound):
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		if err := s.Keys.Set(keyAccount(s.Path), base64.StdEncoding.EncodeToString(key)); err != nil {
			return nil, fmt.Errorf("storing the token cache key in %s: %w", s.Keys.Name(), err)
		}
	case err != nil:
		return nil, err
	default:
		if key, err = base64.StdEncoding.DecodeString(enc); err != nil || len(key) != 32 {
			return nil, errors.New("the token cache key in the keyring is damaged")
		}
	}
	s.mu.Lock()
	s.key = key
	s.mu.Unlock()
	return key, nil
}

// Storage says where the cache keeps its tokens at rest.
type Storage struct {
	// Kind is "keyring" (the file is encrypted, its key in the keyring) or
	// "file" (a plain file readable by the user only).
	Kind string `json:"kind"`
	// Where names the keyring, or the file.
	Where string `json:"where"`
	// Fallback says why a file is used although a keyring was looked for.
	Fallback string `json:"fallback,omitempty"`
}

// Storage reports the cache's storage at rest.
func (s *Store) Storage() Storage {
	if s.Keys != nil {
		return Storage{Kind: "keyring", Where: s.Keys.Name()}
	}
	return Storage{Kind: "file", Where: s.Path, Fallback: s.Fallback}
}
