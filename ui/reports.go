package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
)

// The reports of the view, in the order ← and → go through them.
const (
	repPipeline = iota
	repForecast
	repWinRate
	repLifecycle
	repRFM
	repPareto
	repCount
)

// reportNames name the reports in i18n keys (tui.reports.tab.NAME).
var reportNames = [repCount]string{"pipeline", "forecast", "winrate", "lifecycle", "rfm", "pareto"}

// reportsView draws the reports of the insight package as bar charts:
// ← and → pick the report, ↑ and ↓ a bar, enter lists the deals or
// customers behind the bar, and enter on a row opens the record. Amounts
// are charted in one currency at a time (the line above the chart picks
// it); they are never added across currencies.
type reportsView struct {
	sh       *shared
	rep      int
	cursor   [repCount]int // the selected bar of each report; -1 is the currency line
	currency string

	deals        *dealReports
	dealsReq     uint64
	dealsStarted bool
	dealsErr     error

	life        *lifecycleReport
	lifeReq     uint64
	lifeStarted bool
	lifeErr     error

	list *reportList // the rows behind a bar, while shown
	w, h int
}

func newReportsView(sh *shared) *reportsView { return &reportsView{sh: sh} }

func (v *reportsView) title() string { return v.sh.T("tui.view.reports") }

// init loads the deal reports, and the lifecycle when it is the report
// shown.
func (v *reportsView) init() tea.Cmd { return tea.Batch(v.loadDeals(), v.loadShown()) }

func (v *reportsView) loadDeals() tea.Cmd {
	v.dealsReq, v.dealsStarted = v.sh.nextReq(), true
	return v.sh.loadDealReports(v.dealsReq)
}

func (v *reportsView) loadLifecycle() tea.Cmd {
	v.lifeReq, v.lifeStarted = v.sh.nextReq(), true
	return v.sh.loadLifecycle(v.lifeReq)
}

// loadShown starts the lifecycle's first load when it is shown.
func (v *reportsView) loadShown() tea.Cmd {
	if v.rep == repLifecycle && !v.lifeStarted {
		return v.loadLifecycle()
	}
	return nil
}

// refresh reloads the reports whose records changed.
func (v *reportsView) refresh(c changeSet) tea.Cmd {
	var cmds []tea.Cmd
	if v.dealsStarted && (c.deals || c.tasks || c.contacts || c.companies) {
		cmds = append(cmds, v.loadDeals())
	}
	if v.lifeStarted && (c.deals || c.activities || c.contacts || c.companies) {
		cmds = append(cmds, v.loadLifecycle())
	}
	return tea.Batch(cmds...)
}

func (v *reportsView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dealReportsMsg:
		if msg.req == v.dealsReq {
			v.dealsErr = msg.err
			if msg.err == nil {
				v.deals = msg.r
				if !slices.Contains(v.deals.currencies, v.currency) {
					v.currency = ""
					if len(v.deals.currencies) > 0 {
						v.currency = v.deals.currencies[0]
					}
				}
				v.reopen()
			}
		}
	case lifecycleMsg:
		if msg.req == v.lifeReq {
			v.lifeErr = msg.err
			if msg.err == nil {
				v.life = msg.r
				v.reopen()
			}
		}
	case tea.KeyPressMsg:
		if v.list != nil {
			return v.listKey(msg)
		}
		return v.chartKey(msg)
	case tea.MouseClickMsg:
		return v.click(msg.Mouse().X, msg.Mouse().Y)
	}
	return nil
}

// chartKey handles a key while a chart is shown.
func (v *reportsView) chartKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	switch {
	case key.Matches(msg, k.Left):
		return v.showReport((v.rep + repCount - 1) % repCount)
	case key.Matches(msg, k.Right):
		return v.showReport((v.rep + 1) % repCount)
	case key.Matches(msg, k.Open):
		if v.cursor[v.rep] < 0 {
			v.nextCurrency()
			return nil
		}
		v.openList(v.rep, v.cursor[v.rep])
		return nil
	}
	if delta, ok := k.cursorStep(msg, v.chartRows(), v.barCount()); ok {
		v.moveCursor(delta)
	}
	return nil
}

