package protocol

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// DecodePush reads the body of a push. It is DecodeStrict for a
// PushRequest, several times faster on big pushes: it reads the ops'
// members directly, checking the JSON as it goes, and keeps each value as
// a slice of b. It is strict: an unknown member (in any letter case), a
// member of the wrong type or anything after the body is an error. The
// ops alias b.
//
// It also checks every op (Check), on every core for a big push, reading
// each value's text once for its syntax and its fields' types together;
// Check then returns the verdict kept.
func DecodePush(b []byte) (PushRequest, error) {
	req, err := decodePush(b)
	if err == nil {
		err = checkAll(req.Ops)
	}
	if err != nil && !json.Valid(b) {
		// Let encoding/json say where the syntax breaks.
		var v any
		if jerr := json.Unmarshal(b, &v); jerr != nil {
			err = jerr
		}
	}
	if err != nil {
		return PushRequest{}, err
	}
	return req, nil
}

func decodePush(b []byte) (PushRequest, error) {
	var req PushRequest
	d := opDecoder{s: scanner{b: b}}
	err := d.s.object(func(k []byte) error {
		if string(k) != "ops" {
			return fmt.Errorf("json: unknown field %q", k)
		}
		if d.s.null() {
			return nil
		}
		// Room for ops of 512 bytes, with 10 groups each: a first sync's.
		req.Ops = make([]Op, 0, len(b)/512)
		d.names = make([]string, 0, len(b)/50)
		return d.s.array(func(i int) error {
			var op Op
			if !d.s.null() {
				start := d.s.i
				if err := d.s.members(func(k []byte) error { return d.member(&op, k) }); err != nil {
					return fmt.Errorf("ops[%d]: %w", i, err)
				}
				op.text = b[start:d.s.i:d.s.i]
			}
			req.Ops = append(req.Ops, op)
			return nil
		})
	})
	if err == nil {
		err = d.s.end()
	}
	return req, err
}

// DecodeStoredOp reads one op as a server stores it: the JSON of an op
// that DecodePush read and Check accepted. It reads it as encoding/json
// would, several times faster, without checking the value again; the op
// aliases b.
func DecodeStoredOp(b []byte) (Op, error) {
	var op Op
	d := opDecoder{s: scanner{b: b, valid: true}}
	err := d.s.members(func(k []byte) error { return d.member(&op, k) })
	if err == nil {
		err = d.s.end()
	}
	return op, err
}

// opDecoder reads ops from a push body.
type opDecoder struct {
	s scanner
	// names holds the ops' group names, one allocation for many ops.
	names []string
}

// member reads the member named by the string token k into op. As with
// encoding/json, a null leaves the field as it is (a null value is kept:
// the check refuses it).
func (d *opDecoder) member(op *Op, k []byte) error {
	key, err := unquoteBytes(k)
	if err != nil {
		return err
	}
	s := &d.s
	if string(key) == "value" {
		// Skimmed: checkAll reads it.
		v0 := s.i
		err := s.skim()
		op.Value = s.b[v0:s.i]
		return err
	}
	if !isOpMember(key) {
		return fmt.Errorf("json: unknown field %q", key)
	}
	if s.null() {
		return nil
	}
	switch string(key) {
	case "op_id":
		text, err := d.str("op_id")
		op.OpID = string(text)
		return err
	case "replica":
		text, err := d.str("replica")
		if err != nil {
			return err
		}
		if len(text) == 2*len(op.Replica) {
			if _, err := hex.Decode(op.Replica[:], text); err == nil {
				return nil
			}
		}
		op.Replica, err = store.ParseReplica(string(text))
		return wrapMember("replica", err)
	case "entity":
		text, err := d.str("entity")
		if err != nil {
			return err
		}
		e, ok := entityByName[string(text)]
		if !ok {
			_, err = model.ParseEntity(string(text))
			return wrapMember("entity", err)
		}
		op.Entity = e
		return nil
	case "id":
		text, err := d.str("id")
		if err != nil {
			return err
		}
		return wrapMember("id", op.ID.UnmarshalText(text))
	case "hlc":
		text, err := d.str("hlc")
		if err != nil {
			return err
		}
		n, err := strconv.ParseUint(string(text), 10, 64)
		op.HLC = store.HLC(n)
		return wrapMember("hlc", err)
	case "groups":
		return d.groups(op)
	case "deleted":
		switch {
		case s.literal("true") == nil:
			op.Deleted = true
		case s.literal("false") == nil:
			op.Deleted = false
		default:
			return fmt.Errorf("json: deleted is not a boolean")
		}
		return nil
	case "updated_at":
		v0 := s.i
		if err := s.skipValue(0); err != nil {
			return err
		}
		return op.UpdatedAt.UnmarshalJSON(s.b[v0:s.i])
	}
	// base
	v0 := s.i
	if err := s.skipValue(0); err != nil {
		return err
	}
	n, err := strconv.ParseUint(string(s.b[v0:s.i]), 10, 64)
	if err != nil {
		return fmt.Errorf("json: base is not a sequence number")
	}
	op.Base = n
	return nil
}

