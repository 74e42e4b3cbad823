package token

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/azid-cli/azid/pkg/entra"
)

// SignatureMemo remembers, for one run, tokens whose signature verified, so
// that the same token bytes seen again under the same key set are not
// signature-checked again (a gateway log repeats each token many times).
// Only the signature is remembered: every other check still runs for every
// token, and a token answers exactly as it would without the memo.
//
// A token is remembered only from its second sighting (the first only marks
// a 64-bit hash in a fixed table), so a stream of distinct tokens pays one
// hash and one table write per token and copies nothing. Remembered tokens
// are compared in full, byte for byte, with the one being verified, and the
// key set must be the very one that verified them (a key set fetched again
// after a rotation is another set). Memory is constant: fixed tables plus at
// most the byte limit given to NewSignatureMemo of remembered token text.
//
// A SignatureMemo is safe for concurrent use.
type SignatureMemo struct {
	seed   maphash.Seed
	shards [memoShards]memoShard
}

const (
	memoShards = 16 // locks, so parallel workers seldom wait on each other
	// seenPerShard hashes of tokens seen once, per shard (8 bytes each).
	seenPerShard = 4096
	// waysPerShard remembered tokens per shard, in two-way sets.
	waysPerShard = 1024
)

// DefaultMemoBytes is the token text a stream's SignatureMemo holds at most.
const DefaultMemoBytes = 16 << 20

type memoShard struct {
	mu      sync.Mutex
	seen    [seenPerShard]uint64
	entries [waysPerShard]memoEntry
	used    int // bytes of token text held by entries
	limit   int
}

// memoEntry is one remembered token: its text, the set whose key verified
// it, which of the token's candidate keys that was, and how it verified.
type memoEntry struct {
	hash   uint64
	raw    string
	set    *entra.KeySet
	key    int32
	graph  bool
	recent bool // the way of its set used last, so the other is replaced first
}

// NewSignatureMemo returns a memo holding at most limit bytes of token text.
func NewSignatureMemo(limit int) *SignatureMemo {
	m := &SignatureMemo{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].limit = limit / memoShards
	}
	return m
}

// memoSighting is what the memo knows of a token about to be verified.
type memoSighting struct {
	hash uint64
	// again is true when the token was seen before: remember it once verified.
	again bool
}

// lookup returns the remembered verification of raw under set (the index
// of the key among the token's candidates, and whether Graph's nonce
// scheme verified it), or notes the sighting.
func (m *SignatureMemo) lookup(raw string, set *entra.KeySet) (key int, graph, ok bool, s memoSighting) {
	h := maphash.String(m.seed, raw)
	s.hash = h
	sh := &m.shards[h%memoShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	way := sh.way(h)
	for i := range 2 {
		e := &sh.entries[way+i]
		if e.hash == h && e.set == set && e.raw == raw {
			e.recent, sh.entries[way+1-i].recent = true, false
			return int(e.key), e.graph, true, s
		}
	}
	slot := &sh.seen[(h/memoShards)%seenPerShard]
	if *slot == h {
		s.again = true
	} else {
		*slot = h
	}
	return 0, false, false, s
}

// remember records that raw's signature verified under set with its
// candidate key at index key. It keeps only tokens seen before (s.again)
// and only while the byte limit allows.
func (m *SignatureMemo) remember(s memoSighting, raw string, set *entra.KeySet, key int, graph bool) {
	if !s.again {
		return
	}
	sh := &m.shards[s.hash%memoShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	way := sh.way(s.hash)
	victim := way
	if sh.entries[way].recent {
		victim = way + 1
	}
	e := &sh.entries[victim]
	if sh.used-len(e.raw)+len(raw) > sh.limit {
		return
	}
	sh.used += len(raw) - len(e.raw)
	// raw may share memory with a large input buffer: keep a copy of its own.
	*e = memoEntry{hash: s.hash, raw: strings.Clone(raw), set: set, key: int32(key), graph: graph, recent: true}
	sh.entries[way+(victim-way+1)%2].recent = false
}

// way returns the first of the two entries hash h may occupy.
func (sh *memoShard) way(h uint64) int {
	return int((h/memoShards/seenPerShard)%(waysPerShard/2)) * 2
}
