// Package pgx stands in for github.com/jackc/pgx/v5 in fixtures: the names the rules know,
// with bodies that do nothing.
package pgx

import "context"

type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type Tx interface {
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

type Conn struct{}

func Connect(ctx context.Context, connString string) (*Conn, error) { return &Conn{}, nil }

func (c *Conn) Query(ctx context.Context, sql string, args ...any) (Rows, error) {
	return nil, nil
}

func (c *Conn) Begin(ctx context.Context) (Tx, error) { return nil, nil }

func (c *Conn) Close(ctx context.Context) error { return nil }
