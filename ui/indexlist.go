package ui

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// indexList is a searchable list over a nameIndex that stays instant at
// 100,000 records: the search runs over the in-memory index, only the rows
// on screen are rendered, and their records are fetched by commands into
// a small cache (a row not yet fetched shows its folded name meanwhile).
type indexList[T any] struct {
	sh *shared
	// source reads the search index in name order; fetch reads the
	// records of rows.
	source func(tx *store.Tx) *nameIndex
	fetch  func(tx *store.Tx, ids []model.ID) map[model.ID]T
	// row renders one record on one line of width w.
	row func(rec T, w int) string

	ix     *nameIndex
	res    *matches
	resReq uint64     // the search that gave res
	recent []*matches // the last results over ix, newest last, for backspace and narrowing
	ixReq  uint64
	latest *atomic.Uint64 // the newest search request; older ones stop early

	input  textinput.Model
	typing bool

	cursor, offset, height int
	focused                bool

	cache    map[model.ID]T
	inflight map[model.ID]bool
	gen      uint64 // bumped when the cache is emptied: older replies are dropped

	// want is selected by the next load (a record just created).
	want model.ID
}

// Messages of an indexList, one type per record type so that each list
// only sees its own.
type (
	ixLoadedMsg[T any] struct {
		req     uint64
		ix      *nameIndex
		res     *matches
		cursor  int
		rows    map[model.ID]T
		gen     uint64
		cleared bool // the query was dropped to show the wanted record
	}
	searchMsg[T any] struct {
		req  uint64
		ix   *nameIndex // the index searched: a reply about a replaced one is dropped
		res  *matches
		rows map[model.ID]T
		gen  uint64
	}
	rowsMsg[T any] struct {
		rows map[model.ID]T
		gen  uint64
	}
)

// maxCached bounds the record cache; past it only the rows near the
// window are kept.
const maxCached = 4000

func newIndexList[T any](sh *shared, source func(*store.Tx) *nameIndex,
	fetch func(*store.Tx, []model.ID) map[model.ID]T, row func(T, int) string) *indexList[T] {
	in := textinput.New()
	in.Prompt = "/ "
	l := &indexList[T]{
		sh: sh, source: source, fetch: fetch, row: row,
		input: in, latest: new(atomic.Uint64), focused: true,
		cache: map[model.ID]T{}, inflight: map[model.ID]bool{},
	}
	l.restyle()
	return l
}

// restyle follows the theme (the terminal's background was reported).
func (l *indexList[T]) restyle() { l.input.SetStyles(inputStyles(l.sh.styles)) }

// inputStyles styles a text box after the theme; the cursor does not
// blink, so frames change only when something does.
func inputStyles(s *Styles) textinput.Styles {
	st := textinput.DefaultStyles(s.Dark)
	st.Focused.Prompt = s.Accent
	st.Blurred.Prompt = s.Muted
	st.Cursor.Blink = false
	return st
}

// load reads the index (again), keeping the current query and selection.
func (l *indexList[T]) load() tea.Cmd {
	req := l.sh.nextReq()
	l.ixReq = req
	l.gen++
	gen, query, keep, window := l.gen, l.input.Value(), l.selectedID(), max(l.height, 10)
	force := !l.want.IsZero()
	if force {
		keep, l.want = l.want, model.ID{}
	}
	source, fetch := l.source, l.fetch
	return l.sh.read(func(tx *store.Tx) tea.Msg {
		ix := source(tx)
		res := ix.search(query, nil, 0, nil)
		cursor, cleared := 0, false
		if !keep.IsZero() {
			cursor = ix.find(res, keep)
			if cursor < 0 && force && query != "" {
				res, cleared = ix.search("", nil, 0, nil), true
				cursor = ix.find(res, keep)
			}
			cursor = max(cursor, 0)
		}
		lo, hi := clamp(cursor-window, 0, len(res.pos)), clamp(cursor+window, 0, len(res.pos))
		return ixLoadedMsg[T]{req: req, ix: ix, res: res, cursor: cursor, gen: gen, cleared: cleared,
			rows: fetch(tx, idsAt(ix, res.pos[lo:hi]))}
	})
}

