package model

import "encoding/json"

// contactJSON is the stable JSON shape of a contact: plain lists of
// addresses and numbers for scripts, and the details (labels, original
// phone text) alongside so an export loses nothing.
type contactJSON struct {
	contactFields
	Emails       []string `json:"emails"`
	Phones       []string `json:"phones"`
	EmailDetails []Email  `json:"email_details"`
	PhoneDetails []Phone  `json:"phone_details"`
}

type contactFields Contact

// MarshalJSON writes the stable JSON shape documented in docs/cli.md.
func (c Contact) MarshalJSON() ([]byte, error) {
	return c.AppendJSON(make([]byte, 0, 640))
}

// AppendJSON appends the JSON MarshalJSON writes to b. On error it
// returns b unchanged.
func (c *Contact) AppendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"id":`)
	w.id(c.ID)
	w.raw(`,"name":`)
	w.str(c.Name)
	w.optID(`,"company_id":`, c.CompanyID)
	w.optStr(`,"title":`, c.Title)
	w.raw(`,"tags":`)
	w.strs(c.Tags)
	w.optStr(`,"source":`, c.Source)
	w.optStr(`,"owner":`, c.Owner)
	w.optStr(`,"lifecycle":`, c.Lifecycle)
	w.custom(`,"custom":`, c.Custom)
	w.optDate(`,"birthday":`, c.Birthday)
	if len(c.Addresses) > 0 {
		w.raw(`,"addresses":[`)
		for i := range c.Addresses {
			if i > 0 {
				w.raw(",")
			}
			w.address(&c.Addresses[i])
		}
		w.raw("]")
	}
	if len(c.Links) > 0 {
		w.raw(`,"links":`)
		w.strs(c.Links)
	}
	w.raw(`,"created_at":`)
	w.time(c.CreatedAt)
	w.raw(`,"updated_at":`)
	w.time(c.UpdatedAt)
	c.appendLists(&w)
	w.raw("}")
	return w.result(b)
}

// appendLists appends the plain lists of addresses and numbers, then
// their details.
func (c *Contact) appendLists(w *jsonWriter) {
	w.raw(`,"emails":[`)
	for i := range c.Emails {
		if i > 0 {
			w.raw(",")
		}
		w.str(c.Emails[i].Address)
	}
	w.raw(`],"phones":[`)
	for i := range c.Phones {
		if i > 0 {
			w.raw(",")
		}
		w.str(c.Phones[i].Number)
	}
	w.raw(`],"email_details":[`)
	for i, e := range c.Emails {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"address":`)
		w.str(e.Address)
		w.optStr(`,"label":`, e.Label)
		w.raw("}")
	}
	w.raw(`],"phone_details":[`)
	for i, p := range c.Phones {
		if i > 0 {
			w.raw(",")
		}
		w.raw(`{"number":`)
		w.str(p.Number)
		w.optStr(`,"original":`, p.Original)
		w.optStr(`,"label":`, p.Label)
		w.raw("}")
	}
	w.raw("]")
}

// UnmarshalJSON reads the shape MarshalJSON writes. The details win over
// the plain lists when both are present; an empty list reads as nil, as
// Normalize leaves it.
func (c *Contact) UnmarshalJSON(b []byte) error {
	j := contactJSON{contactFields: contactFields(*c)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Contact(j.contactFields)
	switch {
	case j.EmailDetails != nil:
		c.Emails = nilIfEmpty(j.EmailDetails)
	case j.Emails != nil:
		c.Emails = nil
		for _, e := range j.Emails {
			c.Emails = append(c.Emails, Email{Address: e})
		}
	}
	switch {
	case j.PhoneDetails != nil:
		c.Phones = nilIfEmpty(j.PhoneDetails)
	case j.Phones != nil:
		c.Phones = nil
		for _, p := range j.Phones {
			c.Phones = append(c.Phones, Phone{Number: p})
		}
	}
	return nil
}
