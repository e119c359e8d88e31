package glk301

import (
	"fmt"
	"strings"
	"sync"
)

// Encoder is anything that can encode itself.
type Encoder interface{ Encode() []byte }

var (
	encodersMu     sync.Mutex
	encodersByType = map[string]string{} // negative: keyed by a compiled-in type's name
	encodersByName = map[string]Encoder{}  // want GLK301
)

// kindOf names the concrete type of c without its pointer star.
func kindOf(e Encoder) string {
	name := fmt.Sprintf("%T", e)
	name = strings.TrimPrefix(name, "*")
	return name
}

// Remember records which registration name each encoder type came from.
func Remember(e Encoder, registeredAs string) {
	encodersMu.Lock()
	defer encodersMu.Unlock()
	encodersByType[kindOf(e)] = registeredAs
}

// RememberNamed keys by a caller-supplied name: any string at all.
func RememberNamed(name string, e Encoder) {
	encodersMu.Lock()
	defer encodersMu.Unlock()
	encodersByName[name] = e
}
