package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// goreleaserConfig is the part of .goreleaser.yaml this test checks.
type goreleaserConfig struct {
	Version int `yaml:"version"`
	Builds  []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
}

func TestGoreleaserConfig(t *testing.T) {
	raw, err := os.ReadFile("../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) == 0 || cfg.Checksum.NameTemplate == "" {
		t.Fatalf("unexpected shape: %+v", cfg)
	}
	b := cfg.Builds[0]
	// the main package exists and is package main
	out, err := exec.Command("go", "list", "-f", "{{.Name}}", "../"+strings.TrimPrefix(b.Main, "./")).Output()
	if err != nil || strings.TrimSpace(string(out)) != "main" {
		t.Errorf("builds[0].main %q is not a main package: %s %v", b.Main, out, err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Error("CGO_ENABLED=0 missing")
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("goos lacks %s", os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("goarch lacks %s", arch)
		}
	}
	// every -X target names a variable that exists in the code
	src, err := os.ReadFile("../pkg/buildinfo/buildinfo.go")
	if err != nil {
		t.Fatal(err)
	}
	xflag := regexp.MustCompile(`-X github\.com/azid-cli/azid/pkg/buildinfo\.(\w+)=`)
	found := 0
	for _, l := range b.Ldflags {
		for _, m := range xflag.FindAllStringSubmatch(l, -1) {
			found++
			if !regexp.MustCompile(`(?m)^\s+` + m[1] + `\s+= ""`).Match(src) {
				t.Errorf("ldflags set buildinfo.%s, which is not a string variable", m[1])
			}
		}
	}
	if found != 3 {
		t.Errorf("%d -X flags, want Version, Commit and Date", found)
	}
	// the packaged files exist, and all four completion scripts are packaged
	files := cfg.Archives[0].Files
	for _, f := range files {
		matches, _ := filepath.Glob(filepath.Join("..", f))
		if len(matches) == 0 {
			t.Errorf("archives packages %s, which does not exist", f)
		}
	}
	for _, want := range []string{"README.md", "completions/azid.bash", "completions/_azid", "completions/azid.fish", "completions/azid.ps1"} {
		if !slices.Contains(files, want) {
			t.Errorf("archives do not package %s", want)
		}
	}
}

func TestLdflagsSetVersion(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "azid")
	pkg := "github.com/azid-cli/azid/pkg/buildinfo"
	cmd := exec.Command("go", "build", "-o", bin, "-ldflags",
		"-X "+pkg+".Version=1.2.3 -X "+pkg+".Commit=abcdef1234567890 -X "+pkg+".Date=2026-11-30T00:00:00Z", "../cmd/azid")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "azid 1.2.3 (abcdef123456, 2026-11-30T00:00:00Z)") {
		t.Errorf("version = %q", out)
	}
}
