// Package sqlx stands in for github.com/jmoiron/sqlx in fixtures.
package sqlx

import "database/sql"

type DB struct{ *sql.DB }

type Rows struct{ *sql.Rows }

type Stmt struct{ *sql.Stmt }

type Tx struct{ *sql.Tx }

func (db *DB) Queryx(query string, args ...any) (*Rows, error) { return &Rows{}, nil }

func (db *DB) Preparex(query string) (*Stmt, error) { return &Stmt{}, nil }

func (db *DB) Beginx() (*Tx, error) { return &Tx{}, nil }
