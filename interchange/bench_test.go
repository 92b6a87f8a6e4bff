package interchange

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// The benchmarks carry issue 4's targets on 100,000 contacts (on 2 cores):
// import from CSV and from vCard 3.0 under 1 s each, every field kept,
// indexed and durable; export of the 100k demo database to JSON under
// 1 s; peak memory under 100 MB. Run them alone:
//
//	go test -run '^$' -bench . -benchtime 3x ./interchange/
//
// The fixture files are generated once per process in os.TempDir(); the
// demo database (about 20 s to build) is kept there between runs as
// rolo-bench-demo-100k.db: delete it to rebuild it.

const benchContacts = 100_000

// benchPerson is one generated contact: every field a real book fills.
type benchPerson struct {
	name, first, last, company, title, email, email2, mobile, work, tags, notes, street, city, birthday string
}

var (
	benchFirst   = []string{"Maria", "James", "Linda", "Robert", "Zoë", "José", "Sarah", "David", "Emma", "Lucas"}
	benchLast    = []string{"Garcia", "Smith", "Müller", "Johnson", "O'Brien", "Kim", "Tanaka", "Martin", "Brown", "Walsh"}
	benchSurname = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "欧阳"}
	benchGiven   = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "小明"}
	benchTitles  = []string{"CTO", "采购经理", "Sales Manager", "总经理", "Buyer", "", "技术总监"}
	benchTags    = []string{"vip", "重点客户", "partner", "", "trade-show", "老客户; vip", ""}
	benchCities  = []string{"Shanghai", "深圳", "Austin", "Berlin", "北京", "London"}
)

func benchPeople(n int) []benchPerson {
	out := make([]benchPerson, n)
	x := uint64(42)
	next := func() uint64 { x = x*6364136223846793005 + 1442695040888963407; return x >> 33 }
	pick := func(l []string) string { return l[next()%uint64(len(l))] }
	for i := range out {
		p := &out[i]
		// Every company has 50 people with different names: rows that
		// repeat a name at a company would be merged as duplicates.
		j := i / 2000
		if i%2 == 0 {
			p.first, p.last = benchFirst[j%10], benchLast[(j/10)%10]
			p.name = p.first + " " + p.last
			p.email = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(p.first[:1]), strings.ToLower(strings.ReplaceAll(p.last, "'", "")), i)
			p.mobile = fmt.Sprintf("+1 %03d %03d %04d", 201+i%700, 200+(i/700)%800, i%10000)
		} else {
			p.first, p.last = benchGiven[j%10], benchSurname[(j/10)%10]
			p.name = p.last + p.first
			p.email = fmt.Sprintf("user%d@mail%d.cn", i, i%50)
			p.mobile = fmt.Sprintf("13%d%08d", i%10, i)
		}
		if next()%3 == 0 {
			p.email2 = fmt.Sprintf("p%d@gmail.com", i)
			p.work = fmt.Sprintf("+86 21 6%03d %04d", i/10000, i%10000)
		}
		p.company = fmt.Sprintf("Company %d 有限公司", i%2000)
		p.title, p.tags, p.city = pick(benchTitles), pick(benchTags), pick(benchCities)
		p.street = fmt.Sprintf("%d Main Street", next()%999+1)
		if next()%5 == 0 {
			p.notes = fmt.Sprintf("Met at the expo in %s.\nFollow up about order %d.", p.city, i)
		}
		if next()%4 == 0 {
			p.birthday = fmt.Sprintf("19%02d-%02d-%02d", 50+next()%50, 1+next()%12, 1+next()%28)
		}
	}
	return out
}

var (
	fixtureOnce  sync.Once
	fixtureDir   string // removed by TestMain
	fixtureFiles map[string]string
	fixtureErr   error
)

// benchFixtures writes the CSV and vCard 3.0 files of 100,000 contacts.
func benchFixtures(b *testing.B) map[string]string {
	fixtureOnce.Do(func() {
		if fixtureDir, fixtureErr = os.MkdirTemp("", "rolo-bench-import-"); fixtureErr != nil {
			return
		}
		dir := fixtureDir
		people := benchPeople(benchContacts)
		fixtureFiles = map[string]string{"csv": filepath.Join(dir, "contacts.csv"), "vcard3": filepath.Join(dir, "contacts.vcf")}
		if fixtureErr = writeBenchCSV(fixtureFiles["csv"], people); fixtureErr == nil {
			fixtureErr = writeBenchVCard(fixtureFiles["vcard3"], people)
		}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixtureFiles
}

func writeBenchCSV(path string, people []benchPerson) error {
	return writeFile(path, func(w *bufio.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"First Name", "Last Name", "E-mail Address", "E-mail 2 Address", "Mobile Phone", "Business Phone",
			"Company", "Job Title", "Categories", "Business Street", "Business City", "Birthday", "Notes"})
		for _, p := range people {
			cw.Write([]string{p.first, p.last, p.email, p.email2, p.mobile, p.work, p.company, p.title, p.tags,
				p.street, p.city, p.birthday, p.notes})
		}
		cw.Flush()
		return cw.Error()
	})
}

