package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/i18n"
)

// KeyMap holds every binding of the program. Each action has a name that
// config.toml's [keys] table uses to rebind it ("new = \"n,ctrl+n\"").
type KeyMap struct {
	Quit, Help, Search, NextView, PrevView key.Binding
	Views                                  [viewCount]key.Binding

	Up, Down, Left, Right             key.Binding
	PageUp, PageDown, Top, Bottom     key.Binding
	Open, Back, Retry                 key.Binding
	New, Edit, Delete, Undo, Log, Add key.Binding

	Done, Snooze, Move, MoveLeft, MoveRight key.Binding
	Sync, Conflicts                         key.Binding
}

// action names a rebindable binding and its defaults.
type action struct {
	name string
	keys []string
	pick func(*KeyMap) *key.Binding
}

// actions lists every rebindable action in the order help shows them.
var actions = []action{
	{"quit", []string{"q", "ctrl+c"}, func(k *KeyMap) *key.Binding { return &k.Quit }},
	{"help", []string{"?"}, func(k *KeyMap) *key.Binding { return &k.Help }},
	{"search", []string{"/"}, func(k *KeyMap) *key.Binding { return &k.Search }},
	{"next_view", []string{"tab"}, func(k *KeyMap) *key.Binding { return &k.NextView }},
	{"prev_view", []string{"shift+tab"}, func(k *KeyMap) *key.Binding { return &k.PrevView }},
	{"view_today", []string{"1"}, func(k *KeyMap) *key.Binding { return &k.Views[viewToday] }},
	{"view_contacts", []string{"2"}, func(k *KeyMap) *key.Binding { return &k.Views[viewContacts] }},
	{"view_companies", []string{"3"}, func(k *KeyMap) *key.Binding { return &k.Views[viewCompanies] }},
	{"view_deals", []string{"4"}, func(k *KeyMap) *key.Binding { return &k.Views[viewDeals] }},
	{"view_tasks", []string{"5"}, func(k *KeyMap) *key.Binding { return &k.Views[viewTasks] }},
	{"view_reports", []string{"6"}, func(k *KeyMap) *key.Binding { return &k.Views[viewReports] }},
	{"up", []string{"up", "k"}, func(k *KeyMap) *key.Binding { return &k.Up }},
	{"down", []string{"down", "j"}, func(k *KeyMap) *key.Binding { return &k.Down }},
	{"left", []string{"left", "h"}, func(k *KeyMap) *key.Binding { return &k.Left }},
	{"right", []string{"right"}, func(k *KeyMap) *key.Binding { return &k.Right }},
	{"page_up", []string{"pgup", "ctrl+b"}, func(k *KeyMap) *key.Binding { return &k.PageUp }},
	{"page_down", []string{"pgdown", "ctrl+f", "space"}, func(k *KeyMap) *key.Binding { return &k.PageDown }},
	{"top", []string{"home", "g"}, func(k *KeyMap) *key.Binding { return &k.Top }},
	{"bottom", []string{"end", "G"}, func(k *KeyMap) *key.Binding { return &k.Bottom }},
	{"open", []string{"enter"}, func(k *KeyMap) *key.Binding { return &k.Open }},
	{"back", []string{"esc"}, func(k *KeyMap) *key.Binding { return &k.Back }},
	{"retry", []string{"r"}, func(k *KeyMap) *key.Binding { return &k.Retry }},
	{"new", []string{"n"}, func(k *KeyMap) *key.Binding { return &k.New }},
	{"edit", []string{"e"}, func(k *KeyMap) *key.Binding { return &k.Edit }},
	{"delete", []string{"d"}, func(k *KeyMap) *key.Binding { return &k.Delete }},
	{"undo", []string{"u"}, func(k *KeyMap) *key.Binding { return &k.Undo }},
	{"log", []string{"l"}, func(k *KeyMap) *key.Binding { return &k.Log }},
	{"follow_up", []string{"t"}, func(k *KeyMap) *key.Binding { return &k.Add }},
	{"done", []string{"x"}, func(k *KeyMap) *key.Binding { return &k.Done }},
	{"snooze", []string{"s"}, func(k *KeyMap) *key.Binding { return &k.Snooze }},
	{"move", []string{"m"}, func(k *KeyMap) *key.Binding { return &k.Move }},
	{"move_left", []string{"shift+left", "<"}, func(k *KeyMap) *key.Binding { return &k.MoveLeft }},
	{"move_right", []string{"shift+right", ">"}, func(k *KeyMap) *key.Binding { return &k.MoveRight }},
	{"sync", []string{"S"}, func(k *KeyMap) *key.Binding { return &k.Sync }},
	{"conflicts", []string{"C"}, func(k *KeyMap) *key.Binding { return &k.Conflicts }},
}

