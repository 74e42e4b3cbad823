package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

// GetOptions are the inputs of `azid graph get`.
type GetOptions struct {
	Options
	// Path is a Graph path (/me/manager, /v1.0/organization) or a URL on the endpoint.
	Path string
	// All follows @odata.nextLink and merges the value arrays.
	All bool
	// Header holds the extra request headers (never Authorization).
	Header http.Header
}

// NewGetCmd builds `azid graph get`.
func NewGetCmd(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{Options: newOptions(f)}
	var headers []string
	cmd := &cobra.Command{
		Use:   "get PATH",
		Short: "GET any Graph path and print the JSON",
		Example: `  azid graph get /me/manager
  azid graph get /organization
  azid graph get '/groups?$count=true&$filter=startswith(displayName,%27eng%27)' --header 'ConsistencyLevel: eventual' --all`,
		Args: cmdutil.ExactArgs(1, "graph get takes one path, such as /me/manager"),
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := parseHeaders(headers)
			if err != nil {
				return err
			}
			opts.bind(f)
			opts.Path, opts.Header = args[0], h
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runGet(cmd.Context(), opts)
		},
	}
	opts.register(cmd, f)
	cmd.Flags().BoolVar(&opts.All, "all", false, "follow @odata.nextLink and merge the value arrays")
	cmd.Flags().StringArrayVar(&headers, "header", nil, "extra request header, Name: value (repeatable)")
	return cmd
}

// parseHeaders reads --header values ("Name: value"); azid sends
// Authorization itself, so it is refused.
func parseHeaders(values []string) (http.Header, error) {
	h := http.Header{}
	for _, kv := range values {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, cmdutil.UsageErrorf("--header %q: use Name: value", kv)
		}
		if strings.EqualFold(strings.TrimSpace(k), "Authorization") {
			return nil, cmdutil.UsageErrorf("--header: azid sends the Authorization header itself")
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h, nil
}

func runGet(ctx context.Context, opts *GetOptions) error {
	gc, ctx, cancel, err := opts.client(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	// The answer is Graph's JSON: text output prints it as JSON too.
	format := output.FormatJSON
	if opts.Format == output.FormatYAML {
		format = output.FormatYAML
	}
	if opts.All {
		items, err := gc.GetAll(ctx, opts.Path, opts.Header)
		if err != nil {
			return opts.explain(err)
		}
		return output.Write(opts.IO.Out, format, map[string]any{"value": items})
	}
	u, err := gc.URL(opts.Path)
	if err != nil {
		return opts.explain(err)
	}
	body, err := gc.Get(ctx, u, opts.Header)
	if err != nil {
		return opts.explain(err)
	}
	return writeBody(opts.IO.Out, format, body)
}

// writeBody prints a Graph answer: JSON indented (or as YAML), without the
// blank line a trailing newline in the body would leave; nothing for an
// empty answer (204 No Content); anything else (a photo's $value) as it is.
func writeBody(w io.Writer, format output.Format, body []byte) error {
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0:
		return nil
	case json.Valid(body):
		return output.Write(w, format, json.RawMessage(body))
	}
	_, err := w.Write(body)
	return err
}
