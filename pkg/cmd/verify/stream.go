package verify

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/azid-cli/azid/pkg/cmd/internal/tokenarg"
	"github.com/azid-cli/azid/pkg/cmdutil"
	"github.com/azid-cli/azid/pkg/jsonw"
	"github.com/azid-cli/azid/pkg/output"
	"github.com/azid-cli/azid/pkg/token"
)

// StreamResult is one line of `azid verify --stream` output.
type StreamResult struct {
	Line      int  `json:"line"`
	Valid     bool `json:"valid"`
	Malformed bool `json:"malformed,omitempty"`
	// KeysUnavailable marks a token that was not judged: its keys could
	// not be had (network failure, or --offline with nothing cached).
	KeysUnavailable bool      `json:"keys_unavailable,omitempty"`
	Error           string    `json:"error,omitempty"`
	Failed          []string  `json:"failed,omitempty"`
	Kid             string    `json:"kid,omitempty"`
	Issuer          string    `json:"issuer,omitempty"`
	Subject         string    `json:"subject,omitempty"`
	TenantID        string    `json:"tenant_id,omitempty"`
	Audience        []string  `json:"audience,omitempty"`
	ExpiresAt       time.Time `json:"expires_at,omitzero"`
}

const (
	statusValid = iota
	statusInvalid
	statusMalformed
	statusUnchecked // keys unavailable: not judged
	statusCount
)

type streamJob struct {
	line int
	// data is the line; tooLarge marks a line over token.MaxTokenSize,
	// which was skipped without being held.
	data     string
	tooLarge bool
}

// batchResult is a batch's NDJSON lines, in input order, and their tally.
type batchResult struct {
	json   []byte
	counts [statusCount]int
}

// batchSize is how many lines travel together between the reader, the
// workers and the writer: handing over one line at a time cost more than
// parsing it. A batch is also sent once its lines reach batchBytes, so
// memory stays bounded whatever the lines' length.
const (
	batchSize  = 64
	batchBytes = 1 << 20
)

type streamBatch struct {
	jobs []streamJob
	out  chan batchResult
}

