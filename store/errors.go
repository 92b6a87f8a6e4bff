package store

import (
	"errors"
	"fmt"

	"github.com/rolo-crm/rolo/model"
)

// ErrNotFound is wrapped by every error about a missing record.
var ErrNotFound = errors.New("not found")

// ErrBusy is wrapped when another process holds the database file.
var ErrBusy = errors.New("database busy")

// NotFoundError names the record that does not exist.
type NotFoundError struct {
	Entity model.Entity
	Ref    string // the id or query that matched nothing
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("no %s %s", e.Entity, e.Ref) }

// Unwrap makes errors.Is(err, ErrNotFound) hold.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

func notFound(e model.Entity, id model.ID) error {
	return &NotFoundError{Entity: e, Ref: id.String()}
}

// BusyError says another process is using the file.
type BusyError struct{ Path string }

func (e *BusyError) Error() string {
	return fmt.Sprintf("another rolo process is using %s; try again when it has finished", e.Path)
}

// Unwrap makes errors.Is(err, ErrBusy) hold.
func (e *BusyError) Unwrap() error { return ErrBusy }
