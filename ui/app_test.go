package ui

import (
	"errors"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/rolo-crm/rolo/i18n"
)

func newTestModel(t *testing.T) *Model {
	t.Helper()
	return New(Options{Store: demoStore(t, 500), Config: testConfig(), Lang: i18n.English, Now: testClock})
}

func TestThemeFollowsTheTerminal(t *testing.T) {
	m := newTestModel(t)
	if !m.sh.styles.Dark {
		t.Fatal("the theme starts dark until the terminal says otherwise")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.sh.styles.Dark {
		t.Error("a white background gives the light theme")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.Black})
	if !m.sh.styles.Dark {
		t.Error("a black background gives the dark theme")
	}
	for _, c := range []struct {
		profile colorprofile.Profile
		noColor bool
	}{{colorprofile.Ascii, true}, {colorprofile.NoTTY, true}, {colorprofile.ANSI256, false}, {colorprofile.TrueColor, false}} {
		m.Update(tea.ColorProfileMsg{Profile: c.profile})
		if m.sh.styles.NoColor != c.noColor {
			t.Errorf("profile %v: NoColor %v", c.profile, m.sh.styles.NoColor)
		}
	}
	// Without colour the selected row must still stand out.
	if got := m.sh.styles.Selected.Render("x"); got == "x" {
		t.Error("with NO_COLOR the selected row has no attribute")
	}
}

func TestPanicInACommandQuits(t *testing.T) {
	cmd := guard(func() tea.Msg { panic("boom") })
	msg, ok := cmd().(panicMsg)
	if !ok || msg.value != "boom" || !strings.Contains(string(msg.stack), "TestPanicInACommandQuits") {
		t.Fatalf("guard returned %#v", msg)
	}
	m := newTestModel(t)
	_, quit := m.Update(msg)
	if quit == nil || !m.crashed {
		t.Fatal("a panic does not stop the program")
	}
	if _, ok := quit().(tea.QuitMsg); !ok {
		t.Error("a panic does not quit")
	}
}

func TestReadErrorsGoToTheStatusLine(t *testing.T) {
	m := newTestModel(t)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	m.Update(dataErrMsg{err: errors.New("disk on fire")})
	if !m.statusErr || !strings.Contains(m.View().Content, "disk on fire") {
		t.Errorf("status %q", m.status)
	}
}
