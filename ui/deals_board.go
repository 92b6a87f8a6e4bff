package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// dealsView is the pipeline board: one column per stage with its card
// count and summed and probability-weighted amounts per currency; cards
// move between stages with shift+arrows or m.
type dealsView struct {
	sh      *shared
	req     uint64
	loaded  bool
	cols    [][]model.Deal // one per pipeline stage
	totals  []columnTotal
	col     int
	rows    []int // the cursor row of each column
	offsets []int // the first card shown in each column
	first   int   // the first column shown when not all fit
	w, h    int
}

// columnTotal sums a column per currency.
type columnTotal struct {
	count    int
	sum      money
	weighted money
}

type boardMsg struct {
	req   uint64
	deals []model.Deal
	err   error
}

// Board geometry: cards take two rows; columns are at least this wide.
const (
	cardRows    = 2
	minColWidth = 18
	maxCurrency = 3 // currency lines in a column header
	infoRows    = 2
)

func newDealsView(sh *shared) *dealsView {
	n := len(sh.pipeline.Stages)
	return &dealsView{sh: sh, cols: make([][]model.Deal, n), rows: make([]int, n), offsets: make([]int, n), totals: make([]columnTotal, n)}
}

func (v *dealsView) title() string { return v.sh.T("tui.view.deals") }

func (v *dealsView) init() tea.Cmd { return v.load() }

func (v *dealsView) load() tea.Cmd {
	req := v.sh.nextReq()
	v.req = req
	return v.sh.read(func(tx *store.Tx) tea.Msg {
		deals, err := tx.Deals(store.DealQuery{})
		return boardMsg{req: req, deals: deals, err: err}
	})
}

// refresh reloads the board when deals changed; the names of contacts
// and companies on it come from the shared cache, emptied on any change.
func (v *dealsView) refresh(c changeSet) tea.Cmd {
	if c.deals {
		return v.load()
	}
	return v.fetchNames()
}

func (v *dealsView) typing() bool { return false }

func (v *dealsView) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case boardMsg:
		if msg.req != v.req || msg.err != nil {
			return nil
		}
		keep := v.selected().ID
		v.fill(msg.deals)
		v.loaded = true
		if !keep.IsZero() {
			v.selectID(keep)
		}
		return v.fetchNames()
	case writeMsg:
		if msg.err == nil && msg.deal != nil {
			v.apply(*msg.deal)
			return v.fetchNames()
		}
	case tea.KeyPressMsg:
		return v.key(msg)
	case tea.MouseClickMsg:
		v.click(msg.Mouse().X, msg.Mouse().Y)
		return v.fetchNames()
	case tea.MouseWheelMsg:
		c := v.columnAt(msg.Mouse().X)
		if c >= 0 {
			delta := 1
			if msg.Button == tea.MouseWheelUp {
				delta = -1
			}
			v.col = c
			v.moveRow(delta)
		}
		return v.fetchNames()
	}
	return nil
}

// fill sorts deals into the stage columns: open stages by expected close
// date, closed ones most recently closed first.
func (v *dealsView) fill(deals []model.Deal) {
	p := v.sh.pipeline
	for i := range v.cols {
		v.cols[i] = v.cols[i][:0]
	}
	for _, d := range deals {
		if i := p.Index(d.Stage); i >= 0 {
			v.cols[i] = append(v.cols[i], d)
		}
	}
	for i, st := range p.Stages {
		if st.Closed() {
			slices.SortStableFunc(v.cols[i], func(a, b model.Deal) int { return b.ClosedAt.Compare(a.ClosedAt) })
		}
		v.total(i)
		v.rows[i] = clamp(v.rows[i], 0, max(len(v.cols[i])-1, 0))
	}
}

func (v *dealsView) total(i int) {
	t := columnTotal{count: len(v.cols[i]), sum: money{}, weighted: money{}}
	for _, d := range v.cols[i] {
		t.sum.add(d.Value)
		t.weighted.add(d.Weighted(v.sh.pipeline))
	}
	v.totals[i] = t
}

