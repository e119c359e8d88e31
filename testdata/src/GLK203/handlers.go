package glk203

import (
	"net/http"
	"time"
)

type conn interface {
	Ping() error
	Send(msg string) error
}

// Positive: a per-connection keepalive goroutine in a handler ignores its send errors and
// runs forever after the client is gone.
func keepalive(c conn) {
	go func() { // want GLK203
		for {
			time.Sleep(30 * time.Second)
			_ = c.Ping()
		}
	}()
}

// Negative: the keepalive returns on the first failed ping.
func keepaliveUntilError(c conn) {
	go func() {
		for {
			time.Sleep(30 * time.Second)
			if err := c.Ping(); err != nil {
				return
			}
		}
	}()
}

// Positive: a forwarding goroutine in a pipeline constructor; nothing ever stops it.
func forward(in <-chan string, c conn) {
	go func() { // want GLK203
		for {
			msg := <-in
			_ = c.Send(msg)
		}
	}()
}

// Positive: a goroutine started in a handler registered by a function.
func routes(mux *http.ServeMux, c conn) {
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		go func() { // want GLK203
			for {
				_ = c.Send(r.URL.Path)
				time.Sleep(time.Second)
			}
		}()
		w.WriteHeader(http.StatusAccepted)
	})
}

// Negative: the streaming goroutine watches the request's context.
func routesWithContext(mux *http.ServeMux, c conn) {
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		go func() {
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
					_ = c.Send(r.URL.Path)
				}
			}
		}()
		w.WriteHeader(http.StatusAccepted)
	})
}

type pump struct {
	stopCh chan struct{}
	out    chan int
}

// Negative: the stop channel is named like one and received in the loop.
func (p *pump) start() {
	go func() {
		n := 0
		for {
			select {
			case <-p.stopCh:
				p.out <- n
			default:
				n++
			}
		}
	}()
}

// Two methods named run: one can stop, one cannot; without types we cannot tell which
// `go x.run()` starts, so stay silent.
type a struct{ quit chan bool }
type b struct{}

func (x *a) run() {
	for {
		select {
		case <-x.quit:
			return
		default:
		}
	}
}

func (y *b) run() {
	for {
		time.Sleep(time.Second)
	}
}

// Negative: ambiguous method target.
func startRun(x *a) {
	go x.run()
}
