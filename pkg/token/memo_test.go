package token

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azid-cli/azid/internal/testjwt"
	"github.com/azid-cli/azid/pkg/entra"
)

func TestSignatureMemo(t *testing.T) {
	set, other := &entra.KeySet{}, &entra.KeySet{}
	tok := strings.Repeat("eyJhbGciOiJSUzI1NiJ9.", 40) + "sig"

	t.Run("remembered from the second sighting", func(t *testing.T) {
		m := NewSignatureMemo(DefaultMemoBytes)
		_, _, ok, s := m.lookup(tok, set)
		if ok || s.again {
			t.Fatalf("first sighting: hit %v, again %v; want neither", ok, s.again)
		}
		m.remember(s, tok, set, 1, false) // a first sighting is not kept
		_, _, ok, s = m.lookup(tok, set)
		if ok || !s.again {
			t.Fatalf("second sighting: hit %v, again %v; want a miss seen before", ok, s.again)
		}
		m.remember(s, tok, set, 1, true)
		key, graph, ok, _ := m.lookup(tok, set)
		if !ok || key != 1 || !graph {
			t.Fatalf("third sighting: hit %v key %d graph %v; want the remembered key 1, graph scheme", ok, key, graph)
		}
		if _, _, ok, _ := m.lookup(tok, other); ok {
			t.Error("another key set (keys fetched again) hit the memo")
		}
		if _, _, ok, _ := m.lookup(tok[:len(tok)-1]+"x", set); ok {
			t.Error("other token bytes hit the memo")
		}
	})
	t.Run("a hash collision is not a hit", func(t *testing.T) {
		m := NewSignatureMemo(DefaultMemoBytes)
		_, _, _, s := m.lookup(tok, set)
		_, _, _, s = m.lookup(tok, set)
		m.remember(s, tok, set, 0, false)
		// Forge the entry's text as if another token had the same hash.
		sh := &m.shards[s.hash%memoShards]
		way := sh.way(s.hash)
		for i := range 2 {
			if sh.entries[way+i].hash == s.hash {
				sh.entries[way+i].raw = strings.Replace(tok, "sig", "SIG", 1)
			}
		}
		if _, _, ok, _ := m.lookup(tok, set); ok {
			t.Error("an entry with the same hash but other bytes was taken for the token")
		}
	})
	t.Run("the byte limit holds", func(t *testing.T) {
		m := NewSignatureMemo(memoShards * (len(tok) + 10)) // room for one token per shard
		tokens := make([]string, 200)
		for i := range tokens {
			tokens[i] = tok + strings.Repeat("A", i)
		}
		for range 3 {
			for _, tk := range tokens {
				_, _, _, s := m.lookup(tk, set)
				m.remember(s, tk, set, 0, false)
			}
		}
		for i := range m.shards {
			if sh := &m.shards[i]; sh.used > sh.limit {
				t.Errorf("shard %d holds %d bytes, over its limit %d", i, sh.used, sh.limit)
			}
		}
	})
	t.Run("nothing kept without room", func(t *testing.T) {
		m := NewSignatureMemo(0)
		for range 3 {
			_, _, _, s := m.lookup(tok, set)
			m.remember(s, tok, set, 0, false)
		}
		if _, _, ok, _ := m.lookup(tok, set); ok {
			t.Error("a memo with no room remembered a token")
		}
	})
	t.Run("two tokens sharing a set both stay", func(t *testing.T) {
		m := NewSignatureMemo(DefaultMemoBytes)
		a, b := tok+"a", tok+"b"
		for range 2 {
			for _, tk := range []string{a, b} {
				_, _, _, s := m.lookup(tk, set)
				m.remember(s, tk, set, 0, false)
			}
		}
		for _, tk := range []string{a, b, a, b} {
			if _, _, ok, _ := m.lookup(tk, set); !ok {
				t.Errorf("token %q... forgotten", tk[len(tk)-4:])
			}
		}
	})
	t.Run("Verify remembers a repeated token and still checks the rest", func(t *testing.T) {
		key := testjwt.SharedKey(t, "memo-key")
		keys, err := entra.ParseJWKS(testjwt.JWKS(t, key.JWK(nil)))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Unix(1_800_000_000, 0)
		raw := key.SignClaims(t, map[string]any{"iss": "https://login.microsoftonline.com/t/v2.0", "aud": "a", "exp": now.Add(time.Hour).Unix()})
		m := NewSignatureMemo(DefaultMemoBytes)
		o := VerifyOptions{Now: now, Keys: StaticKeys{Set: keys}, Memo: m}
		for i := range 3 {
			tk, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if v := Verify(t.Context(), tk, o); !v.Valid || v.KeyID != "memo-key" {
				t.Fatalf("verification %d: valid %v kid %q (%s)", i+1, v.Valid, v.KeyID, v.Error)
			}
		}
		if _, _, ok, _ := m.lookup(raw, keys); !ok {
			t.Fatal("a token verified three times is not in the memo")
		}
		tk, _ := Parse(raw)
		late := o
		late.Now = now.Add(2 * time.Hour)
		if v := Verify(t.Context(), tk, late); v.Valid || !v.passed("signature") || v.passed("lifetime") {
			t.Errorf("a remembered token past its exp: valid %v, signature passed %v, lifetime passed %v", v.Valid, v.passed("signature"), v.passed("lifetime"))
		}
	})
	t.Run("concurrent use", func(t *testing.T) {
		m := NewSignatureMemo(DefaultMemoBytes)
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 500 {
					tk := tok + strings.Repeat("B", (i+w)%37)
					_, _, _, s := m.lookup(tk, set)
					m.remember(s, tk, set, 0, false)
				}
			}()
		}
		wg.Wait()
	})
}
