package sync

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
)

// FuzzApplyPage feeds arbitrary change-feed pages, as a hostile or broken
// server could send, through the client's checks and the merge: nothing
// panics, and whatever is applied leaves readable records and exact
// indexes (links to records the page never created are allowed).
func FuzzApplyPage(f *testing.F) {
	r := store.Replica{9}
	h := store.MakeHLC(time.Now())
	id := model.NewID(time.Now())
	seed := func(ops ...protocol.Op) {
		b, _ := json.Marshal(protocol.ChangesResponse{Ops: ops, Cursor: "0123456789abcdef.3"})
		f.Add(b)
	}
	create := protocol.Op{OpID: protocol.OpID(r, h), Replica: r, Entity: model.EntityContact, ID: id, HLC: h,
		Groups: []string{"created", "name", "emails", "company"}, Value: json.RawMessage(`{"created_at":"2026-01-01T00:00:00Z","name":"张伟","emails":["a@b.c"],"email_details":[{"address":"a@b.c"}],"company_id":"01M8H2A1946DA5JQ7JR3NG93VP"}`)}
	edit := protocol.Op{OpID: protocol.OpID(r, h+1), Replica: r, Entity: model.EntityContact, ID: id, HLC: h + 1,
		Groups: []string{"tags"}, Value: json.RawMessage(`{"tags":["vip"]}`)}
	del := protocol.Op{OpID: protocol.OpID(r, h+2), Replica: r, Entity: model.EntityContact, ID: id, HLC: h + 2, Deleted: true}
	deal := protocol.Op{OpID: protocol.OpID(r, h+3), Replica: r, Entity: model.EntityDeal, ID: model.NewID(time.Now()), HLC: h + 3,
		Groups: []string{"created", "title", "value", "stage"}, Value: json.RawMessage(`{"created_at":"2026-01-01T00:00:00Z","title":"ERP","amount":"12.50","currency":"USD","stage":"lead","status":"open","stage_history":[]}`)}
	seed(create)
	seed(create, edit, del)
	seed(edit, create)
	seed(deal)
	seed(del, edit)
	st, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	s := &syncer{st: st, opts: Options{Now: time.Now}}
	errRollback := errors.New("roll back")
	f.Fuzz(func(t *testing.T, body []byte) {
		var page protocol.ChangesResponse
		if json.Unmarshal(body, &page) != nil {
			return
		}
		ops, err := s.remoteOps(page.Ops)
		if err != nil {
			return
		}
		err = st.Update(func(tx *store.Tx) error {
			if _, err := tx.ApplyRemote(ops, 0); err != nil {
				return err
			}
			rep := tx.Check()
			for _, p := range rep.Problems {
				if !strings.Contains(p, "which does not exist") {
					t.Fatalf("after applying %s: %s", body, p)
				}
			}
			return errRollback
		})
		if err != nil && !errors.Is(err, errRollback) && strings.Contains(err.Error(), "panic") {
			t.Fatal(err)
		}
	})
}
