package glk301

import (
	"net/http"
	"sync"
)

// Phase is a small enum: the constants below are all the values code uses.
type Phase int

const (
	PhaseIdle Phase = iota
	PhaseDialing
	PhaseServing
)

type Ticket string

var (
	phaseMu    sync.Mutex
	phaseCount = map[Phase]int{}
)

// Negative: counted per request, but keyed by an enum: at most one entry per constant.
func notePhase(r *http.Request, p Phase) {
	phaseMu.Lock()
	phaseCount[p]++
	phaseMu.Unlock()
	_ = r
}

var (
	optionMu sync.Mutex
	options  = map[uint16]struct{}{}
)

// Negative: a 16-bit key has at most 65,536 values, whoever picks them.
func EnableOption(code uint16) {
	optionMu.Lock()
	options[code] = struct{}{}
	optionMu.Unlock()
}

var (
	ticketMu sync.Mutex
	tickets  = map[Ticket]bool{} // want GLK301
)

// Positive: a named string type with no constants of it is just a string from the client.
func holdTicket(r *http.Request) {
	ticketMu.Lock()
	tickets[Ticket(r.URL.Query().Get("t"))] = true
	ticketMu.Unlock()
}

var (
	portMu  sync.Mutex
	byPort  = map[uint32]string{} // want GLK301
)

// Positive: 32 bits is no bound worth the name.
func notePort(r *http.Request, port uint32) {
	portMu.Lock()
	byPort[port] = r.RemoteAddr
	portMu.Unlock()
}

var defaultLimits = map[string]int{"read": 10, "write": 5}

var (
	limitMu       sync.Mutex
	currentLimits = map[string]int{}
)

// Negative: every key comes from ranging over defaultLimits, which nothing writes after
// start-up, so this map never holds more names than that one.
func ResetLimits(scale int) {
	limitMu.Lock()
	defer limitMu.Unlock()
	for name, limit := range defaultLimits {
		currentLimits[name] = limit * scale
	}
}

var (
	quotaMu sync.Mutex
	quotas  = map[string]int{} // want GLK301
)

// Positive: the keys come from ranging over the caller's map, which can hold any names.
func SetQuotas(requested map[string]int) {
	quotaMu.Lock()
	defer quotaMu.Unlock()
	for name, n := range requested {
		quotas[name] = n
	}
}
