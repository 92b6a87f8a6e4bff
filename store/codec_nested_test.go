package store

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestNestedInPlace checks the in-place encoding of a sub-record against
// the plain one (encode apart, then tag, length, bytes) on both sides of
// the lengths where the uvarint length grows.
func TestNestedInPlace(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 128, 200, 16380, 16381, 16382, 16383, 16384, 70000} {
		text := strings.Repeat("x", n)
		e := encoder{b: []byte("head")}
		e.nested(7, func(s *encoder) { s.raw(1, []byte(text)) })
		e.str(9, "tail")
		var sub encoder
		sub.raw(1, []byte(text))
		want := append([]byte("head"), 7)
		want = binary.AppendUvarint(want, uint64(len(sub.b)))
		want = append(append(want, sub.b...), 9, 4, 't', 'a', 'i', 'l')
		if !bytes.Equal(e.b, want) {
			t.Errorf("sub-record of %d bytes: encoded differently", n)
		}
	}
}
