// Package render draws pages into big scratch buffers that are dropped as soon as the page
// is written: it allocates a lot and retains nothing, which is churn, not a leak.
package render

import "hash/crc32"

// ScratchBytes is the size of the buffer each page is drawn into.
const ScratchBytes = 256 << 10

// Page draws page n and returns its checksum.
func Page(n int) uint32 {
	scratch := make([]byte, ScratchBytes)
	for i := range scratch {
		scratch[i] = byte(n + i)
	}
	return crc32.ChecksumIEEE(scratch)
}
