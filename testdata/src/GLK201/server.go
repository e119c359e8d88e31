package glk201

// Server's request loop lives in loop.go; Shutdown (below) closes the quit channel but not
// the requests channel the loop ranges over.
type request struct {
	path  string
	reply chan string
}

type Server struct {
	reqs chan request
	stop chan struct{}
}

func NewServer() *Server {
	s := &Server{reqs: make(chan request), stop: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Server) Shutdown() {
	close(s.stop)
}

func (s *Server) Get(path string) string {
	r := request{path: path, reply: make(chan string, 1)}
	s.reqs <- r
	return <-r.reply
}
