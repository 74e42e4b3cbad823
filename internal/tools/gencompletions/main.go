// Command gencompletions writes azid's shell completion scripts into
// completions/. Run it from the repository root after changing commands or
// flags: go run ./internal/tools/gencompletions
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/azid-cli/azid/pkg/app"
)

func main() {
	dir := "completions"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	scripts, err := app.CompletionScripts()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencompletions:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gencompletions:", err)
		os.Exit(1)
	}
	for name, script := range scripts {
		if err := os.WriteFile(filepath.Join(dir, name), script, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gencompletions:", err)
			os.Exit(1)
		}
	}
}
