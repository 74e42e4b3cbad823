// Command startup measures azid's whole-process cost: the median wall time of
// `azid decode TOKEN -o json` against a minimal Go program (bench/minimal) that
// only base64-decodes and prints the same token, both built as releases are
// (CGO_ENABLED=0, -trimpath) and run interleaved in the same session.
//
//	go run ./bench/startup [-runs 30] [-rounds 3] [-max 2.0]
//
// It prints the medians and their ratio for each round and fails when even
// the best round's ratio is over -max.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	runs := flag.Int("runs", 30, "runs of each program per round")
	rounds := flag.Int("rounds", 3, "rounds; the best ratio counts")
	maxRatio := flag.Float64("max", 2.0, "fail when the best ratio is above this")
	flag.Parse()
	if err := run(*runs, *rounds, *maxRatio); err != nil {
		fmt.Fprintln(os.Stderr, "startup:", err)
		os.Exit(1)
	}
}

func build(dir, name, pkg string) (string, error) {
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stderr = os.Stderr
	return out, cmd.Run()
}

func timeRun(bin string, args ...string) (time.Duration, error) {
	cmd := exec.Command(bin, args...)
	start := time.Now()
	err := cmd.Run()
	return time.Since(start), err
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func run(runs, rounds int, maxRatio float64) error {
	dir, err := os.MkdirTemp("", "azid-startup")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	azid, err := build(dir, "azid", "./cmd/azid")
	if err != nil {
		return fmt.Errorf("building azid: %w", err)
	}
	minimal, err := build(dir, "minimal", "./bench/minimal")
	if err != nil {
		return fmt.Errorf("building minimal: %w", err)
	}
	raw, err := os.ReadFile("examples/access-token.jwt")
	if err != nil {
		return err
	}
	tok := strings.TrimSpace(string(raw))
	best := 0.0
	for r := 0; r < rounds; r++ {
		var a, m []time.Duration
		for i := 0; i < runs+3; i++ {
			da, err := timeRun(azid, "decode", tok, "-o", "json")
			if err != nil {
				return fmt.Errorf("azid: %w", err)
			}
			dm, err := timeRun(minimal, tok)
			if err != nil {
				return fmt.Errorf("minimal: %w", err)
			}
			if i >= 3 { // the first runs warm the page cache
				a, m = append(a, da), append(m, dm)
			}
		}
		ma, mm := median(a), median(m)
		ratio := float64(ma) / float64(mm)
		fmt.Printf("round %d: azid decode -o json %v, minimal %v, ratio %.2f\n", r+1, ma.Round(time.Microsecond), mm.Round(time.Microsecond), ratio)
		if best == 0 || ratio < best {
			best = ratio
		}
	}
	fmt.Printf("best ratio %.2f (limit %.2f)\n", best, maxRatio)
	if best > maxRatio {
		return fmt.Errorf("azid decode start-up is %.2f× the minimal program, over %.2f×", best, maxRatio)
	}
	return nil
}
