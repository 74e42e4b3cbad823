package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

const sentinel = "env-value-of:"

// TestSettingsMatchFlags builds every command with an environment in which
// each variable holds a recognisable value, and checks that the settings
// table names exactly the flags (and commands) whose defaults come from it.
func TestSettingsMatchFlags(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now,
		Getenv: func(name string) string { return sentinel + name }}
	root := NewRootCmd(f, nil)

	type use struct{ env, flag, command string } // command "" = global
	var seen []use
	check := func(command string, fl *pflag.Flag) {
		if !strings.HasPrefix(fl.DefValue, sentinel) {
			return
		}
		seen = append(seen, use{strings.TrimPrefix(fl.DefValue, sentinel), fl.Name, command})
	}
	root.PersistentFlags().VisitAll(func(fl *pflag.Flag) { check("", fl) })
	var walk func(top string, c *cobra.Command)
	walk = func(top string, c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) { check(top, fl) })
		if c != root {
			c.PersistentFlags().VisitAll(func(fl *pflag.Flag) { check(top, fl) })
		}
		for _, sub := range c.Commands() {
			walk(top, sub)
		}
	}
	for _, c := range root.Commands() {
		walk(c.Name(), c)
	}

	for _, u := range seen {
		s, ok := cmdutil.LookupSetting(u.env)
		switch {
		case !ok:
			t.Errorf("--%s of %q defaults to %s, which the settings table does not list", u.flag, u.command, u.env)
		case s.Flag != u.flag:
			t.Errorf("%s supplies --%s, but the table says --%s", u.env, u.flag, s.Flag)
		case s.Secret:
			t.Errorf("%s is a secret but shows as the default of --%s", u.env, u.flag)
		case u.command == "" && s.Commands != nil:
			t.Errorf("%s is a global flag, but the table limits it to %v", u.env, s.Commands)
		case u.command != "" && !slices.Contains(s.Commands, u.command):
			t.Errorf("%s is read by %s --%s, but the table lists only %v", u.env, u.command, u.flag, s.Commands)
		}
	}
	for _, s := range cmdutil.Settings() {
		if s.Flag == "" {
			continue
		}
		commands := s.Commands
		if commands == nil {
			commands = []string{""}
		}
		for _, c := range commands {
			if !slices.Contains(seen, use{s.Env, s.Flag, c}) {
				t.Errorf("the table says %s supplies --%s of %q, but that command has no such flag default", s.Env, s.Flag, c)
			}
		}
	}
}

// envRead matches the ways azid's code reads an environment variable.
var envRead = regexp.MustCompile(`(?:[gG]etenv|\.Env|\benv)\("([A-Z][A-Z0-9_]*)"\)|SettingFlag\([^\n]*?"([A-Z][A-Z0-9_]*)"`)

// TestSettingsListEveryVariable scans azid's source for every variable it
// reads, and checks each is in the table (so in `azid help environment`), and
// that no row of the table is dead.
func TestSettingsListEveryVariable(t *testing.T) {
	read := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range envRead.FindAllStringSubmatch(string(src), -1) {
			read[m[1]+m[2]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(read) < 5 {
		t.Fatalf("the scan found only %v: the pattern no longer matches the code", read)
	}
	for name, path := range read {
		if _, ok := cmdutil.LookupSetting(name); !ok {
			t.Errorf("%s reads %s, which the settings table (and azid help environment) does not list", path, name)
		}
	}
	help := cmdutil.EnvironmentHelp()
	for _, s := range cmdutil.Settings() {
		if _, ok := read[s.Env]; !ok && !s.Stdlib {
			t.Errorf("the settings table lists %s, which no code reads", s.Env)
		}
		if !strings.Contains(help, "\n  "+s.Env+" ") {
			t.Errorf("help environment does not list %s", s.Env)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > 80 {
			t.Errorf("help line over 80 columns: %q", line)
		}
	}
}
