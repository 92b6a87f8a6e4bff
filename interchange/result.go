package interchange

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
)

// Problem is something wrong with one record of a file: a reason it was
// rejected, or a warning about what was not kept.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	// Err is the error Message comes from, when there is one: In shows
	// a validation error in the user's language.
	Err error `json:"-"`
}

func (p Problem) String() string { return p.In(i18n.English) }

// In returns the problem with its message in language l where the
// message has a translation (the record rules' validation errors).
func (p Problem) In(l i18n.Lang) string {
	msg := p.Message
	if p.Err != nil {
		msg = errorIn(p.Err, l)
	}
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, msg)
}

// errorIn returns err's message in language l: errors of this package
// and vCard reading say it themselves (In), a record's through model.
func errorIn(err error, l i18n.Lang) string {
	var tr interface{ In(i18n.Lang) string }
	if errors.As(err, &tr) {
		return tr.In(l)
	}
	return model.ErrorIn(err, l)
}

// Conflict is a field that an existing record and the file both fill with
// different values: the record keeps its value, and the import says so.
type Conflict struct {
	Line   int    `json:"line"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	Field  string `json:"field"`
	Kept   string `json:"kept"`
	InFile string `json:"in_file"`
}

// Counts says what happened to the records of one kind.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
}

// Records counts the records an import writes, by kind.
type Records struct {
	Companies  Counts `json:"companies"`
	Contacts   Counts `json:"contacts"`
	Deals      Counts `json:"deals"`
	Tasks      Counts `json:"tasks"`
	Activities Counts `json:"activities"`
}

// MappedColumn is how one CSV column was read.
type MappedColumn struct {
	Column     string `json:"column"`
	Field      string `json:"field"`
	Recognised bool   `json:"recognised"`
}

// Result is what an import did, or with DryRun what it would do.
type Result struct {
	File     string         `json:"file"`
	Format   string         `json:"format"`
	Encoding string         `json:"encoding,omitempty"`
	Layout   string         `json:"layout,omitempty"` // the export recognised: "Google Contacts"
	Columns  []MappedColumn `json:"columns,omitempty"`
	DryRun   bool           `json:"dry_run"`

	// What became of the records of the file, one count per record read:
	// a new record, an existing one that gained something, a duplicate
	// that added nothing, one folded into an earlier record of the same
	// file (Merged), one left alone (--on-duplicate skip), one refused.
	Read      int `json:"read"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Merged    int `json:"merged"`
	Skipped   int `json:"skipped"`
	Rejected  int `json:"rejected"`

	// Records counts every record written, including the companies and
	// timeline notes made along the way.
	Records Records `json:"records"`

	Errors    []Problem  `json:"errors"`
	Conflicts []Conflict `json:"conflicts"`
	Warnings  []Problem  `json:"warnings"`

	// Written is false when nothing was written: a dry run, or a file
	// refused because of its errors. A write that failed part-way leaves
	// Partial set and Records counting what was committed.
	Written bool   `json:"written"`
	Partial string `json:"partial,omitempty"`
}

// RejectedError is returned when a file has rejected records and the
// import wrote nothing (without --skip-errors). It wraps model.ErrInvalid
// through Unwrap so that the command exits 2.
type RejectedError struct {
	File string
	N    int
	err  error
}

func (e *RejectedError) Error() string { return e.In(i18n.English) }

// In returns the error in language l.
func (e *RejectedError) In(l i18n.Lang) string { return l.N("import.rejected", e.N, e.File, e.N) }

func (e *RejectedError) Unwrap() error { return e.err }

// PartialError is returned when writing failed after some batches were
// committed: it says exactly what was written.
type PartialError struct {
	Written Records
	Err     error
}

func (e *PartialError) Error() string {
	w := e.Written
	var parts []string
	for _, c := range []struct {
		n    Counts
		what string
	}{{w.Companies, "companies"}, {w.Contacts, "contacts"}, {w.Deals, "deals"}, {w.Tasks, "tasks"}, {w.Activities, "activities"}} {
		if c.n.Created+c.n.Updated > 0 {
			parts = append(parts, fmt.Sprintf("%d %s created, %d updated", c.n.Created, c.what, c.n.Updated))
		}
	}
	done := "nothing was written"
	if len(parts) > 0 {
		done = "already written: " + strings.Join(parts, "; ") +
			" (running the same import again completes it: what is there is matched as duplicates)"
	}
	return fmt.Sprintf("import stopped: %v; %s", e.Err, done)
}

func (e *PartialError) Unwrap() error { return e.Err }
