package protocol

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// AppendJSON appends the op's JSON, as json.Marshal writes it, to b. It
// copies the value as it is instead of compacting it again: big pushes
// spend most of their time there otherwise. The value must be valid
// JSON (it is, when it was decoded or built by GroupValue).
func (o *Op) AppendJSON(b []byte) []byte {
	b = append(b, `{"op_id":`...)
	b = appendString(b, o.OpID)
	b = append(b, `,"replica":"`...)
	b = hex.AppendEncode(b, o.Replica[:])
	b = append(b, `","entity":"`...)
	b = append(b, o.Entity.String()...)
	b = append(b, `","id":"`...)
	b = appendID(b, o.ID)
	b = append(b, `","hlc":"`...)
	b = strconv.AppendUint(b, uint64(o.HLC), 10)
	b = append(b, '"')
	if len(o.Groups) > 0 {
		b = append(b, `,"groups":[`...)
		for i, g := range o.Groups {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, g)
		}
		b = append(b, ']')
	}
	if len(o.Value) > 0 {
		b = append(b, `,"value":`...)
		b = append(b, o.Value...)
	}
	if o.Deleted {
		b = append(b, `,"deleted":true`...)
	}
	if !o.UpdatedAt.IsZero() {
		b = append(b, `,"updated_at":"`...)
		b = o.UpdatedAt.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	if o.Base != 0 {
		b = append(b, `,"base":`...)
		b = strconv.AppendUint(b, o.Base, 10)
	}
	return append(b, '}')
}

// appendID appends id's text form (26 characters) to b.
func appendID(b []byte, id model.ID) []byte {
	var text [26]byte
	_ = id.MarshalTextTo(text[:]) // cannot fail: text has the size it needs
	return append(b, text[:]...)
}

// AppendPush appends the body of a push of ops to b.
func AppendPush(b []byte, ops []Op) []byte {
	n := 16
	for i := range ops {
		n += 256 + 12*len(ops[i].Groups) + len(ops[i].Value)
	}
	b = slices.Grow(b, n)
	b = append(b, `{"ops":[`...)
	for i := range ops {
		if i > 0 {
			b = append(b, ',')
		}
		b = ops[i].AppendJSON(b)
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string, as json.Marshal writes it.
func appendString[S string | []byte](b []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		if escaped[s[i]] {
			q, _ := json.Marshal(string(s))
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// escaped marks the bytes appendString leaves to json.Marshal: those it
// escapes, and all but ASCII.
var escaped = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&'
	}
	return t
}()
