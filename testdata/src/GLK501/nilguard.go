package glk501

import "net/http"

// Negative: the body is closed whenever there is one; the other branch has nothing to close.
func fetchStatus(client *http.Client, url string) (int, error) {
	resp, err := client.Get(url)
	if resp != nil && resp.Body != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// Negative: the same guard written the other way round, in parentheses.
func fetchLength(client *http.Client, url string) (int64, error) {
	resp, err := client.Get(url)
	if (nil != resp) && (nil != resp.Body) {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.ContentLength, nil
}

// Positive: the close also depends on a flag, so a response can reach the return open.
func fetchMaybe(client *http.Client, url string, keep bool) (int, error) {
	resp, err := client.Get(url) // want GLK501 "not closed on every path"
	if resp != nil && !keep {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
