package store

import (
	"maps"
	"slices"

	"github.com/rolo-crm/rolo/model"
)

// Field tags are part of the file format: never reuse or renumber one.

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func encodeContact(b []byte, c *model.Contact) []byte {
	e := encoder{b: b}
	e.str(1, c.Name)
	for _, m := range c.Emails {
		e.nested(2, func(s *encoder) { s.str(1, m.Address); s.str(2, m.Label) })
	}
	for _, p := range c.Phones {
		e.nested(3, func(s *encoder) { s.str(1, p.Number); s.str(2, p.Original); s.str(3, p.Label) })
	}
	e.id(4, c.CompanyID)
	e.str(5, c.Title)
	e.strs(6, c.Tags)
	e.str(7, c.Source)
	e.str(8, c.Owner)
	e.str(9, c.Lifecycle)
	e.strMap(10, c.Custom)
	e.date(11, c.Birthday)
	for _, a := range c.Addresses {
		e.address(12, a)
	}
	e.strs(13, c.Links)
	e.time(14, c.CreatedAt)
	e.time(15, c.UpdatedAt)
	return e.b
}

func decodeContact(b []byte, c *model.Contact) error {
	d := decoder{b: b}
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			c.Name = string(p)
		case 2:
			var m model.Email
			d.each(p, func(t byte, q []byte, _ *decoder) {
				switch t {
				case 1:
					m.Address = string(q)
				case 2:
					m.Label = string(q)
				}
			})
			c.Emails = append(c.Emails, m)
		case 3:
			var ph model.Phone
			d.each(p, func(t byte, q []byte, _ *decoder) {
				switch t {
				case 1:
					ph.Number = string(q)
				case 2:
					ph.Original = string(q)
				case 3:
					ph.Label = string(q)
				}
			})
			c.Phones = append(c.Phones, ph)
		case 4:
			c.CompanyID = d.id(p)
		case 5:
			c.Title = string(p)
		case 6:
			c.Tags = append(c.Tags, string(p))
		case 7:
			c.Source = string(p)
		case 8:
			c.Owner = string(p)
		case 9:
			c.Lifecycle = string(p)
		case 10:
			d.mapEntry(p, &c.Custom)
		case 11:
			c.Birthday = d.date(p)
		case 12:
			c.Addresses = append(c.Addresses, d.address(p))
		case 13:
			c.Links = append(c.Links, string(p))
		case 14:
			c.CreatedAt = d.time(p)
		case 15:
			c.UpdatedAt = d.time(p)
		}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	return d.err
}

func encodeCompany(b []byte, c *model.Company) []byte {
	e := encoder{b: b}
	e.str(1, c.Name)
	e.str(2, c.Domain)
	e.str(3, c.Industry)
	e.str(4, c.Size)
	e.str(5, c.Phone)
	e.address(6, c.Address)
	e.strs(7, c.Tags)
	e.str(8, c.Owner)
	e.strMap(9, c.Custom)
	e.time(10, c.CreatedAt)
	e.time(11, c.UpdatedAt)
	return e.b
}

func decodeCompany(b []byte, c *model.Company) error {
	d := decoder{b: b}
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			c.Name = string(p)
		case 2:
			c.Domain = string(p)
		case 3:
			c.Industry = string(p)
		case 4:
			c.Size = string(p)
		case 5:
			c.Phone = string(p)
		case 6:
			c.Address = d.address(p)
		case 7:
			c.Tags = append(c.Tags, string(p))
		case 8:
			c.Owner = string(p)
		case 9:
			d.mapEntry(p, &c.Custom)
		case 10:
			c.CreatedAt = d.time(p)
		case 11:
			c.UpdatedAt = d.time(p)
		}
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	return d.err
}

func encodeDeal(b []byte, x *model.Deal) []byte {
	e := encoder{b: b}
	e.str(1, x.Title)
	e.id(2, x.ContactID)
	e.id(3, x.CompanyID)
	e.int(4, x.Value.Minor)
	e.str(5, x.Value.Currency)
	e.str(6, x.Stage)
	if x.Probability != nil {
		e.present(7, int64(*x.Probability))
	}
	e.str(8, x.Status)
	e.date(9, x.CloseDate)
	e.time(10, x.ClosedAt)
	e.str(11, x.LostReason)
	for _, m := range x.History {
		e.nested(12, func(s *encoder) { s.str(1, m.Stage); s.time(2, m.At) })
	}
	e.str(13, x.Owner)
	e.str(14, x.Source)
	e.strs(15, x.Tags)
	e.strMap(16, x.Custom)
	e.time(17, x.CreatedAt)
	e.time(18, x.UpdatedAt)
	return e.b
}

