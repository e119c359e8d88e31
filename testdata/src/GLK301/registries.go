package glk301

import (
	"errors"
	"reflect"
	"sync"
)

type Codec interface{ Name() string }

// Negative: an exported Register function, by convention called from init functions.
var codecs = map[string]Codec{}

func RegisterCodec(c Codec) {
	mu.Lock()
	defer mu.Unlock()
	codecs[c.Name()] = c
}

// Negative: an unexported register helper whose only callers are init functions.
var formats = map[string]string{}

func addFormat(ext, mime string) { formats[ext] = mime }

func init() {
	addFormat(".json", "application/json")
	addFormat(".xml", "application/xml")
}

// Negative: filled directly in init.
var statusText = map[int]string{}

func init() {
	statusText[200] = "OK"
	statusText[404] = "Not Found"
}

// Negative: filled by a package-level initialiser.
var squares = buildSquares()

func buildSquares() map[int]int {
	m := map[int]int{}
	for i := 0; i < 10; i++ {
		m[i] = i * i
	}
	return m
}

var lookup = map[int]int{}
var fillLookup = func() bool {
	for k, v := range squares {
		lookup[v] = k
	}
	return true
}()

// Negative: a fixed set of counters with constant keys.
const keyErrors = "errors"

var stats = map[string]int{}

func recordRequest(failed bool) {
	mu.Lock()
	stats["requests"]++
	if failed {
		stats[keyErrors]++
	}
	mu.Unlock()
}

// Negative: a type cache keyed by reflect.Type is bounded by the program's types.
var fieldCounts = map[reflect.Type]int{}

func fieldCount(t reflect.Type) int {
	mu.Lock()
	defer mu.Unlock()
	if n, ok := fieldCounts[t]; ok {
		return n
	}
	fieldCounts[t] = t.NumField()
	return fieldCounts[t]
}

var encoders sync.Map

func encoderFor(t reflect.Type) any {
	if e, ok := encoders.Load(t); ok {
		return e
	}
	e, _ := encoders.LoadOrStore(t, t.String())
	return e
}

// Negative: size-bounded cache.
const maxEntries = 1024

var results = map[string][]byte{}

func remember(key string, value []byte) error {
	mu.Lock()
	defer mu.Unlock()
	if len(results) >= maxEntries {
		return errors.New("cache full")
	}
	results[key] = value
	return nil
}

// Negative: filled once, lazily, through sync.Once.
var (
	tableOnce sync.Once
	table     = map[string]int{}
)

func lookupTable(key string) int {
	tableOnce.Do(func() {
		for i, name := range []string{"a", "b", "c"} {
			table[name] = i
		}
	})
	return table[key]
}

// Negative: a reset function replaces the map.
var pending = map[string]int{}

func addPending(id string) { pending[id]++ }

func flushPending() map[int]int {
	mu.Lock()
	defer mu.Unlock()
	out := map[int]int{len(pending): 1}
	pending = make(map[string]int)
	return out
}

// Negative: cleared on every tick.
var perTick = map[string]int{}

func observe(name string) { perTick[name]++ }

func tick() {
	mu.Lock()
	clear(perTick)
	mu.Unlock()
}

// Negative: handed to a helper of this package that deletes from its parameter.
var leases = map[string]int64{}

func grant(id string, until int64) { leases[id] = until }

func expire(now int64) { prune(leases, now) }

func prune(m map[string]int64, now int64) {
	for k, until := range m {
		if until < now {
			delete(m, k)
		}
	}
}

// Negative: a registry struct whose method deletes through its receiver.
type registry struct {
	mu    sync.Mutex
	items map[string]int
}

func (r *registry) remove(name string) {
	r.mu.Lock()
	delete(r.items, name)
	r.mu.Unlock()
}

var defaultRegistry = &registry{items: map[string]int{}}

func Add(name string, v int) {
	defaultRegistry.mu.Lock()
	defaultRegistry.items[name] = v
	defaultRegistry.mu.Unlock()
}

func Remove(name string) { defaultRegistry.remove(name) }

// Negative: a local map that shadows a package-level name.
var scratch = map[string]int{}

func countWords(words []string) int {
	scratch := map[string]int{}
	for _, w := range words {
		scratch[w]++
	}
	return len(scratch)
}

// Negative: a sync.Map whose entries are deleted when the work finishes.
var running sync.Map

func start(id string) { running.Store(id, true) }

// Negative: a sync.Map keyed by a reflect.Type held in a local (encoding/binary style).
var structSizes sync.Map

func sizeOf(v reflect.Value) int {
	t := v.Type()
	if n, ok := structSizes.Load(t); ok {
		return n.(int)
	}
	n := int(t.Size())
	structSizes.Store(t, n)
	return n
}

// Negative: a Publish-style registration function, called from init functions.
var published sync.Map

func Publish(name string, v any) {
	if _, dup := published.LoadOrStore(name, v); dup {
		panic("duplicate " + name)
	}
}
