package login

import (
	"errors"
	"runtime"
	"time"

	"github.com/zalando/go-keyring"
)

// SystemKeyring is the operating system's keyring: the macOS Keychain, the
// Windows Credential Manager, or the Secret Service (GNOME Keyring, KWallet)
// over D-Bus on Linux, through github.com/zalando/go-keyring (no cgo). Each
// call is bounded by Timeout (5 seconds when zero): a keyring that waits for
// an unlock prompt nobody can answer is an unavailable keyring.
type SystemKeyring struct {
	Timeout time.Duration
}

var _ KeyStore = SystemKeyring{}

// Name says which keyring this is.
func (k SystemKeyring) Name() string {
	switch runtime.GOOS {
	case "darwin":
		return "the macOS Keychain"
	case "windows":
		return "the Windows Credential Manager"
	}
	return "the system keyring (Secret Service)"
}

// Get returns the secret for account, ErrKeyNotFound, or a
// *KeyringUnavailableError.
func (k SystemKeyring) Get(account string) (string, error) {
	var v string
	err := k.bounded(func() (err error) { v, err = keyring.Get(keyringService, account); return err })
	return v, err
}

// Set stores the secret for account.
func (k SystemKeyring) Set(account, secret string) error {
	return k.bounded(func() error { return keyring.Set(keyringService, account, secret) })
}

// Delete removes account's secret; a missing one is not an error.
func (k SystemKeyring) Delete(account string) error {
	err := k.bounded(func() error { return keyring.Delete(keyringService, account) })
	if errors.Is(err, ErrKeyNotFound) {
		return nil
	}
	return err
}

// Probe reports whether the keyring answers at all.
func (k SystemKeyring) Probe() error {
	_, err := k.Get("probe")
	if errors.Is(err, ErrKeyNotFound) {
		return nil
	}
	return err
}

func (k SystemKeyring) bounded(fn func() error) error {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrKeyNotFound
		}
		return &KeyringUnavailableError{Err: err}
	case <-time.After(timeout):
		return &KeyringUnavailableError{Err: errors.New("it did not answer within " + timeout.String() + " (locked, waiting for a prompt?)")}
	}
}
