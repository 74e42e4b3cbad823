package me

import (
	"errors"
	"fmt"
	"os"

	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/easyauth"
)

// runFrom reads a saved /.auth/me answer and shows it as a live call would.
func runFrom(opts *Options) error {
	data, err := readFrom(opts)
	if err != nil {
		return err
	}
	answer, err := easyauth.ParseMeAnswer(data)
	if err != nil {
		return cmdutil.WithExit(cmdutil.ExitFailure, err, "save the body of /.auth/me, or pipe curl -v's output with 2>&1")
	}
	origin := ""
	if opts.URL != "" {
		if origin, err = easyauth.AppOrigin(opts.URL); err != nil {
			return &cmdutil.FlagError{Err: err}
		}
	} else if answer.Host != "" {
		origin, _ = easyauth.AppOrigin(answer.Host)
	}
	ids, err := answer.Interpret()
	if err != nil {
		s := site{origin: origin, platform: platformOf(origin)}
		if errors.Is(err, easyauth.ErrSWANotSignedIn) {
			s.platform = easyauth.PlatformStaticWebApps
		}
		return explain(err, s)
	}
	return show(opts, origin, nil, ids)
}

func readFrom(opts *Options) ([]byte, error) {
	tooLarge := fmt.Errorf("the /.auth/me answer is over %d MiB", easyauth.MaxMeAnswer>>20)
	if opts.From == "-" {
		if opts.IO.IsStdinTTY() {
			fmt.Fprintln(opts.IO.ErrOut, "Reading the /.auth/me answer from standard input (end with Ctrl-D)…")
		}
		return cmdutil.ReadLimited(opts.IO.In, easyauth.MaxMeAnswer, tooLarge)
	}
	f, err := os.Open(opts.From)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, cmdutil.WithExit(cmdutil.ExitFailure, fmt.Errorf("--from %s: no such file", opts.From), "give the file the answer was saved in, or - for standard input")
		}
		return nil, fmt.Errorf("--from: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, cmdutil.UsageErrorf("--from %s is a directory: give the file the answer was saved in", opts.From)
	}
	return cmdutil.ReadLimited(f, easyauth.MaxMeAnswer, tooLarge)
}
