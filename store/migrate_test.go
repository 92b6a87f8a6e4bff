package store

import (
	"bytes"
	"encoding/binary"
	"flag"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

var updateFixtures = flag.Bool("update", false, "rewrite the checked-in fixtures in testdata")

const schema1Fixture = "testdata/schema1.db"

// schema1Replica is the replica id the version-1 fixture carries.
var schema1Replica = Replica{0x5c, 0x4e, 0x11, 0x01, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 1, 2, 3, 4, 5}

// schema1Data is what the version-1 fixture holds, in the form this
// build's decoders read back, plus one deleted contact.
type schema1Data struct {
	companies  []model.Company
	contacts   []model.Contact
	deals      []model.Deal
	tasks      []model.Task
	activities []model.Activity
	deleted    model.ID // a contact that was deleted: a tombstone, no record
}

func schema1Records() schema1Data {
	ids := model.NewIDSource(rand.New(rand.NewSource(1)))
	at := func(days int) time.Time { return time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, days) }
	var d schema1Data
	d.companies = []model.Company{
		{ID: ids.New(at(0)), Name: "示例科技", Domain: "example.cn", Tags: []string{"partner"}, CreatedAt: at(0), UpdatedAt: at(0)},
		{ID: ids.New(at(0)), Name: "Acme Robotics", Tags: []string{}, Address: model.Address{City: "Berlin"}, CreatedAt: at(0), UpdatedAt: at(1)},
	}
	d.contacts = []model.Contact{
		{ID: ids.New(at(1)), Name: "张伟", CompanyID: d.companies[0].ID, Title: "总经理",
			Emails: []model.Email{{Address: "zhang.wei@example.cn", Label: "work"}},
			Phones: []model.Phone{{Number: "+8613812345678", Original: "138 1234 5678"}},
			Tags:   []string{"vip"}, Custom: map[string]string{"微信": "zw88"}, CreatedAt: at(1), UpdatedAt: at(2)},
		{ID: ids.New(at(1)), Name: "王小明", Tags: []string{"客户"}, Birthday: model.Date{Year: 1990, Month: 8, Day: 8},
			Addresses: []model.Address{{City: "上海", Country: "CN"}}, CreatedAt: at(1), UpdatedAt: at(1)},
		{ID: ids.New(at(2)), Name: "Maria Garcia", CompanyID: d.companies[1].ID,
			Emails: []model.Email{{Address: "maria@acme.example"}}, Tags: []string{"vip", "eu"}, CreatedAt: at(2), UpdatedAt: at(2)},
	}
	d.deleted = ids.New(at(3))
	d.deals = []model.Deal{
		{ID: ids.New(at(3)), Title: "年度合同", ContactID: d.contacts[0].ID, CompanyID: d.companies[0].ID,
			Value: model.Money{Minor: 8800000, Currency: "CNY"}, Stage: "proposal", Status: model.StatusOpen,
			Probability: ptr(0), CloseDate: model.Date{Year: 2024, Month: 12, Day: 31},
			History: []model.StageMove{{Stage: "lead", At: at(3)}, {Stage: "proposal", At: at(5)}},
			Tags:    []string{}, CreatedAt: at(3), UpdatedAt: at(5)},
		{ID: ids.New(at(4)), Title: "Robot arms", ContactID: d.contacts[2].ID, CompanyID: d.companies[1].ID,
			Value: model.Money{Minor: 1500000, Currency: "EUR"}, Stage: "won", Status: model.StatusWon, ClosedAt: at(6),
			History: []model.StageMove{{Stage: "lead", At: at(4)}, {Stage: "won", At: at(6)}},
			Tags:    []string{"q2"}, CreatedAt: at(4), UpdatedAt: at(6)},
	}
	d.tasks = []model.Task{
		{ID: ids.New(at(5)), Title: "给张伟回电话", ContactID: d.contacts[0].ID, DealID: d.deals[0].ID,
			Due: model.DueAt(at(7).Add(6 * time.Hour)), Priority: model.PriorityHigh, CreatedAt: at(5), UpdatedAt: at(5)},
		{ID: ids.New(at(5)), Title: "Send contract", ContactID: d.contacts[2].ID, Due: model.DueOn(model.Date{Year: 2024, Month: 6, Day: 5}),
			Priority: model.PriorityNormal, DoneAt: at(5), Repeat: model.Repeat{Every: 1, Unit: "month"}, CreatedAt: at(5), UpdatedAt: at(5)},
	}
	d.activities = []model.Activity{
		{ID: ids.New(at(2)), Kind: model.KindCall, At: at(2), Direction: "out", ContactID: d.contacts[0].ID,
			CompanyID: d.companies[0].ID, Body: "谈了报价", CreatedAt: at(2)},
		{ID: ids.New(at(6)), Kind: model.KindComplaint, At: at(6), ContactID: d.contacts[2].ID, CompanyID: d.companies[1].ID,
			DealID: d.deals[1].ID, Body: "late delivery", State: model.ComplaintOpen, CreatedAt: at(6)},
		{ID: ids.New(at(7)), Kind: model.KindFeedback, At: at(7), ContactID: d.contacts[1].ID, Score: ptr(0), Body: "不满意", CreatedAt: at(7)},
	}
	return d
}

