package interchange

import (
	"bufio"
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ExportCSV writes the records of one kind as CSV with a header row, one
// row per record. Lists (emails, phones, tags, links) are one cell with
// their entries separated by "; ", labels written "work:maria@acme.com"
// as --email takes them; every custom field has a column "custom:KEY".
// The contacts and deals files read back with rolo import.
//
// The records are read twice in tx, once to learn the custom fields'
// names and the most addresses a contact has, then written one by one.
func ExportCSV(tx *store.Tx, w io.Writer, e model.Entity) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	names := newNameCache(tx)
	var n int
	var err error
	switch e {
	case model.EntityContact:
		n, err = contactsCSV(tx, cw, names)
	case model.EntityCompany:
		n, err = companiesCSV(tx, cw)
	case model.EntityDeal:
		n, err = dealsCSV(tx, cw, names)
	case model.EntityTask:
		n, err = tasksCSV(tx, cw, names)
	case model.EntityActivity:
		n, err = activitiesCSV(tx, cw, names)
	}
	if err != nil {
		return n, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// addressColumns are the columns of the first address; later ones are
// prefixed "address_N_".
var addressColumns = []string{"address_label", "street", "city", "region", "postcode", "country"}

func contactsCSV(tx *store.Tx, cw *csv.Writer, names *nameCache) (int, error) {
	keys := map[string]bool{}
	addrs := 1
	err := tx.EachContact(func(c *model.Contact) error {
		for k := range c.Custom {
			keys[k] = true
		}
		addrs = max(addrs, len(c.Addresses))
		return nil
	})
	if err != nil {
		return 0, err
	}
	custom := slices.Sorted(maps.Keys(keys))
	header := []string{"id", "name", "company_id", "company", "title", "emails", "phones", "tags", "source", "owner", "lifecycle", "birthday", "links"}
	for i := 1; i <= addrs; i++ {
		for _, c := range addressColumns {
			if i > 1 {
				c = "address_" + strconv.Itoa(i) + "_" + strings.TrimPrefix(c, "address_")
			}
			header = append(header, c)
		}
	}
	header = append(header, "created_at", "updated_at")
	header = append(header, prefixed("custom:", custom)...)
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	n := 0
	row := make([]string, 0, len(header))
	err = tx.EachContact(func(c *model.Contact) error {
		row = append(row[:0], c.ID.String(), c.Name, idText(c.CompanyID), names.company(c.CompanyID), c.Title, joinEmails(c.Emails),
			joinPhones(c.Phones), strings.Join(c.Tags, "; "), c.Source, c.Owner, c.Lifecycle, c.Birthday.String(),
			strings.Join(c.Links, "; "))
		for i := range addrs {
			var a model.Address
			if i < len(c.Addresses) {
				a = c.Addresses[i]
			}
			row = append(row, a.Label, a.Street, a.City, a.Region, a.Postcode, a.Country)
		}
		row = append(row, stamp(c.CreatedAt), stamp(c.UpdatedAt))
		for _, k := range custom {
			row = append(row, c.Custom[k])
		}
		n++
		return cw.Write(row)
	})
	return n, err
}

func companiesCSV(tx *store.Tx, cw *csv.Writer) (int, error) {
	keys := map[string]bool{}
	if err := tx.EachCompany(func(c *model.Company) error {
		for k := range c.Custom {
			keys[k] = true
		}
		return nil
	}); err != nil {
		return 0, err
	}
	custom := slices.Sorted(maps.Keys(keys))
	header := []string{"id", "name", "domain", "industry", "size", "phone", "tags", "owner"}
	header = append(header, addressColumns...)
	header = append(header, "created_at", "updated_at")
	if err := cw.Write(append(header, prefixed("custom:", custom)...)); err != nil {
		return 0, err
	}
	n := 0
	err := tx.EachCompany(func(c *model.Company) error {
		a := c.Address
		row := []string{c.ID.String(), c.Name, c.Domain, c.Industry, c.Size, c.Phone, strings.Join(c.Tags, "; "), c.Owner,
			a.Label, a.Street, a.City, a.Region, a.Postcode, a.Country, stamp(c.CreatedAt), stamp(c.UpdatedAt)}
		for _, k := range custom {
			row = append(row, c.Custom[k])
		}
		n++
		return cw.Write(row)
	})
	return n, err
}

func dealsCSV(tx *store.Tx, cw *csv.Writer, names *nameCache) (int, error) {
	keys := map[string]bool{}
	if err := tx.EachDeal(func(d *model.Deal) error {
		for k := range d.Custom {
			keys[k] = true
		}
		return nil
	}); err != nil {
		return 0, err
	}
	custom := slices.Sorted(maps.Keys(keys))
	header := []string{"id", "title", "contact_id", "contact", "company_id", "company", "stage", "status", "amount",
		"currency", "probability_override", "close_date", "closed_at", "lost_reason", "stage_history", "owner", "source",
		"tags", "created_at", "updated_at"}
	if err := cw.Write(append(header, prefixed("custom:", custom)...)); err != nil {
		return 0, err
	}
	n := 0
	err := tx.EachDeal(func(d *model.Deal) error {
		prob := ""
		if d.Probability != nil {
			prob = strconv.Itoa(*d.Probability)
		}
		var hist []string
		for _, m := range d.History {
			hist = append(hist, m.Stage+" "+stamp(m.At))
		}
		row := []string{d.ID.String(), d.Title, idText(d.ContactID), names.contact(d.ContactID), idText(d.CompanyID),
			names.company(d.CompanyID), d.Stage, d.Status, d.Value.Decimal(), d.Value.Currency, prob, d.CloseDate.String(),
			stamp(d.ClosedAt), d.LostReason, strings.Join(hist, "; "), d.Owner, d.Source, strings.Join(d.Tags, "; "),
			stamp(d.CreatedAt), stamp(d.UpdatedAt)}
		for _, k := range custom {
			row = append(row, d.Custom[k])
		}
		n++
		return cw.Write(row)
	})
	return n, err
}

func tasksCSV(tx *store.Tx, cw *csv.Writer, names *nameCache) (int, error) {
	if err := cw.Write([]string{"id", "title", "due", "contact_id", "contact", "deal_id", "deal", "company_id", "company",
		"priority", "done_at", "repeat", "notes", "owner", "created_at", "updated_at"}); err != nil {
		return 0, err
	}
	n := 0
	err := tx.EachTask(func(t *model.Task) error {
		n++
		return cw.Write([]string{t.ID.String(), t.Title, t.Due.String(), idText(t.ContactID), names.contact(t.ContactID),
			idText(t.DealID), names.deal(t.DealID), idText(t.CompanyID), names.company(t.CompanyID), t.Priority,
			stamp(t.DoneAt), t.Repeat.String(), t.Notes, t.Owner, stamp(t.CreatedAt), stamp(t.UpdatedAt)})
	})
	return n, err
}

func activitiesCSV(tx *store.Tx, cw *csv.Writer, names *nameCache) (int, error) {
	if err := cw.Write([]string{"id", "kind", "at", "direction", "channel", "contact_id", "contact", "deal_id", "deal",
		"company_id", "company", "body", "score", "state", "resolved_at", "owner", "created_at"}); err != nil {
		return 0, err
	}
	n := 0
	err := tx.EachActivity(func(a *model.Activity) error {
		score := ""
		if a.Score != nil {
			score = strconv.Itoa(*a.Score)
		}
		n++
		return cw.Write([]string{a.ID.String(), a.Kind, stamp(a.At), a.Direction, a.Channel, idText(a.ContactID),
			names.contact(a.ContactID), idText(a.DealID), names.deal(a.DealID), idText(a.CompanyID), names.company(a.CompanyID),
			a.Body, score, a.State, stamp(a.ResolvedAt), a.Owner, stamp(a.CreatedAt)})
	})
	return n, err
}

func prefixed(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}

// joinEmails writes emails as one cell: "work:maria@acme.com; m@gmail.com".
func joinEmails(es []model.Email) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = withInlineLabel(e.Label, e.Address)
	}
	return strings.Join(parts, "; ")
}

