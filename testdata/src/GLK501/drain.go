package glk501

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
)

// Shapes of real code that look like a missing close and are not, next to the ones that are.

// Negative: a HEAD response carries no body; the transport recycles the connection as soon
// as the headers arrive.
func Alive(c *http.Client, u string) bool {
	resp, err := c.Head(u)
	if err != nil {
		return false
	}
	return resp.StatusCode < 400
}

// Negative: reading the body to its end gives the connection back to the pool, Close or not.
func Slurp(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Negative: draining into io.Discard counts as well.
func Knock(c *http.Client, u string) error {
	resp, err := c.Post(u, "text/plain", strings.NewReader("ping"))
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Positive: the status check returns before anything reads the body.
func SlurpOK(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u) // want GLK501 "not closed on every path"
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// Negative: no response means nothing to close on the nil branch.
func Status(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	if resp == nil {
		return 0, errors.New("no response")
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// Negative: a protocol upgrade closes the body through the read-write view of it.
func Upgrade(c *http.Client, req *http.Request) (string, error) {
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	stream, ok := resp.Body.(io.ReadWriteCloser)
	if !ok {
		return "", errors.New("body is not writable")
	}
	defer stream.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return "", fmt.Errorf("no upgrade: %s", resp.Status)
	}
	_, err = io.WriteString(stream, "hello\n")
	return "sent", err
}

// Negative: Next closes the rows when it returns false, so a loop run to its end and left
// only through Next releases them.
func Tally(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT n FROM counters")
	if err != nil {
		return 0, err
	}
	total := 0
	for rows.Next() {
		var n int
		_ = rows.Scan(&n)
		total += n
	}
	return total, rows.Err()
}

// Positive: the break leaves the loop with Next still true; the rows stay open.
func FirstNegative(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT n FROM counters") // want GLK501 "rows"
	if err != nil {
		return 0, err
	}
	found := 0
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err == nil && n < 0 {
			found = n
			break
		}
	}
	return found, rows.Err()
}

// Positive: a return from inside the rows loop skips the close that Next would have done.
func FirstMatch(db *sql.DB, want string) (bool, error) {
	rows, err := db.Query("SELECT name FROM tags") // want GLK501 "not closed on every path"
	if err != nil {
		return false, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return false, err
		}
	}
	return false, rows.Err()
}

// Negative: the listener is handed to a goroutine that serves on it.
func Background(addr string, serve func(net.Listener)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go serve(ln)
	return nil
}

// Negative: the connection is closed from another goroutine to unblock a reader.
func Abort(ctx context.Context, addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	go conn.Close()
	_, err = conn.Read(make([]byte, 1))
	return err
}

// Negative: the descriptor itself is closed, which releases the file.
func Peek(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer closeDescriptor(int(f.Fd()))
	return f.Read(make([]byte, 16))
}

func closeDescriptor(fd int) { _ = os.NewFile(uintptr(fd), "").Close() }

// Negative: the file goes to a helper of this package that closes it; the function closes
// it itself only when there is nothing to write.
func Feed(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return f.Close()
	}
	writeAndClose(f, lines)
	return nil
}

func writeAndClose(w *os.File, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	w.Close()
}

// Negative: a closure fills a variable of the function around it, which closes it.
func WithLog(path string, run func(func() error) error) error {
	var log *os.File
	open := func() error {
		var err error
		log, err = os.Create(path)
		return err
	}
	if err := run(open); err != nil {
		return err
	}
	if log != nil {
		return log.Close()
	}
	return nil
}

// Positive: the first connection of the same name is closed; the second one never is.
func Probe(primary, fallback string) error {
	{
		conn, err := net.Dial("tcp", primary)
		if err == nil {
			conn.Close()
			return nil
		}
	}
	conn, err := net.Dial("tcp", fallback) // want GLK501 "never closed"
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("hello"))
	return err
}

// Negative: Next as the condition of a counting loop is still run to its end; the only
// other way out ends the program.
func Ranks(db *sql.DB) ([]int, error) {
	rows, err := db.Query("SELECT n FROM ranks")
	if err != nil {
		return nil, err
	}
	var ranks []int
	for i := 0; rows.Next(); i++ {
		var n int
		if err := rows.Scan(&n); err != nil {
			log.Fatalf("rank %d: %v", i, err)
		}
		ranks = append(ranks, n)
	}
	return ranks, rows.Err()
}

// Positive: the same counting loop, left early once it has enough.
func TopRanks(db *sql.DB, limit int) ([]int, error) {
	rows, err := db.Query("SELECT n FROM ranks") // want GLK501 "rows"
	if err != nil {
		return nil, err
	}
	var ranks []int
	for i := 0; rows.Next(); i++ {
		if i == limit {
			break
		}
		var n int
		_ = rows.Scan(&n)
		ranks = append(ranks, n)
	}
	return ranks, rows.Err()
}
