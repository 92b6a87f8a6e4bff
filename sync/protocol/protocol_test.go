package protocol

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func TestEachMember(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]string
		ok   bool
	}{
		{`{}`, map[string]string{}, true},
		{` { "a" : 1 , "b":"x\"}" ,"c":[1,{"d":[]}],"e\u00e9":null, "f":{"g":true}} `,
			map[string]string{"a": "1", "b": `"x\"}"`, "c": `[1,{"d":[]}]`, "eé": "null", "f": `{"g":true}`}, true},
		{`[]`, nil, false},
		{`{"a":1,}`, nil, false},
		{`{"a" 1}`, nil, false},
		{`{"a":1} x`, nil, false},
		{`{"a":[1,2}`, nil, false},
		{`{"a":"unterminated}`, nil, false},
		{`{"a":"ends in a backslash\`, nil, false},
		{`{"a":"short escape \u12`, nil, false},
		{`{"a":"` + strings.Repeat("long ", 20) + `\`, nil, false},
		{`{"a":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`, nil, false},
		{``, nil, false},
	} {
		got := map[string]string{}
		err := EachMember([]byte(tc.in), func(k string, v json.RawMessage) bool {
			got[k] = string(v)
			return true
		})
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && !maps.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzEachMember checks the fast reader against encoding/json: on every
// object encoding/json reads, it finds the same members.
func FuzzEachMember(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":{"b":[1,"]"]},"c":"\\"}`, `{"a":1,"a":2}`, `{"x":-1.5e3,"y":[true,false,null]}`, `[1]`, `{"a`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := map[string]json.RawMessage{}
		err := EachMember(b, func(k string, v json.RawMessage) bool {
			got[k] = v
			return true
		})
		var want map[string]json.RawMessage
		if jerr := json.Unmarshal(b, &want); jerr != nil || want == nil {
			return // EachMember may accept what encoding/json refuses, as long as it does not crash
		}
		if err != nil {
			t.Fatalf("EachMember refuses %q that encoding/json reads: %v", b, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d members, encoding/json finds %d", b, len(got), len(want))
		}
		for k, v := range want {
			if !bytes.Equal(bytes.TrimSpace(got[k]), bytes.TrimSpace(v)) {
				t.Fatalf("%q: member %q is %q, encoding/json says %q", b, k, got[k], v)
			}
		}
	})
}

func TestGroupValue(t *testing.T) {
	c := model.Contact{Name: "Maria", Title: "CTO", Tags: []string{"vip"}, Emails: []model.Email{{Address: "m@a.com"}}}
	rec, _ := json.Marshal(c)
	name := model.GroupIndex(model.EntityContact, "name")
	title := model.GroupIndex(model.EntityContact, "title")
	emails := model.GroupIndex(model.EntityContact, "emails")
	birthday := model.GroupIndex(model.EntityContact, "birthday")
	v, err := GroupValue(model.EntityContact, rec, 1<<name|1<<title|1<<emails|1<<birthday)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(v, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"name": `"Maria"`, "title": `"CTO"`, "emails": `["m@a.com"]`, "email_details": `[{"address":"m@a.com"}]`, "birthday": "null"}
	if len(got) != len(want) {
		t.Fatalf("value %s", v)
	}
	for k, w := range want {
		if string(got[k]) != w {
			t.Errorf("%s = %s, want %s", k, got[k], w)
		}
	}
	// It agrees with the model's one-group form.
	for g := range model.Groups(model.EntityContact) {
		mine, _ := GroupValue(model.EntityContact, rec, 1<<g)
		theirs, _ := model.GroupValue(model.EntityContact, &c, g)
		var a, b map[string]json.RawMessage
		json.Unmarshal(mine, &a)
		json.Unmarshal(theirs, &b)
		if !maps.EqualFunc(a, b, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) }) {
			t.Errorf("group %d: %s, model says %s", g, mine, theirs)
		}
	}
}

func validOp() Op {
	r := store.Replica{1, 2, 3}
	h := store.MakeHLC(time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	return Op{OpID: OpID(r, h), Replica: r, Entity: model.EntityContact, ID: model.NewID(time.Now()), HLC: h,
		Groups: []string{"name", "title"}, Value: json.RawMessage(`{"name":"Maria","title":null}`)}
}

func TestIsOpID(t *testing.T) {
	for _, r := range []store.Replica{{}, {1, 2, 3}, {0xff, 0xfe, 0xab, 0xcd, 15: 0x10}} {
		for _, h := range []store.HLC{1, 0x0123456789abcdef, 1<<64 - 1} {
			id := OpID(r, h)
			if !isOpID(id, r, h) {
				t.Errorf("%s is not the id of %s at %d", id, r, h)
			}
			for i := range id {
				for _, c := range []byte{'0', 'a', 'F', '-', 'g'} {
					other := []byte(id)
					if other[i] == c {
						continue
					}
					other[i] = c
					if isOpID(string(other), r, h) {
						t.Errorf("%s passes for %s", other, id)
					}
				}
			}
			if isOpID(id+"0", r, h) || isOpID(id[1:], r, h) {
				t.Errorf("%s: a longer or shorter id passes", id)
			}
		}
	}
}

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		edit func(*Op)
		ok   bool
	}{
		{"valid", func(*Op) {}, true},
		{"deletion", func(o *Op) { o.Groups, o.Value, o.Deleted = nil, nil, true }, true},
		{"deletion with a value", func(o *Op) { o.Deleted = true }, false},
		{"no id", func(o *Op) { o.ID = model.ID{} }, false},
		{"no clock", func(o *Op) { o.HLC = 0; o.OpID = OpID(o.Replica, 0) }, false},
		{"wrong op id", func(o *Op) { o.OpID = "x" }, false},
		{"unknown group", func(o *Op) { o.Groups = []string{"name", "shoe_size"} }, false},
		{"group twice", func(o *Op) { o.Groups = []string{"name", "name", "title"} }, false},
		{"no groups", func(o *Op) { o.Groups = nil }, false},
		{"field of another group", func(o *Op) { o.Groups = []string{"name"} }, false},
		{"value not an object", func(o *Op) { o.Value = json.RawMessage(`"Maria"`) }, false},
		{"no value", func(o *Op) { o.Value = nil }, false},
		{"unknown entity", func(o *Op) { o.Entity = 9 }, false},
	} {
		op := validOp()
		tc.edit(&op)
		if err := op.Check(); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	op := validOp()
	op.HLC = store.MakeHLC(now.Add(6 * time.Minute))
	if err := op.CheckClock(now); err == nil {
		t.Error("an op 6 minutes ahead passes")
	}
	op.HLC = store.MakeHLC(now.Add(4 * time.Minute))
	if err := op.CheckClock(now); err != nil {
		t.Errorf("an op 4 minutes ahead: %v", err)
	}
}

// FuzzDecodePush reads arbitrary push bodies as the server does; valid
// ops survive a round trip unchanged.
// sameOp reports whether two ops have the same members.
func sameOp(x, y Op) bool {
	return x.OpID == y.OpID && x.Replica == y.Replica && x.Entity == y.Entity && x.ID == y.ID && x.HLC == y.HLC &&
		slices.Equal(x.Groups, y.Groups) && bytes.Equal(x.Value, y.Value) && x.Deleted == y.Deleted &&
		x.UpdatedAt.Equal(y.UpdatedAt) && x.Base == y.Base
}

func FuzzDecodePush(f *testing.F) {
	good, _ := json.Marshal(PushRequest{Ops: []Op{validOp()}})
	f.Add(good)
	f.Add([]byte(`{"ops":[{"op_id":"","replica":"00000000000000000000000000000000","entity":"deal","id":"01M8H2A1946DA5JQ7JR3NG93VP","hlc":"5","deleted":true}]}`))
	f.Add([]byte(`{"ops":null}`))
	rich := validOp()
	rich.Groups = []string{"name", "emails", "addresses", "custom", "birthday"}
	rich.Value = json.RawMessage(`{"name":"Li \u5a1c","emails":["l@x.cn"],"email_details":[{"address":"l@x.cn","label":"work"}],` +
		`"addresses":[{"city":"北京","street":"a\"b"}],"custom":{"级别":"A","b":null},"birthday":"1990-01-02"}`)
	f.Add(mustMarshal(PushRequest{Ops: []Op{rich, validOp()}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var req PushRequest
		strictErr := DecodeStrictBytes(b, &req)
		fast, fastErr := DecodePush(b)
		if fastErr == nil {
			if strictErr != nil {
				t.Fatalf("DecodePush accepts %q, which encoding/json refuses: %v", b, strictErr)
			}
			if len(fast.Ops) != len(req.Ops) {
				t.Fatalf("%q: %d ops, encoding/json reads %d", b, len(fast.Ops), len(req.Ops))
			}
			for i := range fast.Ops {
				// The text an op was read from reads back as the same op.
				var again PushRequest
				if err := DecodeStrictBytes([]byte(`{"ops":[`+string(fast.Ops[i].JSON())+`]}`), &again); err != nil || len(again.Ops) != 1 {
					t.Fatalf("%q: op %d's text %s does not read back: %v", b, i, fast.Ops[i].JSON(), err)
				}
				if z, y := again.Ops[0], req.Ops[i]; !sameOp(z, y) {
					t.Fatalf("%q: op %d's text reads as %+v, the body as %+v", b, i, z, y)
				}
				// The verdict DecodePush kept is what checking the op says.
				if mine, theirs := fast.Ops[i].Check(), req.Ops[i].Check(); (mine == nil) != (theirs == nil) {
					t.Fatalf("%q: op %d: DecodePush's check says %v, checking the decoded op says %v", b, i, mine, theirs)
				}
				x, y := fast.Ops[i], req.Ops[i]
				if !sameOp(x, y) {
					t.Fatalf("%q: op %d reads as %+v, encoding/json says %+v", b, i, x, y)
				}
				// A stored op (one that passed) reads back as it was pushed.
				if x.Check() == nil {
					if z, err := DecodeStoredOp(x.JSON()); err != nil || !sameOp(z, y) {
						t.Fatalf("%q: op %d stored as %s reads back as %+v, %v; want %+v", b, i, x.JSON(), z, err, y)
					}
				}
			}
		}
		if strictErr != nil {
			return
		}
		for i := range req.Ops {
			op := req.Ops[i]
			if op.Check() != nil {
				continue
			}
			enc, err := json.Marshal(op)
			if err != nil {
				t.Fatalf("a valid op does not encode: %v", err)
			}
			var back Op
			if err := DecodeStrictBytes(enc, &back); err != nil {
				t.Fatalf("%s does not decode: %v", enc, err)
			}
			if err := back.Check(); err != nil {
				t.Fatalf("%s no longer checks: %v", enc, err)
			}
			if back.OpID != op.OpID || back.Stamp() != op.Stamp() || back.ID != op.ID {
				t.Fatalf("round trip changed the op: %+v -> %+v", op, back)
			}
			// The fast encoder writes what encoding/json reads back the same.
			var fromFast Op
			if err := DecodeStrictBytes(op.AppendJSON(nil), &fromFast); err != nil {
				t.Fatalf("AppendJSON wrote %s: %v", op.AppendJSON(nil), err)
			}
			if fromFast.OpID != op.OpID || fromFast.Stamp() != op.Stamp() || !slices.Equal(fromFast.Groups, op.Groups) ||
				!bytes.Equal(fromFast.Value, op.Value) || !fromFast.UpdatedAt.Equal(op.UpdatedAt) || fromFast.Base != op.Base {
				t.Fatalf("AppendJSON round trip: %+v -> %+v", op, fromFast)
			}
		}
	})
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecodePushValueSyntax: DecodePush only skims values while reading
// the body and checks them afterwards; a value that is not valid JSON (or
// nested deeper than DecodePush reads) still makes the whole body
// malformed, whatever else is wrong with its op.
func TestDecodePushValueSyntax(t *testing.T) {
	for _, v := range []string{
		"{\"name\":\"a\tb\"}", // a control character in a string
		`{"name":"a\qb"}`,
		`{"name":"Maria",}`,
		`{"name":"Maria"]`,
		`{"name" "Maria"}`,
		`{"custom":{"a":"b",}}`,
		`{"tags":[1 2]}`,
		`{"tags":[tru]}`,
		`{"name":01}`,
		`{"addresses":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}`,
		`{"shoe_size":[1,}`,
		`nul`,
		`"unterminated}`,
	} {
		for _, edit := range []func(*Op){
			func(*Op) {},
			func(o *Op) { o.OpID = "x" },
			func(o *Op) { o.Deleted = true },
			func(o *Op) { o.Groups = []string{"shoe_size"} },
		} {
			op := validOp()
			edit(&op)
			body := string(mustMarshal(PushRequest{Ops: []Op{op}}))
			body = strings.Replace(body, `{"name":"Maria","title":null}`, v, 1)
			if !strings.Contains(body, v) {
				t.Fatalf("value %s not in %s", v, body)
			}
			if json.Valid([]byte(body)) != strings.Contains(v, "[[[") { // too deep for DecodePush, not for encoding/json
				t.Fatalf("%s is valid JSON", body)
			}
			if _, err := DecodePush([]byte(body)); err == nil {
				t.Errorf("DecodePush accepts %s", body)
			}
		}
	}
}

// TestDecodePushChecks: the ops DecodePush reads carry Check's verdict.
func TestDecodePushChecks(t *testing.T) {
	good, wrongType, stray := validOp(), validOp(), validOp()
	wrongType.Value = json.RawMessage(`{"name":5,"title":null}`)
	stray.Value = json.RawMessage(`{"name":"Maria","title":null,"tags":[]}`)
	deal := validOp()
	deal.Entity, deal.Groups = model.EntityDeal, []string{"value"}
	deal.Value = json.RawMessage(`{"amount":"12.345","currency":"usd"}`)
	yen := deal
	yen.Value = json.RawMessage(`{"currency":"JPY","amount":"1200"}`)
	req, err := DecodePush(mustMarshal(PushRequest{Ops: []Op{good, wrongType, stray, deal, yen}}))
	if err != nil {
		t.Fatal(err)
	}
	for i, ok := range []bool{true, false, false, false, true} {
		if err := req.Ops[i].Check(); (err == nil) != ok {
			t.Errorf("op %d (%s): %v", i, req.Ops[i].Value, err)
		}
	}
	if m, err := req.Ops[0].Mask(); err != nil || m != 1<<model.GroupIndex(model.EntityContact, "name")|1<<model.GroupIndex(model.EntityContact, "title") {
		t.Errorf("mask %b, %v", m, err)
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add("0123456789abcdef.42")
	f.Add("")
	f.Add("0123456789abcdef.")
	f.Add("x.1")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil || s == "" {
			return
		}
		if c.String() != s {
			t.Fatalf("%q reads as %+v, which writes %q", s, c, c.String())
		}
	})
}

// TestEveryGroupKeyIsChecked: every field a group holds has a typed
// check, or is one the record's own decoder reads (a deal's amount and
// currency).
func TestEveryGroupKeyIsChecked(t *testing.T) {
	whole := map[string]bool{"deal/amount": true, "deal/currency": true}
	for _, e := range model.Entities {
		for _, g := range model.Groups(e) {
			for _, k := range g.Keys {
				if ki, _ := keysOf(e).find([]byte(k)); ki.check == nil && !whole[e.String()+"/"+k] {
					t.Errorf("%s field %q has no check", e, k)
				}
			}
		}
	}
}

// FuzzCheckTypes: the field-by-field check accepts a value exactly when
// decoding it into the record does.
func FuzzCheckTypes(f *testing.F) {
	f.Add(uint8(1), []byte(`{"name":"Maria","emails":["a@b"],"email_details":[{"address":"a@b"}],"birthday":"1985-04-02"}`))
	f.Add(uint8(1), []byte(`{"name":5}`))
	f.Add(uint8(1), []byte(`{"tags":["a",3]}`))
	f.Add(uint8(1), []byte(`{"birthday":"April"}`))
	f.Add(uint8(1), []byte(`{"company_id":"nope"}`))
	f.Add(uint8(3), []byte(`{"amount":"12.5","currency":"USD"}`))
	f.Add(uint8(3), []byte(`{"amount":"twelve","currency":"USD"}`))
	f.Add(uint8(4), []byte(`{"due":"tomorrow","repeat":"weekly"}`))
	f.Add(uint8(4), []byte(`{"due":"2026-12-01","repeat":"every blue moon"}`))
	f.Add(uint8(5), []byte(`{"kind":"call","score":7,"at":"2026-01-01T00:00:00Z"}`))
	f.Add(uint8(2), []byte(`{"address":{"city":"Austin"},"custom":{"a":"b"}}`))
	f.Fuzz(func(t *testing.T, ent uint8, v []byte) {
		e := model.Entity(ent%5 + 1)
		if !json.Valid(v) {
			// The check reads the value's syntax too: DecodePush relies on it.
			if err := checkValue(e, model.AllGroups(e), v); err == nil {
				t.Fatalf("%s %q: the check accepts what is not JSON", e, v)
			}
			return
		}
		keys := map[string]bool{}
		dup := false
		if EachMember(v, func(k string, _ json.RawMessage) bool {
			dup = dup || keys[k]
			keys[k] = true
			return true
		}) != nil || dup {
			return
		}
		for k := range keys {
			if _, ok := keysOf(e).find([]byte(k)); !ok {
				return
			}
		}
		mine := checkValue(e, model.AllGroups(e), v)
		theirs := json.Unmarshal(v, NewRecord(e))
		if (mine == nil) != (theirs == nil) {
			t.Fatalf("%s %s: field check says %v, decoding says %v", e, v, mine, theirs)
		}
	})
}
