package hooks

import "sync"

var mu sync.Mutex

// Negative: exported registration function, filled from init functions.
type Hook func() error

var registered []Hook

func Register(h Hook) { registered = append(registered, h) }

func RunAll() error {
	for _, h := range registered {
		if err := h(); err != nil {
			return err
		}
	}
	return nil
}

func init() { Register(func() error { return nil }) }

// Positive: called at runtime by every caller of Retain.
var retained []Hook // want GLK302

func Retain(h Hook) {
	mu.Lock()
	defer mu.Unlock()
	retained = append(retained, h)
}
