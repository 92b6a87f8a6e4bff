package ui

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// shared is what every component reads: the language, the styles and
// keys, the store, the config and the clock, and the names of linked
// records already looked up. Only the root model's Update changes it.
type shared struct {
	lang     i18n.Lang
	styles   *Styles
	keys     *KeyMap
	store    *store.Store
	cfg      *config.Config
	pipeline model.Pipeline
	now      func() time.Time
	log      *slog.Logger
	names    *names

	// reqs hands out request ids: a reply carries the id of its request,
	// and a component drops replies to requests it has since replaced.
	reqs atomic.Uint64
}

// T returns the message for key in the interface language.
func (s *shared) T(key string, args ...any) string { return s.lang.T(key, args...) }

// nextReq returns a fresh request id.
func (s *shared) nextReq() uint64 { return s.reqs.Add(1) }

// today is the calendar day in the user's zone.
func (s *shared) today() model.Date { return model.DateOf(s.now()) }

// stageLabel is how a stage is shown: its configured label, or for the
// default pipeline's stages, the label in the interface language.
func (s *shared) stageLabel(key string) string {
	st, ok := s.pipeline.Stage(key)
	if !ok {
		return key
	}
	for _, d := range model.DefaultPipeline().Stages {
		if d.Key == st.Key && d.Label == st.Label {
			return s.T("tui.stage." + d.Key)
		}
	}
	return oneLine(st.Label)
}

// names caches the names and titles of linked records (a task's contact,
// a deal's company) so that rows can show them without a read in View.
// Replies to fetch commands fill it; a change in the store empties it.
type names struct {
	contacts  map[model.ID]string
	companies map[model.ID]string
	deals     map[model.ID]string
}

func newNames() *names {
	return &names{contacts: map[model.ID]string{}, companies: map[model.ID]string{}, deals: map[model.ID]string{}}
}

// maxNames bounds each map; past it the cache starts over.
const maxNames = 20000

func (n *names) add(m namesMsg) {
	for _, pair := range []struct{ dst, src map[model.ID]string }{
		{n.contacts, m.contacts}, {n.companies, m.companies}, {n.deals, m.deals},
	} {
		if len(pair.dst) > maxNames {
			clear(pair.dst)
		}
		for id, name := range pair.src {
			pair.dst[id] = oneLine(name)
		}
	}
}

func (n *names) reset() {
	clear(n.contacts)
	clear(n.companies)
	clear(n.deals)
}

// nameRefs collects the ids of linked records whose names are not cached.
type nameRefs struct {
	contacts, companies, deals []model.ID
}

func (r *nameRefs) contact(n *names, id model.ID) {
	if _, ok := n.contacts[id]; !ok && !id.IsZero() {
		r.contacts = append(r.contacts, id)
	}
}

func (r *nameRefs) company(n *names, id model.ID) {
	if _, ok := n.companies[id]; !ok && !id.IsZero() {
		r.companies = append(r.companies, id)
	}
}

func (r *nameRefs) deal(n *names, id model.ID) {
	if _, ok := n.deals[id]; !ok && !id.IsZero() {
		r.deals = append(r.deals, id)
	}
}

func (r *nameRefs) empty() bool {
	return len(r.contacts) == 0 && len(r.companies) == 0 && len(r.deals) == 0
}
