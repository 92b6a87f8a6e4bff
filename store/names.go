package store

import "github.com/rolo-crm/rolo/model"

// Name returns a record's display name without decoding the rest of it:
// a contact's or company's name, a deal's or task's title, an activity's
// kind. It is "" when the record does not exist. Lists that show the
// names of linked records (a task's contact) call it once per row.
func (tx *Tx) Name(e model.Entity, id model.ID) string {
	if id.IsZero() {
		return ""
	}
	v := tx.btx.Bucket(bucketOf(e)).Get(id[:])
	if v == nil {
		return ""
	}
	body, err := bodyOf(v)
	if err != nil {
		return ""
	}
	// Field 1 is the name, title or kind of every entity (codec_records.go).
	d := decoder{b: body}
	for {
		tag, p, ok := d.next()
		if !ok {
			return ""
		}
		if tag == 1 {
			return string(p)
		}
	}
}

// Label names a record for people: its name, title or kind (Name), else
// its id.
func (tx *Tx) Label(e model.Entity, id model.ID) string {
	if name := tx.Name(e, id); name != "" {
		return name
	}
	return id.String()
}
