package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
)

// listDetail is a searchable list beside the selected record's details:
// the shape of the Contacts and Companies views. Enter or → moves the
// focus to the details (the arrows then scroll them), esc or ← back.
type listDetail[T, D any] struct {
	sh     *shared
	list   *indexList[T]
	detail detailPane[D]
	listW  int
}

func (v *listDetail[T, D]) typing() bool { return v.list.typing }

func (v *listDetail[T, D]) restyle() { v.list.restyle() }

func (v *listDetail[T, D]) startSearch() tea.Cmd {
	v.focusList(true)
	return v.list.startSearch()
}

// reload reads the index again when reindex (its records changed), and
// the shown details in any case.
func (v *listDetail[T, D]) reload(reindex bool) tea.Cmd {
	var cmds []tea.Cmd
	if reindex {
		v.list.invalidate()
		cmds = append(cmds, v.list.load())
	}
	return tea.Batch(append(cmds, v.detail.reload())...)
}

// selectRecord selects the record with id and shows its details.
func (v *listDetail[T, D]) selectRecord(id model.ID) tea.Cmd {
	if id.IsZero() {
		return nil
	}
	ok, cmd := v.list.selectID(id)
	if !ok {
		return nil
	}
	return tea.Batch(cmd, v.detail.show(id))
}

func (v *listDetail[T, D]) update(msg tea.Msg) tea.Cmd {
	before := v.list.selectedID()
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		cmd = v.key(msg)
	case tea.MouseClickMsg:
		inList := msg.Mouse().X < v.listW
		v.focusList(inList)
		if inList {
			cmd = v.list.click(msg.Mouse().Y)
		}
	case tea.MouseWheelMsg:
		delta := 3
		if msg.Button == tea.MouseWheelUp {
			delta = -3
		}
		if msg.Mouse().X >= v.listW {
			v.detail.scroll(delta)
		} else {
			cmd = v.list.scroll(delta)
		}
	default:
		cmd = tea.Batch(v.list.update(msg), v.detail.update(msg))
	}
	if after := v.list.selectedID(); after != before || v.detail.id != after {
		cmd = tea.Batch(cmd, v.detail.show(after))
	}
	return cmd
}

func (v *listDetail[T, D]) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	if v.detail.focused {
		if key.Matches(msg, k.Back) || key.Matches(msg, k.Left) {
			v.focusList(true)
			return nil
		}
		return v.detail.key(msg)
	}
	if !v.list.typing && (key.Matches(msg, k.Open) || key.Matches(msg, k.Right)) && !v.list.selectedID().IsZero() {
		v.focusList(false)
		return nil
	}
	return v.list.update(msg)
}

func (v *listDetail[T, D]) focusList(list bool) {
	v.list.focused, v.detail.focused = list, !list
}

func (v *listDetail[T, D]) setSize(w, h int) {
	v.listW = splitWidth(w)
	v.list.setSize(v.listW, h)
	v.detail.setSize(w-v.listW-1, h)
}

// splitWidth is the width of the list beside a detail pane.
func splitWidth(w int) int {
	return clamp(w*2/5, 30, 64)
}

func (v *listDetail[T, D]) render(w, h int) string {
	return sideBySide(v.list.render(v.listW, h), v.sh.styles.Rule.Render("│"), v.detail.render(w-v.listW-1, h))
}
