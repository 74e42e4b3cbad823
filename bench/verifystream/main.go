// Command verifystream measures `azid verify --stream --jwks FILE` against
// the floor: a bare Go loop that calls rsa.VerifyPKCS1v15 on the same RS256
// tokens with the same number of cores, in the same run.
//
//	go run ./bench/verifystream [-n 20000] [-rounds 3] [-min 0.8] [-shape small|typical|enterprise] [-repeat 1] [-no-memo]
//
// -shape sets the tokens: small (~0.9 KB, 12 claims), typical (~1.3 KB, the
// claims of a real Entra v2 access token for a user) or enterprise (~3 KB,
// ~40 claims: optional claims, extension attributes and 30 group IDs).
//
// -repeat R makes a gateway log: each of the n distinct tokens appears R
// times, in shuffled order (n×R lines); the bare loop verifies every line.
// -no-memo runs azid with its signature memo off, for comparison.
//
// It fails when azid's best throughput is under -min of the bare loop's.
package main

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 20000, "tokens")
	rounds := flag.Int("rounds", 3, "rounds; the best of each side counts")
	minRatio := flag.Float64("min", 0.8, "fail when azid's throughput is under this share of the bare loop's")
	shape := flag.String("shape", "small", "tokens: small, typical or enterprise")
	repeat := flag.Int("repeat", 1, "lines per distinct token, shuffled (a gateway log)")
	noMemo := flag.Bool("no-memo", false, "run azid with --no-signature-memo")
	flag.Parse()
	if *n < 1 || *repeat < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "verifystream: -n, -repeat and -rounds must be at least 1")
		os.Exit(2)
	}
	extra, ok := shapes()[*shape]
	if !ok {
		fmt.Fprintf(os.Stderr, "verifystream: unknown -shape %q: use small, typical or enterprise\n", *shape)
		os.Exit(2)
	}
	if err := run(config{n: *n, repeat: *repeat, rounds: *rounds, minRatio: *minRatio, extra: extra, noMemo: *noMemo}); err != nil {
		fmt.Fprintln(os.Stderr, "verifystream:", err)
		os.Exit(1)
	}
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// shapes are the claims added to the small token's, by shape.
func shapes() map[string]string {
	typical := `,"acct":0,"acr":"1","aio":"AXQAi/8aAAAAk2bzVx0LmlwL8rQ5pXxN9m2nK4j0tY1o","amr":["pwd","mfa"],"family_name":"Example","given_name":"Alex","idtyp":"user","ipaddr":"203.0.113.42","preferred_username":"alex@contoso.example","rh":"1.AXkAv4j5cvGGr0GRqy180BHbR1wtU5ZLgc9BoRUmDqLYfaJ5AAB5AA.","sid":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","upn":"alex@contoso.example","uti":"Zq8c3sTuVwYzAbCdEfGhAA","wids":["b79fbf4d-3ef9-4689-8143-76b194e85509"],"xms_idrel":"1 20"`
	groups := make([]string, 30)
	for i := range groups {
		groups[i] = fmt.Sprintf(`"%08x-1b2c-4d3e-8f40-%012x"`, 0x5a000000+i*7919, 0xa1b2c3d40000+i*104729)
	}
	enterprise := typical + `,"ctry":"NL","email":"alex@contoso.example","employeeid":"E-102938","extension_department":"Platform Engineering","extension_costCenter":"CC-4471","extn.region":["emea"],"fwd":"198.51.100.7","in_corp":"true","onprem_sid":"S-1-5-21-1004336348-1177238915-682003330-512","tenant_ctry":"NL","tenant_region_scope":"EU","verified_primary_email":["alex@contoso.example"],"xms_cc":["cp1"],"xms_pdl":"EUR","xms_tpl":"en","groups":[` + strings.Join(groups, ",") + `],"roles":["Reader","Contributor","Support.Agent"]`
	return map[string]string{"small": "", "typical": typical, "enterprise": enterprise}
}

func makeTokens(n int, key *rsa.PrivateKey, extra string) []string {
	toks := make([]string, n)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	exp := time.Now().Add(time.Hour).Unix()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				header := b64([]byte(`{"typ":"JWT","alg":"RS256","kid":"bench-key"}`))
				payload := b64([]byte(fmt.Sprintf(`{"aud":"api://bench","iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","iat":%d,"nbf":%d,"exp":%d,"azp":"04b07795-8ddb-461a-bbee-02f9e1bf7b46","name":"User %d","oid":"3f2e1d0c-b9a8-4765-8432-10fedcba9876","scp":"read write","sub":"sub-%d","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","ver":"2.0"%s}`, exp-7200, exp-7200, exp, i, i, extra)))
				h := sha256.Sum256([]byte(header + "." + payload))
				sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, h[:])
				if err != nil {
					panic(err)
				}
				toks[i] = header + "." + payload + "." + b64(sig)
			}
		}(w)
	}
	wg.Wait()
	return toks
}

