package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/output"
)

// maxPostBody bounds a --body read from a file or standard input.
const maxPostBody = 4 << 20

// PostOptions are the inputs of `azid graph post`.
type PostOptions struct {
	GetOptions
	// Body is the JSON request body ("" sends {}).
	Body []byte
}

// NewPostCmd builds `azid graph post`.
func NewPostCmd(f *cmdutil.Factory, runF func(context.Context, *PostOptions) error) *cobra.Command {
	opts := &PostOptions{GetOptions: GetOptions{Options: newOptions(f)}}
	var headers []string
	var body string
	cmd := &cobra.Command{
		Use:   "post PATH",
		Short: "POST JSON to a Graph path (an action) and print the answer",
		Long: `POST a JSON body to a Graph path or URL on the Graph host, such as the directory
actions getMemberObjects, checkMemberGroups and getByIds, with the same safety as
get (the token only ever goes to the Graph host) and the same retries. --body
takes the JSON itself, @FILE, or - for standard input; without it, {} is sent.
An empty answer (204 No Content) prints nothing.`,
		Example: `  azid graph post /me/getMemberObjects --body '{"securityEnabledOnly": true}'
  azid graph post /directoryObjects/getByIds --body @ids.json
  jq -n '{groupIds: ["3a1f…"]}' | azid graph post /me/checkMemberGroups --body -`,
		Args: cmdutil.ExactArgs(1, "graph post takes one path, such as /me/getMemberObjects"),
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := parseHeaders(headers)
			if err != nil {
				return err
			}
			if opts.Body, err = readBody(opts, body); err != nil {
				return err
			}
			opts.bind(f)
			opts.Path, opts.Header = args[0], h
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runPost(cmd.Context(), opts)
		},
	}
	opts.register(cmd, f)
	cmd.Flags().StringVar(&body, "body", "", "the JSON body: the JSON itself, @FILE, or - for standard input (default {})")
	cmd.Flags().StringArrayVar(&headers, "header", nil, "extra request header, Name: value (repeatable)")
	return cmd
}

// readBody reads --body and checks that it is JSON.
func readBody(opts *PostOptions, v string) ([]byte, error) {
	var data []byte
	switch {
	case v == "":
		return []byte("{}"), nil
	case v == "-":
		if opts.IO.IsStdinTTY() {
			return nil, cmdutil.UsageErrorf("--body -: pipe the JSON on standard input")
		}
		var err error
		if data, err = cmdutil.ReadLimited(opts.IO.In, maxPostBody, fmt.Errorf("--body: standard input is over %d MiB", maxPostBody>>20)); err != nil {
			return nil, err
		}
	case strings.HasPrefix(v, "@"):
		fh, err := os.Open(v[1:])
		if err != nil {
			return nil, cmdutil.UsageErrorf("--body: %v", err)
		}
		defer fh.Close()
		if data, err = cmdutil.ReadLimited(fh, maxPostBody, fmt.Errorf("--body: %s is over %d MiB", v[1:], maxPostBody>>20)); err != nil {
			return nil, err
		}
	default:
		data = []byte(v)
	}
	if !json.Valid(data) {
		var x any
		err := json.Unmarshal(data, &x)
		return nil, cmdutil.UsageErrorf("--body is not JSON: %v", err)
	}
	return data, nil
}

func runPost(ctx context.Context, opts *PostOptions) error {
	gc, ctx, cancel, err := opts.client(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	body, err := gc.Post(ctx, opts.Path, opts.Header, opts.Body)
	if err != nil {
		return opts.explain(err)
	}
	format := output.FormatJSON
	if opts.Format == output.FormatYAML {
		format = output.FormatYAML
	}
	return writeBody(opts.IO.Out, format, body)
}
