// Command heapdemo is a small service that leaks memory three ways and goroutines one way
// while it loads itself, serving net/http/pprof beside its handlers on 127.0.0.1:
//
//   - /remember grows catalog's package-level map, /record journal's package-level slice and
//     /track the map inside a long-lived tracker.Tracker;
//   - /render allocates big scratch buffers and drops them (churn, not a leak);
//   - /lookup is handler.Lookup, whose goroutine stays blocked whenever it times out.
//
// It prints "listening on http://ADDR" once it serves, then requests every handler -rate
// times a second until it is killed.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/leakdemo/catalog"
	"example.com/leakdemo/handler"
	"example.com/leakdemo/journal"
	"example.com/leakdemo/render"
	"example.com/leakdemo/tracker"
)

func main() {
	rate := flag.Int("rate", 50, "requests per second to each handler")
	profileRate := flag.Int("memprofilerate", 4096, "runtime.MemProfileRate: bytes per heap sample")
	flag.Parse()
	runtime.MemProfileRate = *profileRate
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	routes(tracker.New())
	fmt.Printf("listening on http://%s\n", listener.Addr())
	go load("http://"+listener.Addr().String(), *rate)
	log.Fatal(http.Serve(listener, nil))
}

func routes(visits *tracker.Tracker) {
	var served atomic.Int64
	http.HandleFunc("/remember", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, catalog.Remember(r.URL.Query().Get("id")))
	})
	http.HandleFunc("/record", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, journal.Record(r.URL.Query().Get("id")))
	})
	http.HandleFunc("/track", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, visits.Track(r.URL.Query().Get("id")))
	})
	http.HandleFunc("/render", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("id"))
		fmt.Fprintln(w, render.Page(n), served.Add(1))
	})
	http.HandleFunc("/lookup", handler.Lookup)
}

// load requests every handler rate times a second, one request at a time.
func load(base string, rate int) {
	client := &http.Client{Timeout: 5 * time.Second}
	paths := []string{"/remember", "/record", "/track", "/render", "/lookup"}
	tick := time.Second / time.Duration(rate)
	for i := 0; ; i++ {
		started := time.Now()
		for _, path := range paths {
			get(client, base+path+"?id="+strconv.Itoa(i))
		}
		time.Sleep(tick - time.Since(started))
	}
}

func get(client *http.Client, url string) {
	response, err := client.Get(url)
	if err != nil {
		log.Print(err)
		return
	}
	defer response.Body.Close()
	_, _ = io.Copy(io.Discard, response.Body)
}
