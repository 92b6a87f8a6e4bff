package model

import (
	"errors"
	"strings"

	"github.com/rolo-crm/rolo/i18n"
)

// ErrInvalid is wrapped by every validation failure, so callers can tell
// bad input (exit code 2) from other failures with errors.Is.
var ErrInvalid = errors.New("invalid input")

// FieldError names the field at fault and why.
type FieldError struct {
	Field  string
	Value  string
	Reason string // in English
	// Key and Args name Reason in the i18n catalogues, so that it can be
	// shown in the user's language. Key is empty when Reason was written
	// in one language only.
	Key  string
	Args []any
}

func (e *FieldError) Error() string { return e.In(i18n.English) }

// Unwrap lets errors.Is(err, ErrInvalid) match every FieldError.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// In returns the error in language l: the field's name, the value and
// the reason.
func (e *FieldError) In(l i18n.Lang) string {
	field := e.Field
	if k := "model.field." + field; l.Has(k) {
		field = l.T(k)
	}
	if e.Value != "" {
		return l.T("model.error.quoted", field, e.Value, e.ReasonIn(l))
	}
	return l.T("model.error", field, e.ReasonIn(l))
}

// ReasonIn returns Reason in language l.
func (e *FieldError) ReasonIn(l i18n.Lang) string {
	if e.Key == "" || l == i18n.English {
		return e.Reason
	}
	return i18n.Msg{Key: e.Key, Args: e.Args}.In(l)
}

// ErrorIn returns err's message with the FieldError it wraps, if any, in
// language l; the context wrapped around it stays as it is.
func ErrorIn(err error, l i18n.Lang) string {
	msg := err.Error()
	var fe *FieldError
	if errors.As(err, &fe) {
		msg = strings.Replace(msg, fe.Error(), fe.In(l), 1)
	}
	return msg
}

// invalid refuses value for field, for the reason the i18n catalogues
// hold under key (keys "model....", in i18n/en_model.go).
func invalid(field, value, key string, args ...any) error {
	return &FieldError{Field: field, Value: value, Reason: i18n.Msg{Key: key, Args: args}.In(i18n.English),
		Key: key, Args: args}
}

// reason is why a parser below the record rules refused a value, before
// the field is known; invalidBy ties it to one.
type reason struct{ msg i18n.Msg }

func (r *reason) Error() string { return r.msg.In(i18n.English) }

func because(key string, args ...any) error { return &reason{i18n.Msg{Key: key, Args: args}} }

// invalidBy refuses value for field for the reason err gives.
func invalidBy(field, value string, err error) error {
	m := reasonOf(err)
	return invalid(field, value, m.Key, m.Args...)
}

// reasonOf is the reason err gives, as a message.
func reasonOf(err error) i18n.Msg {
	var r *reason
	if errors.As(err, &r) {
		return r.msg
	}
	return i18n.Msg{Key: "model.untranslated", Args: []any{err.Error()}}
}
