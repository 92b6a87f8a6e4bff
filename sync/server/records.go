package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// entityPaths maps the read endpoints to entities.
var entityPaths = []struct {
	path   string
	entity model.Entity
}{
	{"contacts", model.EntityContact},
	{"companies", model.EntityCompany},
	{"deals", model.EntityDeal},
	{"tasks", model.EntityTask},
	{"activities", model.EntityActivity},
}

func entityOfPath(p string) model.Entity {
	rest := strings.TrimPrefix(p, "/v1/")
	name, _, _ := strings.Cut(rest, "/")
	for _, e := range entityPaths {
		if e.path == name {
			return e.entity
		}
	}
	return 0
}

// Page sizes of the read endpoints.
const (
	defaultRecordLimit = 100
	maxRecordLimit     = 1000
)

// RecordsPage is the body of GET /v1/contacts and the other read
// endpoints: records in id order, and where the next page starts.
type RecordsPage struct {
	Items []json.RawMessage `json:"items"`
	Next  string            `json:"next,omitempty"`
}

// Deleted is how a read endpoint lists a deleted record when asked for
// changes (updated_since).
type Deleted struct {
	ID        model.ID  `json:"id"`
	Deleted   bool      `json:"deleted"`
	DeletedAt time.Time `json:"deleted_at"`
}

// listRecords serves GET /v1/{entities}: a page of the team's current
// records, in id order; with updated_since, the records the server changed
// since then, deleted ones included.
func (s *Server) listRecords(w http.ResponseWriter, r *http.Request, t *Token) {
	e := entityOfPath(r.URL.Path)
	q := r.URL.Query()
	limit := defaultRecordLimit
	if v := q.Get("limit"); v != "" {
		n, ok := limitParam(w, v)
		if !ok {
			return
		}
		limit = min(n, maxRecordLimit)
	}
	query := RecordQuery{Entity: e, Limit: limit}
	if v := q.Get("updated_since"); v != "" {
		since, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, fmt.Sprintf("updated_since %q: want an RFC 3339 time such as 2026-11-28T09:00:00Z", v))
			return
		}
		query.ModifiedSince, query.Dead = since, true
	}
	if v := q.Get("after"); v != "" {
		id, err := model.ParseID(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, fmt.Sprintf("after %q: want a record id", v))
			return
		}
		query.After = RecordKey{Entity: e, ID: id}
	}
	rows, err := s.st.Records(r.Context(), t.Team, query)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	items, err := s.materialize(r, t.Team, rows)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	page := RecordsPage{Items: items}
	if len(rows) == limit {
		page.Next = rows[len(rows)-1].Key.ID.String()
	}
	writeJSON(w, http.StatusOK, page)
}

// getRecord serves GET /v1/{entities}/{id}.
func (s *Server) getRecord(w http.ResponseWriter, r *http.Request, t *Token) {
	e := entityOfPath(r.URL.Path)
	id, err := model.ParseID(r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusNotFound, protocol.CodeNotFound, "no "+e.String()+" "+r.PathValue("id"))
		return
	}
	row, err := s.st.Record(r.Context(), t.Team, RecordKey{Entity: e, ID: id})
	if errors.Is(err, ErrNotFound) || err == nil && !row.Alive {
		writeError(w, http.StatusNotFound, protocol.CodeNotFound, "no "+e.String()+" "+id.String())
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	items, err := s.materialize(r, t.Team, []RecordRow{row})
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(items[0], '\n'))
}

// materialize builds each row's record from the ops its state points at.
func (s *Server) materialize(r *http.Request, team string, rows []RecordRow) ([]json.RawMessage, error) {
	states, bodies, err := s.loadStates(r, team, rows)
	if err != nil {
		return nil, err
	}
	items := make([]json.RawMessage, 0, len(rows))
	for i, row := range rows {
		var b []byte
		if row.Alive {
			b, err = recordJSON(row.Key, &states[i], bodies)
		} else {
			b, err = json.Marshal(Deleted{ID: row.Key.ID, Deleted: true, DeletedAt: states[i].Tomb.HLC.Time()})
		}
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", row.Key.Entity, row.Key.ID, err)
		}
		items = append(items, b)
	}
	return items, nil
}

// recordJSON returns the record a state describes, as the model writes it.
func recordJSON(k RecordKey, st *recordState, bodies map[uint64][]byte) ([]byte, error) {
	members := map[string]json.RawMessage{}
	latest := st.latest()
	updated := latest.Stamp.HLC.Time()
	for _, e := range st.Entries {
		var op protocol.Op
		if err := json.Unmarshal(bodies[e.Seq], &op); err != nil {
			return nil, err
		}
		v, err := protocol.GroupValue(k.Entity, op.Value, e.Mask)
		if err != nil {
			return nil, err
		}
		if err := protocol.EachMember(v, func(key string, val json.RawMessage) bool {
			members[key] = val
			return true
		}); err != nil {
			return nil, err
		}
		if e.Seq == latest.Seq && !op.UpdatedAt.IsZero() {
			updated = op.UpdatedAt
		}
	}
	var err error
	if members["id"], err = json.Marshal(k.ID); err != nil {
		return nil, err
	}
	if k.Entity != model.EntityActivity {
		if members["updated_at"], err = json.Marshal(updated.UTC()); err != nil {
			return nil, err
		}
	}
	b, err := json.Marshal(members)
	if err != nil {
		return nil, err
	}
	rec := protocol.NewRecord(k.Entity)
	if err := json.Unmarshal(b, rec); err != nil {
		return nil, err
	}
	return json.Marshal(rec)
}
