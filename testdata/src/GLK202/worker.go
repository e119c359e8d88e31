package glk202

import "context"

func worker(task func() int, out chan<- int) {
	out <- task() // want GLK202 "Run can return at line 18 without receiving from results"
}

func politeWorker(ctx context.Context, task func() int, out chan<- int) {
	select {
	case out <- task():
	case <-ctx.Done():
	}
}
