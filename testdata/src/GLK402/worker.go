package glk402

import (
	"context"
	"errors"
	"log"
	"time"
)

type Job struct {
	ID      string
	Timeout time.Duration
}

// Positive: `continue` goes round the loop and out of it without cancelling.
func runJobs(ctx context.Context, jobs []Job, run func(context.Context, Job) error) {
	for _, job := range jobs {
		jobCtx, cancel := context.WithTimeout(ctx, job.Timeout) // want GLK402
		if job.ID == "" {
			continue
		}
		if err := run(jobCtx, job); err != nil {
			log.Printf("job %s: %v", job.ID, err)
		}
		cancel()
	}
}

// Positive: `break` leaves the loop before the cancel.
func firstResult(ctx context.Context, tries int, attempt func(context.Context) (string, error)) string {
	var result string
	for i := 0; i < tries; i++ {
		tryCtx, cancel := context.WithTimeout(ctx, time.Second) // want GLK402
		out, err := attempt(tryCtx)
		if err == nil {
			result = out
			break
		}
		cancel()
	}
	return result
}

// Negative: cancelled on every iteration, before continue and at the end.
func runJobsCancelled(ctx context.Context, jobs []Job, run func(context.Context, Job) error) {
	for _, job := range jobs {
		jobCtx, cancel := context.WithTimeout(ctx, job.Timeout)
		if job.ID == "" {
			cancel()
			continue
		}
		if err := run(jobCtx, job); err != nil {
			log.Printf("job %s: %v", job.ID, err)
		}
		cancel()
	}
}

// Positive: the worker's select returns on the parent's Done without cancelling its child.
func worker(parent context.Context, in <-chan Job, run func(context.Context, Job) error) error {
	ctx, cancel := context.WithCancel(parent) // want GLK402
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case job, ok := <-in:
			if !ok {
				cancel()
				return nil
			}
			if err := run(ctx, job); err != nil {
				cancel()
				return err
			}
		}
	}
}

// Negative: the goroutine that owns the context cancels it when done.
func startWatchdog(parent context.Context, d time.Duration, onTimeout func()) {
	ctx, cancel := context.WithTimeout(parent, d)
	go func() {
		defer cancel()
		<-ctx.Done()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			onTimeout()
		}
	}()
}

// Positive: a switch arm returns without cancelling.
func dispatch(ctx context.Context, kind string, handle func(context.Context) error) error {
	ctx, cancel := context.WithTimeoutCause(ctx, time.Second, errors.New("dispatch timeout")) // want GLK402
	switch kind {
	case "":
		return errors.New("empty kind")
	case "sync":
		defer cancel()
		return handle(ctx)
	default:
		go func() {
			defer cancel()
			_ = handle(ctx)
		}()
	}
	return nil
}

// Negative: the only early exit is a fatal log, which does not return.
func mustConnect(ctx context.Context, connect func(context.Context) error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	if err := connect(ctx); err != nil {
		log.Fatalf("connect: %v", err)
	}
	cancel()
}

// Negative: a package helper that exits the process counts as not returning.
func fail(format string, args ...any) {
	log.Printf(format, args...)
	panic(errors.New("unrecoverable"))
}

func mustMigrate(ctx context.Context, migrate func(context.Context) error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	if err := migrate(ctx); err != nil {
		fail("migrate: %v", err)
	} else {
		cancel()
	}
}

// Positive: an explicitly typed var declaration, lost on the error path.
func reserve(ctx context.Context, take func(context.Context) error) error {
	var reserveCtx, cancel = context.WithTimeout(ctx, time.Second) // want GLK402
	if err := take(reserveCtx); err != nil {
		return err
	}
	cancel()
	return nil
}

// Positive: a reassigned local, lost on the retry path.
func retry(ctx context.Context, attempt func(context.Context) error) error {
	var cancel context.CancelFunc
	attemptCtx := ctx
	attemptCtx, cancel = context.WithTimeout(ctx, time.Second) // want GLK402
	if err := attempt(attemptCtx); err != nil {
		return attempt(ctx)
	}
	cancel()
	return nil
}

// Negative: a per-call context cancelled by context.AfterFunc's stop handover.
func linkCancel(parent, other context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	context.AfterFunc(other, cancel)
	return ctx
}

// Negative: the cancel function is registered in a package-level variable.
var shutdownAll context.CancelFunc

func startServer(ctx context.Context, serve func(context.Context)) {
	var serverCtx context.Context
	serverCtx, shutdownAll = context.WithCancel(ctx)
	go serve(serverCtx)
}

// Negative: a process-wide root context at package level.
var rootCtx, rootCancel = context.WithCancel(context.Background())

func Shutdown() { rootCancel() }

func Root() context.Context { return rootCtx }