// showReport switches to report rep, loading it the first time.
func (v *reportsView) showReport(rep int) tea.Cmd {
	v.rep = rep
	v.moveCursor(0)
	return v.loadShown()
}

// moveCursor moves the selected bar by delta. Above the first bar is the
// currency line, where enter picks the next currency.
func (v *reportsView) moveCursor(delta int) {
	lo := 0
	if v.currencyLine() {
		lo = -1
	}
	c := v.cursor[v.rep]
	if c < 0 && delta > 0 {
		delta-- // from the currency line to the first bar
		c = 0
	}
	v.cursor[v.rep] = clamp(c+delta, lo, max(v.barCount()-1, 0))
}

func (v *reportsView) nextCurrency() {
	cs := v.deals.currencies
	if i := slices.Index(cs, v.currency); len(cs) > 0 {
		v.currency = cs[(i+1)%len(cs)]
	}
}

// currencyLine reports whether the shown report charts money and there
// is more than one currency to choose from.
func (v *reportsView) currencyLine() bool {
	return v.moneyReport() && v.deals != nil && len(v.deals.currencies) > 1
}

func (v *reportsView) moneyReport() bool {
	switch v.rep {
	case repPipeline, repForecast, repRFM, repPareto:
		return true
	}
	return false
}

// barCount is how many bars the shown report has.
func (v *reportsView) barCount() int { return len(v.page(v.rep).bars) }

func (v *reportsView) typing() bool { return false }

func (v *reportsView) setSize(w, h int) {
	v.w, v.h = w, h
	if v.list != nil {
		v.list.step(0, v.listRows())
	}
}

func (v *reportsView) selection() target {
	if v.list == nil || len(v.list.rows) == 0 {
		return target{}
	}
	return v.list.rows[v.list.cursor].target()
}

func (v *reportsView) shortHelp() []key.Binding {
	k, sh := v.sh.keys, v.sh
	if v.list != nil {
		return []key.Binding{k.Open, withDesc(k.Back, sh.T("tui.reports.key.chart")), k.Edit, k.Log}
	}
	open := withDesc(k.Open, sh.T("tui.reports.key.list"))
	if v.cursor[v.rep] < 0 {
		open = withDesc(k.Open, sh.T("tui.reports.key.currency"))
	}
	return []key.Binding{pair(k.Left, k.Right, sh.T("tui.reports.key.report")), pair(k.Up, k.Down, sh.T("tui.reports.key.bar")), open}
}

// withDesc is b with another description in help.
func withDesc(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// pair is one help entry for two bindings ("←/→ report").
func pair(a, b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(shownKey(a)+"/"+shownKey(b), desc))
}

// shownKey is the first key of a binding as help shows it ("↑").
func shownKey(b key.Binding) string {
	k, _, _ := strings.Cut(b.Help().Key, "/")
	return k
}

// The layout of the chart: the report tabs, the heading, the currency
// line and a blank line above the bars; the details of the selected bar
// below them.
const chartTop = 4

// chartRows is how many bars fit.
func (v *reportsView) chartRows() int {
	p := v.page(v.rep)
	return max(v.h-chartTop-len(p.detail)-1, 1)
}

// click picks a report from the tabs or a bar of the chart.
func (v *reportsView) click(x, y int) tea.Cmd {
	if y == 0 {
		for i, r := range v.tabRanges() {
			if x >= r[0] && x < r[1] {
				v.list = nil
				return v.showReport(i)
			}
		}
		return nil
	}
	if v.list != nil {
		if i := v.list.top + y - listTop; y >= listTop && i < len(v.list.rows) {
			v.list.cursor = i
		}
		return nil
	}
	rows := v.chartRows()
	top := scrollTo(max(v.cursor[v.rep], 0), 0, rows, v.barCount())
	if i := top + y - chartTop; y >= chartTop && y < chartTop+rows && i < v.barCount() {
		v.cursor[v.rep] = i
	}
	return nil
}

// tabLabels are the names of the reports in the tab line.
func (v *reportsView) tabLabels() []string {
	out := make([]string, repCount)
	for i, n := range reportNames {
		out[i] = v.sh.T("tui.reports.tab." + n)
	}
	return out
}

