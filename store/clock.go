package store

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// HLC is a hybrid logical clock reading: milliseconds since the Unix epoch
// in the high 48 bits and a logical counter in the low 16. Readings from one
// replica only ever increase, even when the wall clock steps back, and a
// replica that hears of a later reading moves past it.
type HLC uint64

// MakeHLC returns the reading for wall time t with counter 0.
func MakeHLC(t time.Time) HLC { return HLC(uint64(t.UnixMilli()) << 16) }

// Time returns the wall-clock part of the reading.
func (h HLC) Time() time.Time { return time.UnixMilli(int64(h >> 16)).UTC() }

// Counter returns the logical part of the reading.
func (h HLC) Counter() uint16 { return uint16(h) }

func (h HLC) String() string {
	return fmt.Sprintf("%s+%d", h.Time().Format("2006-01-02T15:04:05.000Z"), h.Counter())
}

// Next returns a reading later than h and not earlier than wall time now.
func (h HLC) Next(now time.Time) HLC {
	if w := MakeHLC(now); w > h {
		return w
	}
	return h + 1
}

// Replica identifies one copy of the data: a database file, or the server.
type Replica [16]byte

func (r Replica) String() string { return fmt.Sprintf("%x", r[:]) }

// ParseReplica reads the hex form String writes.
func ParseReplica(s string) (Replica, error) {
	var r Replica
	if len(s) != 32 {
		return r, fmt.Errorf("replica id %q: want 32 hex digits", s)
	}
	if _, err := hex.Decode(r[:], []byte(s)); err != nil {
		return Replica{}, fmt.Errorf("replica id %q: %w", s, err)
	}
	return r, nil
}

// MarshalText writes the hex form.
func (r Replica) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the hex form.
func (r *Replica) UnmarshalText(b []byte) error {
	v, err := ParseReplica(string(b))
	*r = v
	return err
}

// Stamp orders writes: by clock, ties broken by replica id.
type Stamp struct {
	HLC     HLC
	Replica Replica
}

// Compare returns -1, 0 or +1 as s is earlier than, equal to or later than t.
func (s Stamp) Compare(t Stamp) int {
	switch {
	case s.HLC < t.HLC:
		return -1
	case s.HLC > t.HLC:
		return 1
	}
	return bytes.Compare(s.Replica[:], t.Replica[:])
}

// IsZero reports whether s is unset.
func (s Stamp) IsZero() bool { return s.HLC == 0 }

const stampSize = 8 + 16

func (s Stamp) append(b []byte) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(s.HLC))
	return append(b, s.Replica[:]...)
}

func readStamp(b []byte) Stamp {
	var s Stamp
	s.HLC = HLC(binary.BigEndian.Uint64(b))
	copy(s.Replica[:], b[8:stampSize])
	return s
}
