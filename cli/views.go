package cli

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// names resolves linked records' names for display, caching each lookup
// for the length of one transaction.
type names struct {
	tx        *store.Tx
	companies map[model.ID]string
	contacts  map[model.ID]string
	deals     map[model.ID]string
}

func newNames(tx *store.Tx) *names {
	return &names{tx: tx, companies: map[model.ID]string{}, contacts: map[model.ID]string{}, deals: map[model.ID]string{}}
}

func (n *names) company(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.companies[id]; ok {
		return s
	}
	c, _ := n.tx.Company(id)
	n.companies[id] = c.Name
	return c.Name
}

func (n *names) contact(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.contacts[id]; ok {
		return s
	}
	c, _ := n.tx.Contact(id)
	n.contacts[id] = c.Name
	return c.Name
}

func (n *names) deal(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.deals[id]; ok {
		return s
	}
	d, _ := n.tx.Deal(id)
	n.deals[id] = d.Title
	return d.Title
}

// extend marshals rec and appends the extra keys to the object, keeping
// the record's own keys and their order.
func extend(rec any, extra map[string]any) (json.RawMessage, error) {
	var b []byte
	var err error
	if m, ok := rec.(json.Marshaler); ok {
		b, err = m.MarshalJSON() // already compact; json.Marshal would compact it again
	} else {
		b, err = json.Marshal(rec)
	}
	if err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return b, nil
	}
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	for _, k := range sortedKeys(extra) {
		v, err := json.Marshal(extra[k])
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"` + k + `":`)
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func (n *names) contactJSON(c model.Contact) (json.RawMessage, error) {
	return extend(c, map[string]any{"company": n.company(c.CompanyID)})
}

func (n *names) companyJSON(c model.Company) (json.RawMessage, error) {
	return extend(c, map[string]any{"contacts": len(n.tx.ContactsOfCompany(c.ID))})
}

func (n *names) dealJSON(d model.Deal) (json.RawMessage, error) {
	p := n.tx.Pipeline()
	return extend(d, map[string]any{
		"contact":         n.contact(d.ContactID),
		"company":         n.company(d.CompanyID),
		"probability":     d.ProbabilityIn(p),
		"weighted_amount": d.Weighted(p).Decimal(),
	})
}

func (n *names) taskJSON(t model.Task, now time.Time) (json.RawMessage, error) {
	return extend(t, map[string]any{
		"contact": n.contact(t.ContactID),
		"deal":    n.deal(t.DealID),
		"done":    t.Done(),
		"overdue": t.Overdue(now),
	})
}

func (n *names) activityJSON(a model.Activity) (json.RawMessage, error) {
	return extend(a, map[string]any{
		"contact": n.contact(a.ContactID),
		"deal":    n.deal(a.DealID),
		"company": n.company(a.CompanyID),
	})
}

// jsonList renders each record with fn into a JSON array (never null).
func jsonList[T any](recs []T, fn func(T) (json.RawMessage, error)) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(recs))
	for _, r := range recs {
		j, err := fn(r)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}