// runStream verifies one token per line of standard input and writes one JSON
// object per line, in input order. Lines are verified in parallel, one worker
// per core; at most a bounded number of lines is in flight, so memory stays
// constant whatever the input size.
func runStream(ctx context.Context, opts *Options) error {
	fixed := opts.At != ""
	at, err := tokenarg.Now(opts.At, opts.Now)
	if err != nil {
		return err
	}
	vo, err := opts.Flags.Options(opts.Discovery, at)
	if err != nil {
		return err
	}
	vo.Terse = true
	if !opts.NoMemo {
		vo.Memo = token.NewSignatureMemo(token.DefaultMemoBytes)
	}
	errP := output.NewPalette(opts.IO.ColorErr())
	if len(vo.Issuers) == 0 && vo.Tenant == "" && len(vo.Audiences) == 0 {
		output.Warning(opts.IO.ErrOut, errP, "no --tenant, --issuer or --audience given: a genuine token of any tenant or app would pass")
	}
	// A stream allocates little per line and holds a bounded amount: collecting
	// garbage less often buys throughput without growing memory much.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batches := make(chan streamBatch, workers*2)
	order := make(chan chan batchResult, workers*4)
	readErr := make(chan error, 1)

	go func() {
		defer close(batches)
		defer close(order)
		// The lines of a batch are copied into one string (slab), which the
		// jobs share: one allocation per batch instead of one per line.
		var slab strings.Builder
		type span struct {
			line, start, end int
			tooLarge         bool
		}
		spans := make([]span, 0, batchSize)
		lastSize := 16 << 10
		send := func() {
			if len(spans) == 0 {
				return
			}
			text := slab.String()
			jobs := make([]streamJob, len(spans))
			for k, sp := range spans {
				jobs[k] = streamJob{line: sp.line, data: text[sp.start:sp.end], tooLarge: sp.tooLarge}
			}
			lastSize = slab.Len()
			slab.Reset() // text keeps the old buffer; the next batch gets a new one
			spans = spans[:0]
			out := make(chan batchResult, 1)
			order <- out
			batches <- streamBatch{jobs: jobs, out: out}
		}
		readErr <- readLines(ctx, opts.IO.In, func(line int, data []byte) {
			if slab.Len() == 0 {
				slab.Grow(lastSize + lastSize/8)
			}
			start := slab.Len()
			slab.Write(data)
			spans = append(spans, span{line: line, start: start, end: slab.Len(), tooLarge: data == nil})
			if len(spans) == batchSize || slab.Len() >= batchBytes {
				send()
			}
		}, send)
		send()
	}()
	for i := 0; i < workers; i++ {
		go func() {
			var parser token.Parser  // per worker: it remembers headers without locks
			var v token.Verification // per worker: one line's verdict at a time
			lastSize := 0
			for b := range batches {
				o := vo
				if !fixed {
					o.Now = opts.Now()
				}
				res := batchResult{json: make([]byte, 0, max(lastSize, 512*len(b.jobs)))}
				for _, j := range b.jobs {
					var status int
					res.json, status = verifyLine(ctx, &parser, &v, j, o, res.json)
					res.counts[status]++
				}
				lastSize = len(res.json)
				b.out <- res
			}
		}()
	}

	w := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	var counts [statusCount]int
	var writeErr error
	for ch := range order {
		res := <-ch
		for status, n := range res.counts {
			counts[status] += n
		}
		if writeErr == nil {
			_, writeErr = w.Write(res.json)
		}
		if writeErr == nil && len(order) == 0 {
			writeErr = w.Flush() // nothing else ready: show results as they come
		}
	}
	if writeErr == nil {
		writeErr = w.Flush()
	}
	if err := <-readErr; err != nil {
		return err
	}
	if writeErr != nil {
		return fmt.Errorf("writing results: %w", writeErr)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	noun := "tokens"
	if total == 1 {
		noun = "token"
	}
	summary := fmt.Sprintf("verified %d %s: %d valid, %d invalid, %d malformed", total, noun, counts[statusValid], counts[statusInvalid], counts[statusMalformed])
	if n := counts[statusUnchecked]; n > 0 {
		summary += fmt.Sprintf(", %d not checked (keys unavailable)", n)
	}
	fmt.Fprintln(opts.IO.ErrOut, summary)
	switch {
	case counts[statusInvalid]+counts[statusMalformed] > 0:
		return &cmdutil.SilentError{Code: cmdutil.ExitInvalid}
	case counts[statusUnchecked] > 0:
		// As for one token: not a verdict on the tokens, a failure to judge them.
		return &cmdutil.ExitError{Code: cmdutil.ExitFailure,
			Err:  fmt.Errorf("cannot verify %d of the tokens: their keys are unavailable", counts[statusUnchecked]),
			Hint: "check the network, or give the keys with --jwks FILE"}
	}
	return nil
}

// verifyLine verifies one line and appends its result, one line of JSON, to
// buf. It returns the extended buffer and the line's status.
func verifyLine(ctx context.Context, parser *token.Parser, v *token.Verification, j streamJob, o token.VerifyOptions, buf []byte) ([]byte, int) {
	res := StreamResult{Line: j.line}
	status := statusMalformed
	if j.tooLarge {
		res.Malformed, res.Error = true, token.ErrTooLarge.Error()
	} else if t, err := parser.ParseInput(j.data); err != nil {
		res.Malformed, res.Error = true, err.Error()
	} else {
		token.VerifyTo(ctx, t, o, v)
		res.Valid, res.Error, res.Kid = v.Valid, v.Error, v.KeyID
		for _, c := range v.Failed() {
			res.Failed = append(res.Failed, c.Name)
		}
		c := t.Claims
		res.Issuer, res.TenantID, res.Audience = c.Str("iss"), c.Str("tid"), c.Strings("aud")
		res.Subject = c.Str("sub")
		if exp, ok := c.Time("exp"); ok {
			res.ExpiresAt = exp
		}
		res.KeysUnavailable = v.KeysUnavailable && v.Unverifiable()
		switch {
		case v.Valid:
			status = statusValid
		case res.KeysUnavailable:
			status = statusUnchecked // nothing else failed: the token was not judged
		default:
			status = statusInvalid
		}
	}
	return res.appendJSON(buf), status
}

// appendJSON encodes r as one line of JSON, by hand: encoding/json's
// reflection cost more than the rest of a line's work apart from the
// signature check. The field order and names are those of the struct tags
// (TestStreamResultJSONMatchesEncodingJSON keeps the two in step).
func (r *StreamResult) appendJSON(b []byte) []byte {
	b = append(b, `{"line":`...)
	b = strconv.AppendInt(b, int64(r.Line), 10)
	b = append(b, `,"valid":`...)
	b = strconv.AppendBool(b, r.Valid)
	if r.Malformed {
		b = append(b, `,"malformed":true`...)
	}
	if r.KeysUnavailable {
		b = append(b, `,"keys_unavailable":true`...)
	}
	b = jsonw.OptString(b, "error", r.Error)
	if len(r.Failed) > 0 {
		b = append(b, `,"failed":`...)
		b = jsonw.Strings(b, r.Failed)
	}
	b = jsonw.OptString(b, "kid", r.Kid)
	b = jsonw.OptString(b, "issuer", r.Issuer)
	b = jsonw.OptString(b, "subject", r.Subject)
	b = jsonw.OptString(b, "tenant_id", r.TenantID)
	if len(r.Audience) > 0 {
		b = append(b, `,"audience":`...)
		b = jsonw.Strings(b, r.Audience)
	}
	if !r.ExpiresAt.IsZero() {
		b = append(b, `,"expires_at":"`...)
		b = r.ExpiresAt.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	return append(b, "}\n"...)
}

// readLines calls fn for each non-blank line (1-based numbers). The slice fn
// gets is valid only until fn returns; a line over token.MaxTokenSize is
// passed as nil, and skipped without being held in memory. readLines calls
// idle before it would wait for more input, so lines read so far can be
// handed on (interactive use, tail -f).
func readLines(ctx context.Context, r io.Reader, fn func(line int, data []byte), idle func()) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte // a line longer than br's buffer, gathered
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if br.Buffered() == 0 {
			idle()
		}
		line, err := br.ReadSlice('\n')
		tooLong := false
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				if !tooLong && len(long)+len(line) > token.MaxTokenSize+2 {
					tooLong, long = true, long[:0]
				}
				if !tooLong {
					long = append(long, line...)
				}
			}
			line = long
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading standard input: %w", err)
		}
		switch {
		case tooLong || len(line) > token.MaxTokenSize+2:
			fn(n, nil)
		case len(bytes.TrimSpace(line)) > 0:
			fn(n, line)
		}
		if err == io.EOF {
			return nil
		}
	}
}
