// Package sessions keeps a session per user in a package-level map that only ever grows;
// each session also parks a goroutine waiting for a logout that never comes.
package sessions

import (
	"sync"
	"time"
)

type session struct {
	user    string
	created time.Time
	done    chan struct{}
}

var (
	mu       sync.Mutex
	sessions = map[string]*session{}
)

// Login records a session for user and starts its expiry watcher.
func Login(user string) {
	s := &session{user: user, created: time.Now(), done: make(chan struct{})}
	mu.Lock()
	sessions[user] = s
	mu.Unlock()
	go s.expire()
}

// Count reports how many sessions are held.
func Count() int {
	mu.Lock()
	defer mu.Unlock()
	return len(sessions)
}

func (s *session) expire() {
	<-s.done
	s.created = time.Time{}
}

// Logout ends a user's session and wakes its watcher; the service never calls it, so every
// watcher stays parked (a leak no static rule can see: the package does close done).
func Logout(user string) {
	mu.Lock()
	s := sessions[user]
	mu.Unlock()
	if s != nil {
		close(s.done)
	}
}
