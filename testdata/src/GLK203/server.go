package glk203

import (
	"errors"
	"log"
	"net"
	"sync"
	"time"
)

type Server struct {
	ln      net.Listener
	quit    chan struct{}
	queue   chan string
	once    sync.Once
	stopped bool
}

func (s *Server) handle(c net.Conn) { c.Close() }

// Positive: the accept loop logs and continues on every error, so even a closed listener
// never stops it.
func (s *Server) Start() {
	go func() { // want GLK203
		for {
			conn, err := s.ln.Accept()
			if err != nil {
				log.Printf("accept: %v", err)
				continue
			}
			go s.handle(conn)
		}
	}()
}

// Negative: the accept loop returns once the listener is closed.
func (s *Server) StartClosable() {
	go func() {
		for {
			conn, err := s.ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				continue
			}
			go s.handle(conn)
		}
	}()
}

// Positive: the queue worker (a method in this file) blocks on a plain receive forever.
func (s *Server) StartWorker() {
	go s.work() // want GLK203
}

func (s *Server) work() {
	for {
		item := <-s.queue
		log.Print(item)
	}
}

// Negative: the stop-channel case ends the heartbeat.
func (s *Server) StartHeartbeat(beat func()) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-s.quit:
				return
			case <-t.C:
				beat()
			}
		}
	}()
}

// Positive: heartbeat over time.Tick, started once per call of StartTicking.
func (s *Server) StartTicking(beat func()) {
	go func() { // want GLK203
		for range time.Tick(time.Second) {
			beat()
		}
	}()
}

// Positive: an early return before the loop is no way out of the loop.
func (s *Server) StartFlusher(flush func() error) {
	go func() { // want GLK203
		if s.stopped {
			return
		}
		for {
			time.Sleep(time.Second)
			if err := flush(); err != nil {
				log.Printf("flush: %v", err)
			}
		}
	}()
}

// Negative: a flush error is fatal for the process.
func (s *Server) StartFatalFlusher(flush func() error) {
	go func() {
		for {
			time.Sleep(time.Second)
			if err := flush(); err != nil {
				log.Fatalf("flush: %v", err)
			}
		}
	}()
}

// Negative: started once per process inside sync.Once.
func (s *Server) EnsureWorker() {
	s.once.Do(func() {
		go s.work()
	})
}

// Negative: a function of another package is not ours to read.
func (s *Server) ListenHTTP(addr string) {
	go log.Println(addr)
}

// Negative: the loop panics when it finds corruption.
func (s *Server) StartChecker(check func() bool) {
	go func() {
		for {
			time.Sleep(time.Minute)
			if !check() {
				panic("corrupt state")
			}
		}
	}()
}
