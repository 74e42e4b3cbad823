package output

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// roundTrip checks that a YAML parser reads our YAML as the same data the
// JSON holds (numbers compared as float64, as both parsers give them).
func roundTrip(t *testing.T, raw []byte) {
	t.Helper()
	var want any
	if err := json.Unmarshal(raw, &want); err != nil {
		return
	}
	out, err := JSONToYAML(raw)
	if err != nil {
		t.Fatalf("JSONToYAML(%s): %v", raw, err)
	}
	var got any
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("our YAML does not parse: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(normalise(got), normalise(want)) {
		t.Fatalf("round trip differs\njson: %s\nyaml:\n%s\ngot:  %#v\nwant: %#v", raw, out, normalise(got), normalise(want))
	}
}

func normalise(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range v {
			m[k] = normalise(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = normalise(e)
		}
		return l
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}

func TestYAMLRoundTrip(t *testing.T) {
	for _, doc := range []string{
		`{"a":"plain","b":"yes","c":"no","d":"on","e":"1.5","f":"0x1F","g":"2026-11-30","h":"12:30","i":"-x","j":"a: b","k":"a #b","l":"","m":" pad ","n":"null","o":"~","p":"line\nbreak","q":"tab\there","r":"ümlaut","s":"#c","t":"@x","u":"*x","v":"!x","w":"%x","x":"http://a/b?c=d&e","y":"'q'","z":"\"dq\""}`,
		`{"nested":{"list":[{"a":1},{"b":[]},{}],"empty":{}},"nums":[1,-2,3.5,1e3,12345678901234567890],"bools":[true,false,null]}`,
		`[]`, `{}`, `"top"`, `42`, `[[1,[2,[3]]],{"k":{"k":{"k":"v"}}}]`,
		`{"key with space":"v","-dash":"v","1":"one","true":"t","":"empty key"}`,
		// YAML readers refuse implicit keys over 1024 characters
		`{"` + strings.Repeat("k", 1500) + `":"v","` + strings.Repeat("\u00e9", 1100) + `":{"a":[1]},"short":"s"}`,
		`{"d":` + strings.Repeat(`{"k":`, 20) + `{"` + strings.Repeat("x", 1100) + `":1}` + strings.Repeat(`}`, 20) + `}`,
	} {
		roundTrip(t, []byte(doc))
	}
}

func FuzzJSONToYAML(f *testing.F) {
	f.Add([]byte(`{"a":"yes","b":[1,"2",{"c":null}]}`))
	f.Add([]byte(`["- x",": y","#z","0o17","+1","1_000",".5"]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) || bytes.Contains(raw, []byte(`\u0000`)) {
			return
		}
		roundTrip(t, raw)
	})
}

func TestYAMLDeepNestingStaysSmall(t *testing.T) {
	deep := bytes.Repeat([]byte(`{"k":[`), 2000)
	deep = append(deep, '1')
	deep = append(deep, bytes.Repeat([]byte(`]}`), 2000)...)
	out, err := JSONToYAML(deep)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) > 10*len(deep) {
		t.Errorf("%d bytes of YAML for %d bytes of JSON", len(out), len(deep))
	}
	roundTrip(t, deep)
}
