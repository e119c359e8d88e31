package buildtags

import "context"

// Open registers a change watcher per path; only its handle is released by Close.
func Open(ctx context.Context, path string) error {
	mu.Lock()
	defer mu.Unlock()
	handles[path] = len(handles) + 1
	watchers[path] = make(chan struct{})
	return ctx.Err()
}

// Close releases the handle of a path.
func Close(path string) {
	mu.Lock()
	defer mu.Unlock()
	delete(handles, path)
}
