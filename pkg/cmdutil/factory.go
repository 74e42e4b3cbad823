package cmdutil

import (
	"net/http"
	"time"

	"github.com/azid-cli/azid/pkg/iostreams"
	"github.com/azid-cli/azid/pkg/output"
)

// GlobalOptions are the values of the root command's persistent flags (and
// the environment variables behind them), filled in before a command runs.
type GlobalOptions struct {
	Output        string
	Color         string
	Debug         bool
	Timeout       time.Duration
	CAFile        string
	AuthorityHost string
	GraphEndpoint string
}

// Format returns the chosen output format.
func (g *GlobalOptions) Format() output.Format {
	f, err := output.ParseFormat(g.Output)
	if err != nil {
		return output.FormatText
	}
	return f
}

// Factory carries the dependencies commands need; pkg/app builds the real one
// and tests build their own.
type Factory struct {
	IOStreams *iostreams.IOStreams
	Global    *GlobalOptions
	// Now returns the current time.
	Now func() time.Time
	// Getenv reads an environment variable.
	Getenv func(string) string
	// HTTPClient builds the HTTP client from the global options, on first use
	// only: commands that make no network call never pay for it.
	HTTPClient func() (*http.Client, error)
	// CacheDir returns the directory for non-secret caches (key sets).
	CacheDir func() (string, error)
}
