package interchange

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/rolo-crm/rolo/interchange/textenc"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Import formats.
const (
	FormatAuto  = "auto"
	FormatCSV   = "csv"
	FormatVCard = "vcard"
	FormatJSON  = "json"
	FormatICS   = "ics"
)

// DefaultBatch is how many records one transaction writes. bbolt keeps a
// transaction's changes in memory and splits its pages only at commit,
// so one transaction of 100,000 records is slow; batches of a few
// thousand are fast.
const DefaultBatch = 5000

// importLoaderLimit is how many bytes of index entries an import keeps
// waiting (store.Loader): half the default, to keep the peak heap of an
// import of 100,000 contacts under 100 MB (92 MB; 100 MB at the default)
// for some 10% more time.
const importLoaderLimit = 8 << 20

// ImportOptions configure Import.
type ImportOptions struct {
	Name        string   // the file's name, for messages
	Format      string   // auto (from the content), csv, vcard or json
	Encoding    string   // auto, or an encoding label: utf-8, gbk, gb18030, utf-16, ...
	Map         []string // "COLUMN=field" overrides for CSV
	OnDuplicate Duplicate
	DryRun      bool // work everything out, write nothing
	SkipErrors  bool // import the good records of a file that has bad ones
	BatchSize   int  // records per transaction (DefaultBatch when 0)
	// Progress, when set, is called after each transaction with the
	// number of records written and the number there are to write.
	Progress func(done, total int)
}

// errRejected rolls back the first transaction of a file with rejected
// records.
var errRejected = errors.New("rejected records")

// readError is a file that fails to read part-way, found while planning
// it: reported as it is, not as a failed write.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// Import reads a file's bytes into st.
//
// Every record is read, validated and matched against the file's other
// records and the database (through its indexes) before anything is
// written. A file with a rejected record writes nothing unless
// SkipErrors is set; the returned error is then a *RejectedError and the
// Result lists every reason with its line. The records are then written
// in transactions of BatchSize: the plan and the first batch in one, so a
// file of up to BatchSize records is imported atomically. A failure in a
// later batch leaves the earlier batches committed and returns a
// *PartialError saying what they hold; importing the same file again
// completes the import, as what was written is matched as duplicates.
// The batches go through a store.Loader: most index entries are written
// after the last batch, in key order, and a process that stops before
// leaves the file marked for its indexes to be rebuilt when next opened.
//
// The file is read as a stream: a goroutine splits it into records,
// workers on every core validate them, and the plan keeps each contact in
// a compact binary form until it is written, so memory holds about 300
// bytes a contact besides the file itself.
func Import(st *store.Store, data []byte, o ImportOptions) (_ *Result, rerr error) {
	mode := o.OnDuplicate
	if mode == "" {
		mode = DupUpdate
	}
	res := &Result{File: o.Name, DryRun: o.DryRun, Errors: []Problem{}, Conflicts: []Conflict{}, Warnings: []Problem{}}
	env := &readerEnv{file: o.Name, now: st.Now().UTC(), pipeline: st.Pipeline(), rules: st.Rules()}
	src, err := open(env, data, o, res)
	if err != nil {
		return res, err
	}
	var p *planner
	var ops []op
	var written Records // what committed transactions hold
	planIn := func(tx *store.Tx) error {
		p = newPlanner(tx, env, mode, src.in, res)
		if err := p.plan(src); err != nil {
			return &readError{err}
		}
		res.Read = p.read
		res.Warnings = append(res.Warnings, src.in.warnings...)
		if res.Rejected > 0 && !o.SkipErrors {
			return errRejected
		}
		ops = p.ops()
		p.forget()
		src = nil // the file's text is no longer needed
		return nil
	}
	batch := o.BatchSize
	if batch <= 0 {
		batch = DefaultBatch
	}
	if o.DryRun {
		err = st.View(planIn)
	} else {
		ld := st.Loader(importLoaderLimit)
		defer func() {
			// Every record is in by now; what can fail is writing the last
			// index entries, which the next open of the file finishes.
			if cerr := ld.Close(); cerr != nil && rerr == nil {
				rerr = cerr
			}
		}()
		err = ld.Update(func(tx *store.Tx) error {
			if err := planIn(tx); err != nil {
				return err
			}
			return p.apply(tx, ops[:min(batch, len(ops))])
		})
		if err == nil {
			err = p.applyRest(ld, ops, batch, o.Progress, &written)
		}
	}
	var re *readError
	var pe *PartialError
	switch {
	case errors.Is(err, errRejected):
		return res, &RejectedError{File: o.Name, N: res.Rejected, err: model.ErrInvalid}
	case errors.As(err, &re):
		return res, re.err
	case errors.As(err, &pe):
		res.Records, res.Partial, res.Written = written, "the import stopped part-way; see the error", true
		return res, pe
	case err != nil:
		return res, &PartialError{Err: err}
	}
	if !o.DryRun {
		res.Written = true
	}
	return res, nil
}

