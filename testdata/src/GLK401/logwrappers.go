package glk401

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// reportIf logs err with whatever the context carries: a logging wrapper.
func reportIf(ctx context.Context, err error) {
	if err != nil {
		slog.ErrorContext(ctx, "unexpected", "err", err)
	}
}

// reportTagged goes through reportIf, one wrapper deeper.
func reportTagged(ctx context.Context, tag string, err error) {
	reportIf(ctx, errors.Join(errors.New(tag), err))
}

// reportAndSave logs, and also saves an order under the same context: more than logging.
func reportAndSave(ctx context.Context, store Store, err error) {
	reportIf(ctx, err)
	_ = store.Save(ctx, Order{ID: "failed"})
}

// writeStatus writes a response; a bad code is reported, and nothing runs under the root.
func writeStatus(w http.ResponseWriter, code int) {
	if code < 100 || code > 999 {
		reportTagged(context.Background(), "status", errors.New("bad status code"))
		code = http.StatusInternalServerError
	}
	w.WriteHeader(code)
}

// writeFailure also writes a response, but its root reaches a store.
func (s *Server) writeFailure(w http.ResponseWriter, err error) {
	reportAndSave(context.Background(), s.store, err) // related GLK401 "the new root is made here"
	w.WriteHeader(http.StatusInternalServerError)
}

// Negative: writeStatus's root only goes to a logging wrapper.
func (s *Server) handleTeapot(w http.ResponseWriter, r *http.Request) {
	writeStatus(w, http.StatusTeapot)
}

// Negative: the same wrapper called directly.
func (s *Server) ping(ctx context.Context) {
	reportIf(context.Background(), errors.New("ping"))
}

// Positive: the root writeFailure makes does work the request's context should govern.
func (s *Server) handleBroken(w http.ResponseWriter, r *http.Request) {
	s.writeFailure(w, errors.New("broken")) // want GLK401 "writeFailure\(\) starts a new context tree although r.Context\(\) is at hand"
}

// Positive: reportAndSave does more than log with the context it is given.
func (s *Server) retry(ctx context.Context) {
	reportAndSave(context.Background(), s.store, errors.New("lost")) // want GLK401 "context.Background\(\) starts a new context tree although ctx is at hand"
}