// tabRanges are the columns each report's tab takes.
func (v *reportsView) tabRanges() [][2]int {
	var out [][2]int
	x := 0
	for _, l := range v.tabLabels() {
		w := width(l) + 2
		out = append(out, [2]int{x, x + w})
		x += w + 1
	}
	return out
}

func (v *reportsView) render(w, h int) string {
	lines := []string{v.tabLine(w)}
	if v.list != nil {
		return block(append(lines, v.list.render(v.sh, w, h-1)...), w, h)
	}
	if err := v.loadErr(); err != nil {
		lines = append(lines, "", v.sh.styles.StatusError.Render(describeErr(v.sh, err)))
		return block(lines, w, h)
	}
	p := v.page(v.rep)
	if !p.ready {
		return block(append(lines, "", v.sh.styles.Muted.Render(v.sh.T("tui.loading"))), w, h)
	}
	return block(append(lines, v.chart(p, w, h-1)...), w, h)
}

// loadErr is the error of the shown report's last load.
func (v *reportsView) loadErr() error {
	if v.rep == repLifecycle {
		return v.lifeErr
	}
	return v.dealsErr
}

func (v *reportsView) tabLine(w int) string {
	s := v.sh.styles
	var parts []string
	for i, l := range v.tabLabels() {
		if i == v.rep {
			parts = append(parts, s.TabActive.Render(" "+l+" "))
		} else {
			parts = append(parts, s.Tab.Render(" "+l+" "))
		}
	}
	return fit(strings.Join(parts, s.Rule.Render("│")), w)
}

// currencyChooser draws the currency line: every currency, the charted
// one marked.
func (v *reportsView) currencyChooser(w int) string {
	s := v.sh.styles
	if !v.moneyReport() || v.deals == nil || len(v.deals.currencies) == 0 {
		return ""
	}
	sel := v.cursor[v.rep] < 0
	var parts []string
	for _, c := range v.deals.currencies {
		switch {
		case c == v.currency && sel:
			parts = append(parts, s.Selected.Render("["+c+"]"))
		case c == v.currency:
			parts = append(parts, s.Accent.Render("["+c+"]"))
		default:
			parts = append(parts, s.Muted.Render(" "+c+" "))
		}
	}
	mark, hint := "  ", v.sh.T("tui.reports.currency.hint", shownKey(v.sh.keys.Up), shownKey(v.sh.keys.Open))
	if sel {
		mark, hint = "▸ ", ""
	}
	return fit(mark+s.Label.Render(v.sh.T("tui.reports.currency"))+" "+strings.Join(parts, " ")+"  "+s.Muted.Render(hint), w)
}

// reopen rebuilds the list shown from reloaded reports, keeping its
// cursor on the same record when it is still there.
func (v *reportsView) reopen() {
	if v.list == nil {
		return
	}
	old := v.list
	var keep model.ID
	if len(old.rows) > 0 {
		keep = old.rows[old.cursor].id
	}
	v.openList(old.rep, old.bar)
	if v.list == nil {
		return
	}
	if i := slices.IndexFunc(v.list.rows, func(r reportRow) bool { return r.id == keep }); i >= 0 {
		v.list.cursor = i
	} else {
		v.list.cursor = min(old.cursor, max(len(v.list.rows)-1, 0))
	}
	v.list.top = old.top
	v.list.step(0, v.listRows())
}

// openList shows the deals or customers behind bar i of report rep.
func (v *reportsView) openList(rep, i int) {
	p := v.page(rep)
	if i < 0 || i >= len(p.bars) {
		v.list = nil
		return
	}
	rows := v.rowsOf(rep, p.bars[i].key)
	v.list = &reportList{rep: rep, bar: i, title: p.bars[i].label + " · " + p.bars[i].text, rows: rows}
	v.list.step(0, v.listRows())
}

func (v *reportsView) listRows() int { return max(v.h-listTop, 1) }

// listKey handles a key while a list is shown.
func (v *reportsView) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Left):
		v.list = nil
		return nil
	case key.Matches(msg, k.Open):
		if len(v.list.rows) == 0 {
			return nil
		}
		return v.list.rows[v.list.cursor].open(v.sh)
	}
	if delta, ok := k.cursorStep(msg, v.listRows(), len(v.list.rows)); ok {
		v.list.step(delta, v.listRows())
	}
	return nil
}
