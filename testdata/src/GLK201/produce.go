package glk201

import "net/http"

// fetchOne only sends: it can be called many times on the same channel.
func fetchOne(url string, out chan<- Result) {
	resp, err := http.Get(url)
	if err == nil {
		resp.Body.Close()
	}
	out <- Result{URL: url, Err: err}
}

// generate is the only sender and closes its output when done.
func generate(words []string, out chan<- string) {
	defer close(out)
	for _, w := range words {
		out <- w
	}
}

func (s *stream) setOut(ch chan string) { s.out = ch }