// cpuTime is the CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bareLoop is the floor: split, decode the signature, hash, verify; nothing
// else. It returns the wall time and the CPU time it took.
func bareLoop(toks []string, pub *rsa.PublicKey) (time.Duration, time.Duration, error) {
	cpu0 := cpuTime()
	start := time.Now()
	var wg sync.WaitGroup
	var failed sync.Once
	var ferr error
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(toks); i += workers {
				t := toks[i]
				dot := strings.LastIndexByte(t, '.')
				sig, err := base64.RawURLEncoding.DecodeString(t[dot+1:])
				if err == nil {
					h := sha256.Sum256([]byte(t[:dot]))
					err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
				}
				if err != nil {
					failed.Do(func() { ferr = err })
				}
			}
		}(w)
	}
	wg.Wait()
	return time.Since(start), cpuTime() - cpu0, ferr
}

type config struct {
	n, repeat, rounds int
	minRatio          float64
	extra             string
	noMemo            bool
}

func run(c config) error {
	dir, err := os.MkdirTemp("", "azid-verifystream")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	azid := filepath.Join(dir, "azid")
	build := exec.Command("go", "build", "-trimpath", "-o", azid, "./cmd/azid")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building azid: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	fmt.Printf("signing %d RS256 tokens (2048-bit key) on %d cores…\n", c.n, runtime.GOMAXPROCS(0))
	distinct := makeTokens(c.n, key, c.extra)
	fmt.Printf("tokens are %d bytes (the first)\n", len(distinct[0]))
	toks := distinct
	if c.repeat > 1 {
		toks = make([]string, 0, c.n*c.repeat)
		for range c.repeat {
			toks = append(toks, distinct...)
		}
		r := mrand.New(mrand.NewPCG(1, 2))
		r.Shuffle(len(toks), func(i, j int) { toks[i], toks[j] = toks[j], toks[i] })
		fmt.Printf("each token appears %d times, shuffled: %d lines\n", c.repeat, len(toks))
	}
	n := len(toks)
	input := []byte(strings.Join(toks, "\n") + "\n")
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]any{{"kty": "RSA", "use": "sig", "kid": "bench-key",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}}})
	inputPath := filepath.Join(dir, "tokens.txt")
	if err := os.WriteFile(inputPath, input, 0o644); err != nil {
		return err
	}
	jwksPath := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwksPath, jwks, 0o644); err != nil {
		return err
	}
	var bestBare, bestAzid time.Duration
	var ratios []float64
	args := []string{"verify", "--stream", "--jwks", jwksPath}
	if c.noMemo {
		args = append(args, "--no-signature-memo")
	}
	for r := 0; r < c.rounds; r++ {
		bare, bareCPU, err := bareLoop(toks, &key.PublicKey)
		if err != nil {
			return fmt.Errorf("bare loop: %w", err)
		}
		// Files, not pipes, on both ends: the harness must not spend the cores
		// copying data while azid runs.
		in, err := os.Open(inputPath)
		if err != nil {
			return err
		}
		outFile, err := os.Create(filepath.Join(dir, "out.ndjson"))
		if err != nil {
			return err
		}
		cmd := exec.Command(azid, args...)
		var errOut bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = in, outFile, &errOut
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+dir)
		start := time.Now()
		err = cmd.Run()
		took := time.Since(start)
		in.Close()
		outFile.Close()
		outData, _ := os.ReadFile(outFile.Name())
		out := bytes.NewBuffer(outData)
		if err != nil {
			first, _, _ := bytes.Cut(out.Bytes(), []byte("\n"))
			return fmt.Errorf("azid: %v: %s%s", err, errOut.String(), first)
		}
		if lines := bytes.Count(out.Bytes(), []byte("\n")); lines != n || bytes.Count(out.Bytes(), []byte(`"valid":true`)) != n {
			first, _, _ := bytes.Cut(out.Bytes(), []byte("\n"))
			return fmt.Errorf("azid wrote %d lines, not %d valid results: %s%s", lines, n, errOut.String(), first)
		}
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		fmt.Printf("round %d: bare loop %v (%.0f tokens/s, %.1f µs CPU/token); azid verify --stream %v (%.0f tokens/s, %.1f µs CPU/token); ratio %.2f\n",
			r+1, bare.Round(time.Millisecond), float64(n)/bare.Seconds(), float64(bareCPU.Microseconds())/float64(n),
			took.Round(time.Millisecond), float64(n)/took.Seconds(), float64(cpu.Microseconds())/float64(n), bare.Seconds()/took.Seconds())
		ratios = append(ratios, bare.Seconds()/took.Seconds())
		if bestBare == 0 || bare < bestBare {
			bestBare = bare
		}
		if bestAzid == 0 || took < bestAzid {
			bestAzid = took
		}
	}
	sort.Float64s(ratios)
	fmt.Printf("per-round ratios: min %.2f, median %.2f, max %.2f over %d rounds\n", ratios[0], ratios[len(ratios)/2], ratios[len(ratios)-1], len(ratios))
	ratio := bestBare.Seconds() / bestAzid.Seconds()
	fmt.Printf("best: azid reaches %.0f%% of the bare loop's throughput (minimum %.0f%%)\n", ratio*100, c.minRatio*100)
	if ratio < c.minRatio {
		return fmt.Errorf("azid verify --stream is at %.0f%% of the floor, under %.0f%%", ratio*100, c.minRatio*100)
	}
	return nil
}