func decodeDeal(b []byte, x *model.Deal) error {
	d := decoder{b: b}
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			x.Title = string(p)
		case 2:
			x.ContactID = d.id(p)
		case 3:
			x.CompanyID = d.id(p)
		case 4:
			x.Value.Minor = d.int(p)
		case 5:
			x.Value.Currency = string(p)
		case 6:
			x.Stage = string(p)
		case 7:
			x.Probability = d.intPtr(p)
		case 8:
			x.Status = string(p)
		case 9:
			x.CloseDate = d.date(p)
		case 10:
			x.ClosedAt = d.time(p)
		case 11:
			x.LostReason = string(p)
		case 12:
			var m model.StageMove
			d.each(p, func(t byte, q []byte, sub *decoder) {
				switch t {
				case 1:
					m.Stage = string(q)
				case 2:
					m.At = sub.time(q)
				}
			})
			x.History = append(x.History, m)
		case 13:
			x.Owner = string(p)
		case 14:
			x.Source = string(p)
		case 15:
			x.Tags = append(x.Tags, string(p))
		case 16:
			d.mapEntry(p, &x.Custom)
		case 17:
			x.CreatedAt = d.time(p)
		case 18:
			x.UpdatedAt = d.time(p)
		}
	}
	if x.Tags == nil {
		x.Tags = []string{}
	}
	return d.err
}

func encodeTask(b []byte, t *model.Task) []byte {
	e := encoder{b: b}
	e.str(1, t.Title)
	e.date(2, t.Due.Date)
	e.time(3, t.Due.At)
	e.id(4, t.ContactID)
	e.id(5, t.DealID)
	e.id(6, t.CompanyID)
	e.str(7, t.Priority)
	e.time(8, t.DoneAt)
	if !t.Repeat.IsZero() {
		e.nested(9, func(s *encoder) { s.int(1, int64(t.Repeat.Every)); s.str(2, t.Repeat.Unit) })
	}
	e.str(10, t.Notes)
	e.str(11, t.Owner)
	e.time(12, t.CreatedAt)
	e.time(13, t.UpdatedAt)
	return e.b
}

func decodeTask(b []byte, t *model.Task) error {
	d := decoder{b: b}
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			t.Title = string(p)
		case 2:
			t.Due.Date = d.date(p)
		case 3:
			t.Due.At = d.time(p)
		case 4:
			t.ContactID = d.id(p)
		case 5:
			t.DealID = d.id(p)
		case 6:
			t.CompanyID = d.id(p)
		case 7:
			t.Priority = string(p)
		case 8:
			t.DoneAt = d.time(p)
		case 9:
			d.each(p, func(tg byte, q []byte, sub *decoder) {
				switch tg {
				case 1:
					t.Repeat.Every = int(sub.int(q))
				case 2:
					t.Repeat.Unit = string(q)
				}
			})
		case 10:
			t.Notes = string(p)
		case 11:
			t.Owner = string(p)
		case 12:
			t.CreatedAt = d.time(p)
		case 13:
			t.UpdatedAt = d.time(p)
		}
	}
	return d.err
}

func encodeActivity(b []byte, a *model.Activity) []byte {
	e := encoder{b: b}
	e.str(1, a.Kind)
	e.time(2, a.At)
	e.str(3, a.Direction)
	e.str(4, a.Channel)
	e.id(5, a.ContactID)
	e.id(6, a.DealID)
	e.id(7, a.CompanyID)
	e.str(8, a.Body)
	if a.Score != nil {
		e.present(9, int64(*a.Score))
	}
	e.str(10, a.State)
	e.time(11, a.ResolvedAt)
	e.str(12, a.Owner)
	e.time(13, a.CreatedAt)
	return e.b
}

func decodeActivity(b []byte, a *model.Activity) error {
	d := decoder{b: b}
	for {
		tag, p, ok := d.next()
		if !ok {
			break
		}
		switch tag {
		case 1:
			a.Kind = string(p)
		case 2:
			a.At = d.time(p)
		case 3:
			a.Direction = string(p)
		case 4:
			a.Channel = string(p)
		case 5:
			a.ContactID = d.id(p)
		case 6:
			a.DealID = d.id(p)
		case 7:
			a.CompanyID = d.id(p)
		case 8:
			a.Body = string(p)
		case 9:
			a.Score = d.intPtr(p)
		case 10:
			a.State = string(p)
		case 11:
			a.ResolvedAt = d.time(p)
		case 12:
			a.Owner = string(p)
		case 13:
			a.CreatedAt = d.time(p)
		}
	}
	return d.err
}

// EncodeContact appends c (all but its id) to b in the store's compact
// binary form. An importer keeps the records of a large file so while it
// plans them: a few hundred bytes without pointers for the garbage
// collector to trace.
func EncodeContact(b []byte, c *model.Contact) []byte { return encodeContact(b, c) }

// DecodeContact reads into a zero c what EncodeContact wrote.
func DecodeContact(b []byte, c *model.Contact) error { return decodeContact(b, c) }
