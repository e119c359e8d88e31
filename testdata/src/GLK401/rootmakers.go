package glk401

import (
	"context"
	"net/http"
)

type catalog struct{ client *http.Client }

func (c *catalog) get(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// loadPrices makes its own root: every caller below has a context it could have passed.
func (c *catalog) loadPrices() error {
	return c.get(context.TODO(), "/prices") // related GLK401 "the new root is made here"
}

// warm reaches the root through loadPrices; its only caller has a context too.
func (c *catalog) warm() error {
	return c.loadPrices()
}

// Positive: the request's context is at hand, but loadPrices cuts the fetch off from it.
func (c *catalog) ServePrices(w http.ResponseWriter, r *http.Request) {
	if err := c.loadPrices(); err != nil { // want GLK401 "loadPrices\(\) starts a new context tree although r.Context\(\) is at hand"
		http.Error(w, err.Error(), http.StatusBadGateway)
	}
}

// Positive: the root is two helpers down; the finding stands for Rewarm's call too.
func (c *catalog) Prepare(ctx context.Context) error {
	return c.warm() // want GLK401 "warm\(\) starts a new context tree through loadPrices\(\).*here and at 1 more call of it"
}

// Negative: the same root through the same helper, counted at Prepare's call.
func (c *catalog) Rewarm(ctx context.Context) error {
	return c.warm()
}

// Positive: every call of a helper that makes the root itself is a place to pass ctx.
func (c *catalog) Quote(ctx context.Context) error {
	return c.loadPrices() // want GLK401 "loadPrices\(\) starts a new context tree although ctx is at hand"
}

// loadStock is also called from code without a context, which has none to give it.
func (c *catalog) loadStock() error {
	return c.get(context.TODO(), "/stock")
}

// Negative: loadStock's other caller (a start-up hook) has no context.
func (c *catalog) Stock(ctx context.Context) error {
	return c.loadStock()
}

func (c *catalog) onStartup() { _ = c.loadStock() }

// Negative: started on a goroutine of its own, the refresh is meant to outlive the call.
func (c *catalog) Watch(ctx context.Context) {
	go c.refreshForever()
}

func (c *catalog) refreshForever() {
	for {
		_ = c.get(context.Background(), "/prices")
	}
}

// LoadAll is exported: callers outside the package may have no context to give it.
func (c *catalog) LoadAll() error {
	return c.get(context.Background(), "/all")
}

// Negative: an exported helper is an API its callers chose.
func (c *catalog) Reload(ctx context.Context) error {
	return c.LoadAll()
}
