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
	read := func(what string) (string, error) {
		if ios.IsStdinTTY() {
			fmt.Fprintf(ios.ErrOut, "Paste the %s, then press Enter:\n", what)
			return readLine(ios.In)
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

// readLine reads one line, byte by byte, so nothing after it is consumed.
func readLine(r io.Reader) (string, error) {
	var b []byte
	buf := make([]byte, 1)
	for len(b) < 64<<10 {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			b = append(b, buf[0])
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			return "", err
		}
	}
	return string(b), nil
}