// keyNames are shown in help instead of the names Bubble Tea gives keys.
var keyNames = map[string]string{
	"up": "↑", "down": "↓", "left": "←", "right": "→", "shift+left": "⇧←", "shift+right": "⇧→",
	"pgup": "pgup", "pgdown": "pgdn", "space": "space", "enter": "enter", "esc": "esc",
}

// newKeyMap builds the bindings with their help in lang and applies the
// overrides from config.toml's [keys] table: action name to a
// comma-separated list of keys. It returns the problems found in the
// overrides (an unknown action, an empty key list), one message each.
func newKeyMap(lang i18n.Lang, overrides map[string]string) (*KeyMap, []string) {
	km := &KeyMap{}
	for _, a := range actions {
		*a.pick(km) = binding(lang, a.name, a.keys)
	}
	var problems []string
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		i := slices.IndexFunc(actions, func(a action) bool { return a.name == name })
		if i < 0 {
			problems = append(problems, lang.T("tui.keys.unknown", name))
			continue
		}
		var keys []string
		for k := range strings.SplitSeq(overrides[name], ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			problems = append(problems, lang.T("tui.keys.empty", name))
			continue
		}
		*actions[i].pick(km) = binding(lang, name, keys)
	}
	return km, problems
}

func binding(lang i18n.Lang, name string, keys []string) key.Binding {
	shown := make([]string, len(keys))
	for i, k := range keys {
		shown[i] = k
		if n, ok := keyNames[k]; ok {
			shown[i] = n
		}
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(shown, "/"), lang.T("tui.key."+name)))
}

// helpGroups lists every binding by area, for the help dialog. The six
// view keys show as one line; the sync keys only when a team server is
// set up.
func (k *KeyMap) helpGroups(lang i18n.Lang, sync bool) []helpGroup {
	var viewKeys []string
	for _, b := range k.Views {
		viewKeys = append(viewKeys, b.Help().Key)
	}
	shown := strings.Join(viewKeys, "/")
	if shown == "1/2/3/4/5/6" {
		shown = "1-6"
	}
	views := key.NewBinding(key.WithKeys(k.Views[0].Keys()...), key.WithHelp(shown, lang.T("tui.key.views")))
	groups := []helpGroup{
		{lang.T("tui.help.global"), []key.Binding{k.Help, k.Search, k.NextView, k.PrevView, views, k.Undo, k.Retry, k.Quit}},
		{lang.T("tui.help.move"), []key.Binding{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Back}},
		{lang.T("tui.help.records"), []key.Binding{k.New, k.Edit, k.Delete, k.Log, k.Add}},
		{lang.T("tui.help.deals"), []key.Binding{k.MoveLeft, k.MoveRight, k.Move}},
		{lang.T("tui.help.tasks"), []key.Binding{k.Done, k.Snooze}},
	}
	if sync {
		groups = append(groups, helpGroup{lang.T("tui.help.sync"), []key.Binding{k.Sync, k.Conflicts}})
	}
	return groups
}

// cursorStep says how far the cursor keys move a cursor over n lines
// shown h at a time: a line, a page, to either end. ok is false for any
// other key.
func (k *KeyMap) cursorStep(msg tea.KeyPressMsg, h, n int) (delta int, ok bool) {
	page := max(h-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -n, true
	case key.Matches(msg, k.Bottom):
		return n, true
	}
	return 0, false
}

// helpGroup is a titled set of bindings.
type helpGroup struct {
	title    string
	bindings []key.Binding
}

// firstKey returns the first key of a binding, for messages such as
// "press u to undo".
func firstKey(b key.Binding) string {
	if ks := b.Keys(); len(ks) > 0 {
		return ks[0]
	}
	return fmt.Sprint(b.Help().Key)
}
