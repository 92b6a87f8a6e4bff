package ui

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// activityForm logs an activity with the record on points at.
func activityForm(s *shared, on target) *formDialog {
	now := s.now()
	var kinds []huh.Option[string]
	for _, k := range model.ActivityKinds {
		kinds = append(kinds, huh.NewOption(s.kindLabel(k), k))
	}
	who := &formField{key: "contact", label: s.T("tui.form.for", on.label), kind: fieldNote}
	kind := &formField{key: "kind", label: s.T("tui.field.kind"), value: model.KindCall, kind: fieldSelect, options: kinds}
	dir := &formField{key: "direction", label: s.T("tui.field.direction"), value: "", kind: fieldSelect, options: []huh.Option[string]{
		huh.NewOption(s.T("tui.direction.none"), ""),
		huh.NewOption(s.T("tui.direction.out"), "out"),
		huh.NewOption(s.T("tui.direction.in"), "in"),
	}}
	at := &formField{key: "at", label: s.T("tui.field.at"), hint: s.T("tui.hint.at"),
		check: func(v string) error { _, err := activityAt(v, now); return relabel(err, "at") }}
	channel := &formField{key: "channel", label: s.T("tui.field.channel"), hint: "wechat"}
	score := &formField{key: "score", label: s.T("tui.field.score"), hint: "0-10",
		check: func(v string) error { _, err := parseScore(s, v); return err }}
	body := &formField{key: "body", label: s.T("tui.field.body"), kind: fieldText}
	draft := func() (model.Activity, error) {
		a := model.Activity{Kind: kind.value, Direction: dir.value, Channel: strings.TrimSpace(channel.value), Body: strings.TrimSpace(body.value),
			ContactID: on.contact, DealID: on.deal, CompanyID: on.company, Owner: s.cfg.Owner}
		var err error
		if a.At, err = activityAt(at.value, now); err != nil {
			return a, relabel(err, "at")
		}
		if a.Score, err = parseScore(s, score.value); err != nil {
			return a, err
		}
		return a, nil
	}
	validate := func() error {
		a, err := draft()
		if err != nil {
			return err
		}
		return a.Normalize(s.store.Rules())
	}
	save := func(form uint64) tea.Cmd {
		a, _ := draft()
		atText := at.value
		return s.write(form, func(tx *store.Tx) (writeMsg, error) {
			if strings.TrimSpace(atText) == "" {
				a.At = tx.Now()
			}
			if a.ContactID.IsZero() && !a.DealID.IsZero() {
				if d, err := tx.Deal(a.DealID); err == nil {
					a.ContactID = d.ContactID
				}
			}
			if err := tx.AddActivity(&a); err != nil {
				return writeMsg{}, err
			}
			id := a.ID
			return writeMsg{status: s.T("tui.logged", s.kindLabel(a.Kind), on.label),
				undo: &undoStep{label: s.T("tui.undo.log", s.kindLabel(a.Kind)), apply: func(tx *store.Tx) error {
					_, err := tx.DeleteActivity(id)
					return err
				}}}, nil
		})
	}
	return newForm(s, s.T("tui.form.log"), []*formField{who, kind, dir, at, channel, score, body}, validate, save)
}

// parseScore reads a feedback score; empty is none.
func parseScore(s *shared, text string) (*int, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return nil, &model.FieldError{Field: "score", Value: text, Reason: s.T("tui.err.score")}
	}
	return &n, nil
}
