package output

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Values YAML 1.1 readers (PyYAML, go-yaml v2) take for something else: a
// merge key, floats without a dot, booleans, null, U+FFFF; and JSON with
// invalid UTF-8 inside strings (json.Valid accepts it).
func TestYAMLReadersAgree(t *testing.T) {
	for _, doc := range []string{
		`{"<<":"merge","a":"<<"}`,
		`{"a":"4e9","b":"1e3","c":"-1E-2","d":".inf","e":".NaN","f":"0b101","g":"1_000","h":"+12"}`,
		`{"a":"yes","b":"Yes","c":"ON","d":"off","e":"y","f":"n","g":"True","h":"NULL","i":"~","j":"Null"}`,
		"{\"a\":\"\uffff\",\"b\":\"\ufeffbom\",\"\uffff\":1}",
		`{"a":"2026-11-30T10:00:00Z","b":"1:30","c":"=","d":"<<x"}`,
	} {
		roundTrip(t, []byte(doc))
	}
	out, err := JSONToYAML([]byte("{\"a\":\"x\xffy\",\"b\xfe\":1}"))
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(out) {
		t.Errorf("YAML from invalid UTF-8 is not valid UTF-8: %q", out)
	}
}

// Writing is linear in the input: a 40,000-member object takes
// milliseconds, not seconds.
func TestYAMLLargeObjectIsFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < 40000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal("k" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + itoa(i))
		b.Write(k)
		b.WriteString(`:"v"`)
	}
	b.WriteString("}")
	start := time.Now()
	if _, err := JSONToYAML([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("40,000 members took %v", d)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
