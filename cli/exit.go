package cli

import (
	"errors"
	"strings"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Exit codes, as DESIGN.md and docs/cli.md promise.
const (
	ExitOK       = 0
	ExitFailure  = 1
	ExitUsage    = 2 // invalid usage or input
	ExitNotFound = 3
	ExitBusy     = 4 // another process holds the database
)

// usageError marks a mistake in how a command was called.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(err error) error { return usageError{err} }

// exitCode maps an error to the process exit code.
func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, store.ErrBusy):
		return ExitBusy
	case errors.Is(err, store.ErrNotFound):
		return ExitNotFound
	case errors.As(err, &ue), errors.Is(err, model.ErrInvalid), isCobraUsage(err):
		return ExitUsage
	}
	return ExitFailure
}

// isCobraUsage recognises the errors cobra makes for bad flags and
// arguments, which it does not type.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{
		"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument",
		"invalid argument", "accepts ", "requires at least", "requires at most", "required flag",
		"if any flags in the group", "none of the others can be",
	} {
		if strings.HasPrefix(s, p) || strings.Contains(s, " "+p) {
			return true
		}
	}
	return false
}
