package glk301

import (
	"net/http"
	"sync"
	"time"
)

type Session struct {
	ID      string
	User    string
	Created time.Time
}

var mu sync.Mutex

// Positive: one entry per login, forever.
var sessions = map[string]*Session{} // want GLK301 "package-level map sessions gains entries"

func login(w http.ResponseWriter, r *http.Request) {
	s := &Session{ID: r.FormValue("sid"), User: r.FormValue("user"), Created: time.Now()}
	mu.Lock()
	sessions[s.ID] = s
	mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Positive: per-path counters keyed by whatever URL clients send.
var visits = make(map[string]int) // want GLK301

func countVisit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		visits[r.URL.Path]++
		mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// Positive: a sync.Map of last-seen times that is only ever stored into.
var lastSeen sync.Map // want GLK301 "sync.Map lastSeen"

func heartbeat(w http.ResponseWriter, r *http.Request) {
	lastSeen.Store(r.RemoteAddr, time.Now())
	w.WriteHeader(http.StatusOK)
}

// Positive: a map field of a package-level struct value.
var userCache = struct { // want GLK301 "userCache.byID"
	sync.RWMutex
	byID map[int]string
}{byID: map[int]string{}}

func cacheUser(id int, name string) {
	userCache.Lock()
	userCache.byID[id] = name
	userCache.Unlock()
}

// Positive: subscribers appended per topic, never unsubscribed.
type Event struct{ Topic, Body string }

var subscribers = map[string][]chan Event{} // want GLK301

func Subscribe(topic string) <-chan Event {
	ch := make(chan Event, 1)
	mu.Lock()
	subscribers[topic] = append(subscribers[topic], ch)
	mu.Unlock()
	return ch
}

// Positive: initialised in init, then grown by requests: the init assignment is not a reset.
var firstSeen map[string]time.Time // want GLK301

func init() {
	firstSeen = make(map[string]time.Time)
}

func track(w http.ResponseWriter, r *http.Request) {
	mu.Lock()
	if _, ok := firstSeen[r.RemoteAddr]; !ok {
		firstSeen[r.RemoteAddr] = time.Now()
	}
	mu.Unlock()
}

// Positive: the handler closure is registered in init but runs on every request.
var hits = map[string]int{} // want GLK301

func init() {
	http.HandleFunc("/hit", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.Header.Get("User-Agent")]++
		mu.Unlock()
	})
}

// Positive: LoadOrStore on a pointer to a sync.Map, keyed by request ID.
var inflight = &sync.Map{} // want GLK301

func begin(id string) (*Session, bool) {
	v, loaded := inflight.LoadOrStore(id, &Session{ID: id})
	return v.(*Session), loaded
}

// Positive: a named map type.
type Index map[string][]int

var wordIndex = Index{} // want GLK301

func indexDocument(doc int, words []string) {
	mu.Lock()
	defer mu.Unlock()
	for _, w := range words {
		wordIndex[w] = append(wordIndex[w], doc)
	}
}

// Positive: called from init and from a handler: not start-up only.
var tenants = map[string]bool{} // want GLK301

func rememberTenant(name string) {
	mu.Lock()
	tenants[name] = true
	mu.Unlock()
}

func init() { rememberTenant("default") }

func tenantHandler(w http.ResponseWriter, r *http.Request) {
	rememberTenant(r.Header.Get("X-Tenant"))
}

// Positive: a background goroutine started in init keeps writing.
var errorsByKind = map[string]int{} // want GLK301

var errorEvents = make(chan string, 16)

func init() {
	go func() {
		for kind := range errorEvents {
			mu.Lock()
			errorsByKind[kind]++
			mu.Unlock()
		}
	}()
}
