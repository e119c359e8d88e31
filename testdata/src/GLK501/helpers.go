package glk501

import (
	"fmt"
	"io"
	"net/http"
)

// drainAndClose lets the transport reuse the connection.
func drainAndClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
}

func closeQuietly(c io.Closer) { _ = c.Close() }

func checkStatus(resp *http.Response) error {
	if resp.StatusCode >= 300 {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}
