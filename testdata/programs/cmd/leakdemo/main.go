// Command leakdemo triggers one of the leaks of example.com/leakdemo a number of times, waits
// until the leaked goroutines are parked, and then either writes goroutine profiles in every
// format runtime/pprof offers (-dump-dir) or prints "ready" and sleeps, so that the caller
// can take a SIGQUIT traceback.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"time"

	"example.com/leakdemo/handler"
	"example.com/leakdemo/pipeline"
	"example.com/leakdemo/sessions"
	"example.com/leakdemo/ticker"
)

func main() {
	scenario := flag.String("scenario", "handler", "handler, pipeline, ticker or sessions")
	times := flag.Int("n", 40, "how many times to trigger the leak")
	dumpDir := flag.String("dump-dir", "", "write goroutine profiles here and exit")
	flag.Parse()
	if err := trigger(*scenario, *times); err != nil {
		log.Fatal(err)
	}
	settle()
	if *dumpDir == "" {
		fmt.Println("ready")
		time.Sleep(time.Hour)
		return
	}
	if err := writeProfiles(*dumpDir, *scenario); err != nil {
		log.Fatal(err)
	}
}

func trigger(scenario string, times int) error {
	var total atomic.Int64
	for i := 0; i < times; i++ {
		switch scenario {
		case "handler":
			request := httptest.NewRequest("GET", "/lookup?q="+strconv.Itoa(i), nil)
			handler.Lookup(httptest.NewRecorder(), request)
		case "pipeline":
			pipeline.Sum([]int{i, i + 1}, &total)
		case "ticker":
			ticker.Watch("service-"+strconv.Itoa(i), time.Hour, func(string) {})
		case "sessions":
			sessions.Login("user-" + strconv.Itoa(i))
		default:
			return fmt.Errorf("unknown scenario %q", scenario)
		}
	}
	return nil
}

// settle waits until the number of goroutines stops changing, so every leaked goroutine is
// parked where it will stay before the profiles are taken.
func settle() {
	last := -1
	for stable := 0; stable < 5; {
		time.Sleep(20 * time.Millisecond)
		now := runtime.NumGoroutine()
		if now == last {
			stable++
		} else {
			stable = 0
		}
		last = now
	}
}

func writeProfiles(dir, scenario string) error {
	outputs := []struct {
		profile string
		debug   int
		suffix  string
	}{
		{"goroutine", 1, "debug1.txt"},
		{"goroutine", 2, "debug2.txt"},
		{"goroutine", 0, "debug0.pb.gz"},
		{"goroutineleak", 1, "leak.debug1.txt"},
		{"goroutineleak", 2, "leak.debug2.txt"},
		{"goroutineleak", 0, "leak.debug0.pb.gz"},
	}
	for _, out := range outputs {
		file, err := os.Create(filepath.Join(dir, scenario+"."+out.suffix))
		if err != nil {
			return err
		}
		err = pprof.Lookup(out.profile).WriteTo(file, out.debug)
		if closeErr := file.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
