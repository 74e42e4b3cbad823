package emulate

import (
	"sync"
	"time"

	"github.com/azid-cli/azid/pkg/easyauth"
)

// session is one signed-in user: the identity behind a cookie or an
// X-ZUMO-AUTH token, and what the token store holds for it.
type session struct {
	cookie  string // AppServiceAuthSession value ("" for client-directed sessions)
	zumo    string // X-ZUMO-AUTH value ("" for browser sessions)
	user    User
	claims  []easyauth.Claim
	expires time.Time // end of the session

	// The token store entry; empty when tokens were lost.
	idToken, accessToken, refreshToken string
	tokensExpire                       time.Time
	tokensLost                         bool
}

// store holds the sessions, in memory only: a restart forgets them.
type store struct {
	mu       sync.Mutex
	byCookie map[string]*session
	byZumo   map[string]*session
}

func newStore() *store {
	return &store{byCookie: map[string]*session{}, byZumo: map[string]*session{}}
}

func (s *store) add(x *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x.cookie != "" {
		s.byCookie[x.cookie] = x
	}
	if x.zumo != "" {
		s.byZumo[x.zumo] = x
	}
}

// get returns a copy of the live session for a cookie or zumo value.
func (s *store) get(cookie, zumo string, now time.Time) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var x *session
	if zumo != "" {
		x = s.byZumo[zumo]
	} else if cookie != "" {
		x = s.byCookie[cookie]
	}
	if x == nil {
		return session{}, false
	}
	if !now.Before(x.expires) {
		s.deleteLocked(x)
		return session{}, false
	}
	return *x, true
}

// update changes a live session under the lock.
func (s *store) update(cookie, zumo string, f func(*session)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	x := s.byCookie[cookie]
	if zumo != "" {
		x = s.byZumo[zumo]
	}
	if x == nil {
		return false
	}
	f(x)
	return true
}

func (s *store) remove(cookie, zumo string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if x := s.byCookie[cookie]; cookie != "" && x != nil {
		s.deleteLocked(x)
	}
	if x := s.byZumo[zumo]; zumo != "" && x != nil {
		s.deleteLocked(x)
	}
}

func (s *store) deleteLocked(x *session) {
	delete(s.byCookie, x.cookie)
	delete(s.byZumo, x.zumo)
}

// loseTokens empties every session's token store entry (a container restart).
func (s *store) loseTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []map[string]*session{s.byCookie, s.byZumo} {
		for _, x := range m {
			x.idToken, x.accessToken, x.refreshToken, x.tokensLost = "", "", "", true
		}
	}
}
