package model

import (
	"strings"
	"time"
)

// Company is an organisation contacts belong to and deals are made with.
type Company struct {
	ID        ID                `json:"id"`
	Name      string            `json:"name"`
	Domain    string            `json:"domain,omitempty"`
	Industry  string            `json:"industry,omitempty"`
	Size      string            `json:"size,omitempty"`
	Phone     string            `json:"phone,omitempty"`
	Address   Address           `json:"address,omitzero"`
	Tags      []string          `json:"tags"`
	Owner     string            `json:"owner,omitempty"`
	Custom    map[string]string `json:"custom,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// Normalize validates c and puts its fields in canonical form.
func (c *Company) Normalize(Rules) error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" {
		return invalid("name", "", "model.company.name")
	}
	c.Domain = strings.ToLower(strings.TrimSpace(c.Domain))
	c.Domain = strings.TrimPrefix(strings.TrimPrefix(c.Domain, "https://"), "http://")
	c.Domain, _, _ = strings.Cut(c.Domain, "/") // a pasted URL: keep its host
	c.Domain = strings.TrimPrefix(c.Domain, "www.")
	if strings.ContainsAny(c.Domain, " @") {
		return invalid("domain", c.Domain, "model.domain.invalid")
	}
	if c.Address.IsZero() {
		c.Address = Address{} // a label alone is no address, and JSON would drop it
	}
	c.Tags = NormalizeTags(c.Tags)
	c.Custom = normalizeCustom(c.Custom)
	return nil
}

// AppendJSON appends the company's JSON, as json.Marshal writes it, to
// b. On error it returns b unchanged.
//
// Company has no MarshalJSON on purpose: an Encoder with SetEscapeHTML
// (false), as the JSON export and the CLI use, writes "&" in its fields
// as it is, which a MarshalJSON could not do.
func (c *Company) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"id":`)
	w.id(c.ID)
	w.raw(`,"name":`)
	w.str(c.Name)
	w.optStr(`,"domain":`, c.Domain)
	w.optStr(`,"industry":`, c.Industry)
	w.optStr(`,"size":`, c.Size)
	w.optStr(`,"phone":`, c.Phone)
	if !c.Address.IsZero() {
		w.raw(`,"address":`)
		w.address(&c.Address)
	}
	w.raw(`,"tags":`)
	if c.Tags == nil {
		w.raw("null")
	} else {
		w.strs(c.Tags)
	}
	w.optStr(`,"owner":`, c.Owner)
	w.custom(`,"custom":`, c.Custom)
	w.raw(`,"created_at":`)
	w.time(c.CreatedAt)
	w.raw(`,"updated_at":`)
	w.time(c.UpdatedAt)
	w.raw("}")
	return w.result(b)
}
