// Package catalog remembers every price sheet it is asked for in a package-level map that
// nothing ever deletes from: the map, and the sheets it holds, grow with every new SKU.
package catalog

import "sync"

// SheetBytes is the size of one remembered price sheet.
const SheetBytes = 16 << 10

var (
	mu     sync.Mutex
	sheets = map[string][]byte{}
)

// Remember keeps the price sheet of sku for later lookups.
func Remember(sku string) int {
	mu.Lock()
	defer mu.Unlock()
	sheets[sku] = make([]byte, SheetBytes)
	return len(sheets)
}
