package store

import "github.com/rolo-crm/rolo/model"

// Stored is a record as the file holds it, not yet decoded: reading the
// file in order on one goroutine and decoding on others is faster than
// decoding as it is read (an export of every record). It is valid while
// its transaction is open.
type Stored[T any] struct {
	t  *table[T]
	id model.ID
	v  []byte
}

// Decode returns the record.
func (s Stored[T]) Decode() (T, error) {
	var rec T
	body, err := bodyOf(s.v)
	if err == nil {
		err = s.t.decode(body, &rec)
	}
	if err != nil {
		return rec, &CorruptError{Entity: s.t.entity, ID: s.id}
	}
	*s.t.idOf(&rec) = s.id
	return rec, nil
}

// EachStored calls fn with every record of T's kind (one of the model's
// five records) in id (creation) order, undecoded.
func EachStored[T any](tx *Tx, fn func(Stored[T]) error) error {
	return tableOf[T]().eachStored(tx, fn)
}

func (t *table[T]) eachStored(tx *Tx, fn func(Stored[T]) error) error {
	c := tx.btx.Bucket(t.bucket).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(Stored[T]{t: t, id: model.ID(k), v: v}); err != nil {
			return err
		}
	}
	return nil
}

// tableOf returns the table of a record type.
func tableOf[T any]() *table[T] {
	var t any
	switch any((*T)(nil)).(type) {
	case *model.Company:
		t = companies
	case *model.Contact:
		t = contacts
	case *model.Deal:
		t = deals
	case *model.Task:
		t = tasks
	case *model.Activity:
		t = activities
	}
	return t.(*table[T]) // panics for a type that is no record: a programming error
}
