package ui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// dialog is an overlay that has the keys while it is open: a form, a
// confirmation, a prompt, the help. The root model keeps them on a stack
// and draws the top one over the current view.
type dialog interface {
	// update handles a message; done reports that the dialog is finished
	// and leaves the stack.
	update(msg tea.Msg) (cmd tea.Cmd, done bool)
	// render draws the whole box within w x h cells.
	render(w, h int) string
	// setSize tells the dialog the size of the screen.
	setSize(w, h int)
}

// openDialogMsg asks the root model to push a dialog; views return it
// from commands so that they never hold the stack.
type openDialogMsg struct{ d dialog }

func openDialog(d dialog) tea.Cmd { return func() tea.Msg { return openDialogMsg{d} } }

// frame draws a dialog box: a title, the body and a line of key hints.
func frame(sh *shared, title, body, hints string, w int) string {
	s := sh.styles
	inner := max(w-4, 1) // border and padding
	parts := []string{s.DialogTitle.Render(clip(oneLine(title), inner)), ""}
	for line := range strings.SplitSeq(body, "\n") {
		parts = append(parts, clip(line, inner))
	}
	if hints != "" {
		parts = append(parts, "", s.Muted.Render(clip(hints, inner)))
	}
	return s.Dialog.Width(w).Render(strings.Join(parts, "\n"))
}

// hints writes key hints: "enter save · esc cancel".
func hints(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, pairs[i]+" "+pairs[i+1])
	}
	return strings.Join(parts, " · ")
}

// dialogWidth is the width of a dialog on a screen w cells wide: want,
// when there is room.
func dialogWidth(w, want int) int { return max(min(want, w-2), min(20, w)) }

// confirmDialog asks a yes/no question; yes runs the action.
type confirmDialog struct {
	sh       *shared
	question string
	yes      func() tea.Cmd
}

func (d *confirmDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch strings.ToLower(k.String()) {
	case "y", "enter":
		return d.yes(), true
	case "n", "esc", "q":
		return nil, true
	}
	return nil, false
}

func (d *confirmDialog) setSize(int, int) {}

func (d *confirmDialog) render(w, _ int) string {
	dw := dialogWidth(w, 60)
	body := lipgloss.NewStyle().Width(dw - 4).Render(oneLine(d.question))
	return frame(d.sh, d.sh.T("tui.confirm.title"), body, hints("y", d.sh.T("tui.confirm.yes"), "n/esc", d.sh.T("tui.confirm.no")), dw)
}

// promptDialog asks for one line of text. check reads it as the user
// types and returns a preview of what it means, or why it is wrong;
// submit runs with the accepted text.
type promptDialog struct {
	sh     *shared
	title  string
	input  textinput.Model
	check  func(string) (string, error)
	submit func(string) tea.Cmd
}

func newPrompt(sh *shared, title, value string, check func(string) (string, error), submit func(string) tea.Cmd) *promptDialog {
	in := textinput.New()
	in.Prompt = "> "
	in.SetStyles(inputStyles(sh.styles))
	in.SetValue(value)
	in.Focus()
	return &promptDialog{sh: sh, title: title, input: in, check: check, submit: submit}
}

func (d *promptDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch k.String() {
	case "esc":
		return nil, true
	case "enter":
		if _, err := d.check(d.input.Value()); err != nil {
			return nil, false
		}
		return d.submit(d.input.Value()), true
	}
	var cmd tea.Cmd
	d.input, cmd = d.input.Update(msg)
	return cmd, false
}

func (d *promptDialog) setSize(w, _ int) { d.input.SetWidth(dialogWidth(w, 64) - 8) }

func (d *promptDialog) render(w, _ int) string {
	dw := dialogWidth(w, 64)
	preview, err := d.check(d.input.Value())
	line := d.sh.styles.Muted.Render("→ " + preview)
	if err != nil {
		line = d.sh.styles.Bad.Render("✗ " + oneLine(err.Error()))
	}
	body := d.input.View() + "\n" + lipgloss.NewStyle().Width(dw-4).Render(line)
	return frame(d.sh, d.title, body, hints("enter", d.sh.T("tui.prompt.ok"), "esc", d.sh.T("tui.prompt.cancel")), dw)
}

