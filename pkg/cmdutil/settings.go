package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"
)

// Setting is one environment variable azid reads: what it means, the flag
// whose default it supplies (if any) and the commands it affects. The table
// of settings is the one place this is written down: flags that come from
// the environment are registered from it, and `azid help environment` is
// generated from it, so the two cannot disagree.
type Setting struct {
	// Env is the variable's name.
	Env string
	// Flag is the flag (without dashes) whose default the variable supplies;
	// "" when only the environment sets it.
	Flag string
	// Commands lists the commands that read it; nil means every command
	// (a global flag, or a variable every process honours).
	Commands []string
	// Help says what the variable does, in one sentence or two.
	Help string
	// Secret marks a variable whose value must never be shown (it is read
	// when the command runs, never printed as a flag default in --help).
	Secret bool
	// Stdlib marks a variable that Go's standard library reads on azid's
	// behalf (proxies, system certificates), listed so the help is complete.
	Stdlib bool
}

// Settings returns the table of environment variables azid reads, in the
// order `azid help environment` lists them.
func Settings() []Setting {
	signInCommands := []string{"login", "logout", "status", "token", "graph"}
	return []Setting{
		{Env: "NO_COLOR", Help: "any non-empty value turns colour off (unless --color always)."},
		{Env: "TERM", Help: `"dumb" turns colour off.`},
		{Env: "AZID_HOME", Commands: append(signInCommands, "doctor"),
			Help: "where azid keeps the token cache (default: the user config directory + /azid)."},
		{Env: "AZID_TOKEN_STORAGE", Commands: append(signInCommands, "doctor"),
			Help: "where tokens rest: keyring (the cache file encrypted, its key in the system keyring; an error if there is none) or file (a plain 0600 file); default: the keyring where there is one."},
		{Env: "DBUS_SESSION_BUS_ADDRESS", Commands: append(signInCommands, "doctor"),
			Help: "on Linux, the D-Bus session where the Secret Service keyring is found; without it, tokens rest in a file."},
		{Env: "AZID_CA_FILE", Flag: "ca-file",
			Help: "a PEM file of extra trusted root certificates, for TLS-inspecting proxies."},
		{Env: "AZURE_AUTHORITY_HOST", Flag: "authority-host",
			Help: "an extra trusted Entra authority, such as a private or test one (keys are fetched from it)."},
		{Env: "AZID_GRAPH_ENDPOINT", Flag: "graph-endpoint",
			Help: "the Microsoft Graph base URL, for national clouds (default https://graph.microsoft.com)."},
		{Env: "AZID_ARM_ENDPOINT", Flag: "arm-endpoint", Commands: []string{"doctor"},
			Help: "the Azure Resource Manager base URL for azid doctor --arm, for national clouds (default https://management.azure.com)."},
		{Env: "AZURE_TENANT_ID", Flag: "tenant", Commands: append(signInCommands, "emulate"),
			Help: "the tenant to sign in to: an ID, a domain, or organizations/common/consumers (default organizations). verify --tenant is a pin on the token and never reads it."},
		{Env: "AZURE_CLIENT_ID", Flag: "client-id", Commands: append(signInCommands, "emulate"),
			Help: "the application (client) ID to sign in with (default the Azure CLI's public client)."},
		{Env: "AZURE_CLIENT_SECRET", Commands: []string{"login", "token", "emulate"}, Secret: true,
			Help: "a service principal's secret, for --service-principal (or give --client-secret-file); for emulate --entra, the app registration's secret."},
		{Env: "AZID_APP_URL", Flag: "url", Commands: []string{"me"},
			Help: "the App Service app to ask for /.auth/me."},
		{Env: "AZID_COOKIE", Commands: []string{"me", "doctor"}, Secret: true,
			Help: "the AppServiceAuthSession cookie for azid me and azid doctor, when neither --cookie nor --zumo is given."},
		{Env: "BROWSER", Commands: []string{"login"},
			Help: "the browser that azid login --browser opens (default the system's opener)."},
		{Env: "HTTPS_PROXY", Stdlib: true,
			Help: "the proxy for HTTPS requests (NO_PROXY lists exceptions; loopback is never proxied)."},
		{Env: "SSL_CERT_FILE", Stdlib: true,
			Help: "replaces the system's root certificates (also SSL_CERT_DIR); prefer AZID_CA_FILE, which adds to them."},
		{Env: "XDG_CACHE_HOME", Stdlib: true,
			Help: "on Linux, where verify caches discovery documents and key sets, under azid/ (default ~/.cache; macOS uses ~/Library/Caches, Windows %LocalAppData%)."},
	}
}

// LookupSetting returns the setting of an environment variable.
func LookupSetting(env string) (Setting, bool) {
	for _, s := range Settings() {
		if s.Env == env {
			return s, true
		}
	}
	return Setting{}, false
}

// Env reads a variable of the settings table (nil Getenv reads nothing).
func (f *Factory) Env(name string) string {
	if f == nil || f.Getenv == nil {
		return ""
	}
	return f.Getenv(name)
}

// SettingFlag registers the string flag of the setting env, with the
// variable's value as its default and "(env NAME)" added to usage. A
// variable missing from the table, or one without a flag, is a programming
// error and panics (the settings test builds every command).
func (f *Factory) SettingFlag(fs *pflag.FlagSet, p *string, env, usage string) {
	s, ok := LookupSetting(env)
	if !ok || s.Flag == "" {
		panic(fmt.Sprintf("cmdutil: %s is not a flag setting", env))
	}
	def := ""
	if !s.Secret {
		def = f.Env(env)
	}
	if i := strings.LastIndex(usage, " (default "); i >= 0 && strings.HasSuffix(usage, ")") {
		usage = usage[:i] + " (env " + env + "; default " + usage[i+len(" (default "):]
	} else {
		usage += " (env " + env + ")"
	}
	fs.StringVar(p, s.Flag, def, usage)
}

// EnvironmentHelp is the text of `azid help environment`, generated from
// the settings table.
func EnvironmentHelp() string {
	const indent = 24
	var b strings.Builder
	b.WriteString("Environment variables azid reads (a flag given on the command line wins):\n")
	write := func(list []Setting) {
		for _, s := range list {
			where := "every command"
			if s.Commands != nil {
				where = strings.Join(s.Commands, ", ")
			}
			if s.Flag != "" {
				where = "--" + s.Flag + " of " + where
				if s.Commands == nil {
					where = "--" + s.Flag + " (global)"
				}
			}
			for i, line := range wrap(where, 80-indent) {
				if i == 0 {
					b.WriteString("\n  " + s.Env + strings.Repeat(" ", max(1, indent-2-len(s.Env))) + line + "\n")
				} else {
					b.WriteString(strings.Repeat(" ", indent) + line + "\n")
				}
			}
			for _, line := range wrap(s.Help, 80-indent) {
				b.WriteString(strings.Repeat(" ", indent) + line + "\n")
			}
		}
	}
	var own, std []Setting
	for _, s := range Settings() {
		if s.Stdlib {
			std = append(std, s)
		} else {
			own = append(own, s)
		}
	}
	write(own)
	b.WriteString("\nRead by Go's standard library on azid's behalf:\n")
	write(std)
	b.WriteString(`
Key sets are cached under the user cache directory (XDG_CACHE_HOME on Linux).
Colour is used only when the stream is a terminal; JSON and YAML output is
never coloured. Secrets (AZURE_CLIENT_SECRET, AZID_COOKIE) are never shown
as flag defaults in --help.`)
	return b.String()
}

// wrap splits text into lines of at most width characters, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
