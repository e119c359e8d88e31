// Package thirdparty opens resources of well-known libraries, known by import path.
package thirdparty

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
	"google.golang.org/grpc"
)

var (
	pool *pgxpool.Pool
	tx   pgx.Tx
	db   *sqlx.DB
	std  *sql.DB
)

// Positive: the client connection is only read, never closed.
func Target(addr string) (string, error) {
	conn, err := grpc.NewClient(addr) // want GLK501 "connection 'conn' from grpc.NewClient is never closed"
	if err != nil {
		return "", err
	}
	return conn.Target(), nil
}

// Negative: closed when done.
func TargetClosed(addr string) (string, error) {
	conn, err := grpc.NewClient(addr)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	return conn.Target(), nil
}

// Positive: rows from the pool's Query, looked at once and left open.
func HasUsers(ctx context.Context) (bool, error) {
	rows, err := pool.Query(ctx, "SELECT 1 FROM users") // want GLK501 "rows 'rows' from pool.Query is never closed"
	if err != nil {
		return false, err
	}
	return rows.Next(), nil
}

// Negative: a rows loop run to its end closes them, as with database/sql.
func CountUsers(ctx context.Context) (int, error) {
	rows, err := tx.Query(ctx, "SELECT id FROM users")
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// Positive: an acquired connection goes back to the pool only on Release.
func Ping(ctx context.Context) error {
	c, err := pool.Acquire(ctx) // want GLK501 "pooled connection 'c' from pool.Acquire is never released"
	if err != nil {
		return err
	}
	return c.Exec(ctx, "SELECT 1")
}

// Negative: released when done.
func PingReleased(ctx context.Context) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	return c.Exec(ctx, "SELECT 1")
}

// Positive: sqlx's prepared statement is never closed.
func Prepare() error {
	stmt, err := db.Preparex("SELECT 1") // want GLK501 "prepared statement 'stmt' from db.Preparex is never closed"
	if err != nil {
		return err
	}
	_, err = stmt.Exec()
	return err
}

// Negative: sqlx's transaction is committed or rolled back.
func Transfer() error {
	t, err := db.Beginx()
	if err != nil {
		return err
	}
	defer t.Rollback()
	return t.Commit()
}

// Positive: a database/sql connection taken from the pool and kept.
func Session(ctx context.Context) error {
	conn, err := std.Conn(ctx) // want GLK501 "connection 'conn' from std.Conn is never closed"
	if err != nil {
		return err
	}
	return conn.PingContext(ctx)
}

// Positive: a test server nobody closes keeps its listener and goroutines.
func Serve(h http.Handler) string {
	srv := httptest.NewServer(h) // want GLK501 "test server 'srv' from httptest.NewServer is never closed"
	return srv.URL
}

// Negative: closed when done.
func ServeOnce(h http.Handler) (string, error) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	return resp.Status, nil
}
