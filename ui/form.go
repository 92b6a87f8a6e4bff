package ui

import (
	"errors"
	"os"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// fieldKind is how a form field is edited.
type fieldKind int

const (
	fieldInput  fieldKind = iota // one line of text
	fieldText                    // several lines; ctrl+e opens $EDITOR
	fieldSelect                  // one of a few options
	fieldNote                    // read-only, for context
)

// formField is one field of a record form. Its errors are the model's:
// a FieldError whose Field is key shows next to it.
type formField struct {
	key     string
	label   string
	value   string
	kind    fieldKind
	options []huh.Option[string]
	hint    string
	// check reads the text before the record rules run (a date, an
	// amount); nil when the rules alone decide.
	check func(string) error

	setTitle func(string)
	err      func() error
}

// formDialog edits a record with a huh form. Each field is checked as the
// user leaves it by running the model's rules on a draft of the whole
// record (validate), and the error is shown next to the field it names.
// Submitting runs save, a write command; the form stays open until it
// succeeds, and an error the store finds (a duplicate email, an unknown
// contact) comes back next to its field too.
type formDialog struct {
	sh       *shared
	id       uint64
	title    string
	fields   []*formField
	validate func() error
	save     func(id uint64) tea.Cmd

	form     *huh.Form
	problem  string              // an error no field shows
	rejected map[string]rejected // what the store refused, by field key
	saving   bool
	w, h     int
}

// rejected is a value the store refused and why.
type rejected struct {
	value string
	err   error
}

func newForm(sh *shared, title string, fields []*formField, validate func() error, save func(id uint64) tea.Cmd) *formDialog {
	d := &formDialog{sh: sh, id: sh.nextReq(), title: title, fields: fields, validate: validate, save: save,
		rejected: map[string]rejected{}}
	return d
}

// field returns the field with key.
func (d *formDialog) field(key string) *formField {
	for _, f := range d.fields {
		if f.key == key {
			return f
		}
	}
	return nil
}

// fieldErr is the error to show for f: its own reading, what the store
// refused, or a rule of the model that names it.
func (d *formDialog) fieldErr(f *formField, v string) error {
	f.value = v
	if f.check != nil {
		if err := f.check(v); err != nil {
			return err
		}
	}
	if r, ok := d.rejected[f.key]; ok && r.value == v {
		return r.err
	}
	var fe *model.FieldError
	if err := d.validate(); errors.As(err, &fe) && fe.Field == f.key {
		return err
	}
	return nil
}

// build makes the huh form from the fields and their current values.
func (d *formDialog) build() tea.Cmd {
	var fields []huh.Field
	for _, f := range d.fields {
		validate := func(v string) error { return d.fieldErr(f, v) }
		switch f.kind {
		case fieldInput:
			in := huh.NewInput().Title(f.label).Value(&f.value).Placeholder(f.hint).Validate(validate)
			f.setTitle, f.err = func(t string) { in.Title(t) }, in.Error
			fields = append(fields, in)
		case fieldText:
			tx := huh.NewText().Title(f.label).Value(&f.value).Lines(3).Placeholder(f.hint).Validate(validate).
				ExternalEditor(true).EditorExtension("txt")
			if ed := editor(); len(ed) > 0 {
				tx = tx.Editor(ed...)
			}
			f.setTitle, f.err = func(t string) { tx.Title(t) }, tx.Error
			fields = append(fields, tx)
		case fieldSelect:
			sel := huh.NewSelect[string]().Title(f.label).Options(f.options...).Value(&f.value).Inline(true)
			f.setTitle, f.err = func(t string) { sel.Title(t) }, sel.Error
			fields = append(fields, sel)
		case fieldNote:
			n := huh.NewNote().Title(f.label).Description(f.value)
			f.setTitle, f.err = func(t string) { n.Title(t) }, func() error { return nil }
			fields = append(fields, n)
		}
	}
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("esc", "ctrl+c"))
	d.form = huh.NewForm(huh.NewGroup(fields...).WithShowErrors(false)).
		WithShowHelp(false).WithKeyMap(km).WithTheme(formTheme(d.sh.styles)).WithWidth(d.innerWidth())
	d.showErrors()
	return d.form.Init()
}

// editor returns $VISUAL or $EDITOR split into command and arguments;
// empty lets huh pick its default.
func editor() []string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(v)); len(f) > 0 {
			return f
		}
	}
	return nil
}

// formTheme follows the program's theme.
func formTheme(s *Styles) huh.Theme {
	return huh.ThemeFunc(func(bool) *huh.Styles {
		t := huh.ThemeBase(s.Dark)
		t.Focused.Title = s.Section
		t.Focused.ErrorMessage = s.Bad
		t.Focused.ErrorIndicator = s.Bad
		t.Blurred.Title = s.Label
		return t
	})
}

