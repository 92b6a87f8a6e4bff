package ui

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/i18n"
)

func TestKeyMapOverrides(t *testing.T) {
	for _, c := range []struct {
		name      string
		overrides map[string]string
		press     string
		want      func(*KeyMap) key.Binding
		problems  []string
	}{
		{"default", nil, "n", func(k *KeyMap) key.Binding { return k.New }, nil},
		{"rebound", map[string]string{"new": "a, ctrl+n"}, "a", func(k *KeyMap) key.Binding { return k.New }, nil},
		{"second key", map[string]string{"new": "a, ctrl+n"}, "ctrl+n", func(k *KeyMap) key.Binding { return k.New }, nil},
		{"unknown action", map[string]string{"fly": "f"}, "n", func(k *KeyMap) key.Binding { return k.New }, []string{`unknown action "fly"`}},
		{"empty keys", map[string]string{"quit": " , "}, "q", func(k *KeyMap) key.Binding { return k.Quit }, []string{"quit has no keys"}},
		{"view key", map[string]string{"view_deals": "D"}, "D", func(k *KeyMap) key.Binding { return k.Views[viewDeals] }, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			km, problems := newKeyMap(i18n.English, c.overrides)
			if len(problems) != len(c.problems) {
				t.Fatalf("problems %v, want %v", problems, c.problems)
			}
			for i, p := range c.problems {
				if !strings.Contains(problems[i], p) {
					t.Errorf("problem %q lacks %q", problems[i], p)
				}
			}
			if !key.Matches(keyMsg(c.press), c.want(km)) && !matchesCtrl(c.press, c.want(km)) {
				t.Errorf("%q does not trigger the binding %v", c.press, c.want(km).Keys())
			}
		})
	}
}

func matchesCtrl(k string, b key.Binding) bool {
	if !strings.HasPrefix(k, "ctrl+") {
		return false
	}
	return key.Matches(tea.KeyPressMsg{Code: rune(k[len(k)-1]), Mod: tea.ModCtrl}, b)
}

func TestEveryActionHasHelp(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.Chinese} {
		km, _ := newKeyMap(lang, nil)
		for _, a := range actions {
			b := *a.pick(km)
			if b.Help().Desc == "" || strings.HasPrefix(b.Help().Desc, "tui.") {
				t.Errorf("%s: %s has no help text", lang, a.name)
			}
		}
		var names []string
		for _, g := range km.helpGroups(lang, true) {
			for _, b := range g.bindings {
				names = append(names, b.Help().Desc)
			}
		}
		if slices.Contains(names, "") {
			t.Errorf("%s: a binding in help has no text", lang)
		}
	}
}
