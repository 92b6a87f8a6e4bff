package protocol

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// DecodePush reads the body of a push. It is DecodeStrict for a
// PushRequest, several times faster on big pushes: it reads the ops'
// members directly, checking the JSON as it goes, and keeps each value as
// a slice of b. It is strict: an unknown member (in any letter case), a
// member of the wrong type or anything after the body is an error. The
// ops alias b.
func DecodePush(b []byte) (PushRequest, error) {
	req, err := decodePush(b)
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
	s := scanner{b: b}
	err := s.object(func(k []byte) error {
		if string(k) != "ops" {
			return fmt.Errorf("json: unknown field %q", k)
		}
		if s.null() {
			return nil
		}
		req.Ops = make([]Op, 0, len(b)/256)
		return s.array(func(i int) error {
			var op Op
			if s.null() {
				req.Ops = append(req.Ops, op)
				return nil
			}
			start := s.i
			err := s.object(func(k []byte) error {
				v0 := s.i
				if err := s.skipValue(0); err != nil {
					return err
				}
				v := json.RawMessage(b[v0:s.i])
				name, ok := opMembers[string(k)]
				if !ok {
					return fmt.Errorf("json: unknown field %q", k)
				}
				if string(v) == "null" && name != "value" {
					return nil // as encoding/json: null leaves the field as it is
				}
				return decodeMember(&op, name, v)
			})
			if err != nil {
				return fmt.Errorf("ops[%d]: %w", i, err)
			}
			op.text = b[start:s.i:s.i]
			req.Ops = append(req.Ops, op)
			return nil
		})
	})
	if err == nil {
		err = s.end()
	}
	return req, err
}

// opMembers are the members of an op, by name.
var opMembers = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"op_id", "replica", "entity", "id", "hlc", "groups", "value", "deleted", "updated_at", "base"} {
		m[k] = k
	}
	return m
}()

func decodeMember(op *Op, k string, v json.RawMessage) error {
	switch k {
	case "op_id":
		return str(v, k, func(s []byte) error { op.OpID = string(s); return nil })
	case "replica":
		return str(v, k, func(s []byte) error {
			if len(s) == 2*len(op.Replica) {
				if _, err := hex.Decode(op.Replica[:], s); err == nil {
					return nil
				}
			}
			var err error
			op.Replica, err = store.ParseReplica(string(s))
			return err
		})
	case "entity":
		return str(v, k, func(s []byte) (err error) { op.Entity, err = model.ParseEntity(string(s)); return err })
	case "id":
		return str(v, k, func(s []byte) error { return op.ID.UnmarshalText(s) })
	case "hlc":
		return str(v, k, func(s []byte) error {
			n, err := strconv.ParseUint(string(s), 10, 64)
			op.HLC = store.HLC(n)
			return err
		})
	case "groups":
		op.Groups = op.Groups[:0]
		return eachElement(v, func(_ int, g json.RawMessage) error {
			return str(g, k, func(s []byte) error {
				name, ok := groupNames[string(s)]
				if !ok {
					name = string(s)
				}
				op.Groups = append(op.Groups, name)
				return nil
			})
		})
	case "value":
		op.Value = v
		return nil
	case "deleted":
		switch string(v) {
		case "true", "false":
			op.Deleted = string(v) == "true"
			return nil
		}
		return fmt.Errorf("json: deleted is not a boolean")
	case "updated_at":
		return op.UpdatedAt.UnmarshalJSON(v)
	case "base":
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil {
			return fmt.Errorf("json: base is not a sequence number")
		}
		op.Base = n
		return nil
	}
	return fmt.Errorf("json: unknown field %q", k)
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

// str reads the JSON string v and hands it to set.
func str(v json.RawMessage, name string, set func([]byte) error) error {
	if len(v) < 2 || v[0] != '"' {
		return fmt.Errorf("json: %s is not a string", name)
	}
	s, err := unquoteBytes(v)
	if err == nil {
		err = set(s)
	}
	if err != nil {
		return fmt.Errorf("json: %s: %w", name, err)
	}
	return nil
}
