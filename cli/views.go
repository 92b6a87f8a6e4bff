package cli

import (
	"encoding/json"
	"strconv"
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
	name := n.tx.Name(model.EntityCompany, id)
	n.companies[id] = name
	return name
}

func (n *names) contact(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.contacts[id]; ok {
		return s
	}
	name := n.tx.Name(model.EntityContact, id)
	n.contacts[id] = name
	return name
}

func (n *names) deal(id model.ID) string {
	if id.IsZero() {
		return ""
	}
	if s, ok := n.deals[id]; ok {
		return s
	}
	name := n.tx.Name(model.EntityDeal, id)
	n.deals[id] = name
	return name
}

// field is one key added to a record's JSON.
type field struct {
	key   string
	value any
}

// extend marshals rec and appends the extra keys to the object, keeping
// the record's own keys and their order.
func extend(rec any, extra ...field) (json.RawMessage, error) {
	var b []byte
	var err error
	if m, ok := rec.(json.Marshaler); ok {
		b, err = m.MarshalJSON() // already compact; json.Marshal would compact it again
	} else {
		b, err = json.Marshal(rec)
	}
	if err != nil || len(extra) == 0 {
		return b, err
	}
	out := make([]byte, 0, len(b)+32*len(extra))
	out = append(out, b[:len(b)-1]...)
	for _, f := range extra {
		out = append(out, ',', '"')
		out = append(out, f.key...)
		out = append(out, '"', ':')
		switch v := f.value.(type) {
		case bool:
			out = strconv.AppendBool(out, v)
		case int:
			out = strconv.AppendInt(out, int64(v), 10)
		default:
			j, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out = append(out, j...)
		}
	}
	return append(out, '}'), nil
}

func (n *names) contactJSON(c model.Contact) (json.RawMessage, error) {
	return extend(c, field{"company", n.company(c.CompanyID)})
}

func (n *names) companyJSON(c model.Company) (json.RawMessage, error) {
	return extend(c, field{"contacts", len(n.tx.ContactsOfCompany(c.ID))})
}

func (n *names) dealJSON(d model.Deal) (json.RawMessage, error) {
	return extend(d, n.dealFields(d)...)
}

// dealFields are the derived keys of a deal's JSON: linked names and its
// probability and weighted amount in the configured pipeline.
func (n *names) dealFields(d model.Deal) []field {
	p := n.tx.Pipeline()
	return []field{
		{"contact", n.contact(d.ContactID)},
		{"company", n.company(d.CompanyID)},
		{"probability", d.ProbabilityIn(p)},
		{"weighted_amount", d.Weighted(p).Decimal()},
	}
}

func (n *names) taskJSON(t model.Task, now time.Time) (json.RawMessage, error) {
	return extend(t,
		field{"contact", n.contact(t.ContactID)},
		field{"deal", n.deal(t.DealID)},
		field{"done", t.Done()},
		field{"overdue", t.Overdue(now)})
}

func (n *names) activityJSON(a model.Activity) (json.RawMessage, error) {
	return extend(a,
		field{"contact", n.contact(a.ContactID)},
		field{"deal", n.deal(a.DealID)},
		field{"company", n.company(a.CompanyID)})
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
