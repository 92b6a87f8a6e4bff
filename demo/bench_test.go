package demo

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rolo-crm/rolo/store"
)

// BenchmarkGenerate times a whole demo into a new file: the default one
// and the benchmark data set (100,000 contacts, 20,000 deals, 50,000 tasks,
// 200,000 activities; target: under 10 s on 2 cores). Run the large one
// alone, once:
//
//	go test -run '^$' -bench 'Generate/contacts=100000' -benchtime 1x ./demo/
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{DefaultContacts, 100_000} {
		b.Run(fmt.Sprintf("contacts=%d", n), func(b *testing.B) {
			var st Stats
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				s := openStore(b, filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)), store.Options{})
				b.StartTimer()
				st = generate(b, s, n, 1)
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(st.Total())*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