func writeBenchVCard(path string, people []benchPerson) error {
	esc := strings.NewReplacer(`\`, `\\`, "\n", `\n`, ",", `\,`, ";", `\;`)
	return writeFile(path, func(w *bufio.Writer) error {
		for _, p := range people {
			fmt.Fprintf(w, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:%s;%s;;;\r\nFN:%s\r\nORG:%s\r\n", esc.Replace(p.last), esc.Replace(p.first), esc.Replace(p.name), esc.Replace(p.company))
			if p.title != "" {
				fmt.Fprintf(w, "TITLE:%s\r\n", p.title)
			}
			fmt.Fprintf(w, "EMAIL;type=INTERNET;type=WORK;type=pref:%s\r\nTEL;type=CELL:%s\r\n", p.email, p.mobile)
			if p.email2 != "" {
				fmt.Fprintf(w, "EMAIL;type=INTERNET;type=HOME:%s\r\nTEL;type=WORK:%s\r\n", p.email2, p.work)
			}
			fmt.Fprintf(w, "ADR;type=WORK:;;%s;%s;;;\r\n", esc.Replace(p.street), esc.Replace(p.city))
			if p.tags != "" {
				fmt.Fprintf(w, "CATEGORIES:%s\r\n", strings.ReplaceAll(p.tags, "; ", ","))
			}
			if p.birthday != "" {
				fmt.Fprintf(w, "BDAY:%s\r\n", p.birthday)
			}
			if p.notes != "" {
				fmt.Fprintf(w, "NOTE:%s\r\n", esc.Replace(p.notes))
			}
			w.WriteString("END:VCARD\r\n")
		}
		return nil
	})
}

func writeFile(path string, fn func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fn(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func benchStore(b *testing.B, path string) *store.Store {
	b.Helper()
	st, err := store.Open(path, store.Options{Rules: model.Rules{Region: "CN", Currency: "CNY"}})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkImport100k imports 100,000 contacts into a new database.
func BenchmarkImport100k(b *testing.B) {
	files := benchFixtures(b)
	for _, format := range []string{"csv", "vcard3"} {
		b.Run(format, func(b *testing.B) {
			var u usage
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				// Read for each import, as rolo import does (ReadFile maps
				// the file where it can).
				data, release, err := ReadFile(files[format])
				if err != nil {
					b.Fatal(err)
				}
				st := benchStore(b, filepath.Join(b.TempDir(), fmt.Sprintf("import%d.db", i)))
				u.begin()
				b.StartTimer()
				res, err := Import(st, data, ImportOptions{Name: format})
				b.StopTimer()
				u.end()
				if err != nil || res.Records.Contacts.Created != benchContacts {
					b.Fatalf("%v: %d contacts created, errors %v", err, res.Records.Contacts.Created, res.Errors[:min(3, len(res.Errors))])
				}
				st.Close()
				release()
				b.StartTimer()
			}
			b.ReportMetric(float64(benchContacts)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
			u.report(b)
		})
	}
}

var (
	demoOnce sync.Once
	demoPath string
	demoErr  error
)

// demoDB returns the 100k demo database, built once and kept in os.TempDir().
func demoDB(b *testing.B) string {
	demoOnce.Do(func() {
		demoPath = filepath.Join(os.TempDir(), "rolo-bench-demo-100k.db")
		if st, err := store.Open(demoPath, store.Options{ReadOnly: true}); err == nil {
			n := 0
			st.View(func(tx *store.Tx) error { n = tx.CountContacts(); return nil })
			st.Close()
			if n == benchContacts {
				return
			}
		}
		os.Remove(demoPath)
		st, err := store.Open(demoPath+".tmp", store.Options{})
		if err != nil {
			demoErr = err
			return
		}
		start := time.Now()
		_, demoErr = demo.Generate(st, demo.Options{Contacts: benchContacts, Seed: 1})
		st.Close()
		if demoErr == nil {
			demoErr = os.Rename(demoPath+".tmp", demoPath)
			fmt.Fprintf(os.Stderr, "built %s in %v\n", demoPath, time.Since(start).Round(time.Millisecond))
		}
	})
	if demoErr != nil {
		b.Fatal(demoErr)
	}
	return demoPath
}

// BenchmarkExportJSON100k exports the 100k demo database (100,000
// contacts, 20,000 deals, 50,000 tasks, 200,000 activities) as JSON.
func BenchmarkExportJSON100k(b *testing.B) {
	st, err := store.Open(demoDB(b), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var u usage
	var stats Stats
	var size countingWriter
	u.begin()
	for b.Loop() {
		size = 0
		err := st.View(func(tx *store.Tx) error {
			var err error
			stats, err = ExportJSON(tx, &size, model.Entities)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	u.end()
	b.ReportMetric(float64(stats.Total())*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(size)/(1<<20), "MB-written")
	u.report(b)
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = new(countingWriter)

// usage measures what a benchmark costs besides wall-clock time, which
// means little on a shared machine: the CPU time of the process, the
// peak of the Go heap (sampled), and the peak resident memory (which also
// counts the pages of the database file mapped while it is written).
type usage struct {
	cpu      time.Duration
	heapPeak uint64
	rss      peakRSS
	start    time.Duration
	stop     chan struct{}
	done     chan struct{}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// begin starts measuring; end stops and adds to the totals.
func (u *usage) begin() {
	runtime.GC()
	u.rss.reset()
	u.start = cpuTime()
	u.stop, u.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(u.done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			u.heapPeak = max(u.heapPeak, ms.HeapAlloc)
			select {
			case <-u.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
}

func (u *usage) end() {
	u.cpu += cpuTime() - u.start
	close(u.stop)
	<-u.done
	u.rss.sample()
}

func (u *usage) report(b *testing.B) {
	b.ReportMetric(u.cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(u.heapPeak)/(1<<20), "peak-heap-MB")
	u.rss.report(b)
}

// peakRSS reads the process's peak resident memory (Linux): reset clears
// the high-water mark, sample keeps the highest seen.
type peakRSS struct{ kb int }

func (p *peakRSS) reset() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func (p *peakRSS) sample() {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			if kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))); err == nil {
				p.kb = max(p.kb, kb)
			}
		}
	}
}

func (p *peakRSS) report(b *testing.B) {
	if p.kb > 0 {
		b.ReportMetric(float64(p.kb)/1024, "peak-RSS-MB")
	}
}