// apply shows a deal's new state at once, before the reload confirms it.
func (v *dealsView) apply(d model.Deal) {
	for i := range v.cols {
		if j := slices.IndexFunc(v.cols[i], func(x model.Deal) bool { return x.ID == d.ID }); j >= 0 {
			v.cols[i] = slices.Delete(v.cols[i], j, j+1)
			v.total(i)
		}
	}
	i := v.sh.pipeline.Index(d.Stage)
	if i < 0 {
		return
	}
	st := v.sh.pipeline.Stages[i]
	at, _ := slices.BinarySearchFunc(v.cols[i], d, func(a, b model.Deal) int {
		if st.Closed() {
			return b.ClosedAt.Compare(a.ClosedAt)
		}
		return cmp.Or(closeCmp(a.CloseDate, b.CloseDate), a.ID.Compare(b.ID))
	})
	v.cols[i] = slices.Insert(v.cols[i], at, d)
	v.total(i)
	v.selectID(d.ID)
}

// closeCmp orders deals with an expected close date first, earliest first.
func closeCmp(a, b model.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

func (v *dealsView) selectID(id model.ID) bool {
	for i, col := range v.cols {
		if j := slices.IndexFunc(col, func(d model.Deal) bool { return d.ID == id }); j >= 0 {
			v.col, v.rows[i] = i, j
			v.keepVisible()
			return true
		}
	}
	return false
}

func (v *dealsView) jump(t target) tea.Cmd {
	id := t.deal
	if t.kind == model.EntityDeal {
		id = t.id
	}
	if !id.IsZero() && v.selectID(id) {
		return v.fetchNames()
	}
	return nil
}

func (v *dealsView) selected() model.Deal {
	if v.col >= len(v.cols) || len(v.cols[v.col]) == 0 {
		return model.Deal{}
	}
	return v.cols[v.col][clamp(v.rows[v.col], 0, len(v.cols[v.col])-1)]
}

func (v *dealsView) selection() target {
	d := v.selected()
	if d.ID.IsZero() {
		return target{}
	}
	return target{kind: model.EntityDeal, id: d.ID, label: d.Title, deal: d.ID, contact: d.ContactID, company: d.CompanyID}
}

// stage is the stage of the selected column, where a new deal starts.
func (v *dealsView) stage() string {
	if st := v.sh.pipeline.Stages[v.col]; !st.Closed() {
		return st.Key
	}
	return ""
}

func (v *dealsView) key(msg tea.KeyPressMsg) tea.Cmd {
	k := v.sh.keys
	switch {
	case key.Matches(msg, k.MoveLeft):
		return v.moveBy(-1)
	case key.Matches(msg, k.MoveRight):
		return v.moveBy(1)
	case key.Matches(msg, k.Move):
		return v.pickStage()
	case key.Matches(msg, k.Left):
		v.col = clamp(v.col-1, 0, len(v.cols)-1)
	case key.Matches(msg, k.Right):
		v.col = clamp(v.col+1, 0, len(v.cols)-1)
	case key.Matches(msg, k.Up):
		v.moveRow(-1)
	case key.Matches(msg, k.Down):
		v.moveRow(1)
	case key.Matches(msg, k.PageUp):
		v.moveRow(-v.cardsShown())
	case key.Matches(msg, k.PageDown):
		v.moveRow(v.cardsShown())
	case key.Matches(msg, k.Top):
		v.moveRow(-len(v.cols[v.col]))
	case key.Matches(msg, k.Bottom):
		v.moveRow(len(v.cols[v.col]))
	case key.Matches(msg, k.Open):
		if d := v.selected(); !d.ID.IsZero() {
			return openDialog(newDealDialog(v.sh, d.ID))
		}
	default:
		return nil
	}
	v.keepVisible()
	return v.fetchNames()
}

func (v *dealsView) moveRow(delta int) {
	v.rows[v.col] = clamp(v.rows[v.col]+delta, 0, max(len(v.cols[v.col])-1, 0))
	v.keepVisible()
}

// moveBy moves the selected card delta stages along the pipeline.
func (v *dealsView) moveBy(delta int) tea.Cmd {
	d := v.selected()
	to := v.sh.pipeline.Index(d.Stage) + delta
	if d.ID.IsZero() || to < 0 || to >= len(v.sh.pipeline.Stages) {
		return nil
	}
	return v.moveTo(d, v.sh.pipeline.Stages[to])
}

// pickStage asks for the stage to move the selected card to.
func (v *dealsView) pickStage() tea.Cmd {
	d := v.selected()
	if d.ID.IsZero() {
		return nil
	}
	var labels []string
	for _, st := range v.sh.pipeline.Stages {
		labels = append(labels, v.sh.stageLabel(st.Key))
	}
	cur := max(v.sh.pipeline.Index(d.Stage), 0)
	return openDialog(&choiceDialog{sh: v.sh, title: v.sh.T("tui.deal.moveto", d.Title), options: labels, cursor: cur,
		submit: func(i int) tea.Cmd { return v.moveTo(d, v.sh.pipeline.Stages[i]) }})
}

// moveTo moves a deal; a won or lost stage first asks for the reason.
func (v *dealsView) moveTo(d model.Deal, st model.Stage) tea.Cmd {
	if st.Key == d.Stage {
		return nil
	}
	if !st.Closed() {
		return v.sh.moveCmd(d.ID, st.Key, "")
	}
	title := v.sh.T("tui.deal.reason.won", d.Title)
	if st.Lost {
		title = v.sh.T("tui.deal.reason.lost", d.Title)
	}
	return openDialog(newPrompt(v.sh, title, "",
		func(string) (string, error) { return v.sh.T("tui.deal.reason.preview", v.sh.stageLabel(st.Key)), nil },
		func(reason string) tea.Cmd { return v.sh.moveCmd(d.ID, st.Key, reason) }))
}

func (v *dealsView) setSize(w, h int) {
	v.w, v.h = w, h
	v.keepVisible()
}

// geometry returns how many columns fit and their width.
func (v *dealsView) geometry() (shown, colW int) {
	n := len(v.cols)
	shown = clamp((v.w+1)/(minColWidth+1), 1, n)
	colW = (v.w - (shown - 1)) / shown
	return shown, colW
}

func (v *dealsView) headerRows() int { return 2 + v.currencyRows() }

func (v *dealsView) currencyRows() int {
	n := 1
	for _, t := range v.totals {
		n = max(n, min(len(t.sum), maxCurrency))
	}
	return n
}

func (v *dealsView) cardsShown() int {
	return max((v.h-v.headerRows()-infoRows)/cardRows, 1)
}

func (v *dealsView) keepVisible() {
	shown, _ := v.geometry()
	if v.col < v.first {
		v.first = v.col
	}
	if v.col >= v.first+shown {
		v.first = v.col - shown + 1
	}
	v.first = clamp(v.first, 0, max(len(v.cols)-shown, 0))
	for i := range v.cols {
		v.offsets[i] = scrollTo(v.rows[i], v.offsets[i], v.cardsShown(), len(v.cols[i]))
	}
}

// columnAt returns the column under x, or -1.
func (v *dealsView) columnAt(x int) int {
	shown, colW := v.geometry()
	c := x / (colW + 1)
	if c >= shown {
		return -1
	}
	return clamp(v.first+c, 0, len(v.cols)-1)
}

func (v *dealsView) click(x, y int) {
	c := v.columnAt(x)
	if c < 0 {
		return
	}
	v.col = c
	if r := (y - v.headerRows()) / cardRows; y >= v.headerRows() && r < v.cardsShown() {
		v.rows[c] = clamp(v.offsets[c]+r, 0, max(len(v.cols[c])-1, 0))
	}
	v.keepVisible()
}

// fetchNames looks up the contact and company of the selected card.
func (v *dealsView) fetchNames() tea.Cmd {
	d := v.selected()
	var r nameRefs
	r.contact(v.sh.names, d.ContactID)
	r.company(v.sh.names, d.CompanyID)
	return v.sh.fetchNames(r)
}

func (v *dealsView) render(w, h int) string {
	s := v.sh.styles
	if !v.loaded {
		return block([]string{s.Muted.Render(v.sh.T("tui.loading"))}, w, h)
	}
	shown, colW := v.geometry()
	var cols []string
	boardH := h - infoRows
	for i := v.first; i < v.first+shown && i < len(v.cols); i++ {
		cols = append(cols, v.renderColumn(i, colW, boardH))
	}
	board := cols[0]
	for _, c := range cols[1:] {
		board = sideBySide(board, s.Rule.Render("│"), c)
	}
	return board + "\n" + v.renderInfo(w)
}

func (v *dealsView) renderColumn(i, w, h int) string {
	s := v.sh.styles
	st := v.sh.pipeline.Stages[i]
	t := v.totals[i]
	count := "(" + thousands(t.count) + ")"
	more := ""
	shown, _ := v.geometry()
	switch {
	case i == v.first+shown-1 && i < len(v.cols)-1:
		more = " ▶" // more columns to the right
	case i == v.first && i > 0:
		more = " ◀"
	}
	label := clip(v.sh.stageLabel(st.Key), w-width(count)-width(more)-1)
	if i == v.col {
		label = s.TabActive.Render(label)
	}
	head := label + " " + s.Muted.Render(count)
	lines := []string{fit(head, w-width(more)) + s.Accent.Render(more)}
	sums, weighted := t.sum.list(), t.weighted
	for j := range v.currencyRows() {
		switch {
		case j >= len(sums):
			lines = append(lines, "")
		case j == maxCurrency-1 && len(sums) > maxCurrency:
			lines = append(lines, s.Muted.Render(v.sh.T("tui.deal.morecurrencies", len(sums)-j)))
		default:
			m := sums[j]
			wm := model.Money{Minor: weighted[m.Currency], Currency: m.Currency}
			line := s.Amount.Render(m.Short())
			if !st.Closed() {
				line += s.Muted.Render(" ~" + wm.Short())
			}
			lines = append(lines, line)
		}
	}
	lines = append(lines, s.Rule.Render(strings.Repeat("─", w)))
	col := v.cols[i]
	end := min(v.offsets[i]+v.cardsShown(), len(col))
	for j := v.offsets[i]; j < end; j++ {
		lines = append(lines, v.renderCard(col[j], w, i == v.col && j == v.rows[i])...)
	}
	if len(col) == 0 {
		lines = append(lines, s.Muted.Render(v.sh.T("tui.deal.empty")))
	}
	return block(lines, w, h)
}

func (v *dealsView) renderCard(d model.Deal, w int, sel bool) []string {
	s := v.sh.styles
	title := oneLine(d.Title)
	var day string
	switch {
	case d.Status != model.StatusOpen && !d.ClosedAt.IsZero():
		day = v.sh.fmtDay(model.DateOf(d.ClosedAt.In(v.sh.now().Location())))
	case !d.CloseDate.IsZero():
		day = v.sh.fmtDay(d.CloseDate)
	}
	meta := d.Value.Short()
	if day != "" && width(meta)+width(day)+4 <= w {
		meta += " · " + day
	}
	if sel {
		return []string{s.Selected.Render(fit("▸"+title, w)), s.Selected.Render(fit(" "+meta, w))}
	}
	metaStyle := s.Muted
	if d.Status == model.StatusOpen && !d.CloseDate.IsZero() && d.CloseDate.Before(v.sh.today()) {
		metaStyle = s.Overdue
	}
	return []string{fit(" "+title, w), metaStyle.Render(fit(" "+meta, w))}
}

// renderInfo describes the selected card under the board.
func (v *dealsView) renderInfo(w int) string {
	s := v.sh.styles
	d := v.selected()
	if d.ID.IsZero() {
		return block(nil, w, infoRows)
	}
	p := v.sh.pipeline
	who := joinNonEmpty(" · ", v.sh.names.contacts[d.ContactID], v.sh.names.companies[d.CompanyID])
	line1 := s.Title.Render(oneLine(d.Title))
	if who != "" {
		line1 += s.Muted.Render("  " + who)
	}
	parts := []string{
		s.Amount.Render(d.Value.Format()),
		v.sh.T("tui.deal.prob", d.ProbabilityIn(p)),
		s.Muted.Render(v.sh.T("tui.deal.weighted", d.Weighted(p).Format())),
	}
	if !d.CloseDate.IsZero() {
		parts = append(parts, v.sh.T("tui.deal.close", d.CloseDate.String()))
	}
	days := model.DateOf(d.EnteredStage().In(v.sh.now().Location())).DaysUntil(v.sh.today())
	parts = append(parts, v.sh.T("tui.deal.instage", strconv.Itoa(days)))
	if d.LostReason != "" {
		parts = append(parts, s.Bad.Render(oneLine(d.LostReason)))
	}
	return block([]string{line1, strings.Join(parts, s.Muted.Render(" · "))}, w, infoRows)
}

func (v *dealsView) shortHelp() []key.Binding {
	k := v.sh.keys
	columns := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp(k.Left.Help().Key+" "+k.Right.Help().Key, v.sh.T("tui.key.columns")))
	move := key.NewBinding(key.WithKeys(k.MoveRight.Keys()...), key.WithHelp(firstHelp(k.MoveLeft)+" "+firstHelp(k.MoveRight), v.sh.T("tui.key.movecard")))
	return []key.Binding{columns, move, k.Move, k.Open, k.New, k.Edit, k.Add}
}

// firstHelp is how help shows a binding's first key.
func firstHelp(b key.Binding) string {
	k := firstKey(b)
	if n, ok := keyNames[k]; ok {
		return n
	}
	return k
}
