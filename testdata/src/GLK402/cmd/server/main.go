package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {
	// Negative: returning from main.main ends the process; vet does not ask for stop here.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	srv := &http.Server{Addr: ":8080", ReadHeaderTimeout: time.Second}
	if len(os.Args) > 2 {
		return
	}
	defer stop()
	go func() {
		<-ctx.Done()
		// Positive even in main: a discarded cancel is flagged everywhere, as vet does.
		shutdownCtx, _ := context.WithTimeout(context.Background(), 5*time.Second) // want GLK402
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Print(err)
	}
}

// Positive: a helper in package main is not main.main.
func serveOnce(ctx context.Context, srv *http.Server) error {
	ctx, cancel := context.WithCancel(ctx) // want GLK402
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if srv.Addr == "" {
		return nil
	}
	defer cancel()
	return srv.ListenAndServe()
}
