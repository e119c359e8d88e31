"""resources: the shared table of what calls open and how each is released, by import path
(standard library and well-known third-party packages)."""

from __future__ import annotations

import pytest

from linter import semantic
from linter.semantic import Resource


@pytest.mark.parametrize(
    ("qualified", "resource"),
    [
        ("os.Open", Resource.FILE),
        ("google.golang.org/grpc.NewClient", Resource.CONNECTION),
        ("github.com/jackc/pgx/v4.Connect", Resource.CONNECTION),
        ("net/http/httptest.NewServer", Resource.TEST_SERVER),
        ("net/http.Get", Resource.RESPONSE),
    ],
)
def test_openers_by_import_path(qualified, resource):
    assert semantic.OPENERS[qualified] is resource


def test_no_pool_is_a_resource_to_close_per_use():
    assert "database/sql.Open" not in semantic.OPENERS
    assert "github.com/jackc/pgx/v5/pgxpool.New" not in semantic.OPENERS


@pytest.mark.parametrize(
    ("method", "receiver", "resource"),
    [
        ("Query", "github.com/jackc/pgx/v5/pgxpool.Pool", Resource.ROWS),
        ("Query", "github.com/jackc/pgx/v5.Tx", Resource.ROWS),
        ("Acquire", "github.com/jackc/pgx/v5/pgxpool.Pool", Resource.POOLED_CONNECTION),
        ("Preparex", "github.com/jmoiron/sqlx.DB", Resource.STATEMENT),
        ("Beginx", "github.com/jmoiron/sqlx.DB", Resource.TRANSACTION),
        ("Conn", "database/sql.DB", Resource.CONNECTION),
    ],
)
def test_method_openers_by_receiver_type(method, receiver, resource):
    assert semantic.METHOD_OPENERS[method][receiver] is resource


def test_how_each_resource_is_released_and_worded():
    assert Resource.RESPONSE.fix.format("resp") == "defer resp.Body.Close()"
    assert Resource.RESPONSE.handle("resp") == "resp.Body"
    assert Resource.TRANSACTION.fix.format("tx") == "defer tx.Rollback() (a no-op after Commit)"
    assert Resource.TRANSACTION.closed == "committed or rolled back"
    assert Resource.POOLED_CONNECTION.fix.format("c") == "defer c.Release()"
    assert Resource.POOLED_CONNECTION.closed == "released"
    assert Resource.FILE.closed == "closed"
    assert Resource.FILE.handle("f") == "f"
    assert semantic.RESOURCE_TYPES["net/http/httptest.Server"] is Resource.TEST_SERVER