// applyRest writes the plan after its first batch, a transaction a batch,
// adding to written what each commits.
func (p *planner) applyRest(ld *store.Loader, ops []op, batch int, progress func(done, total int), written *Records) error {
	*written = tally(ops[:min(batch, len(ops))])
	if progress != nil {
		progress(min(batch, len(ops)), len(ops))
	}
	for start := batch; start < len(ops); start += batch {
		chunk := ops[start:min(len(ops), start+batch)]
		if err := ld.Update(func(tx *store.Tx) error { return p.apply(tx, chunk) }); err != nil {
			return &PartialError{Written: *written, Err: err}
		}
		*written = add(*written, tally(chunk))
		if progress != nil {
			progress(start+len(chunk), len(ops))
		}
	}
	return nil
}

// open decodes the file and opens the reader of its format.
func open(env *readerEnv, data []byte, o ImportOptions, res *Result) (*source, error) {
	text, enc, err := textenc.Decode(data, o.Encoding)
	if err != nil {
		return nil, err
	}
	format, err := DetectFormat(text, o.Format)
	if err != nil {
		return nil, err
	}
	var src *source
	switch format {
	case FormatCSV:
		src, err = openCSV(env, text, o.Map)
	case FormatVCard:
		src, err = openVCard(env, text)
	case FormatJSON:
		src, err = openJSON(env, text)
	}
	if err != nil {
		return nil, err
	}
	if len(o.Map) > 0 && format != FormatCSV {
		return nil, invalidf("--map applies to CSV files; %s is %s", o.Name, format)
	}
	res.Format, res.Encoding, res.Layout, res.Columns = format, enc, src.in.layout, src.in.columns
	return src, nil
}

// DetectFormat names the format of a file from its content: a vCard
// begins with BEGIN:VCARD, rolo's JSON with an object or array; anything
// else is read as CSV (or TSV). want, when not auto, decides.
func DetectFormat(text []byte, want string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(want)) {
	case "", FormatAuto:
	case FormatCSV, "tsv":
		return FormatCSV, nil
	case FormatVCard, "vcf":
		return FormatVCard, nil
	case FormatJSON:
		return FormatJSON, nil
	default:
		return "", &model.FieldError{Field: "format", Value: want, Reason: "one of auto, csv, vcard, json"}
	}
	t := bytes.TrimLeft(text, " \t\r\n")
	switch {
	case len(t) == 0:
		return "", invalidf("the file is empty")
	case len(t) >= 11 && strings.EqualFold(string(t[:11]), "BEGIN:VCARD"):
		return FormatVCard, nil
	case t[0] == '{' || (t[0] == '[' && startsJSONArray(t)):
		return FormatJSON, nil
	}
	return FormatCSV, nil
}

func startsJSONArray(t []byte) bool {
	rest := bytes.TrimLeft(t[1:], " \t\r\n")
	return len(rest) > 0 && (rest[0] == '{' || rest[0] == ']')
}

// op is one write of the plan: the i-th target of its kind.
type op struct {
	entity model.Entity
	update bool
	i      int
}

// ops lists the plan's writes in an order where every link points at a
// record already written: companies, contacts, deals, tasks, activities.
// Existing activities are never rewritten.
func (p *planner) ops() []op {
	var out []op
	out = appendOps(out, model.EntityCompany, p.companies, func(t *coTarget) *status { return &t.status }, true)
	out = appendOps(out, model.EntityContact, p.contacts, func(t *ctTarget) *status { return &t.status }, true)
	out = appendOps(out, model.EntityDeal, p.deals, func(t *dlTarget) *status { return &t.status }, true)
	out = appendOps(out, model.EntityTask, p.tasks, func(t *tkTarget) *status { return &t.status }, true)
	out = appendOps(out, model.EntityActivity, p.acts, func(t *acTarget) *status { return &t.status }, false)
	for i := range p.newNotes {
		out = append(out, op{entity: model.EntityActivity, i: len(p.acts) + i})
	}
	return out
}