func isOpMember(k []byte) bool {
	switch string(k) {
	case "op_id", "replica", "entity", "id", "hlc", "groups", "value", "deleted", "updated_at", "base":
		return true
	}
	return false
}

// groups reads an op's group names.
func (d *opDecoder) groups(op *Op) error {
	s := &d.s
	if !s.at('[') {
		return fmt.Errorf("json: groups is not an array")
	}
	start := len(d.names)
	err := s.array(func(int) error {
		if s.null() {
			d.names = append(d.names, "")
			return nil
		}
		text, err := d.str("groups")
		if err != nil {
			return err
		}
		name, ok := groupNames[string(text)]
		if !ok {
			name = string(text)
		}
		d.names = append(d.names, name)
		return nil
	})
	op.Groups = d.names[start:len(d.names):len(d.names)]
	return err
}

// str reads the string member name, as a slice of the input when it has
// neither escapes nor anything but ASCII, else as a copy.
func (d *opDecoder) str(name string) ([]byte, error) {
	s := &d.s
	if !s.at('"') {
		return nil, fmt.Errorf("json: %s is not a string", name)
	}
	b := s.b
	for i := s.i + 1; i < len(b); i++ {
		c := b[i]
		if c == '"' {
			text := b[s.i+1 : i]
			s.i = i + 1
			return text, nil
		}
		if c < 0x20 || c == '\\' || c >= 0x80 {
			break
		}
	}
	v0 := s.i
	if err := s.skipString(); err != nil {
		return nil, err
	}
	text, err := unquoteBytes(b[v0:s.i])
	return text, wrapMember(name, err)
}

func wrapMember(name string, err error) error {
	if err != nil {
		return fmt.Errorf("json: %s: %w", name, err)
	}
	return nil
}

// entityByName maps the entities' names to them.
var entityByName = func() map[string]model.Entity {
	m := map[string]model.Entity{}
	for _, e := range model.Entities {
		m[e.String()] = e
	}
	return m
}()

// checkAll checks every op and keeps the verdicts. A value whose text
// is not valid JSON makes the body malformed rather than the op invalid.
func checkAll(ops []Op) error {
	bad := make([]bool, len(ops))
	work := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			op := &ops[i]
			op.mask, op.verdict = op.check()
			op.checked = true
			if op.verdict != nil && len(op.Value) > 0 && !validValue(op.Value) {
				bad[i] = true
			}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if len(ops) < 512 || workers == 1 {
		work(0, len(ops))
	} else {
		var wg sync.WaitGroup
		step := (len(ops) + workers - 1) / workers
		for lo := 0; lo < len(ops); lo += step {
			wg.Go(func() { work(lo, min(lo+step, len(ops))) })
		}
		wg.Wait()
	}
	if i := slices.Index(bad, true); i >= 0 {
		return fmt.Errorf("ops[%d]: the value is not valid JSON", i)
	}
	return nil
}

// groupNames holds every field group's name, so that decoding an op's
// groups does not allocate them again and again.
var groupNames = func() map[string]string {
	m := map[string]string{}
	for _, e := range model.Entities {
		for _, g := range model.Groups(e) {
			m[g.Name] = g.Name
		}
	}
	return m
}()
