// Package layout holds tests of the project's shape: the rules DESIGN.md
// states about which package may depend on which, checked on the source.
package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/azid-cli/azid/"

// domainPackages know Entra, Easy Auth and tokens, and nothing of the CLI.
var domainPackages = []string{"token", "entra", "easyauth", "login", "graph", "emulate", "doctor", "rs256", "pyrepr"}

// cliImports are what makes a package part of the command line.
var cliImports = []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/fatih/color",
	module + "pkg/iostreams", module + "pkg/output", module + "pkg/cmdutil", module + "pkg/cmd", module + "pkg/app"}

// processCalls are the process-wide things a domain package must take as
// parameters instead.
var processCalls = map[string]bool{"os.Getenv": true, "os.LookupEnv": true, "os.Exit": true, "os.Stdout": true,
	"os.Stderr": true, "os.Stdin": true, "os.Args": true}

// cliWords match a flag or an azid command named in a message.
var cliWords = regexp.MustCompile(`(^|[\s("'` + "`" + `])--[a-z][a-z-]+|\bazid (decode|verify|headers|me|doctor|emulate|login|logout|status|token|graph|explain|help)\b`)

// azureCLI matches a message quoting an Azure CLI command.
var azureCLI = regexp.MustCompile(`\baz (webapp|functionapp|containerapp|staticwebapp|ad|rest) `)

type file struct {
	path string
	ast  *ast.File
	fset *token.FileSet
}

func parseDir(t *testing.T, dir string) []file {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []file
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		path := filepath.Join(dir, e.Name())
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file{path, f, fset})
	}
	return files
}

func TestDomainPackagesKnowNothingOfTheCLI(t *testing.T) {
	checked := 0
	for _, pkg := range domainPackages {
		for _, f := range parseDir(t, filepath.Join("..", "..", "pkg", pkg)) {
			checked++
			for _, imp := range f.ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, bad := range cliImports {
					if path == bad || strings.HasPrefix(path, bad+"/") {
						t.Errorf("%s imports %s: domain packages take plain values, not CLI pieces", f.path, path)
					}
				}
			}
			ast.Inspect(f.ast, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && processCalls[id.Name+"."+n.Sel.Name] {
						t.Errorf("%s: uses %s.%s: take it as a parameter", f.fset.Position(n.Pos()), id.Name, n.Sel.Name)
					}
				case *ast.BasicLit:
					// Web pages the emulator serves name the tool they come from;
					// messages are what this rule is about.
					// Fixes quote Azure CLI commands (az webapp …), whose
					// flags are not azid's.
					if n.Kind == token.STRING && !strings.Contains(n.Value, "</") && !azureCLI.MatchString(n.Value) && cliWords.MatchString(n.Value) {
						t.Errorf("%s: message %s names a flag or an azid command: return a typed error or code, and let the command word the hint", f.fset.Position(n.Pos()), n.Value)
					}
				}
				return true
			})
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d files: the package list no longer matches the tree", checked)
	}
}

func TestNoCommandImportsAnother(t *testing.T) {
	root := filepath.Join("..", "..", "pkg", "cmd")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	commands := 0
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" {
			continue
		}
		commands++
		self := module + "pkg/cmd/" + e.Name()
		err := filepath.WalkDir(filepath.Join(root, e.Name()), func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() || strings.Contains(path, "testdata") {
				return err
			}
			for _, f := range parseDir(t, path) {
				for _, imp := range f.ast.Imports {
					p, _ := strconv.Unquote(imp.Path.Value)
					if strings.HasPrefix(p, module+"pkg/cmd/") && !strings.HasPrefix(p, module+"pkg/cmd/internal/") &&
						p != self && !strings.HasPrefix(p, self+"/") {
						t.Errorf("%s imports %s: shared pieces go under pkg/cmd/internal", f.path, p)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if commands < 8 {
		t.Fatalf("found only %d commands", commands)
	}
}
