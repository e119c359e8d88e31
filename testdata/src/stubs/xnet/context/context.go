// Package context stands in for golang.org/x/net/context in fixtures: since Go 1.7 that
// package only gives the standard context package's names again.
package context

import (
	"context"
	"time"
)

type (
	Context    = context.Context
	CancelFunc = context.CancelFunc
)

func Background() Context { return context.Background() }

func TODO() Context { return context.TODO() }

func WithCancel(parent Context) (Context, CancelFunc) { return context.WithCancel(parent) }

func WithTimeout(parent Context, d time.Duration) (Context, CancelFunc) {
	return context.WithTimeout(parent, d)
}
