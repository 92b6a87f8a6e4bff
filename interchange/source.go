package interchange

import (
	"github.com/rolo-crm/rolo/interchange/vcf"
	"github.com/rolo-crm/rolo/model"
)

// source is a file being read. The contacts come as a stream of batches
// in file order: a reader goroutine splits the file into raw records
// (CSV rows, vCards), workers on every core turn them into validated
// records, and the planner receives them in order (see ordered). Only a
// few batches are in memory at a time. What is not a stream (the header's
// mapping, and every record of rolo's JSON, read at once) is in in.
type source struct {
	in      *input
	produce func(send func(*batch) bool) error
	work    func(*batch)
}

// batchSize is how many records of the file a worker takes at a time.
const batchSize = 256

// batch is a piece of a file: the raw records the reader found, then the
// records a worker made of them.
type batch struct {
	rows  []csvRow
	cards []*vcf.RawCard

	contacts []contactItem
	deals    []dealItem // a deal's contact is an index into contacts
	photos   int        // inline photos left out
}

// prepare validates and normalises contacts (phone numbers in E.164, lower
// case email addresses) and works out the keys the plan matches them by.
// It runs on the workers: it is most of the work of reading a contact.
func prepare(env *readerEnv, items []contactItem) {
	for i := range items {
		it := &items[i]
		if it.err != nil {
			continue
		}
		localizePhones(&it.c, env.rules.Region)
		if it.err = it.c.Normalize(env.rules); it.err == nil {
			it.keys = keysOf(&it.c)
		}
	}
}

// matchKeys are what a contact is matched by besides its emails: its
// folded name and the digits of its phone numbers (one per phone).
type matchKeys struct {
	name   string
	phones []string
}

func keysOf(c *model.Contact) matchKeys {
	k := matchKeys{name: model.Fold(c.Name), phones: make([]string, len(c.Phones))}
	for i, p := range c.Phones {
		k.phones[i] = model.PhoneDigits(p.Number)
	}
	return k
}

// openJSON reads rolo's JSON export, all at once; its contacts are then
// prepared on the workers like those of the other formats.
func openJSON(env *readerEnv, text []byte) (*source, error) {
	in, err := readJSON(env, text)
	if err != nil {
		return nil, err
	}
	contacts := in.contacts
	in.contacts = nil
	produce := func(send func(*batch) bool) error {
		for start := 0; start < len(contacts); start += batchSize {
			if !send(&batch{contacts: contacts[start:min(len(contacts), start+batchSize)]}) {
				return nil
			}
		}
		return nil
	}
	work := func(b *batch) { prepare(env, b.contacts) }
	return &source{in: in, produce: produce, work: work}, nil
}
