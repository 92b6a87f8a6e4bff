package model

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every validation failure, so callers can tell
// bad input (exit code 2) from other failures with errors.Is.
var ErrInvalid = errors.New("invalid input")

// FieldError names the field at fault and why.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Reason)
}

// Unwrap lets errors.Is(err, ErrInvalid) match every FieldError.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func invalid(field, value, reason string) error {
	return &FieldError{Field: field, Value: value, Reason: reason}
}
