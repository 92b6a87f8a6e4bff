package csvmap

import (
	"fmt"
	"strings"

	"github.com/rolo-crm/rolo/model"
)

// Column is one column of the file and where its values go.
type Column struct {
	Index  int
	Header string // as the file spells it, trimmed
	Target Target
	// Recognised is false for a column nothing knew, kept as a custom
	// field under its header.
	Recognised bool
	// Quiet lists values this export writes in every row to mean "not
	// set" (Outlook's Priority "Normal"): they are not kept.
	Quiet []string
}

// Mapping says what every column of a file holds.
type Mapping struct {
	Layout  string // the export recognised: "google", "outlook", ..., "plain"
	Title   string // its name for people: "Google Contacts"
	Columns []Column
	// DealRows is set when each row is a deal (HubSpot or Pipedrive deal
	// exports, rolo's deals.csv): unrecognised columns are the deal's.
	DealRows bool
}

// New works out the mapping of a header row: it recognises the export,
// maps each column, then applies the user's overrides ("COLUMN=field", as
// --map gives them). An override that names no column or no field is an
// error wrapping model.ErrInvalid.
func New(header []string, overrides []string) (*Mapping, error) {
	norms := make([]string, len(header))
	set := headerSet{}
	for i, h := range header {
		norms[i] = Normalize(h)
		set[norms[i]] = true
	}
	lay := layouts[len(layouts)-1]
	for _, l := range layouts {
		if l.detect(set) {
			lay = l
			break
		}
	}
	m := &Mapping{Layout: lay.key, Title: lay.title}
	for i, h := range header {
		c := Column{Index: i, Header: cleanHeader(h), Quiet: lay.quiet[norms[i]]}
		c.Target, c.Recognised = resolve(lay, c.Header, norms[i])
		m.Columns = append(m.Columns, c)
	}
	forced, err := m.override(overrides)
	if err != nil {
		return nil, err
	}
	m.settle(lay, forced)
	return m, nil
}

func cleanHeader(h string) string { return strings.TrimSpace(strings.ReplaceAll(h, "\ufeff", "")) }

// resolve maps one header: rolo's own "custom:KEY" columns, then the
// layout's meaning, then the common dictionary.
func resolve(lay layout, header, norm string) (Target, bool) {
	for _, f := range []Field{Custom, DealCustom, CompanyCustom} {
		if len(header) > len(f)+1 && strings.EqualFold(header[:len(f)+1], string(f)+":") {
			return Target{Field: f, Label: header[len(f)+1:]}, true
		}
	}
	if lay.column != nil {
		if tg, ok := lay.column(norm); ok {
			if tg.Field.isCustom() && tg.Label == "" {
				tg.Label = header
			}
			return tg, true
		}
	}
	if tg, ok := lookupCommon(norm); ok {
		return tg, true
	}
	return Target{}, false
}

// override applies "COLUMN=field" specs and returns the columns they set.
func (m *Mapping) override(specs []string) (map[int]bool, error) {
	forced := map[int]bool{}
	for _, s := range specs {
		i := strings.LastIndex(s, "=")
		if i <= 0 {
			return nil, &model.FieldError{Field: "map", Value: s, Reason: "use COLUMN=field, e.g. \"Mobile=phone:mobile\""}
		}
		idx := m.find(s[:i])
		if idx < 0 {
			return nil, &model.FieldError{Field: "map", Value: s,
				Reason: fmt.Sprintf("the file has no column %q; its columns are: %s", strings.TrimSpace(s[:i]), m.headers())}
		}
		tg, err := ParseTarget(s[i+1:])
		if err != nil {
			return nil, err
		}
		c := &m.Columns[idx]
		c.Target, c.Recognised, c.Quiet = tg, true, nil
		forced[idx] = true
	}
	return forced, nil
}

// find returns the index of the column named h: its exact header, else one
// equal after normalisation.
func (m *Mapping) find(h string) int {
	h = cleanHeader(h)
	for i, c := range m.Columns {
		if c.Header == h {
			return i
		}
	}
	n := Normalize(h)
	for i, c := range m.Columns {
		if Normalize(c.Header) == n {
			return i
		}
	}
	return -1
}

func (m *Mapping) headers() string {
	hs := make([]string, len(m.Columns))
	for i, c := range m.Columns {
		hs[i] = fmt.Sprintf("%q", c.Header)
	}
	return strings.Join(hs, ", ")
}

// settle decides what rows are and where the columns nothing recognised
// go. Deal columns without a deal title column describe no deal: they are
// kept as custom fields of the contact.
func (m *Mapping) settle(lay layout, forced map[int]bool) {
	hasTitle := m.Has(DealTitle)
	m.DealRows = hasTitle && (lay.dealScope || !m.hasAny(Name, FirstName, LastName, Email, Phone))
	for i := range m.Columns {
		c := &m.Columns[i]
		switch {
		case forced[i]:
		case !c.Recognised && m.DealRows:
			c.Target = Target{Field: DealCustom, Label: c.Header}
		case c.Target.Field == Custom && m.DealRows && lay.dealScope:
			c.Target.Field = DealCustom // rolo's deals.csv: "custom:KEY" is the deal's
		case !c.Recognised:
			c.Target = Target{Field: Custom, Label: c.Header}
		case c.Target.Field.IsDeal() && !hasTitle:
			c.Target, c.Recognised = Target{Field: Custom, Label: c.Header}, false
		}
		if isAddressPart(c.Target.Field) && c.Target.Group == "" {
			c.Target.Group = "label:" + strings.ToLower(c.Target.Label)
		}
	}
}

// Has reports whether a column maps to f.
func (m *Mapping) Has(f Field) bool { return m.hasAny(f) }

func (m *Mapping) hasAny(fs ...Field) bool {
	for _, c := range m.Columns {
		for _, f := range fs {
			if c.Target.Field == f {
				return true
			}
		}
	}
	return false
}
