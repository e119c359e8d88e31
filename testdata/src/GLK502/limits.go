package glk502

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
)

// Negative: the loop fills every slot of the server's connection limit and holds each
// connection, untouched, until the dial after the loop has shown that one more is refused.
// Closing them per iteration would defeat the check; they all close when the probe returns.
func ProbeConnectionLimit(addr string) error {
	opened := 0
	for opened < 64 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return fmt.Errorf("slot %d: %w", opened, err)
		}
		defer c.Close()
		opened++
	}
	extra, err := net.Dial("tcp", addr)
	if err == nil {
		extra.Close()
		return errors.New("server accepted a connection over its limit")
	}
	return nil
}

// Positive: the same loop, but each iteration talks over its connection and is then done
// with it, so the open connections only pile up.
func GreetEach(addr string, greetings int) error {
	for sent := 0; sent < greetings; sent++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return err
		}
		defer c.Close() // want GLK502 "'c' stays open"
		if _, err := c.Write([]byte("hello\n")); err != nil {
			return err
		}
	}
	return nil
}

// Negative: each transaction is begun on its own connection and they all commit after the
// loop; the transactions live on their connections, so every one must stay open until then.
func CommitAcrossConnections(ctx context.Context, db *sql.DB, shards int) error {
	txs := make([]*sql.Tx, 0, shards)
	for shard := 0; shard < shards; shard++ {
		conn, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Positive: what the loop keeps is only read from each connection (a row count), which
// needs no open connection after the iteration.
func CountAcrossConnections(ctx context.Context, db *sql.DB, shards int) ([]int, error) {
	counts := make([]int, 0, shards)
	for shard := 0; shard < shards; shard++ {
		conn, err := db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close() // want GLK502 "'conn' stays open"
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil {
			return nil, err
		}
		counts = append(counts, n)
	}
	return counts, nil
}
