package plugins

import "sync"

type Plugin interface{ Name() string }

var (
	mu       sync.RWMutex
	registry = map[string]Plugin{}
)

// Negative: the plugin registry is filled from init functions (see builtin.go).
func Register(p Plugin) {
	mu.Lock()
	defer mu.Unlock()
	registry[p.Name()] = p
}

func Lookup(name string) (Plugin, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := registry[name]
	return p, ok
}

// Positive: loaded on demand per name a caller asks for; never evicted.
var loaded = map[string]Plugin{} // want GLK301

func Load(name string) Plugin {
	mu.Lock()
	defer mu.Unlock()
	if p, ok := loaded[name]; ok {
		return p
	}
	p := registry[name]
	loaded[name] = p
	return p
}
