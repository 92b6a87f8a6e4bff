package store

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// idsWithText returns the ids under the exact text in a textKey index.
func (tx *Tx) idsWithText(bucket []byte, text string) []model.ID {
	prefix := append([]byte(text), 0)
	var out []model.ID
	c := tx.index(bucket).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+16 {
			out = append(out, idAtEnd(k))
		}
	}
	return out
}

// linked returns the ids stored after owner in a pair or timed index, in
// key order.
func (tx *Tx) linked(bucket []byte, owner model.ID) []model.ID {
	var out []model.ID
	c := tx.index(bucket).Cursor()
	for k, _ := c.Seek(owner[:]); k != nil && bytes.HasPrefix(k, owner[:]); k, _ = c.Next() {
		out = append(out, idAtEnd(k))
	}
	return out
}

// removeLinked deletes every record of t listed under owner in bucket and
// appends the deleted records to removed.
func removeLinked[T any](tx *Tx, bucket []byte, owner model.ID, t *table[T], removed *[]T) error {
	for _, id := range tx.linked(bucket, owner) {
		rec, err := t.remove(tx, id)
		if err != nil {
			return err
		}
		*removed = append(*removed, rec)
	}
	return nil
}

// mustExist checks a link: a zero id is no link; any other must name a
// record of entity e.
func (tx *Tx) mustExist(e model.Entity, id model.ID, field string) error {
	if id.IsZero() {
		return nil
	}
	if tx.btx.Bucket(bucketOf(e)).Get(id[:]) == nil {
		return &NotFoundError{Entity: e, Ref: id.String() + " (" + field + ")"}
	}
	return nil
}

func bucketOf(e model.Entity) []byte {
	switch e {
	case model.EntityContact:
		return bContacts
	case model.EntityCompany:
		return bCompanies
	case model.EntityDeal:
		return bDeals
	case model.EntityTask:
		return bTasks
	case model.EntityActivity:
		return bActivities
	}
	panic("store: unknown entity " + e.String())
}

// AmbiguousError says a reference matched more than one record.
type AmbiguousError struct {
	Entity     model.Entity
	Ref        string
	Candidates []string // "ID  name" lines, at most ten
	Total      int
}

func (e *AmbiguousError) Error() string {
	more := ""
	if e.Total > len(e.Candidates) {
		more = fmt.Sprintf("\n  ... and %d more", e.Total-len(e.Candidates))
	}
	return fmt.Sprintf("%q matches %d %ss; use an id:\n  %s%s", e.Ref, e.Total, e.Entity,
		strings.Join(e.Candidates, "\n  "), more)
}

// Unwrap makes errors.Is(err, model.ErrInvalid) hold: the user must say
// which one.
func (e *AmbiguousError) Unwrap() error { return model.ErrInvalid }

// labeled is a record that can describe itself in one line.
type labeled interface {
	model.Contact | model.Company | model.Deal | model.Task | model.Activity
}

func pickOne[T labeled](tx *Tx, t *table[T], ids []model.ID, ref string) (T, error) {
	var zero T
	switch len(ids) {
	case 0:
		return zero, &NotFoundError{Entity: t.entity, Ref: fmt.Sprintf("matching %q", ref)}
	case 1:
		return t.get(tx, ids[0])
	}
	amb := &AmbiguousError{Entity: t.entity, Ref: ref, Total: len(ids)}
	for _, id := range ids[:min(len(ids), 10)] {
		rec, err := t.get(tx, id)
		if err != nil {
			return zero, err
		}
		amb.Candidates = append(amb.Candidates, id.String()+"  "+describe(any(rec)))
	}
	return zero, amb
}

func describe(rec any) string {
	switch r := rec.(type) {
	case model.Contact:
		s := r.Name
		if len(r.Emails) > 0 {
			s += " <" + r.Emails[0].Address + ">"
		}
		return s
	case model.Company:
		return r.Name
	case model.Deal:
		return r.Title + " (" + r.Stage + ")"
	case model.Task:
		return r.Title
	case model.Activity:
		return r.Kind + ": " + r.Body
	}
	return ""
}
