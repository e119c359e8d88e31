package glk501

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// API is a small JSON client.
type API struct {
	base   string
	client *http.Client
}

// Positive: the status check returns before the deferred close is registered.
func Fetch(u string) ([]byte, error) {
	resp, err := http.Get(u) // want GLK501 "response body"
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Negative: the close is deferred before the status check.
func FetchOK(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// Negative: read everything, then close, then look at the error.
func FetchThenClose(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	return body, nil
}

// Positive: client.Do through a field typed *http.Client; the decoder never closes the body.
func (a *API) Get(path string, out any) error {
	req, err := http.NewRequest(http.MethodGet, a.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req) // want GLK501
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Negative: the response goes to a helper in another file that drains and closes it.
func (a *API) Delete(path string) error {
	req, err := http.NewRequest(http.MethodDelete, a.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer drainAndClose(resp)
	return checkStatus(resp)
}

// Positive: a fire-and-forget webhook discards the response, body and all.
func Notify(hook string, event any) error {
	payload, err := json.Marshal(event)
	if err != nil {
		return err
	}
	_, err = http.Post(hook, "application/json", bytes.NewReader(payload)) // want GLK501 "discarded"
	return err
}

// Negative: the body is closed through the Body field handed to a closing helper.
func (a *API) Search(q string) ([]byte, error) {
	resp, err := a.client.PostForm(a.base+"/search", url.Values{"q": {q}})
	if err != nil {
		return nil, err
	}
	defer closeQuietly(resp.Body)
	return io.ReadAll(resp.Body)
}

// Negative: the caller gets the response and owns its body.
func (a *API) Raw(path string) (*http.Response, error) {
	resp, err := a.client.Get(a.base + path)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Negative: Get on a cache is not an HTTP request.
type cache struct{ m map[string][]byte }

func (c *cache) Get(key string) ([]byte, error) {
	v, ok := c.m[key]
	if !ok {
		return nil, fmt.Errorf("miss: %s", key)
	}
	return v, nil
}

func (a *API) Cached(c *cache, key string) int {
	v, err := c.Get(key)
	if err != nil {
		return 0
	}
	return len(v)
}

// Negative: the response is closed whenever there is one, before the error is looked at.
func (a *API) Head(path string) (int, error) {
	resp, err := a.client.Head(a.base + path)
	if resp != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
