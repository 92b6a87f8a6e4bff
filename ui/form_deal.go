package ui

import (
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// dealForm creates or edits a deal. For a new deal from a contact or a
// board column, on says which; contactName is the linked contact's name.
func dealForm(s *shared, d model.Deal, contactName string, on target) *formDialog {
	p := s.pipeline
	amountText := ""
	if d.Value.Minor != 0 {
		amountText = d.Value.Decimal() + " " + d.Value.Currency
	}
	stage := d.Stage
	if stage == "" {
		stage = p.First().Key
	}
	var stages []huh.Option[string]
	for _, st := range p.Stages {
		stages = append(stages, huh.NewOption(s.stageLabel(st.Key), st.Key))
	}
	now := s.now()
	title := &formField{key: "title", label: s.T("tui.field.dealtitle"), value: d.Title}
	amount := &formField{key: "amount", label: s.T("tui.field.amount"), value: amountText, hint: "12,000 USD · ¥3万",
		check: func(v string) error { _, err := parseAmount(v, s.cfg.Currency); return err }}
	stageF := &formField{key: "stage", label: s.T("tui.field.stage"), value: stage, kind: fieldSelect, options: stages}
	closeF := &formField{key: "close", label: s.T("tui.field.close"), value: d.CloseDate.String(), hint: s.T("tui.hint.date"),
		check: func(v string) error { _, err := parseDay(v, now); return err }}
	contact := &formField{key: "contact", label: s.T("tui.field.contact"), value: contactName, hint: s.T("tui.hint.contact")}
	fields := []*formField{title, amount, stageF, closeF}
	presetContact := d.ID.IsZero() && !on.contact.IsZero()
	if presetContact {
		contact = &formField{key: "contact", label: s.T("tui.field.contact"), value: on.label, kind: fieldNote}
	}
	fields = append(fields, contact)
	base := d
	draft := func() (model.Deal, error) {
		x := base
		x.History = slices.Clone(base.History)
		x.Title = title.value
		v, err := parseAmount(amount.value, s.cfg.Currency)
		if err != nil {
			return x, err
		}
		x.Value = v
		if x.CloseDate, err = parseDay(closeF.value, now); err != nil {
			return x, err
		}
		if err := x.Move(p, stageF.value, now, x.LostReason); err != nil {
			return x, err
		}
		return x, nil
	}
	validate := func() error {
		x, err := draft()
		if err != nil {
			return err
		}
		return x.Normalize(p, s.store.Rules())
	}
	heading := formTitle(s, model.EntityDeal, d.ID, d.Title)
	save := func(form uint64) tea.Cmd {
		x, _ := draft()
		ref, oldRef := strings.TrimSpace(contact.value), contactName
		return s.write(form, func(tx *store.Tx) (writeMsg, error) {
			cur, prev, err := current(tx, x.ID, tx.Deal)
			if err != nil {
				return writeMsg{}, err
			}
			if prev == nil {
				cur = model.Deal{Owner: s.cfg.Owner, CompanyID: on.company}
			}
			cur.Title, cur.Value, cur.CloseDate = x.Title, x.Value, x.CloseDate
			if cur.Stage != x.Stage {
				if err := cur.Move(p, x.Stage, tx.Now(), cur.LostReason); err != nil {
					return writeMsg{}, err
				}
			}
			switch {
			case presetContact:
				cur.ContactID = on.contact
			case ref == "":
				cur.ContactID = model.ID{}
			case prev == nil || ref != oldRef:
				c, err := tx.ResolveContact(ref)
				if err != nil {
					return writeMsg{}, err
				}
				cur.ContactID = c.ID
			}
			if err := tx.PutDeal(&cur); err != nil {
				return writeMsg{}, err
			}
			m := saved(s, prev == nil, model.EntityDeal, cur.ID, cur.Title, func(tx *store.Tx) error {
				return revert(tx, prev, cur.ID, tx.PutDeal, tx.DeleteDeal)
			})
			m.deal = &cur
			return m, nil
		})
	}
	return newForm(s, heading, fields, validate, save)
}

// parseAmount reads an amount as `rolo deal add --amount` does; empty is
// no amount.
func parseAmount(text, currency string) (model.Money, error) {
	if strings.TrimSpace(text) == "" {
		return model.Money{Currency: currency}, nil
	}
	m, err := model.ParseMoney(text, currency)
	if err != nil {
		return m, relabel(err, "amount")
	}
	return m, nil
}

// parseDay reads a day typed as people do ("next friday", 下周五); empty
// is no day.
func parseDay(text string, now time.Time) (model.Date, error) {
	if strings.TrimSpace(text) == "" {
		return model.Date{}, nil
	}
	due, err := model.ParseWhen(text, now)
	if err != nil {
		return model.Date{}, relabel(err, "close")
	}
	return due.Date, nil
}
