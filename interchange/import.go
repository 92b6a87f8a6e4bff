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
func Import(st *store.Store, data []byte, o ImportOptions) (*Result, error) {
	mode := o.OnDuplicate
	if mode == "" {
		mode = DupUpdate
	}
	res := &Result{File: o.Name, DryRun: o.DryRun, Errors: []Problem{}, Conflicts: []Conflict{}, Warnings: []Problem{}}
	env := &readerEnv{file: o.Name, now: st.Now().UTC(), pipeline: st.Pipeline(), rules: st.Rules()}
	in, err := read(env, data, o, res)
	if err != nil {
		return res, err
	}
	var ops []op
	planIn := func(tx *store.Tx) error {
		p := newPlanner(tx, env, mode, in, res)
		p.plan()
		res.Warnings = append(res.Warnings, in.warnings...)
		if res.Rejected > 0 && !o.SkipErrors {
			return errRejected
		}
		ops = p.ops()
		return nil
	}
	batch := o.BatchSize
	if batch <= 0 {
		batch = DefaultBatch
	}
	if o.DryRun {
		err = st.View(planIn)
	} else {
		err = st.Bulk(func(tx *store.Tx) error {
			if err := planIn(tx); err != nil {
				return err
			}
			return apply(tx, ops[:min(batch, len(ops))])
		})
	}
	switch {
	case errors.Is(err, errRejected):
		return res, &RejectedError{File: o.Name, N: res.Rejected, err: model.ErrInvalid}
	case err != nil:
		return res, &PartialError{Err: err}
	case o.DryRun:
		return res, nil
	}
	written := tally(ops[:min(batch, len(ops))])
	if o.Progress != nil {
		o.Progress(min(batch, len(ops)), len(ops))
	}
	for start := batch; start < len(ops); start += batch {
		chunk := ops[start:min(len(ops), start+batch)]
		if err := st.Bulk(func(tx *store.Tx) error { return apply(tx, chunk) }); err != nil {
			res.Records, res.Partial, res.Written = written, "the import stopped part-way; see the error", true
			return res, &PartialError{Written: written, Err: err}
		}
		written = add(written, tally(chunk))
		if o.Progress != nil {
			o.Progress(start+len(chunk), len(ops))
		}
	}
	res.Written = true
	return res, nil
}

// read decodes the file and reads its records.
func read(env *readerEnv, data []byte, o ImportOptions, res *Result) (*input, error) {
	text, enc, err := textenc.Decode(data, o.Encoding)
	if err != nil {
		return nil, err
	}
	format, err := DetectFormat(text, o.Format)
	if err != nil {
		return nil, err
	}
	var in *input
	switch format {
	case FormatCSV:
		in, err = readCSV(env, text, o.Map)
	case FormatVCard:
		in, err = readVCard(env, text)
	case FormatJSON:
		in, err = readJSON(env, text)
	}
	if err != nil {
		return nil, err
	}
	if len(o.Map) > 0 && format != FormatCSV {
		return nil, invalidf("--map applies to CSV files; %s is %s", o.Name, format)
	}
	res.Format, res.Encoding, res.Layout, res.Columns = format, enc, in.layout, in.columns
	res.Read = len(in.companies) + len(in.contacts) + len(in.deals) + len(in.tasks) + len(in.acts)
	return in, nil
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

// op is one write of the plan.
type op struct {
	entity model.Entity
	update bool
	id     model.ID
	put    func(*store.Tx) error
}

// ops lists the plan's writes in an order where every link points at a
// record already written: companies, contacts, deals, tasks, activities.
func (p *planner) ops() []op {
	var out []op
	out = appendOps(out, p.companies, model.EntityCompany, (*store.Tx).ImportCompany, (*store.Tx).PutCompany, companyID)
	out = appendOps(out, p.contacts, model.EntityContact, (*store.Tx).ImportContact, (*store.Tx).PutContact, contactID)
	out = appendOps(out, p.deals, model.EntityDeal, (*store.Tx).ImportDeal, (*store.Tx).PutDeal, dealID)
	out = appendOps(out, p.tasks, model.EntityTask, (*store.Tx).ImportTask, (*store.Tx).PutTask,
		func(t *model.Task) model.ID { return t.ID })
	out = appendOps(out, p.acts, model.EntityActivity, (*store.Tx).ImportActivity, nil,
		func(a *model.Activity) model.ID { return a.ID })
	return out
}

func appendOps[T any](out []op, ts []*target[T], e model.Entity, create, update func(*store.Tx, *T) error, id func(*T) model.ID) []op {
	for _, t := range ts {
		switch {
		case !t.existing:
			out = append(out, op{entity: e, id: id(t.rec), put: func(tx *store.Tx) error { return create(tx, t.rec) }})
		case t.changed && update != nil:
			out = append(out, op{entity: e, update: true, id: id(t.rec), put: func(tx *store.Tx) error { return update(tx, t.rec) }})
		}
	}
	return out
}

func apply(tx *store.Tx, ops []op) error {
	for _, o := range ops {
		if err := o.put(tx); err != nil {
			return fmt.Errorf("write %s %s: %w", o.entity, o.id, err)
		}
	}
	return nil
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
