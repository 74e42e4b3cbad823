package app

import (
	"bytes"
	"time"

	"github.com/azid-cli/azid/pkg/cmd/completion"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/iostreams"
)

// CompletionFiles maps each shell to the file its script lives in under completions/.
var CompletionFiles = map[string]string{
	"bash":       "azid.bash",
	"zsh":        "_azid",
	"fish":       "azid.fish",
	"powershell": "azid.ps1",
}

// CompletionScripts generates the completion script of every shell, keyed by file name.
func CompletionScripts() (map[string][]byte, error) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}, Now: time.Now, Getenv: func(string) string { return "" }}
	root := NewRootCmd(f, nil)
	out := map[string][]byte{}
	for shell, file := range CompletionFiles {
		var buf bytes.Buffer
		if err := completion.Generate(root, &buf, shell); err != nil {
			return nil, err
		}
		out[file] = buf.Bytes()
	}
	return out, nil
}
