package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// benchDir holds the databases benchmarks share within one process.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var (
	bigOnce sync.Once
	bigPath string
	bigErr  error
)

const bigContacts = 100_000

// bigDB returns the path of a database with 100,000 contacts, built once
// per process.
func bigDB(b *testing.B) string {
	b.Helper()
	bigOnce.Do(func() {
		if benchDir, bigErr = os.MkdirTemp("", "rolo-bench-"); bigErr != nil {
			return
		}
		bigPath = filepath.Join(benchDir, "big.db")
		var took time.Duration
		took, bigErr = buildDB(bigPath, bigContacts, 10_000)
		if bigErr == nil {
			fi, _ := os.Stat(bigPath)
			fmt.Fprintf(os.Stderr, "built %d contacts in %v (%d MB)\n", bigContacts, took.Round(time.Millisecond), fi.Size()>>20)
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigPath
}

// gen makes deterministic, varied people: half English names, half
// Chinese ones, with emails, phones, titles and companies.
type gen struct{ x uint64 }

func (g *gen) next() uint64 {
	g.x = g.x*6364136223846793005 + 1442695040888963407
	return g.x >> 33
}

func (g *gen) pick(list []string) string { return list[g.next()%uint64(len(list))] }

var (
	firstNames = []string{"Maria", "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
		"Linda", "Barbara", "Elizabeth", "Jennifer", "Susan", "Jessica", "Sarah", "Karen", "Nancy", "Lisa", "Zoë", "José"}
	lastNames = []string{"Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Müller"}
	surnames   = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "曾"}
	givenNames = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "小明", "超", "秀兰", "霞"}
	jobTitles  = []string{"", "", "CEO", "Sales Manager", "采购经理", "总经理", "Engineer", "CTO", "销售总监", "Buyer"}
	tagNames   = []string{"vip", "lead", "客户", "partner", "cold", "eu", "华东"}
	companyFmt = []string{"Acme %d Ltd", "Globex %d", "华为%d科技", "示例%d有限公司", "Initech %d"}
)

func (g *gen) contact(i int) model.Contact {
	var c model.Contact
	if g.next()%2 == 0 {
		first, last := g.pick(firstNames), g.pick(lastNames)
		c.Name = first + " " + last
		c.Emails = []model.Email{{Address: model.Fold(first) + "." + model.Fold(last) + strconv.Itoa(i) + "@example.com"}}
	} else {
		c.Name = g.pick(surnames) + g.pick(givenNames)
		c.Emails = []model.Email{{Address: "user" + strconv.Itoa(i) + "@mail" + strconv.Itoa(i%50) + ".cn"}}
	}
	c.Phones = []model.Phone{{Number: fmt.Sprintf("+8613%d%08d", g.next()%10, g.next()%100_000_000)}}
	c.Title = g.pick(jobTitles)
	if g.next()%3 == 0 {
		c.Tags = []string{g.pick(tagNames)}
	}
	return c
}

// buildDB writes n contacts at 2,000 companies, perTx to a transaction.
func buildDB(path string, n, perTx int) (time.Duration, error) {
	s, err := Open(path, Options{Rules: model.Rules{Region: "CN"}})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	start := time.Now()
	g := &gen{x: 1}
	var cos []model.ID
	err = s.Update(func(tx *Tx) error {
		for i := range 2000 {
			co := model.Company{Name: fmt.Sprintf(companyFmt[i%len(companyFmt)], i)}
			if err := tx.PutCompany(&co); err != nil {
				return err
			}
			cos = append(cos, co.ID)
		}
		return nil
	})
	for done := 0; err == nil && done < n; done += perTx {
		err = s.Update(func(tx *Tx) error {
			for i := done; i < min(n, done+perTx); i++ {
				c := g.contact(i)
				if g.next()%10 < 7 {
					c.CompanyID = cos[g.next()%uint64(len(cos))]
				}
				if err := tx.PutContact(&c); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return time.Since(start), err
}

// BenchmarkPutContact measures writes: one contact per transaction
// (bound by fsync) and many per transaction (an import).
func BenchmarkPutContact(b *testing.B) {
	for _, perTx := range []int{1, 1000} {
		b.Run(fmt.Sprintf("per-tx=%d", perTx), func(b *testing.B) {
			s, _ := openTest(b)
			g := &gen{x: 7}
			people := make([]model.Contact, b.N)
			for i := range people {
				people[i] = g.contact(i)
			}
			b.ResetTimer()
			for done := 0; done < b.N; done += perTx {
				err := s.Update(func(tx *Tx) error {
					for i := done; i < min(b.N, done+perTx); i++ {
						if err := tx.PutContact(&people[i]); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImport100k builds the 100,000-contact file from nothing in
// transactions of 10,000: the import target is under a second.
func BenchmarkImport100k(b *testing.B) {
	for i := range b.N {
		path := filepath.Join(b.TempDir(), "import"+strconv.Itoa(i)+".db")
		if _, err := buildDB(path, bigContacts, 10_000); err != nil {
			b.Fatal(err)
		}
	}
}

func openBig(b *testing.B) *Store {
	path := bigDB(b)
	s, err := Open(path, Options{ReadOnly: true, Rules: model.Rules{Region: "CN"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkSearchContacts(b *testing.B) {
	s := openBig(b)
	for _, q := range []string{"zw", "garcia", "arci", "张", "王小明", "maria garcia", "user4242@", "13812", "acme 17", "nomatch"} {
		b.Run(q, func(b *testing.B) {
			var n int
			for b.Loop() {
				err := s.View(func(tx *Tx) error {
					hits, err := tx.SearchContacts(q, 50)
					n = len(hits)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "hits")
		})
	}
}

// BenchmarkContactListSearch is what `rolo contact list --search Q` does
// inside the process: open, search, read the first page, close.
func BenchmarkContactListSearch(b *testing.B) {
	path := bigDB(b)
	for b.Loop() {
		s, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		err = s.View(func(tx *Tx) error {
			_, err := tx.Contacts(ContactQuery{Search: "garcia", Limit: 50})
			return err
		})
		s.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkContactsByName(b *testing.B) {
	s := openBig(b)
	for _, offset := range []int{0, 50_000} {
		b.Run("offset="+strconv.Itoa(offset), func(b *testing.B) {
			for b.Loop() {
				err := s.View(func(tx *Tx) error {
					cs, err := tx.Contacts(ContactQuery{Limit: 50, Offset: offset})
					if len(cs) != 50 {
						b.Fatalf("%d contacts", len(cs))
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen opens a small and the 100,000-contact file, reads one
// value and closes it: the cost must not grow with the data.
func BenchmarkOpen(b *testing.B) {
	small := filepath.Join(b.TempDir(), "small.db")
	if _, err := buildDB(small, 100, 100); err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct{ name, path string }{{"small", small}, {"100k", bigDB(b)}} {
		for _, mode := range []struct {
			name string
			opts Options
		}{{"read-write", Options{}}, {"read-only", Options{ReadOnly: true}}} {
			b.Run(f.name+"/"+mode.name, func(b *testing.B) {
				for b.Loop() {
					s, err := Open(f.path, mode.opts)
					if err != nil {
						b.Fatal(err)
					}
					if err := s.View(func(tx *Tx) error { tx.LastSeq(); return nil }); err != nil {
						b.Fatal(err)
					}
					if err := s.Close(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		// A transient store opens the file for every transaction.
		b.Run(f.name+"/transient-view", func(b *testing.B) {
			s, err := Open(f.path, Options{Transient: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			for b.Loop() {
				if err := s.View(func(tx *Tx) error { tx.LastSeq(); return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchIndexLoad reads the whole contact search index, as the
// TUI does at start.
func BenchmarkSearchIndexLoad(b *testing.B) {
	s := openBig(b)
	for b.Loop() {
		if err := s.View(func(tx *Tx) error { tx.ContactSearchIndex(); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	s := openBig(b)
	for b.Loop() {
		err := s.View(func(tx *Tx) error {
			if r := tx.Check(); !r.OK() {
				b.Fatalf("problems: %v", r.Problems)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReindex rebuilds every index of the 100k file, as a migration
// that changes the indexes and doctor --repair do (rolled back here, so
// every round starts from the same file).
func BenchmarkReindex(b *testing.B) {
	s, err := Open(bigDB(b), Options{Rules: model.Rules{Region: "CN"}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	rollback := errors.New("roll back")
	for b.Loop() {
		err := s.Update(func(tx *Tx) error {
			if err := tx.Reindex(); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoltSortedPuts measures bbolt itself: 600,000 index-like keys
// (an email, a 0 byte, a 16-byte id), sorted, put into an empty bucket
// in one transaction and committed without fsync. It is the floor under
// an import of 100,000 contacts, which writes about that many index
// entries besides its records and change log, one put each.
func BenchmarkBoltSortedPuts(b *testing.B) {
	const n = 600_000
	keys := make([][]byte, n)
	for i := range keys {
		id := model.NewID(t0.Add(time.Duration(i) * time.Millisecond))
		keys[i] = textKey(fmt.Sprintf("person%07d@example.com", (i*7919)%n), id)
	}
	slices.SortFunc(keys, bytes.Compare)
	for b.Loop() {
		b.StopTimer()
		db, err := bolt.Open(filepath.Join(b.TempDir(), "puts.db"), 0o600, &bolt.Options{NoSync: true, InitialMmapSize: writeMmapSize})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err = db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucket(ixEmail)
			if err != nil {
				return err
			}
			bk.FillPercent = bulkFill
			for _, k := range keys {
				if err := bk.Put(k, nil); err != nil {
					return err
				}
			}
			return nil
		})
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/put")
}