func idsAt(ix *nameIndex, pos []int32) []model.ID {
	ids := make([]model.ID, len(pos))
	for i, p := range pos {
		ids[i] = ix.entries[p].ID
	}
	return ids
}

// maxRecent is how many search results a list keeps for reuse.
const maxRecent = 16

// search runs the query in a command; the reply of a search that a newer
// one replaced is dropped. A query searched a moment ago (the user erased
// what followed it) is answered from the kept result at once; otherwise
// the search narrows the smallest kept result that holds every match.
func (l *indexList[T]) search() tea.Cmd {
	if l.ix == nil {
		return nil
	}
	req := l.sh.nextReq()
	l.latest.Store(req)
	query := l.input.Value()
	var prev *matches
	for _, r := range l.recent {
		switch {
		case r.query == query:
			l.res, l.resReq, l.cursor, l.offset = r, req, 0, 0
			return l.fillWindow()
		case narrows(r.terms, model.QueryTerms(query)) && (prev == nil || len(r.pos) < len(prev.pos)):
			prev = r
		}
	}
	ix, latest, gen, n := l.ix, l.latest, l.gen, max(l.height, 10)
	fetch := l.fetch
	return l.sh.read(func(tx *store.Tx) tea.Msg {
		res := ix.begin(query, prev, 2*n, req, latest)
		if res == nil {
			return nil
		}
		return searchMsg[T]{req: req, ix: ix, res: res, gen: gen, rows: fetch(tx, idsAt(ix, res.pos[:min(n, len(res.pos))]))}
	})
}

// finish completes a partial search result in a command; the reply
// replaces the partial one under the cursor.
func (l *indexList[T]) finish(req uint64, m *matches) tea.Cmd {
	ix, latest, gen := l.ix, l.latest, l.gen
	return guard(func() tea.Msg {
		done := ix.finish(m, req, latest)
		if done == nil {
			return nil
		}
		return searchMsg[T]{req: req, ix: ix, res: done, gen: gen}
	})
}

// update handles the list's replies and, when it has focus, its keys.
func (l *indexList[T]) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ixLoadedMsg[T]:
		if msg.req != l.ixReq {
			return nil
		}
		l.ix, l.res = msg.ix, msg.res
		l.recent = l.recent[:0]
		l.remember(msg.res)
		if msg.cleared {
			l.input.SetValue("")
		}
		l.cursor = msg.cursor
		l.offset = scrollTo(l.cursor, l.cursor-l.height/2, l.height, len(l.res.pos))
		l.addRows(msg.gen, msg.rows)
		if l.input.Value() != msg.res.query { // typed while it loaded
			return tea.Batch(l.fillWindow(), l.search())
		}
		return l.fillWindow()
	case searchMsg[T]:
		if msg.req != l.latest.Load() || msg.ix != l.ix {
			return nil
		}
		if msg.req == l.resReq { // the rest of a partial result: keep the cursor
			l.res = msg.res
			l.cursor = clamp(l.cursor, 0, max(len(l.res.pos)-1, 0))
		} else {
			l.res, l.resReq, l.cursor, l.offset = msg.res, msg.req, 0, 0
		}
		l.addRows(msg.gen, msg.rows)
		if msg.res.partial != nil {
			return tea.Batch(l.fillWindow(), l.finish(msg.req, msg.res))
		}
		l.remember(msg.res)
		return l.fillWindow()
	case rowsMsg[T]:
		l.addRows(msg.gen, msg.rows)
		return nil
	case tea.KeyPressMsg:
		return l.key(msg)
	}
	return nil
}

// remember keeps a result for reuse.
func (l *indexList[T]) remember(m *matches) {
	l.recent = slices.DeleteFunc(l.recent, func(r *matches) bool { return r.query == m.query })
	if len(l.recent) == maxRecent {
		l.recent = slices.Delete(l.recent, 0, 1)
	}
	l.recent = append(l.recent, m)
}