func joinPhones(ps []model.Phone) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = withInlineLabel(p.Label, p.Number)
	}
	return strings.Join(parts, "; ")
}

// withInlineLabel writes "label:value" when the label reads back as one.
func withInlineLabel(label, v string) string {
	if label == "" {
		return v
	}
	if l, _ := splitInlineLabel(label + ":" + v); l != label {
		return v // a label that would not read back as one
	}
	return label + ":" + v
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func idText(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	return id.String()
}

// nameCache looks up the names of linked records, remembering recent ones
// in a bounded map so that memory does not grow with the database.
type nameCache struct {
	tx    *store.Tx
	names map[model.ID]string
}

func newNameCache(tx *store.Tx) *nameCache { return &nameCache{tx: tx, names: map[model.ID]string{}} }

const nameCacheSize = 4096

func (n *nameCache) lookup(id model.ID, get func(model.ID) string) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.names[id]; ok {
		return s
	}
	if len(n.names) >= nameCacheSize {
		clear(n.names)
	}
	s := get(id)
	n.names[id] = s
	return s
}

func (n *nameCache) company(id model.ID) string {
	return n.lookup(id, func(id model.ID) string { c, _ := n.tx.Company(id); return c.Name })
}

func (n *nameCache) contact(id model.ID) string {
	return n.lookup(id, func(id model.ID) string { c, _ := n.tx.Contact(id); return c.Name })
}

func (n *nameCache) deal(id model.ID) string {
	return n.lookup(id, func(id model.ID) string { d, _ := n.tx.Deal(id); return d.Title })
}
