package insight

import (
	"slices"

	"github.com/rolo-crm/rolo/model"
)

// roster numbers a set of records for lookups by id. Load reads records
// in id order, and the timelines come in id order too, so most lookups
// are a merge of two sorted lists: no hashing, and memory read in order.
type roster struct {
	ids  []model.ID // sorted
	nums []int32    // nums[i] is the number of the record with ids[i]
}

// newRoster numbers the n records id(0) … id(n-1) base, base+1, ….
func newRoster(n int, base int32, id func(i int) model.ID) roster {
	r := roster{ids: make([]model.ID, n), nums: make([]int32, n)}
	for i := range n {
		r.ids[i], r.nums[i] = id(i), base+int32(i)
	}
	if !slices.IsSortedFunc(r.ids, model.ID.Compare) { // records built by hand
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return r.ids[a].Compare(r.ids[b]) })
		ids, nums := make([]model.ID, n), make([]int32, n)
		for i, o := range order {
			ids[i], nums[i] = r.ids[o], r.nums[o]
		}
		r.ids, r.nums = ids, nums
	}
	return r
}

// find returns the number of the record with id.
func (r roster) find(id model.ID) (int32, bool) {
	i, ok := slices.BinarySearchFunc(r.ids, id, model.ID.Compare)
	if !ok {
		return 0, false
	}
	return r.nums[i], true
}

// merge calls fn with the number of each of keys (sorted) that is on the
// roster, and its index in keys.
func (r roster) merge(keys []model.ID, fn func(num int32, k int)) {
	i := 0
	for k, key := range keys {
		for i < len(r.ids) && r.ids[i].Compare(key) < 0 {
			i++
		}
		if i < len(r.ids) && r.ids[i] == key {
			fn(r.nums[i], k)
		}
	}
}

// ref is a reference from a record (by its index) to another (by id).
type ref struct {
	to   model.ID
	from int32
}

// sortRefs sorts references by the id they point to, for a merge;
// references to one id keep no particular order.
func sortRefs(refs []ref) []ref {
	slices.SortFunc(refs, func(a, b ref) int { return a.to.Compare(b.to) })
	return refs
}

// mergeRefs calls fn with the number on r of each reference's target and
// the index of the record it is from.
func (r roster) mergeRefs(refs []ref, fn func(num, from int32)) {
	keys := make([]model.ID, len(refs))
	for i := range refs {
		keys[i] = refs[i].to
	}
	r.merge(keys, func(num int32, k int) { fn(num, refs[k].from) })
}
