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
	j := contactJSON{
		contactFields: contactFields(c),
		Emails:        c.EmailAddresses(),
		Phones:        c.PhoneNumbers(),
		EmailDetails:  c.Emails,
		PhoneDetails:  c.Phones,
	}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	if j.EmailDetails == nil {
		j.EmailDetails = []Email{}
	}
	if j.PhoneDetails == nil {
		j.PhoneDetails = []Phone{}
	}
	return json.Marshal(j)
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