func (l *indexList[T]) addRows(gen uint64, rows map[model.ID]T) {
	if gen != l.gen {
		return
	}
	if len(l.cache)+len(rows) > maxCached {
		l.trimCache()
	}
	for id, r := range rows {
		l.cache[id] = r
		delete(l.inflight, id)
	}
}

// trimCache keeps only the records near the window.
func (l *indexList[T]) trimCache() {
	keep := map[model.ID]T{}
	if l.res != nil {
		lo, hi := l.prefetchRange()
		for _, p := range l.res.pos[lo:hi] {
			id := l.ix.entries[p].ID
			if r, ok := l.cache[id]; ok {
				keep[id] = r
			}
		}
	}
	l.cache = keep
}

// invalidate empties the cache after the store changed; the rows are
// fetched again.
func (l *indexList[T]) invalidate() {
	l.gen++
	clear(l.cache)
	clear(l.inflight)
}

func (l *indexList[T]) prefetchRange() (int, int) {
	n := len(l.res.pos)
	return clamp(l.offset-l.height, 0, n), clamp(l.offset+2*l.height, 0, n)
}

// fillWindow fetches the records of the rows on screen and a page either
// side that are not cached yet.
func (l *indexList[T]) fillWindow() tea.Cmd {
	if l.res == nil {
		return nil
	}
	lo, hi := l.prefetchRange()
	var ids []model.ID
	for _, p := range l.res.pos[lo:hi] {
		id := l.ix.entries[p].ID
		if _, ok := l.cache[id]; !ok && !l.inflight[id] {
			ids = append(ids, id)
			l.inflight[id] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	gen, fetch := l.gen, l.fetch
	return l.sh.read(func(tx *store.Tx) tea.Msg {
		return rowsMsg[T]{gen: gen, rows: fetch(tx, ids)}
	})
}

// startSearch focuses the search box.
func (l *indexList[T]) startSearch() tea.Cmd {
	l.typing = true
	return l.input.Focus()
}

// key handles a key press; it reports through its command whether the
// selection moved (the caller compares selectedID before and after).
func (l *indexList[T]) key(msg tea.KeyPressMsg) tea.Cmd {
	k := l.sh.keys
	if l.typing {
		switch {
		case msg.String() == "enter":
			l.typing = false
			l.input.Blur()
			return nil
		case msg.String() == "esc":
			l.typing = false
			l.input.Blur()
			if l.input.Value() == "" {
				return nil
			}
			l.input.SetValue("")
			return l.search()
		case msg.String() == "up", msg.String() == "down", msg.String() == "pgup", msg.String() == "pgdown":
			return l.move(msg)
		}
		before := l.input.Value()
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(msg)
		if l.input.Value() != before {
			return tea.Batch(cmd, l.search())
		}
		return cmd
	}
	if key.Matches(msg, k.Back) && l.input.Value() != "" {
		l.input.SetValue("")
		return l.search()
	}
	return l.move(msg)
}

// move handles the cursor keys.
func (l *indexList[T]) move(msg tea.KeyPressMsg) tea.Cmd {
	if l.res == nil {
		return nil
	}
	n := len(l.res.pos)
	delta, ok := l.sh.keys.cursorStep(msg, l.height, n)
	if !ok {
		return nil
	}
	l.cursor = clamp(l.cursor+delta, 0, n-1)
	l.offset = scrollTo(l.cursor, l.offset, l.height, n)
	return l.fillWindow()
}

// scroll moves the window by delta rows (the mouse wheel), taking the
// cursor along when it would leave the window.
func (l *indexList[T]) scroll(delta int) tea.Cmd {
	if l.res == nil {
		return nil
	}
	n := len(l.res.pos)
	l.offset = clamp(l.offset+delta, 0, max(0, n-l.height))
	l.cursor = clamp(l.cursor, l.offset, min(n-1, l.offset+l.height-1))
	return l.fillWindow()
}

// click selects the row at y (0 is the first row of the list).
func (l *indexList[T]) click(y int) tea.Cmd {
	y -= l.headerRows()
	if l.res == nil || y < 0 || l.offset+y >= len(l.res.pos) {
		return nil
	}
	l.cursor = l.offset + y
	return nil
}

// selectedID is the id under the cursor, or the zero id.
func (l *indexList[T]) selectedID() model.ID {
	if l.res == nil || len(l.res.pos) == 0 {
		return model.ID{}
	}
	return l.ix.entries[l.res.pos[clamp(l.cursor, 0, len(l.res.pos)-1)]].ID
}

// selected returns the record under the cursor when it is cached.
func (l *indexList[T]) selected() (T, bool) {
	r, ok := l.cache[l.selectedID()]
	return r, ok
}

// selectID moves the cursor to id, clearing the query when id is not in
// the current result; false when id is not in the index.
func (l *indexList[T]) selectID(id model.ID) (bool, tea.Cmd) {
	if l.ix == nil {
		return false, nil
	}
	if i := l.ix.find(l.res, id); i >= 0 {
		l.cursor = i
		l.offset = scrollTo(i, i-l.height/2, l.height, len(l.res.pos))
		return true, l.fillWindow()
	}
	all := l.ix.search("", nil, 0, nil)
	i := l.ix.find(all, id)
	if i < 0 {
		return false, nil
	}
	l.input.SetValue("")
	l.latest.Store(l.sh.nextReq()) // drop searches still running
	l.res, l.cursor = all, i
	l.offset = scrollTo(i, i-l.height/2, l.height, len(all.pos))
	return true, l.fillWindow()
}

func (l *indexList[T]) setSize(w, h int) {
	l.height = max(h-l.headerRows(), 1)
	l.input.SetWidth(max(w-width(l.input.Prompt)-16, 4))
	if l.res != nil {
		l.offset = scrollTo(l.cursor, l.offset, l.height, len(l.res.pos))
	}
}

// headerRows is the number of rows above the list: the search box.
func (l *indexList[T]) headerRows() int { return 1 }

// render draws the search box and the visible rows in w x h cells.
func (l *indexList[T]) render(w, h int) string {
	s := l.sh.styles
	lines := make([]string, 0, h)
	lines = append(lines, l.searchLine(w))
	switch {
	case l.ix == nil:
		lines = append(lines, s.Muted.Render(l.sh.T("tui.loading")))
	case len(l.res.pos) == 0:
		lines = append(lines, s.Muted.Render(l.sh.T("tui.list.nomatch")))
	}
	if l.ix != nil {
		end := min(l.offset+h-1, len(l.res.pos))
		for i := l.offset; i < end; i++ {
			e := &l.ix.entries[l.res.pos[i]]
			var text string
			if r, ok := l.cache[e.ID]; ok {
				text = l.row(r, w-2)
			} else {
				name, _, _ := strings.Cut(e.Haystack, "\x1f")
				text = s.Placeholder.Render(clip(name, w-2))
			}
			lines = append(lines, l.decorate(text, w, i == l.cursor))
		}
	}
	return block(lines, w, h)
}

// decorate marks the cursor row.
func (l *indexList[T]) decorate(text string, w int, cursor bool) string {
	s := l.sh.styles
	if !cursor {
		return "  " + fit(text, w-2)
	}
	st := s.Selected
	if !l.focused {
		st = s.SelectedBlur
	}
	return st.Render("▸ " + fit(ansiStrip(text), w-2))
}

func (l *indexList[T]) searchLine(w int) string {
	s := l.sh.styles
	count := ""
	switch {
	case l.ix != nil && l.res.partial != nil: // still counting
		count = "…/" + thousands(l.ix.len())
	case l.ix != nil:
		count = fmt.Sprintf("%s/%s", thousands(len(l.res.pos)), thousands(l.ix.len()))
	}
	var left string
	switch {
	case l.typing:
		left = l.input.View()
	case l.input.Value() != "":
		left = s.Accent.Render("/ " + l.input.Value())
	default:
		left = s.Muted.Render(l.sh.T("tui.list.searchhint", firstKey(l.sh.keys.Search)))
	}
	cw := width(count)
	return fit(left, w-cw-1) + " " + s.Muted.Render(count)
}
