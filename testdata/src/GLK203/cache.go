package glk203

import (
	"context"
	"sync"
	"time"
)

type entry struct {
	value   string
	expires time.Time
}

type Cache struct {
	mu    sync.Mutex
	items map[string]entry
	done  chan struct{}
}

func (c *Cache) evictExpired() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
		}
	}
}

// Positive: every NewCache starts a janitor that ranges over a ticker forever and keeps the
// cache alive with it.
func NewCache(ttl time.Duration) *Cache {
	c := &Cache{items: map[string]entry{}}
	go func() { // want GLK203 "every call of NewCache starts another"
		ticker := time.NewTicker(ttl)
		for range ticker.C {
			c.evictExpired()
		}
	}()
	return c
}

// Negative: the janitor stops when Close closes c.done.
func NewClosableCache(ttl time.Duration) *Cache {
	c := &Cache{items: map[string]entry{}, done: make(chan struct{})}
	go func() {
		ticker := time.NewTicker(ttl)
		defer ticker.Stop()
		for {
			select {
			case <-c.done:
				return
			case <-ticker.C:
				c.evictExpired()
			}
		}
	}()
	return c
}

func (c *Cache) Close() { close(c.done) }

// Positive (multi-file): the janitor method lives in janitor.go and sleeps in a bare loop.
func NewSleepyCache(ttl time.Duration) *Cache {
	c := &Cache{items: map[string]entry{}}
	go c.janitor(ttl) // want GLK203
	return c
}

// Negative (multi-file): sweeper (janitor.go) returns when its context is cancelled.
func NewContextCache(ctx context.Context, ttl time.Duration) *Cache {
	c := &Cache{items: map[string]entry{}}
	go c.sweeper(ctx, ttl)
	return c
}

// Positive: a select loop with two work cases and no way out.
func (c *Cache) Watch(updates <-chan entry, ticks <-chan time.Time) {
	go func() { // want GLK203
		for {
			select {
			case e := <-updates:
				c.mu.Lock()
				c.items[e.value] = e
				c.mu.Unlock()
			case <-ticks:
				c.evictExpired()
			}
		}
	}()
}

// Negative: the same loop notices a closed updates channel.
func (c *Cache) WatchUntilClosed(updates <-chan entry, ticks <-chan time.Time) {
	go func() {
		for {
			select {
			case e, ok := <-updates:
				if !ok {
					return
				}
				c.mu.Lock()
				c.items[e.value] = e
				c.mu.Unlock()
			case <-ticks:
				c.evictExpired()
			}
		}
	}()
}

// Positive: `break` inside a select only ends the select, not the loop.
func (c *Cache) Refresh(ticks <-chan time.Time, load func() bool) {
	go func() { // want GLK203
		for {
			select {
			case <-ticks:
				if !load() {
					break
				}
				c.evictExpired()
			}
		}
	}()
}

// Negative: a labelled break leaves the loop.
func (c *Cache) RefreshUntilFailure(ticks <-chan time.Time, load func() bool) {
	go func() {
	loop:
		for {
			select {
			case <-ticks:
				if !load() {
					break loop
				}
			}
		}
		c.evictExpired()
	}()
}

// Negative: the loop has a condition; it ends when the cache is emptied.
func (c *Cache) Drain() {
	go func() {
		for len(c.items) > 0 {
			c.evictExpired()
			time.Sleep(time.Millisecond)
		}
	}()
}

// Negative: a range over a channel ends when it is closed (GLK201 judges that).
func (c *Cache) Load(entries <-chan entry) {
	go func() {
		for e := range entries {
			c.mu.Lock()
			c.items[e.value] = e
			c.mu.Unlock()
		}
	}()
}
