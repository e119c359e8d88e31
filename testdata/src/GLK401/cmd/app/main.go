package main

import (
	"context"
	"log"
	"os"
	"os/signal"
)

// Negative: main and init own the root of the process's context tree.
var startup context.Context

func init() {
	startup = context.Background()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		run(context.TODO())
	}()
	<-ctx.Done()
	log.Print(startup.Err())
}

func run(ctx context.Context) { <-ctx.Done() }
