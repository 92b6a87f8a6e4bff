package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles is the one place the look is decided. Components ask for a style
// by what it means (a selected row, an overdue date, an error), never by
// colour, so the light and dark themes and NO_COLOR are one switch here.
type Styles struct {
	// Frame.
	Brand     lipgloss.Style
	Tab       lipgloss.Style
	TabActive lipgloss.Style
	Rule      lipgloss.Style // separators between panes and sections

	// Text.
	Title   lipgloss.Style // a record's name in a detail pane
	Section lipgloss.Style // a section heading
	Label   lipgloss.Style // a field label
	Muted   lipgloss.Style // secondary text
	Accent  lipgloss.Style
	Tag     lipgloss.Style
	Amount  lipgloss.Style
	Overdue lipgloss.Style
	Due     lipgloss.Style // due today
	Good    lipgloss.Style
	Bad     lipgloss.Style

	// Lists.
	Selected     lipgloss.Style // the row under the cursor of the focused list
	SelectedBlur lipgloss.Style // the row under the cursor of a list without focus
	Placeholder  lipgloss.Style // a row whose record is still loading

	// Status line and footer.
	StatusInfo  lipgloss.Style
	StatusError lipgloss.Style
	HelpKey     lipgloss.Style
	HelpDesc    lipgloss.Style

	// Dialogs.
	Dialog      lipgloss.Style
	DialogTitle lipgloss.Style

	// Dark and NoColor say which theme this is, for components (huh forms)
	// that take their own.
	Dark    bool
	NoColor bool
}

// newStyles returns the theme for a dark or light terminal background.
// With noColor (NO_COLOR, or a terminal without colours) meaning rests on
// bold, underline and reverse video alone.
func newStyles(dark, noColor bool) *Styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkHex string) color.Color {
		if noColor {
			return lipgloss.NoColor{}
		}
		return ld(lipgloss.Color(light), lipgloss.Color(darkHex))
	}
	accent := c("#5A4FCF", "#9D8CFF")
	muted := c("#6E6E6E", "#8C8C8C")
	rule := c("#C8C8C8", "#444444")
	red := c("#C62828", "#FF6E6E")
	amber := c("#A15C00", "#FFB454")
	green := c("#2E7D32", "#7BD88F")
	blue := c("#1F5FA8", "#7CB7FF")
	selBg := c("#E4E0FF", "#3A3570")
	blurBg := c("#EDEDED", "#2C2C2C")
	base := lipgloss.NewStyle()

	s := &Styles{
		Brand:     base.Bold(true).Foreground(accent),
		Tab:       base.Foreground(muted),
		TabActive: base.Bold(true).Foreground(accent).Underline(true),
		Rule:      base.Foreground(rule),

		Title:   base.Bold(true),
		Section: base.Bold(true).Foreground(accent),
		Label:   base.Foreground(muted),
		Muted:   base.Foreground(muted),
		Accent:  base.Foreground(accent),
		Tag:     base.Foreground(blue),
		Amount:  base.Foreground(green),
		Overdue: base.Foreground(red).Bold(true),
		Due:     base.Foreground(amber),
		Good:    base.Foreground(green),
		Bad:     base.Foreground(red),

		Selected:     base.Bold(true).Background(selBg),
		SelectedBlur: base.Background(blurBg),
		Placeholder:  base.Foreground(muted).Faint(true),

		StatusInfo:  base.Foreground(green),
		StatusError: base.Foreground(red).Bold(true),
		HelpKey:     base.Bold(true).Foreground(accent),
		HelpDesc:    base.Foreground(muted),

		Dialog:      base.Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		DialogTitle: base.Bold(true).Foreground(accent),

		Dark:    dark,
		NoColor: noColor,
	}
	if noColor {
		s.Selected = base.Reverse(true).Bold(true)
		s.SelectedBlur = base.Underline(true)
		s.TabActive = base.Bold(true).Reverse(true)
		s.Section = base.Bold(true).Underline(true)
		s.Overdue = base.Bold(true)
	}
	return s
}
