package interchange

import (
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ctTarget is a contact the import writes: a new one, or one already in
// the database that records of the file merge into. Between the records
// of the file that concern it, its record is kept packed in the store's
// binary form (some 200 bytes without pointers) rather than as a
// model.Contact (about 800 bytes and a dozen objects for the garbage
// collector to trace): a file is planned in full before anything is
// written, and a file of 100,000 contacts then fits in a few tens of MB.
type ctTarget struct {
	status
	n           int32          // its place in the plan's contacts
	id, company model.ID       // the record's, kept beside the packed form
	rec         *model.Contact // the record while the plan works on it
	packed      []byte         // the record otherwise
}

// ID returns the contact's id.
func (t *ctTarget) ID() model.ID {
	if t.rec != nil {
		return t.rec.ID
	}
	return t.id
}

// CompanyID returns the id of the contact's company.
func (t *ctTarget) CompanyID() model.ID {
	if t.rec != nil {
		return t.rec.CompanyID
	}
	return t.company
}

// contactOf returns the record of a contact target (nil for none),
// unpacking it to be worked on.
func contactOf(t *ctTarget) *model.Contact {
	if t.rec == nil {
		c := t.unpack()
		t.rec, t.packed = &c, nil
	}
	return t.rec
}

// unpack returns a copy of a packed record.
func (t *ctTarget) unpack() model.Contact {
	var c model.Contact
	if err := store.DecodeContact(t.packed, &c); err != nil {
		panic("interchange: a packed contact does not read back: " + err.Error()) // written by this process
	}
	c.ID, c.CompanyID = t.id, t.company
	return c
}

// record returns the record to write: the one being worked on, or a copy
// of the packed one.
func (t *ctTarget) record() *model.Contact {
	if t.rec != nil {
		return t.rec
	}
	c := t.unpack()
	return &c
}

// packer packs contacts densely into large blocks.
type packer struct{ block []byte }

// packBlock is the size of one block of packed contacts.
const packBlock = 256 << 10

// pack packs t's record.
func (a *packer) pack(t *ctTarget) {
	c := t.rec
	if c == nil {
		return
	}
	if cap(a.block)-len(a.block) < 4<<10 {
		a.block = make([]byte, 0, packBlock)
	}
	start := len(a.block)
	t.id, t.company = c.ID, c.CompanyID
	c.CompanyID = model.ID{} // kept beside
	a.block = store.EncodeContact(a.block, c)
	c.CompanyID = t.company
	t.packed, t.rec = a.block[start:len(a.block):len(a.block)], nil
}
