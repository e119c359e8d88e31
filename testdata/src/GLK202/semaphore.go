package glk202

import (
	"context"
	"errors"
	"sync"
)

// Negative: each goroutine takes a slot before its work and gives back the slot it took;
// the receive is its own token coming back, and wg.Wait joins them all.
func FetchAll(ctx context.Context, keys []string, get func(context.Context, string) error) []error {
	slots := make(chan struct{}, 3)
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-slots }()
			errs[i] = get(ctx, key)
		}()
	}
	wg.Wait()
	return errs
}

// Positive: the worker waits for a go-ahead that StartWhenReady sends only when the check
// passes; the goroutine puts nothing in the channel itself, so nothing comes back to it.
func StartWhenReady(ready func() bool, run func()) error {
	goAhead := make(chan struct{}, 1)
	go func() {
		<-goAhead // want GLK202
		run()
	}()
	if !ready() {
		return errors.New("not ready")
	}
	goAhead <- struct{}{}
	return nil
}
