package store

import (
	"bytes"
	"fmt"
	"testing"
)

// TestPendingIndexOrder packs entries across blocks, one larger than a
// block, and reads them back sorted by key, a later entry for the same
// key after an earlier one.
func TestPendingIndexOrder(t *testing.T) {
	p := newPendingIndex()
	big := bytes.Repeat([]byte("v"), pendingBlock+100)
	var want []string
	for round := range 2 {
		for i := 3000; i > 0; i-- {
			k := fmt.Appendf(nil, "key%05d", i)
			v := fmt.Appendf(nil, "round%d", round)
			if i == 1500 {
				v = big
			}
			p.add([]ixEntry{{bucket: ixEmail, key: k, value: v}})
		}
	}
	for i := 1; i <= 3000; i++ {
		for round := range 2 {
			want = append(want, fmt.Sprintf("key%05d=round%d", i, round))
		}
	}
	if p.waiting != 6000 {
		t.Fatalf("%d waiting", p.waiting)
	}
	buckets := p.sortAll(nil)
	if len(buckets) != 1 {
		t.Fatalf("%d buckets", len(buckets))
	}
	pb := buckets[0]
	for i, r := range pb.refs {
		v := pb.value(r)
		if bytes.Equal(v, big) {
			v = fmt.Appendf(nil, "round%d", i%2)
		}
		if got := string(pb.key(r)) + "=" + string(v); got != want[i] {
			t.Fatalf("entry %d is %q, want %q", i, got, want[i])
		}
	}
	p.written(pb)
	if p.waiting != 0 || p.size != 0 || len(pb.blocks) != 0 {
		t.Errorf("after writing: %d waiting, %d bytes, %d blocks", p.waiting, p.size, len(pb.blocks))
	}
}