// choiceDialog picks one of a few options with the arrows or its number.
type choiceDialog struct {
	sh      *shared
	title   string
	options []string
	cursor  int
	submit  func(int) tea.Cmd
}

func (d *choiceDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	keys := d.sh.keys
	switch {
	case key.Matches(k, keys.Back):
		return nil, true
	case k.String() == "enter":
		return d.submit(d.cursor), true
	case key.Matches(k, keys.Up), key.Matches(k, keys.Left):
		d.cursor = clamp(d.cursor-1, 0, len(d.options)-1)
	case key.Matches(k, keys.Down), key.Matches(k, keys.Right):
		d.cursor = clamp(d.cursor+1, 0, len(d.options)-1)
	default:
		if n, err := strconv.Atoi(k.String()); err == nil && n >= 1 && n <= len(d.options) {
			return d.submit(n - 1), true
		}
	}
	return nil, false
}

func (d *choiceDialog) setSize(int, int) {}

func (d *choiceDialog) render(w, _ int) string {
	s := d.sh.styles
	var lines []string
	for i, o := range d.options {
		line := strconv.Itoa(i+1) + "  " + o
		if i == d.cursor {
			line = s.Selected.Render("▸ " + line)
		} else {
			line = "  " + line
		}
		lines = append(lines, line)
	}
	dw := dialogWidth(w, 40)
	return frame(d.sh, d.title, strings.Join(lines, "\n"),
		hints("1-"+strconv.Itoa(len(d.options)), d.sh.T("tui.choice.pick"), "esc", d.sh.T("tui.prompt.cancel")), dw)
}

// helpDialog lists every binding; any key closes it.
type helpDialog struct {
	sh   *shared
	sync bool // a team server is set up: show the sync keys
}

func (d *helpDialog) update(msg tea.Msg) (tea.Cmd, bool) {
	_, ok := msg.(tea.KeyPressMsg)
	return nil, ok
}

func (d *helpDialog) setSize(int, int) {}

func (d *helpDialog) render(w, h int) string {
	s := d.sh.styles
	var blocks [][]string
	for _, g := range d.sh.keys.helpGroups(d.sh.lang, d.sync) {
		lines := []string{s.Section.Render(g.title)}
		for _, b := range g.bindings {
			if b.Enabled() {
				lines = append(lines, s.HelpKey.Render(fit(b.Help().Key, 14))+" "+b.Help().Desc)
			}
		}
		blocks = append(blocks, lines)
	}
	dw := dialogWidth(w, 84)
	var body []string
	if dw >= 60 { // two columns, each group where the column is shorter
		cw := (dw - 6) / 2
		cols := balance(blocks, true)
		if max(len(cols[0]), len(cols[1])) > h-6 { // without the blank lines between groups
			cols = balance(blocks, false)
		}
		rows := max(len(cols[0]), len(cols[1]))
		body = strings.Split(sideBySide(block(cols[0], cw, rows), "  ", block(cols[1], cw, rows)), "\n")
	} else {
		for _, b := range blocks {
			body = append(body, b...)
		}
	}
	if room := max(h-6, 1); len(body) > room {
		body = body[:room]
	}
	return frame(d.sh, d.sh.T("tui.help.title"), strings.Join(body, "\n"), d.sh.T("tui.help.close"), dw)
}

// balance splits blocks of lines into two columns as evenly as possible,
// keeping their order within each column.
func balance(blocks [][]string, gaps bool) [2][]string {
	var best [2][]string
	bestH := -1
	for mask := range 1 << len(blocks) {
		var cols [2][]string
		for i, b := range blocks {
			c := mask >> i & 1
			if gaps && len(cols[c]) > 0 {
				cols[c] = append(cols[c], "")
			}
			cols[c] = append(cols[c], b...)
		}
		if h := max(len(cols[0]), len(cols[1])); bestH < 0 || h < bestH {
			best, bestH = cols, h
		}
	}
	return best
}
