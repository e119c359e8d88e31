package glk501

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"testing"
)

type checks struct{ t *testing.T }

func (c checks) False(v bool) {
	if v {
		c.t.FailNow()
	}
}

func (c checks) Panics(f func()) {
	defer func() { _ = recover() }()
	f()
	c.t.FailNow()
}

// Negative: the test registers the server's Close with t.Cleanup.
func TestFakeServer(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	if srv.URL == "" {
		t.Fatal("no URL")
	}
}

// Negative: the test checks that Next returned false, which closes the rows.
func TestSingleRow(t *testing.T) {
	var db *sql.DB
	rows, err := db.Query("SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
	checks{t}.False(rows.Next())
}

// Positive: the near miss reads one row and stops.
func TestFirstRowOnly(t *testing.T) {
	var db *sql.DB
	rows, err := db.Query("SELECT 1") // want GLK501 "rows 'rows' from db.Query is never closed"
	if err != nil {
		t.Fatal(err)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
}

// Negative: the call is meant to panic, so nothing is opened.
func TestDialPanics(t *testing.T) {
	checks{t}.Panics(func() {
		http.Get("::bad::")
	})
}
