package output

import (
	"strings"
	"testing"
)

func TestDisplayWidth(t *testing.T) {
	cases := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"alex", 4},
		{"Zoë", 3},
		{"Zoe\u0308", 3}, // combining diaeresis
		{"山田太郎", 8},      // CJK: two columns each
		{"ｶﾀｶﾅ", 4},      // halfwidth katakana: one each
		{"ＡＢ", 4},        // fullwidth Latin
		{"👍", 2},         // emoji
		{"👍🏽", 4},        // emoji + skin-tone modifier (shown as two by many terminals)
		{"❤\ufe0f", 1},   // variation selector takes nothing
		{"\x1b[1mbold\x1b[0m", 4},
		{"a\u200db", 2},
		{"\xff", 1}, // invalid UTF-8: one replacement column
	}
	for _, tc := range cases {
		t.Run(tc.s, func(t *testing.T) {
			if got := DisplayWidth(tc.s); got != tc.want {
				t.Errorf("DisplayWidth(%q) = %d, want %d", tc.s, got, tc.want)
			}
		})
	}
}

func TestKeyValuesAlignsWideText(t *testing.T) {
	var b strings.Builder
	rows := []KV{{"名前", "山田太郎"}, {"upn", "taro@contoso.example"}, {"roles", "Admin\nReader"}}
	if err := KeyValues(&b, rows, 2, nil); err != nil {
		t.Fatal(err)
	}
	want := "  名前   山田太郎\n" +
		"  upn    taro@contoso.example\n" +
		"  roles  Admin\n" +
		"         Reader\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	bold := NewPalette(true).Bold
	_ = KeyValues(&b, rows[:2], 0, bold)
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if DisplayWidth(line[:strings.LastIndex(line, "  ")+2]) != 6 {
			t.Errorf("styled key column misaligned: %q", line)
		}
	}
}

func TestTable(t *testing.T) {
	var b strings.Builder
	err := Table(&b, []string{"NAME", "ID"}, [][]string{{"Ünïcödé 👍", "1"}, {"グループ", "22"}, {"x", "333"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "NAME        ID\n" +
		"Ünïcödé 👍  1\n" +
		"グループ    22\n" +
		"x           333\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space: %q", line)
		}
	}
}

func TestWarningStyle(t *testing.T) {
	var b strings.Builder
	Warning(&b, NewPalette(false), "stale keys used (%d days old)", 3)
	Note(&b, NewPalette(false), "decoding %s", "id_token")
	if b.String() != "warning: stale keys used (3 days old)\nnote: decoding id_token\n" {
		t.Errorf("got %q", b.String())
	}
	b.Reset()
	Warning(&b, NewPalette(true), "x")
	if !strings.Contains(b.String(), "\x1b[") {
		t.Errorf("no colour with an enabled palette: %q", b.String())
	}
}
