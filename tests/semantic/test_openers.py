"""openers: which calls open a resource, what it is, and the name the opener goes by."""

from __future__ import annotations

from linter import semantic
from linter.semantic import Resource
from tests.snippets import package_of

SOURCE = """
import (
	"database/sql"
	"net"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func f(ctx context.Context, db *sql.DB, pool *pgxpool.Pool, store *Store, c *Cache) error {
	conn, _ := pgx.Connect(ctx, dsn)
	fh, err := os.Open(p)
	d := &net.Dialer{}
	raw, err := d.DialContext(ctx, "tcp", addr)
	resp, err := http.DefaultClient.Get(url)
	rows, err := db.Query(q)
	pooled, err := pool.Acquire(ctx)
	log, err := openLog(dir)
	out, err := c.Get(key)
	found, err := store.Query(q)
	use(conn, fh, raw, resp, rows, pooled, log, out, found, err)
	return nil
}

func openLog(dir string) (*os.File, error) {
	return os.Create(dir)
}
"""


def openings(source: str) -> list[tuple[str, Resource, str]]:
    package = package_of(source)
    go_file = package.files[0]
    return [
        (go_file.text(o.call).partition("(")[0], o.resource, o.opener)
        for o in semantic.resources_opened(package, go_file)
    ]


def test_package_functions_then_methods_with_evidence_then_own_functions():
    assert openings(SOURCE) == [
        ("pgx.Connect", Resource.CONNECTION, "pgx.Connect"),
        ("os.Open", Resource.FILE, "os.Open"),
        ("os.Create", Resource.FILE, "os.Create"),
        ("d.DialContext", Resource.CONNECTION, "d.DialContext"),
        ("http.DefaultClient.Get", Resource.RESPONSE, "http.DefaultClient.Get"),
        ("db.Query", Resource.ROWS, "db.Query"),
        ("pool.Acquire", Resource.POOLED_CONNECTION, "pool.Acquire"),
        ("openLog", Resource.FILE, "openLog"),
    ]


def test_a_method_of_an_unknown_receiver_opens_something_only_by_how_its_result_is_used():
    used = """
func g(c *Client, s *Store) {
	resp, err := c.Get(url)
	if err == nil {
		read(resp.Body)
	}
	rows, err := s.Query(q)
	for rows.Next() {
		rows.Scan(&v)
	}
	tx, err := s.Begin()
	tx.Commit()
	other, err := c.Post(url, "", nil)
	use(other, err)
}
"""
    assert openings(used) == [
        ("c.Get", Resource.RESPONSE, "c.Get"),
        ("s.Query", Resource.ROWS, "s.Query"),
        ("s.Begin", Resource.TRANSACTION, "s.Begin"),
    ]


def test_a_file_without_an_opener_package_or_method_hint_opens_nothing():
    assert openings("func h(m map[string]int) {\n\tm.Get(k)\n}\n") == []


def test_own_functions_that_close_what_they_return_open_nothing_for_the_caller():
    closing = """
import "os"

func temp(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, "x")
	defer f.Close()
	return f, err
}

func g() {
	f, _ := temp("/tmp")
	use(f.Name())
}
"""
    assert [(o[0], o[2]) for o in openings(closing)] == [("os.CreateTemp", "os.CreateTemp")]
