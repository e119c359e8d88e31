// Package pgxpool stands in for github.com/jackc/pgx/v5/pgxpool in fixtures.
package pgxpool

import (
	"context"

	"github.com/jackc/pgx/v5"
)

type Pool struct{}

func New(ctx context.Context, connString string) (*Pool, error) { return &Pool{}, nil }

func (p *Pool) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return nil, nil
}

func (p *Pool) Acquire(ctx context.Context) (*Conn, error) { return &Conn{}, nil }

type Conn struct{}

func (c *Conn) Exec(ctx context.Context, sql string) error { return nil }

func (c *Conn) Release() {}