// TestWriteSchema1Fixture regenerates testdata/schema1.db, a file as the
// first release wrote it: records, change log and tombstones, no indexes.
//
//	go test ./store -run TestWriteSchema1Fixture -args -update
func TestWriteSchema1Fixture(t *testing.T) {
	if !*updateFixtures {
		t.Skip("run with -args -update to rewrite " + schema1Fixture)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := schema1Fixture + ".tmp"
	os.Remove(tmp)
	db, err := bolt.Open(tmp, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(btx *bolt.Tx) error { return writeSchema1(btx, schema1Records()) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, schema1Fixture); err != nil {
		t.Fatal(err)
	}
}

func writeSchema1(btx *bolt.Tx, d schema1Data) error {
	for _, name := range append([][]byte{bMeta, bChanges, bTombstones}, recordBuckets...) {
		if _, err := btx.CreateBucket(name); err != nil {
			return err
		}
	}
	clock := MakeHLC(time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC))
	tx := &Tx{btx: btx}
	put := func(e model.Entity, id model.ID, body func([]byte) []byte) error {
		clock++
		st := Stamp{HLC: clock, Replica: schema1Replica}
		v := encodeEnvelope(Stamps{}.Set(model.AllGroups(e), st), body)
		if err := btx.Bucket(bucketOf(e)).Put(id[:], v); err != nil {
			return err
		}
		return tx.logChange(Change{Entity: e, ID: id, Groups: model.AllGroups(e), Stamp: st})
	}
	err := firstErr(
		func() error { return putAll(put, companies, d.companies) },
		func() error { return putAll(put, contacts, d.contacts) },
		func() error { return putAll(put, deals, d.deals) },
		func() error { return putAll(put, tasks, d.tasks) },
		func() error { return putAll(put, activities, d.activities) },
	)
	if err != nil {
		return err
	}
	clock++
	st := Stamp{HLC: clock, Replica: schema1Replica}
	if err := btx.Bucket(bTombstones).Put(tombKey(model.EntityContact, d.deleted), st.append(nil)); err != nil {
		return err
	}
	if err := tx.logChange(Change{Entity: model.EntityContact, ID: d.deleted, Groups: model.AllGroups(model.EntityContact), Stamp: st, Deleted: true}); err != nil {
		return err
	}
	meta := btx.Bucket(bMeta)
	for k, v := range map[string][]byte{
		string(mSchema):  binary.BigEndian.AppendUint32(nil, 1),
		string(mReplica): schema1Replica[:],
		string(mCreated): []byte("2024-06-01T09:00:00Z"),
		string(mClock):   binary.BigEndian.AppendUint64(nil, uint64(clock)),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// putAll stores recs with put, in order.
func putAll[T any](put func(model.Entity, model.ID, func([]byte) []byte) error, t *table[T], recs []T) error {
	for i := range recs {
		rec := &recs[i]
		if err := put(t.entity, *t.idOf(rec), func(b []byte) []byte { return t.encode(b, rec) }); err != nil {
			return err
		}
	}
	return nil
}

// copyFixture copies a checked-in file into a fresh directory.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src, err := os.Open(name)
	if err != nil {
		t.Fatalf("%v (regenerate: go test ./store -run TestWriteSchema1Fixture -args -update)", err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), "rolo.db")
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSchema1FixtureHasNoIndexes(t *testing.T) {
	db, err := bolt.Open(schema1Fixture, 0o644, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(btx *bolt.Tx) error {
		if v := decodeVersion(btx.Bucket(bMeta).Get(mSchema)); v != 1 {
			t.Errorf("fixture schema %d, want 1", v)
		}
		for _, name := range indexBuckets {
			if btx.Bucket(name) != nil {
				t.Errorf("fixture has index bucket %s", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateFromSchema1(t *testing.T) {
	path := copyFixture(t, schema1Fixture)
	want := schema1Records()
	clock := newClock(t0)
	s, err := Open(path, Options{Now: clock.Now, Rules: model.Rules{Region: "CN"}})
	if err != nil {
		t.Fatalf("Open a schema-1 file: %v", err)
	}
	defer s.Close()

	backups, _ := filepath.Glob(path + ".schema1-*.bak")
	if len(backups) != 1 {
		t.Fatalf("backups next to the file: %v, want one %s.schema1-*.bak", backups, filepath.Base(path))
	}
	r, err := Verify(backups[0], Options{})
	if err != nil || r.Schema != 1 {
		t.Errorf("the backup: %+v, %v; want an intact schema-1 file", r, err)
	}
	if s.Replica() != schema1Replica {
		t.Errorf("replica %v, want the file's %v", s.Replica(), schema1Replica)
	}

	view(t, s, func(tx *Tx) error {
		rep := tx.Check()
		if !rep.OK() || rep.Schema != SchemaVersion {
			t.Errorf("Check after migrating: schema %d, problems %v", rep.Schema, rep.Problems)
		}
		if rep.Changes != uint64(len(want.companies)+len(want.contacts)+len(want.deals)+len(want.tasks)+len(want.activities)+1) {
			t.Errorf("%d change-log entries: the migration must keep the log as it was", rep.Changes)
		}
		checkRecords := func(name string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s changed:\n got %+v\nwant %+v", name, got, want)
			}
		}
		for _, c := range want.contacts {
			got, err := tx.Contact(c.ID)
			checkRecords("contact "+c.Name, got, c)
			if err != nil {
				t.Error(err)
			}
		}
		for _, c := range want.companies {
			got, _ := tx.Company(c.ID)
			checkRecords("company "+c.Name, got, c)
		}
		for _, d := range want.deals {
			got, _ := tx.Deal(d.ID)
			checkRecords("deal "+d.Title, got, d)
		}
		for _, k := range want.tasks {
			got, _ := tx.Task(k.ID)
			checkRecords("task "+k.Title, got, k)
		}
		for _, a := range want.activities {
			got, _ := tx.Activity(a.ID)
			checkRecords("activity "+a.Body, got, a)
		}
		if _, ok := tx.Tombstone(model.EntityContact, want.deleted); !ok {
			t.Error("the tombstone is gone")
		}

		// The new indexes answer.
		zhang := want.contacts[0].ID
		for q, id := range map[string]model.ID{"zw": zhang, "张": zhang, "王": want.contacts[1].ID, "arci": want.contacts[2].ID} {
			if hits, _ := tx.SearchContacts(q, 0); len(hits) != 1 || hits[0].ID != id {
				t.Errorf("search %q after migrating: %v", q, hits)
			}
		}
		if got := tx.ContactsByEmail("ZHANG.WEI@example.cn"); !sameIDs(got, []model.ID{zhang}) {
			t.Errorf("email lookup: %v", got)
		}
		if got := tx.ContactsByPhone("138 1234 5678"); !sameIDs(got, []model.ID{zhang}) {
			t.Errorf("phone lookup: %v", got)
		}
		if got := tx.ContactIDs(ContactQuery{Tag: "vip"}); !sameIDs(got, []model.ID{want.contacts[2].ID, zhang}) {
			t.Errorf("tag lookup: %v", got)
		}
		if got := tx.ContactsOfCompany(want.companies[0].ID); !sameIDs(got, []model.ID{zhang}) {
			t.Errorf("company's contacts: %v", got)
		}
		if ds, _ := tx.Deals(DealQuery{Stage: "won"}); len(ds) != 1 {
			t.Errorf("deals in stage won: %v", ds)
		}
		if ts, _ := tx.Tasks(TaskQuery{}, t0); len(ts) != 1 || ts[0].ID != want.tasks[0].ID {
			t.Errorf("open tasks: %v", ts)
		}
		if last, ok := tx.LastActivity(zhang); !ok || !last.Equal(want.activities[0].At) {
			t.Errorf("LastActivity: %v %v", last, ok)
		}
		return nil
	})

	// New writes order after the file's clock and keep the file's replica.
	c := putContact(t, s, model.Contact{Name: "New"})
	chs := changesAfter(t, s, lastSeq(t, s)-1)
	if len(chs) != 1 || chs[0].ID != c.ID || chs[0].Stamp.Replica != schema1Replica {
		t.Errorf("first new change: %+v", chs)
	}
	mustCheck(t, s)

	// Opening again migrates nothing more.
	s.Close()
	s2, err := Open(path, Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if again, _ := filepath.Glob(path + ".schema*.bak"); len(again) != 1 {
		t.Errorf("reopening made more backups: %v", again)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putContact(t, s, model.Contact{Name: "A"})
	s.Close()
	setSchema(t, path, 99)
	before, _ := os.ReadFile(path)

	_, err = Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "99") {
		t.Errorf("Open of a schema-99 file: %v, want an error about a newer rolo", err)
	}
	if _, err := Verify(path, Options{}); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Verify of a schema-99 file: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("the newer file was modified")
	}
	if baks, _ := filepath.Glob(path + ".*"); len(baks) != 0 {
		t.Errorf("files written next to it: %v", baks)
	}
}

func setSchema(t *testing.T, path string, v int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(btx *bolt.Tx) error { return btx.Bucket(bMeta).Put(mSchema, encodeVersion(v)) })
	if err != nil {
		t.Fatal(err)
	}
}

// notRolo returns files that are not rolo databases.
func notRolo(t *testing.T) map[string]string {
	dir := t.TempDir()
	files := map[string][]byte{}
	random := make([]byte, 64<<10)
	rand.New(rand.NewSource(7)).Read(random)
	files["random 64 KiB"] = random
	files["random 100 bytes"] = random[:100]
	files["text"] = []byte("name,email\nZhang Wei,zw@example.cn\n")
	// A bbolt header followed by garbage: a truncated or overwritten file.
	good := filepath.Join(dir, "good.db")
	s, err := Open(good, Options{})
	if err != nil {
		t.Fatal(err)
	}
	putContact(t, s, model.Contact{Name: "A"})
	s.Close()
	b, _ := os.ReadFile(good)
	files["bbolt, truncated to one page"] = b[:4096]
	damaged := bytes.Clone(b)
	copy(damaged[16:4096], random) // both meta pages' checksums fail
	copy(damaged[4096+16:8192], random)
	files["bbolt, meta pages overwritten"] = damaged
	out := map[string]string{}
	for name, data := range files {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

func TestOpenRefusesNonRoloFiles(t *testing.T) {
	for name, path := range notRolo(t) {
		t.Run(name, func(t *testing.T) {
			before, _ := os.ReadFile(path)
			s, err := Open(path, Options{LockTimeout: 200 * time.Millisecond})
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), "not a rolo database") {
				t.Errorf("error %q does not say the file is not a rolo database", err)
			}
			if _, err := Verify(path, Options{}); err == nil {
				t.Error("Verify passes it")
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Error("the file was modified")
			}
		})
	}
}

// TestOpenRefusesForeignBolt opens a bbolt file another program wrote: it
// must not be turned into a rolo database.
func TestOpenRefusesForeignBolt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(btx *bolt.Tx) error {
		b, err := btx.CreateBucket([]byte("settings"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("a foreign bbolt file was opened as a rolo database")
	}
	if !strings.Contains(err.Error(), "not a rolo database") {
		t.Errorf("error %q", err)
	}
}

// TestOpenEmptyFile treats a zero-length file (made by touch or mktemp) as
// a new database.
func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of an empty file: %v", err)
	}
	defer s.Close()
	putContact(t, s, model.Contact{Name: "A"})
	mustCheck(t, s)
}
