package app

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
)

// habits are flags other tools (jwt-cli, step, az, gh, curl) spell
// differently from azid, and what azid wants instead.
var habits = map[string]string{
	"--aud":           "azid spells it --audience",
	"--iss":           "azid spells it --issuer",
	"--key":           "azid takes signing keys as a key set: --jwks FILE|URL",
	"--jwk":           "azid takes signing keys as a key set: --jwks FILE|URL",
	"--secret":        "azid verifies RS256 tokens with public keys (--jwks FILE|URL), never with a shared secret",
	"-j":              "azid spells it -o json",
	"--json":          "azid spells it -o json",
	"--resource":      "azid asks for scopes: --scope <resource>/.default (for example https://graph.microsoft.com/.default)",
	"--query":         "azid picks values with -c/--claim NAME (on decode and headers), or pipe -o json to jq",
	"--client-secret": "azid never takes a secret on the command line (it would show in the process list and shell history): set AZURE_CLIENT_SECRET, or use --client-secret-file FILE; a certificate (--certificate) is better still",
	"--password":      "azid never takes a password: sign in with a device code (azid login) or a browser (azid login --browser)",
	"--insecure":      "azid has no --insecure: it trusts your system's roots plus --ca-file FILE (or AZID_CA_FILE), and allows plain HTTP to loopback hosts only",
	"-k":              "azid has no --insecure: it trusts your system's roots plus --ca-file FILE (or AZID_CA_FILE), and allows plain HTTP to loopback hosts only",
	"--tenant-id":     "azid spells it --tenant",
	"--app-id":        "azid spells it --client-id",
	"--username":      "azid picks a signed-in account with --account",
	"--no-verify":     "azid decode never verifies; azid verify always does",
	"--header":        "azid decode shows the header: pick a member with -c header.NAME",
}

// flagError turns cobra's flag errors into usage errors, naming azid's
// spelling of a flag from another tool.
func flagError(_ *cobra.Command, err error) error {
	msg := err.Error()
	var name string
	if rest, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		name, _, _ = strings.Cut(rest, "=")
	} else if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: '"); ok && len(rest) > 0 {
		name = "-" + rest[:1]
	}
	if hint, ok := habits[name]; ok {
		return cmdutil.WithExit(cmdutil.ExitUsage, fmt.Errorf("unknown flag %s", name), hint)
	}
	return &cmdutil.FlagError{Err: err}
}
