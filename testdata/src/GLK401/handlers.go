package glk401

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

type Order struct {
	ID    string
	Total int
}

type Store interface {
	Load(ctx context.Context, id string) (Order, error)
	Save(ctx context.Context, o Order) error
}

type Auditor interface {
	Record(ctx context.Context, o Order)
}

type Server struct {
	store Store
	audit Auditor
}

// Positive: the request's context is at hand, the load ignores it.
func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
	order, err := s.store.Load(context.Background(), r.URL.Query().Get("id")) // want GLK401 "r.Context\(\)"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	go s.audit.Record(context.TODO(), order) // want GLK401 "context.TODO"
	_ = json.NewEncoder(w).Encode(order)
}

// Negative: derived from the request.
func (s *Server) handleOrderDerived(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	order, err := s.store.Load(ctx, r.URL.Query().Get("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	auditCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	go func() {
		defer cancel()
		s.audit.Record(auditCtx, order)
	}()
	_ = json.NewEncoder(w).Encode(order)
}

type ctxKey struct{}

// Positive: middleware that builds the request's new context from a fresh root, dropping
// the client's cancellation for everything downstream.
func withTenant(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(context.Background(), ctxKey{}, r.Header.Get("X-Tenant")) // want GLK401
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Negative: the same middleware done right.
func withTenantDerived(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), ctxKey{}, r.Header.Get("X-Tenant"))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Positive: the response writer is unnamed, the request is not.
func (s *Server) handleSave(_ http.ResponseWriter, req *http.Request) {
	_ = s.store.Save(context.TODO(), Order{ID: req.FormValue("id")}) // want GLK401 "req.Context\(\)"
}

// Positive: a handler stored in a package-level variable still has its request.
var healthHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if err := ping(context.Background()); err != nil { // want GLK401
		w.WriteHeader(http.StatusServiceUnavailable)
	}
})

func ping(ctx context.Context) error { return ctx.Err() }

// Negative: a handler that ignores its request entirely (blank) is left alone.
func readiness(w http.ResponseWriter, _ *http.Request) {
	if err := ping(context.Background()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

// Negative: a timeout of its own bounds the detached work (flush after the response).
func (s *Server) handleFlush(w http.ResponseWriter, r *http.Request) {
	order := Order{ID: r.FormValue("id")}
	w.WriteHeader(http.StatusAccepted)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.store.Save(ctx, order)
	}()
}
