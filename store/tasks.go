package store

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var tasks = &table[model.Task]{
	entity: model.EntityTask,
	bucket: bTasks,
	idOf:   func(t *model.Task) *model.ID { return &t.ID },
	times: func(t *model.Task) (*time.Time, *time.Time) {
		return &t.CreatedAt, &t.UpdatedAt
	},
	encode:  encodeTask,
	decode:  decodeTask,
	indexes: taskIndexes,
}

func taskIndexes(_ *Tx, t *model.Task) []ixEntry {
	var out []ixEntry
	if !t.ContactID.IsZero() {
		out = append(out, ixEntry{bucket: ixContactTasks, key: pairKey(t.ContactID, t.ID)})
	}
	if !t.DealID.IsZero() {
		out = append(out, ixEntry{bucket: ixDealTasks, key: pairKey(t.DealID, t.ID)})
	}
	if !t.Done() {
		out = append(out, ixEntry{bucket: ixOpenTasks, key: append(dueKey(t.Due), t.ID[:]...)})
	}
	return out
}

// dueKey orders open tasks by due day, then time (whole-day tasks after
// timed ones of the same day); tasks with no due date sort last.
func dueKey(d model.Due) []byte {
	day := "9999-12-31"
	if !d.IsZero() {
		day = d.Date.String()
	}
	at := uint64(math.MaxUint64)
	if d.HasTime() {
		at = uint64(d.At.Unix())
	}
	return binary.BigEndian.AppendUint64([]byte(day), at)
}

// Task returns the task with the given id.
func (tx *Tx) Task(id model.ID) (model.Task, error) { return tasks.get(tx, id) }

// PutTask validates and saves t; its contact and deal must exist.
func (tx *Tx) PutTask(t *model.Task) error {
	if err := t.Normalize(tx.s.opts.Rules); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityContact, t.ContactID, "contact_id"); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityDeal, t.DealID, "deal_id"); err != nil {
		return err
	}
	if err := tx.mustExist(model.EntityCompany, t.CompanyID, "company_id"); err != nil {
		return err
	}
	_, err := tasks.save(tx, t)
	return err
}

// CompleteTask marks a task done now. A repeating task's next occurrence
// is created and returned.
func (tx *Tx) CompleteTask(id model.ID) (model.Task, *model.Task, error) {
	t, err := tasks.get(tx, id)
	if err != nil || t.Done() {
		return t, nil, err
	}
	next := t.Complete(tx.now)
	if err := tx.PutTask(&t); err != nil {
		return t, nil, err
	}
	if next != nil {
		if err := tx.PutTask(next); err != nil {
			return t, nil, err
		}
	}
	return t, next, nil
}

// DeleteTask deletes a task.
func (tx *Tx) DeleteTask(id model.ID) (Removal, error) {
	t, err := tasks.remove(tx, id)
	return Removal{Tasks: []model.Task{t}}, err
}

// TaskRange selects tasks by when they are due.
type TaskRange int

// Task ranges.
const (
	TasksOpen    TaskRange = iota // every open task
	TasksOverdue                  // open and past due
	TasksToday                    // open and due today or earlier
	TasksWeek                     // open and due within seven days, or earlier
	TasksAll                      // open and done
	TasksDone                     // done only
)

// TaskQuery selects tasks; zero fields do not filter.
type TaskQuery struct {
	Range     TaskRange
	ContactID model.ID
	DealID    model.ID
	Limit     int
}

// Tasks returns the tasks matching q. Open tasks come in due order
// (undated last), done ones after them, most recently done first.
func (tx *Tx) Tasks(q TaskQuery, now time.Time) ([]model.Task, error) {
	var out []model.Task
	if q.Range != TasksDone {
		if err := tx.openTasks(q, now, &out); err != nil {
			return nil, err
		}
	}
	if q.Range == TasksAll || q.Range == TasksDone {
		var done []model.Task
		err := tasks.each(tx, func(t *model.Task) error {
			if t.Done() && taskLinked(t, q) {
				done = append(done, *t)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for i := len(done) - 1; i >= 0; i-- {
			out = append(out, done[i])
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

func (tx *Tx) openTasks(q TaskQuery, now time.Time, out *[]model.Task) error {
	today := model.DateOf(now)
	var end []byte // scan up to (not including) this due key
	switch q.Range {
	case TasksOverdue, TasksToday:
		end = []byte(today.AddDays(1).String())
	case TasksWeek:
		end = []byte(today.AddDays(8).String())
	}
	c := tx.index(ixOpenTasks).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if end != nil && bytes.Compare(k, end) >= 0 {
			break
		}
		t, err := tasks.get(tx, idAtEnd(k))
		if err != nil {
			return err
		}
		if !taskLinked(&t, q) || (q.Range == TasksOverdue && !t.Overdue(now)) {
			continue
		}
		*out = append(*out, t)
	}
	return nil
}

func taskLinked(t *model.Task, q TaskQuery) bool {
	return (q.ContactID.IsZero() || t.ContactID == q.ContactID) && (q.DealID.IsZero() || t.DealID == q.DealID)
}

// ResolveTask finds the task a user means by ref: an id, or a title
// search matching exactly one open task.
func (tx *Tx) ResolveTask(ref string) (model.Task, error) {
	ref = strings.TrimSpace(ref)
	if model.LooksLikeID(ref) {
		id, _ := model.ParseID(ref)
		return tasks.get(tx, id)
	}
	open, err := tx.Tasks(TaskQuery{}, tx.now)
	if err != nil {
		return model.Task{}, err
	}
	terms := model.QueryTerms(ref)
	var ids []model.ID
	for _, t := range open {
		if ok, _ := model.MatchTerms(model.Haystack(t.Title), terms); ok {
			ids = append(ids, t.ID)
		}
	}
	return pickOne(tx, tasks, ids, ref)
}

// EachTask calls fn with every task in creation order.
func (tx *Tx) EachTask(fn func(*model.Task) error) error { return tasks.each(tx, fn) }

// CountTasks returns the number of tasks.
func (tx *Tx) CountTasks() int { return tasks.count(tx) }