func appendOps[T any](out []op, e model.Entity, ts []T, st func(T) *status, update bool) []op {
	for i, t := range ts {
		switch s := st(t); {
		case !s.existing:
			out = append(out, op{entity: e, i: i})
		case s.changed && update:
			out = append(out, op{entity: e, update: true, i: i})
		}
	}
	return out
}

// apply writes a run of the plan in tx. New contacts and activities,
// the bulk of a file, go to the store many at a time (see
// store.Tx.ImportContactsFrom).
func (p *planner) apply(tx *store.Tx, ops []op) error {
	for len(ops) > 0 {
		o := ops[0]
		n := 1
		for n < len(ops) && ops[n].entity == o.entity && !ops[n].update {
			n++
		}
		var err error
		switch {
		case !o.update && o.entity == model.EntityContact && n > 1:
			err = p.createContacts(tx, ops[:n])
		case !o.update && o.entity == model.EntityActivity && n > 1:
			err = tx.ImportActivities(p.activities(ops[:n]))
		default:
			n = 1
			err = p.write(tx, o)
		}
		if err != nil {
			if n == 1 {
				return fmt.Errorf("write %s %s: %w", o.entity, p.idOf(o), err)
			}
			return fmt.Errorf("write %ss %s to %s: %w", o.entity, p.idOf(o), p.idOf(ops[n-1]), err)
		}
		ops = ops[n:]
	}
	return nil
}

// createContacts writes new contacts; the store unpacks them on every
// core while it writes the ones before.
func (p *planner) createContacts(tx *store.Tx, ops []op) error {
	return tx.ImportContactsFrom(len(ops), func(i int) *model.Contact {
		t := p.contacts[ops[i].i]
		c := t.record()
		t.packed = nil // written: its memory may go
		return c
	})
}

func (p *planner) activities(ops []op) []*model.Activity {
	out := make([]*model.Activity, len(ops))
	for i, o := range ops {
		out[i] = p.activity(o.i)
	}
	return out
}

func (p *planner) write(tx *store.Tx, o op) error {
	switch o.entity {
	case model.EntityCompany:
		return put(tx, p.companies[o.i].rec, o.update, (*store.Tx).ImportCompany, (*store.Tx).PutCompany)
	case model.EntityContact:
		t := p.contacts[o.i]
		err := put(tx, t.record(), o.update, (*store.Tx).ImportContact, (*store.Tx).PutContact)
		t.packed = nil // written: its memory may go
		return err
	case model.EntityDeal:
		return put(tx, p.deals[o.i].rec, o.update, (*store.Tx).ImportDeal, (*store.Tx).PutDeal)
	case model.EntityTask:
		return put(tx, p.tasks[o.i].rec, o.update, (*store.Tx).ImportTask, (*store.Tx).PutTask)
	default:
		return tx.ImportActivity(p.activity(o.i))
	}
}

func put[T any](tx *store.Tx, rec *T, update bool, create, save func(*store.Tx, *T) error) error {
	if update {
		return save(tx, rec)
	}
	return create(tx, rec)
}

func (p *planner) idOf(o op) model.ID {
	switch o.entity {
	case model.EntityCompany:
		return p.companies[o.i].rec.ID
	case model.EntityContact:
		return p.contacts[o.i].ID()
	case model.EntityDeal:
		return p.deals[o.i].rec.ID
	case model.EntityTask:
		return p.tasks[o.i].rec.ID
	default:
		return p.activity(o.i).ID
	}
}

// tally counts what a run of writes holds.
func tally(ops []op) Records {
	var r Records
	for _, o := range ops {
		c := map[model.Entity]*Counts{model.EntityCompany: &r.Companies, model.EntityContact: &r.Contacts,
			model.EntityDeal: &r.Deals, model.EntityTask: &r.Tasks, model.EntityActivity: &r.Activities}[o.entity]
		if o.update {
			c.Updated++
		} else {
			c.Created++
		}
	}
	return r
}

func add(a, b Records) Records {
	sum := func(x, y Counts) Counts {
		return Counts{x.Created + y.Created, x.Updated + y.Updated, x.Unchanged + y.Unchanged, x.Skipped + y.Skipped}
	}
	return Records{sum(a.Companies, b.Companies), sum(a.Contacts, b.Contacts), sum(a.Deals, b.Deals),
		sum(a.Tasks, b.Tasks), sum(a.Activities, b.Activities)}
}
