package glk502

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"time"
)

// Job is one unit of work.
type Job struct {
	Path    string
	Timeout time.Duration
}

// Positive: a timer per job, stopped only when the worker returns.
func Work(jobs <-chan Job, done <-chan struct{}, run func(Job) <-chan error) {
	for job := range jobs {
		t := time.NewTimer(job.Timeout)
		defer t.Stop() // want GLK502 "t.Stop"
		select {
		case <-run(job):
		case <-t.C:
		case <-done:
			return
		}
	}
}

// Positive: a defer inside a select case inside the loop.
func Archive(jobs <-chan Job, quit <-chan struct{}, store func(*os.File) error) error {
	for {
		select {
		case job := <-jobs:
			f, err := os.Open(job.Path)
			if err != nil {
				return err
			}
			defer f.Close() // want GLK502
			if err := store(f); err != nil {
				return err
			}
		case <-quit:
			return nil
		}
	}
}

// Positive: each migration's transaction is rolled back only when Migrate returns.
func Migrate(db *sql.DB, steps []string) error {
	for _, step := range steps {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback() // want GLK502 "tx.Rollback"
		if _, err := tx.Exec(step); err != nil {
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Positive: rows per table in a nested loop.
func CountRows(ctx context.Context, db *sql.DB, schemas map[string][]string) (int, error) {
	total := 0
	for _, tables := range schemas {
		for _, table := range tables {
			rows, err := db.QueryContext(ctx, "SELECT 1 FROM "+table)
			if err != nil {
				return 0, err
			}
			defer rows.Close() // want GLK502
			for rows.Next() {
				total++
			}
		}
	}
	return total, nil
}

// Negative: Unlock is not a release of a resource (a deferred Unlock in a loop deadlocks,
// which is another rule's business).
func Bump(mu *sync.Mutex, counters map[string]int, keys []string) {
	for _, k := range keys {
		mu.Lock()
		counters[k]++
		mu.Unlock()
	}
}

// Negative: a cleanup function from elsewhere is not a cancel func from context.With*.
func Spin(steps []func() func()) {
	for _, step := range steps {
		undo := step()
		defer undo()
	}
}

// Negative: the defer is outside the loop.
func Tail(path string, lines chan<- string, every time.Duration) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for i := 0; i < 10; i++ {
		n, _ := f.Read(buf)
		if n > 0 {
			lines <- string(buf[:n])
		}
		time.Sleep(every)
	}
	return nil
}

// Negative: each hedged attempt runs in a goroutine that needs its context until the
// function returns; cancelling at the end of the iteration would kill it.
func Hedge(ctx context.Context, attempts int, delay time.Duration, try func(context.Context) error) error {
	errs := make(chan error, attempts)
	for i := 0; i < attempts; i++ {
		attemptCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() { errs <- try(attemptCtx) }()
		select {
		case err := <-errs:
			return err
		case <-time.After(delay):
		}
	}
	return <-errs
}

// Negative: the timer made in one case is read through an outer channel variable by the
// following iterations; stopping it at the end of the iteration would break the timeout.
func AwaitReply(sent <-chan struct{}, replies <-chan string, timeout time.Duration) (string, error) {
	var expired <-chan time.Time
	for {
		select {
		case <-sent:
			t := time.NewTimer(timeout)
			defer t.Stop()
			expired = t.C
		case r := <-replies:
			return r, nil
		case <-expired:
			return "", context.DeadlineExceeded
		}
	}
}
