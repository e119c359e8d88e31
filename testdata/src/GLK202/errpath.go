package glk202

import (
	"context"
	"errors"
)

type Store struct{ dirty bool }

func (s *Store) flush() error { return nil }

func validate(dirty bool) error {
	if !dirty {
		return errors.New("nothing to save")
	}
	return nil
}

// Positive: the error path returns before the receive.
func (s *Store) Save() error {
	errc := make(chan error)
	go func() {
		errc <- s.flush() // want GLK202 "Save can return at line 26"
	}()
	if err := validate(s.dirty); err != nil {
		return err
	}
	return <-errc
}

// Negative: the error path drains the channel in a deferred receive.
func (s *Store) SaveDrained() error {
	errc := make(chan error)
	go func() {
		errc <- s.flush()
	}()
	defer func() { <-errc }()
	if err := validate(s.dirty); err != nil {
		return err
	}
	return nil
}

// Positive: the receive sits on one branch only.
func (s *Store) MaybeWait(wait bool) error {
	done := make(chan error)
	go func() { done <- s.flush() }() // want GLK202 "MaybeWait can return at line 52"
	if wait {
		return <-done
	}
	s.dirty = false
	return nil
}

// Negative: both branches receive.
func (s *Store) AlwaysWait(wait bool) error {
	done := make(chan error)
	go func() { done <- s.flush() }()
	if wait {
		return <-done
	}
	err := <-done
	s.dirty = false
	return err
}

// Positive: two senders, a buffer of one, and a cancellable wait for the first.
func (s *Store) Race(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.flush() }() // want GLK202 "make\(chan error, 2\)"
	go func() { errc <- validate(s.dirty) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Negative: two senders, two slots.
func (s *Store) RaceBuffered(ctx context.Context) error {
	errc := make(chan error, 2)
	go func() { errc <- s.flush() }()
	go func() { errc <- validate(s.dirty) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Positive: a polling loop that gives up on its own deadline.
func (s *Store) WaitFlushed(tries int) bool {
	ok := make(chan bool)
	go func() { ok <- s.flush() == nil }() // want GLK202
	for i := 0; i < tries; i++ {
		select {
		case v := <-ok:
			return v
		default:
		}
	}
	return false
}
