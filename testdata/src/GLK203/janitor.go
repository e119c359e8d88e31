package glk203

import (
	"context"
	"time"
)

func (c *Cache) janitor(ttl time.Duration) {
	for {
		time.Sleep(ttl)
		c.evictExpired()
	}
}

func (c *Cache) sweeper(ctx context.Context, ttl time.Duration) {
	t := time.NewTicker(ttl)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.evictExpired()
		}
	}
}
