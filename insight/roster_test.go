package insight

import (
	"slices"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestRoster(t *testing.T) {
	// Records out of order, as built by hand; numbered from 10.
	ids := []model.ID{contactID(5), contactID(2), contactID(9)}
	r := newRoster(len(ids), 10, func(i int) model.ID { return ids[i] })
	for i, id := range ids {
		if n, ok := r.find(id); !ok || n != int32(10+i) {
			t.Errorf("find %v: %d %v", id, n, ok)
		}
	}
	if _, ok := r.find(contactID(3)); ok {
		t.Error("found an id never listed")
	}
	var got []int32
	keys := []model.ID{contactID(1), contactID(2), contactID(2), contactID(7), contactID(9), contactID(12)}
	r.merge(keys, func(num int32, k int) { got = append(got, num, int32(k)) })
	if want := []int32{11, 1, 11, 2, 12, 4}; !slices.Equal(got, want) {
		t.Errorf("merge: %v, want %v", got, want)
	}
	got = nil
	refs := sortRefs([]ref{{contactID(9), 0}, {contactID(5), 1}, {contactID(4), 2}, {contactID(5), 3}})
	r.mergeRefs(refs, func(num, from int32) { got = append(got, num, from) })
	if len(got) == 6 && got[1] == 3 { // two references to one id come in either order
		got[1], got[3] = got[3], got[1]
	}
	if want := []int32{10, 1, 10, 3, 12, 0}; !slices.Equal(got, want) {
		t.Errorf("mergeRefs: %v, want %v", got, want)
	}
}
