// Package buildtags holds GLK301 fixtures split by build constraints. A package is judged
// with the files that build for the target only: the unix twin's writes are never counted
// with the windows twin's deletes, nor the other way round.
package buildtags

import "sync"

var mu sync.Mutex

// Positive on linux: the unix twin adds an entry per opened path and nothing built for unix
// removes one (the delete in handles_windows.go does not build there).
var handles = map[string]int{} // want GLK301

// Negative on linux: the unix twin fills it at start-up only. Positive with --goos windows,
// where handles_windows.go adds a watcher per opened path and never removes one.
var watchers = map[string]chan struct{}{}
