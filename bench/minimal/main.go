// Command minimal is the baseline for azid's start-up benchmark: it does the
// least a decoder can do, base64url-decode the header and payload of the
// token given as its argument and print them.
package main

import (
	"encoding/base64"
	"os"
	"strings"
)

func main() {
	parts := strings.Split(strings.TrimSpace(os.Args[1]), ".")
	for _, p := range parts[:2] {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			os.Exit(1)
		}
		os.Stdout.Write(append(b, '\n'))
	}
}
