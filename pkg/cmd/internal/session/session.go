// Package session reads an Easy Auth session from the command line, the way
// every command that takes one does: --cookie in any form the browser gives
// (its value, "AppServiceAuthSession=…", a Cookie header), or --zumo, each
// possibly "-" for standard input (a prompt on a terminal).
package session

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
	"github.com/azid-cli/azid/pkg/iostreams"
)

// ErrNone means neither a cookie nor a token was given.
var ErrNone = errors.New("no session given")

// Read returns the credential that cookie or zumo give ("-" reads standard
// input). Errors never contain the secret.
func Read(ios *iostreams.IOStreams, cookie, zumo string) (easyauth.Credential, error) {
	if cookie != "" && zumo != "" {
		return easyauth.Credential{}, cmdutil.UsageErrorf("give --cookie or --zumo, not both")
	}
	if cookie == "-" && zumo == "-" {
		return easyauth.Credential{}, cmdutil.UsageErrorf("only one of --cookie and --zumo can read standard input")
	}
	read := func(what string) (string, error) {
		if ios.IsStdinTTY() {
			line, err := ios.ReadSecret("Paste the "+what+" (it is not shown), then press Enter: ", 64<<10)
			if errors.Is(err, iostreams.ErrSecretTooLong) {
				return "", fmt.Errorf("the %s typed is over 64 KiB", what)
			}
			if errors.Is(err, io.EOF) {
				return "", nil // reported as empty below
			}
			return line, err
		}
		data, err := cmdutil.ReadLimited(ios.In, 64<<10, fmt.Errorf("the %s on standard input is over 64 KiB", what))
		return string(data), err
	}
	switch {
	case zumo != "":
		z := zumo
		if z == "-" {
			var err error
			if z, err = read("X-ZUMO-AUTH token"); err != nil {
				return easyauth.Credential{}, err
			}
		}
		z = strings.TrimSpace(z)
		if z == "" {
			return easyauth.Credential{}, errors.New("the X-ZUMO-AUTH token is empty")
		}
		return easyauth.Credential{Zumo: z}, nil
	case cookie != "":
		c := cookie
		if c == "-" {
			var err error
			if c, err = read("AppServiceAuthSession cookie"); err != nil {
				return easyauth.Credential{}, err
			}
		}
		parsed, err := easyauth.ParseCookie(c)
		if err != nil {
			return easyauth.Credential{}, err
		}
		return easyauth.Credential{Cookie: &parsed}, nil
	}
	return easyauth.Credential{}, ErrNone
}
