package interchange

import "hash/maphash"

// keyIndex maps the keys contacts are matched by (an email address, the
// digits of a phone, a folded name at a company) to the first target
// that registered each.
//
// A file of 100,000 contacts registers some 350,000 keys, nearly all of
// them a new contact's own fields. Those are kept as a 64-bit hash and a
// target number in an open-addressing table (12 bytes a key, nothing for
// the garbage collector to trace, where a map[string]*ctTarget entry and
// its string take about 70), and a hit is confirmed against the target's
// record. A key a record brings to another target (a duplicate merged
// into it) is kept with its text.
type keyIndex struct {
	hashes  []uint64 // the hash of the key in each slot
	targets []int32  // the target in each slot, plus one; 0: empty
	used    int
	others  map[string]int32 // keys registered for a target not their own: kind, key, suffix
}

// Kinds of keys.
const (
	keyEmail byte = 'e'
	keyPhone byte = 'p'
	keyName  byte = 'n'
)

var keySeed = maphash.MakeSeed()

func newKeyIndex() *keyIndex {
	return &keyIndex{hashes: make([]uint64, 1<<12), targets: make([]int32, 1<<12), others: map[string]int32{}}
}

func hashKey(kind byte, key string, suffix []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(keySeed)
	h.WriteByte(kind)
	h.WriteString(key)
	h.Write(suffix)
	return h.Sum64()
}

// has says whether a target's record has the key among its own fields.
type has func(target int32) bool

// get returns the target registered for the key, or -1. suffix is part
// of the key (a company id for a name); own confirms a hit.
func (x *keyIndex) get(kind byte, key string, suffix []byte, own has) int32 {
	h := hashKey(kind, key, suffix)
	mask := uint64(len(x.hashes) - 1)
	for i := h & mask; x.targets[i] != 0; i = (i + 1) & mask {
		if x.hashes[i] == h && own(x.targets[i]-1) {
			return x.targets[i] - 1
		}
	}
	if len(x.others) > 0 {
		if t, ok := x.others[string(append(append([]byte{kind}, key...), suffix...))]; ok {
			return t
		}
	}
	return -1
}

// add registers target under the key unless the key has a target. mine
// says the key is one of the target's own fields (see has).
func (x *keyIndex) add(kind byte, key string, suffix []byte, target int32, mine bool, own has) {
	if x.get(kind, key, suffix, own) >= 0 {
		return
	}
	if !mine {
		x.others[string(append(append([]byte{kind}, key...), suffix...))] = target
		return
	}
	if 4*(x.used+1) > 3*len(x.hashes) {
		x.grow()
	}
	x.put(hashKey(kind, key, suffix), target+1)
	x.used++
}

func (x *keyIndex) put(h uint64, t int32) {
	mask := uint64(len(x.hashes) - 1)
	i := h & mask
	for x.targets[i] != 0 {
		i = (i + 1) & mask
	}
	x.hashes[i], x.targets[i] = h, t
}

func (x *keyIndex) grow() {
	hashes, targets := x.hashes, x.targets
	x.hashes, x.targets = make([]uint64, 2*len(hashes)), make([]int32, 2*len(targets))
	for i, t := range targets {
		if t != 0 {
			x.put(hashes[i], t)
		}
	}
}
