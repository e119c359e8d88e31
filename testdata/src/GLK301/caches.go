package glk301

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Negative: a grow-only cache of a function of its key (the use sync.Map documents). The
// key set is whatever units the program's code asks about, not what clients send.
var unitScales sync.Map

func scaleOf(unit string) float64 {
	if v, ok := unitScales.Load(unit); ok {
		return v.(float64)
	}
	scale := 1.0
	if strings.HasPrefix(unit, "k") {
		scale = 1000
	}
	unitScales.Store(unit, scale)
	return scale
}

// Positive: the same cache filled from a request: one entry per name a client sends.
var avatars sync.Map // want GLK301 "sync.Map avatars"

func avatar(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("user")
	if v, ok := avatars.Load(name); ok {
		fmt.Fprint(w, v)
		return
	}
	rendered := "<svg>" + name + "</svg>"
	v, _ := avatars.LoadOrStore(name, rendered)
	fmt.Fprint(w, v)
}

// Positive: the lookup is of another key than the write: not a cache fill.
var lastError sync.Map // want GLK301

func noteFailure(parent, job string, err error) {
	if _, ok := lastError.Load(parent); ok {
		err = fmt.Errorf("after %s: %w", parent, err)
	}
	lastError.Store(job, err)
}

// Negative: a registry that dies on a duplicate name can only hold names the program's code
// chooses (each one once); requests repeat keys and would crash it.
type Gauge struct{ value float64 }

var gauges sync.Map

func NewGauge(name string) *Gauge {
	g := &Gauge{}
	if _, dup := gauges.LoadOrStore(name, g); dup {
		panic("gauge " + name + " defined twice")
	}
	return g
}

type Dialect interface{ Quote(string) string }

var dialects = map[string]Dialect{}

func AddDialect(name string, d Dialect) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := dialects[name]; dup {
		log.Panicf("dialect %s added twice", name)
	}
	dialects[name] = d
}

// Positive: a duplicate is an error for the caller, so nothing stops the growth.
var claimed = map[string]bool{} // want GLK301

var errTaken = errors.New("name taken")

func claimName(name string) error {
	mu.Lock()
	defer mu.Unlock()
	if claimed[name] {
		return errTaken
	}
	claimed[name] = true
	return nil
}

// Negative: the key is a parameter every caller fills with a constant.
var sequences = map[string]int{}

func nextSequence(kind string) string {
	mu.Lock()
	defer mu.Unlock()
	sequences[kind]++
	return kind + "-" + strconv.Itoa(sequences[kind])
}

func newJobID() string   { return nextSequence("job") }
func newBatchID() string { return nextSequence(batchKind) }

const batchKind = "batch"

// Positive: the same helper, but one caller passes what a client sent.
var perTenant = map[string]int{} // want GLK301

func bumpTenant(tenant string) int {
	mu.Lock()
	defer mu.Unlock()
	perTenant[tenant]++
	return perTenant[tenant]
}

func adminBump() int { return bumpTenant("admin") }

func tenantCount(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, bumpTenant(r.Header.Get("X-Tenant")))
}