func (d *formDialog) innerWidth() int { return dialogWidth(d.w, 70) - 4 }

func (d *formDialog) setSize(w, h int) {
	d.w, d.h = w, h
	if d.form != nil {
		d.form = d.form.WithWidth(d.innerWidth())
	}
}

// showErrors writes each field's error into its title, next to the field.
func (d *formDialog) showErrors() {
	for _, f := range d.fields {
		title := f.label
		err := f.err()
		if err == nil {
			if r, ok := d.rejected[f.key]; ok && r.value == f.value {
				err = r.err
			}
		}
		if err != nil {
			// One line: huh wraps a title wider than the field.
			title += "  " + d.sh.styles.Bad.Render("✗ "+clip(oneLine(fieldReason(d.sh, err)), max(d.innerWidth()-width(f.label)-10, 10)))
		}
		f.setTitle(title)
	}
}

// fieldReason is the part of an error worth showing beside its field, in
// the interface language.
func fieldReason(s *shared, err error) string {
	var fe *model.FieldError
	if errors.As(err, &fe) {
		if fe.Value != "" {
			return s.T("model.error", fe.Value, fe.ReasonIn(s.lang))
		}
		return fe.ReasonIn(s.lang)
	}
	return model.ErrorIn(err, s.lang)
}

func (d *formDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	if m, ok := msg.(writeMsg); ok {
		if m.form != d.id {
			return nil, false
		}
		d.saving = false
		if m.err == nil {
			return nil, true
		}
		return d.fail(m.err), false
	}
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		// The form gets the room inside the dialog, not the whole screen.
		msg = tea.WindowSizeMsg{Width: d.innerWidth(), Height: max(ws.Height-10, 6)}
	}
	if d.saving {
		if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "esc" {
			return nil, true
		}
		return nil, false
	}
	if _, ok := msg.(tea.KeyPressMsg); ok {
		d.problem = ""
	}
	m, cmd := d.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		d.form = f
	}
	d.showErrors()
	switch d.form.State {
	case huh.StateAborted:
		return nil, true
	case huh.StateCompleted:
		return d.submit(), false
	}
	return cmd, false
}

// submit runs the rules once more over the whole record and saves it.
func (d *formDialog) submit() tea.Cmd {
	if err := d.validate(); err != nil {
		return d.fail(err)
	}
	d.saving = true
	return d.save(d.id)
}

// fail reopens the form with err shown next to its field, or above the
// fields when none is named.
func (d *formDialog) fail(err error) tea.Cmd {
	var fe *model.FieldError
	var amb *store.AmbiguousError
	var nf *store.NotFoundError
	key := ""
	switch {
	case errors.As(err, &fe):
		key = fe.Field
	case errors.As(err, &amb):
		key = amb.Entity.String()
	case errors.As(err, &nf):
		key = nf.Entity.String()
	}
	f := d.field(key)
	if f == nil || f.kind == fieldNote {
		d.problem = describeErr(d.sh, err)
		return d.build()
	}
	d.rejected[key] = rejected{value: f.value, err: err}
	// Rebuilt, the form starts at its first field: move on to the one at
	// fault.
	cmds := []tea.Cmd{d.build()}
	for _, g := range d.fields[:slices.Index(d.fields, f)] {
		if g.kind != fieldNote {
			cmds = append(cmds, huh.NextField)
		}
	}
	return tea.Sequence(cmds...)
}

func (d *formDialog) render(w, _ int) string {
	s := d.sh.styles
	var body []string
	if d.problem != "" {
		body = append(body, s.Bad.Render(lipgloss.NewStyle().Width(d.innerWidth()).Render("✗ "+d.problem)), "")
	}
	body = append(body, d.form.View())
	hint := hints("enter", d.sh.T("tui.form.next"), "shift+tab", d.sh.T("tui.form.back"), "esc", d.sh.T("tui.form.cancel"))
	for _, f := range d.fields {
		if f.kind == fieldText {
			hint += " · ctrl+e " + d.sh.T("tui.form.editor")
			break
		}
	}
	if d.saving {
		hint = d.sh.T("tui.form.saving")
	}
	return frame(d.sh, d.title, strings.Join(body, "\n"), hint, dialogWidth(w, 70))
}

// splitList reads a comma- or semicolon-separated list; sep also splits
// on white space (emails, tags), not phones, which contain spaces.
func splitList(s string, spaces bool) []string {
	f := func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '；' || spaces && (r == ' ' || r == '\t')
	}
	var out []string
	for _, p := range strings.FieldsFunc(s, f) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
