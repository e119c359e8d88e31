package glk501

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

// summarize only reads the response: the caller still has to close its body.
func summarize(resp *http.Response) string {
	buf := make([]byte, 64)
	n, _ := resp.Body.Read(buf)
	return fmt.Sprintf("%s: %q", resp.Status, buf[:n])
}

// finish reads the body to its end and closes it for the caller.
func finish(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// Positive: the helper only borrows the response; nothing closes the body.
func PeekStatus(url string) (string, error) {
	resp, err := http.Get(url) // want GLK501 "never closed"
	if err != nil {
		return "", err
	}
	return summarize(resp), nil
}

// Negative: the helper closes it.
func PeekStatusAndFinish(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer finish(resp)
	return summarize(resp), nil
}

// Positive: printing and `_ =` take nothing over.
func Dump(path string) error {
	f, err := os.Open(path) // want GLK501 "never closed"
	if err != nil {
		return err
	}
	fmt.Println(f.Name(), f)
	log.Printf("opened %v", f)
	_ = f
	return nil
}

// Negative: a logger built on the file keeps writing to it for the process.
func DebugLogger(path string) (*log.Logger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return log.New(f, "", log.LstdFlags), nil
}

// Negative: cancelling the query's context closes the rows on every path.
func FirstName(db *sql.DB) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return "", err
	}
	var name string
	if rows.Next() {
		err = rows.Scan(&name)
	}
	return name, err
}

// Positive: the same without a cancel: the early return leaves the rows open.
func FirstNameUncancelled(ctx context.Context, db *sql.DB) (string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users") // want GLK501 "never closed"
	if err != nil {
		return "", err
	}
	var name string
	if rows.Next() {
		err = rows.Scan(&name)
	}
	return name, err
}

// Positive: the size limit is computed and thrown away, and with it the only Close.
func Limited(w http.ResponseWriter, url string) error {
	resp, err := http.Get(url) // want GLK501 "never closed"
	if err != nil {
		return err
	}
	_ = http.MaxBytesReader(w, resp.Body, 1<<20)
	return nil
}

// Negative: the limited reader is kept and closed, which closes the body.
func LimitedClosed(w http.ResponseWriter, url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	body := http.MaxBytesReader(w, resp.Body, 1<<20)
	defer body.Close()
	_, err = io.Copy(w, body)
	return err
}

// Positive: the closing function is made and dropped: it never runs.
func Forgotten(url string) error {
	resp, err := http.Get(url) // want GLK501 "never closed"
	if err != nil {
		return err
	}
	_ = func() { resp.Body.Close() }
	return nil
}

// Negative: the closing function is deferred.
func Remembered(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	closeBody := func() { resp.Body.Close() }
	defer closeBody()
	return nil
}

// Positive: the first response is replaced before its body is closed.
func Retry(url string) (int, error) {
	resp, err := http.Get(url) // want GLK501 "lost when resp is assigned again at line 144"
	if err != nil {
		return 0, err
	}
	resp, err = http.Get(url) // related GLK501 "resp gets another value here"
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// Negative: the first body is closed before the variable is reused.
func RetryClosed(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	resp, err = http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
