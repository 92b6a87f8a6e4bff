package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// DecodePush reads the body of a push. It is DecodeStrict for a
// PushRequest, several times faster on big pushes: it checks the body is
// valid JSON once, then reads the ops' members directly and keeps each
// value as a slice of b. It is strict: an unknown member (in any letter
// case), a member of the wrong type or anything after the body is an
// error. The ops alias b.
func DecodePush(b []byte) (PushRequest, error) {
	var req PushRequest
	if !json.Valid(b) {
		// Let encoding/json say where the syntax breaks.
		var v any
		err := json.Unmarshal(b, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return req, err
	}
	s := scanner{b: b}
	err := s.object(func(k string) error {
		if k != "ops" {
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
			err := s.object(func(k string) error {
				v0 := s.i
				if err := s.skipValue(0); err != nil {
					return err
				}
				v := json.RawMessage(b[v0:s.i])
				if string(v) == "null" && k != "value" {
					return nil // as encoding/json: null leaves the field as it is
				}
				return decodeMember(&op, k, v)
			})
			if err != nil {
				return fmt.Errorf("ops[%d]: %w", i, err)
			}
			req.Ops = append(req.Ops, op)
			return nil
		})
	})
	return req, err
}

func decodeMember(op *Op, k string, v json.RawMessage) error {
	switch k {
	case "op_id":
		return str(v, k, func(s string) error { op.OpID = s; return nil })
	case "replica":
		return str(v, k, func(s string) (err error) { op.Replica, err = store.ParseReplica(s); return err })
	case "entity":
		return str(v, k, func(s string) (err error) { op.Entity, err = model.ParseEntity(s); return err })
	case "id":
		return str(v, k, func(s string) error { return op.ID.UnmarshalText([]byte(s)) })
	case "hlc":
		return str(v, k, func(s string) error {
			n, err := strconv.ParseUint(s, 10, 64)
			op.HLC = store.HLC(n)
			return err
		})
	case "groups":
		op.Groups = op.Groups[:0]
		return eachElement(v, func(_ int, g json.RawMessage) error {
			return str(g, k, func(s string) error { op.Groups = append(op.Groups, s); return nil })
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

// str reads the JSON string v and hands it to set.
func str(v json.RawMessage, name string, set func(string) error) error {
	if len(v) < 2 || v[0] != '"' {
		return fmt.Errorf("json: %s is not a string", name)
	}
	s, err := unquote(v)
	if err == nil {
		err = set(s)
	}
	if err != nil {
		return fmt.Errorf("json: %s: %w", name, err)
	}
	return nil
}
