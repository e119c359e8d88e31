package glk302

import (
	"log"
	"sync"
)

type Plugin struct{ Name string }

var (
	pluginMu     sync.Mutex
	pluginByName = map[string]Plugin{}
	pluginOrder  []Plugin
)

// Negative: the ordered list grows beside a map that stops the program on a repeated
// name, so it holds the names the code installs once, not traffic.
func Install(p Plugin) {
	pluginMu.Lock()
	defer pluginMu.Unlock()
	if _, dup := pluginByName[p.Name]; dup {
		panic("plugin installed twice: " + p.Name)
	}
	pluginByName[p.Name] = p
	pluginOrder = append(pluginOrder, p)
}

var (
	filterMu sync.Mutex
	filters  []Plugin
)

// Negative: the list itself is searched for the name, and a repeat is fatal.
func AddFilter(f Plugin) {
	filterMu.Lock()
	defer filterMu.Unlock()
	for _, known := range filters {
		if known.Name == f.Name {
			log.Panicf("filter %q added twice", f.Name)
		}
	}
	filters = append(filters, f)
}

var (
	seenMu    sync.Mutex
	seenNames = map[string]bool{}
	seenOrder []string // want GLK302
)

// Positive: a repeated name is only skipped; every new name a client sends is kept.
func Remember(name string) {
	seenMu.Lock()
	defer seenMu.Unlock()
	if seenNames[name] {
		return
	}
	seenNames[name] = true
	seenOrder = append(seenOrder, name)
}
