package glk501

import (
	"context"
	"database/sql"
)

// User is a row of the users table.
type User struct {
	ID   int64
	Name string
}

// Repo wraps the database handle.
type Repo struct {
	db     *sql.DB
	insert *sql.Stmt
}

// Positive: rows are scanned but never closed; an early return on a scan error keeps the
// connection busy.
func (r *Repo) Users(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT id, name FROM users") // want GLK501 "rows"
	if err != nil {
		return nil, err
	}
	var users []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err // related GLK501 "this return leaves 'rows' open"
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// Negative: rows closed in a defer.
func (r *Repo) Names(ctx context.Context) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT name FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Positive: the failed insert returns without Rollback, so the transaction holds its
// connection until the database times it out.
func (r *Repo) Rename(ctx context.Context, id int64, name string) error {
	tx, err := r.db.BeginTx(ctx, nil) // want GLK501 "transaction"
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id); err != nil {
		return err // related GLK501 "this return leaves 'tx' open"
	}
	return tx.Commit()
}

// Negative: the usual deferred Rollback, a no-op once committed.
func (r *Repo) Delete(ctx context.Context, id int64) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id); err != nil {
		return err
	}
	return tx.Commit()
}

// Negative: rolled back explicitly on the error path, committed on the other.
func (r *Repo) Touch(ctx context.Context, id int64) error {
	tx, err := r.db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE users SET seen = now() WHERE id = ?", id); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Positive: a statement prepared per import and never closed.
func (r *Repo) Import(users []User) error {
	stmt, err := r.db.Prepare("INSERT INTO users (id, name) VALUES (?, ?)") // want GLK501 "prepared statement"
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := stmt.Exec(u.ID, u.Name); err != nil {
			return err
		}
	}
	return nil
}

// Negative: the prepared statement is kept in the repo for its lifetime.
func (r *Repo) Prepare() error {
	var err error
	r.insert, err = r.db.Prepare("INSERT INTO users (id, name) VALUES (?, ?)")
	return err
}

// Negative: the rows are handed to a scanning helper that closes them.
func (r *Repo) All(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT id, name FROM users")
	if err != nil {
		return nil, err
	}
	return scanUsers(rows)
}

func scanUsers(rows *sql.Rows) ([]User, error) {
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name); err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}
