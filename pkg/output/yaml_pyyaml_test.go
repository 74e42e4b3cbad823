package output

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// pyYAML finds a Python that has PyYAML, the YAML 1.1 reader most scripts
// use. Without one the test skips, except under CI, where .ci/run installs
// Debian's python3-yaml.
func pyYAML(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import yaml").Run() == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no python3 with PyYAML under CI: .ci/run installs python3-yaml")
	}
	t.Skip("no python3 with PyYAML (Debian: apt-get install python3-yaml); skipping the YAML 1.1 reader check")
	return ""
}

// TestYAMLReadByPyYAML checks that a YAML 1.1 reader reads our YAML as the
// same data as the JSON it came from: the words and numbers YAML 1.1 reads
// differently from 1.2 (yes, on, n, =, 0777, 1:20, 4e9) must not change type.
func TestYAMLReadByPyYAML(t *testing.T) {
	py := pyYAML(t)
	docs := []string{
		`{"<<":"x","a":"yes","b":"on","c":"~","d":"4e9","e":"0777","f":"1:20","g":"Off","h":"y","i":"N","j":".inf","k":"0x1F"}`,
		`{"l":"2001-12-14","m":"null","n":"-","o":"1_000","p":"+12","q":"0b101","r":"=","s":".NaN","t":"190:20:30","u":"1e3"}`,
		`{"big":4e9,"neg":-1E-7,"frac":1.5e9,"plain":12345678901234567890,"f":0.5,"z":0}`,
		`{"arr":[4e9,"yes",["n","~"],{"on":"off"}],"nested":{"=":{"<<":[1E2]}}}`,
		`{"u":"\uffff\ufffe\u2028 x","ctl":"a\u0007b","nl":"two\nlines","quote":"say \"hi\""}`,
	}
	for _, doc := range docs {
		t.Run(doc[:min(len(doc), 24)], func(t *testing.T) {
			out, err := JSONToYAML([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(py, "-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)")
			cmd.Stdin = bytes.NewReader(out)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("PyYAML cannot read our YAML: %v\n%s\n%s", err, stderr.String(), out)
			}
			var a, b any
			if err := json.Unmarshal(got, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(doc), &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("PyYAML reads different data\nyaml:\n%s\npyyaml: %s\njson:   %s", out, got, doc)
			}
		})
	}
}
