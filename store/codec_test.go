package store

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

var (
	idA = model.ID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	idB = model.ID{0xff, 0xfe, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	idC = model.ID{0x42}
	tc  = time.Date(2025, 11, 2, 8, 30, 15, 123456789, time.UTC)
	tu  = time.Date(2026, 1, 5, 23, 59, 59, 1, time.UTC)
)

func fullContact() model.Contact {
	return model.Contact{
		Name:      "张伟",
		Emails:    []model.Email{{Address: "zhang.wei@example.cn", Label: "work"}, {Address: "zw@qq.com"}},
		Phones:    []model.Phone{{Number: "+8613812345678", Original: "138 1234 5678", Label: "手机"}, {Number: "12345"}},
		CompanyID: idA,
		Title:     "销售总监",
		Tags:      []string{"vip", "客户", ""},
		Source:    "展会",
		Owner:     "李娜",
		Lifecycle: "stability",
		Custom:    map[string]string{"微信": "zhangwei88", "tier": "gold", "empty": ""},
		Birthday:  model.Date{Year: 1985, Month: 2, Day: 28},
		Addresses: []model.Address{
			{Label: "office", Street: "建国路88号", City: "北京", Region: "北京市", Postcode: "100022", Country: "CN"},
			{Street: "1 Main St", City: "Springfield", Country: "US"},
		},
		Links:     []string{"https://example.cn/zw", "wechat:zhangwei88"},
		CreatedAt: tc,
		UpdatedAt: tu,
	}
}

func fullCompany() model.Company {
	return model.Company{
		Name:      "北京示例科技有限公司",
		Domain:    "example.cn",
		Industry:  "软件",
		Size:      "51-200",
		Phone:     "+861065529988",
		Address:   model.Address{Label: "hq", Street: "中关村大街1号", City: "北京", Region: "海淀区", Postcode: "100080", Country: "CN"},
		Tags:      []string{"partner", "重点"},
		Owner:     "owner@example.cn",
		Custom:    map[string]string{"税号": "91110108MA01", "k": "v"},
		CreatedAt: tc,
		UpdatedAt: tu,
	}
}

func fullDeal() model.Deal {
	return model.Deal{
		Title:       "年度订阅 2026",
		ContactID:   idA,
		CompanyID:   idB,
		Value:       model.Money{Minor: 1234567, Currency: "CNY"},
		Stage:       "lost",
		Probability: ptr(0), // an override of 0 is not "no override"
		Status:      model.StatusLost,
		CloseDate:   model.Date{Year: 2026, Month: 12, Day: 31},
		ClosedAt:    tu,
		LostReason:  "价格太高",
		History: []model.StageMove{
			{Stage: "lead", At: tc},
			{Stage: "proposal", At: tc.Add(48 * time.Hour)},
			{Stage: "lost", At: tu},
		},
		Owner:     "李娜",
		Source:    "referral",
		Tags:      []string{"q4", "续约"},
		Custom:    map[string]string{"合同号": "HT-001"},
		CreatedAt: tc,
		UpdatedAt: tu,
	}
}

func fullTask(timed bool) model.Task {
	due := model.DueOn(model.Date{Year: 2026, Month: 3, Day: 12})
	if timed {
		due = model.DueAt(time.Date(2026, 3, 12, 15, 0, 0, 0, time.UTC))
	}
	return model.Task{
		Title:     "回电话给张伟",
		Due:       due,
		ContactID: idA,
		DealID:    idB,
		CompanyID: idC,
		Priority:  model.PriorityHigh,
		DoneAt:    tu,
		Repeat:    model.Repeat{Every: 2, Unit: "week"},
		Notes:     "带上报价单\nsecond line",
		Owner:     "李娜",
		CreatedAt: tc,
		UpdatedAt: tu,
	}
}

func fullActivity() model.Activity {
	return model.Activity{
		Kind:       model.KindFeedback,
		At:         tc,
		Direction:  "in",
		Channel:    "wechat",
		ContactID:  idA,
		DealID:     idB,
		CompanyID:  idC,
		Body:       "很满意，但是交付慢了",
		Score:      ptr(0), // a score of 0 is not "no score"
		State:      model.ComplaintResolved,
		ResolvedAt: tu,
		Owner:      "李娜",
		CreatedAt:  tc,
	}
}

// codecCase round-trips one record through its encoder and decoder.
type codecCase struct {
	name   string
	encode func() []byte
	decode func([]byte) (any, error)
	want   any
}

func roundTrip[T any](name string, rec T, want T, enc func([]byte, *T) []byte, dec func([]byte, *T) error) codecCase {
	return codecCase{
		name:   name,
		encode: func() []byte { return enc(nil, &rec) },
		decode: func(b []byte) (any, error) {
			var out T
			err := dec(b, &out)
			return out, err
		},
		want: want,
	}
}

func codecCases() []codecCase {
	zeroTimedTask := model.Task{Due: model.DueAt(time.Date(2026, 3, 12, 15, 4, 5, 0, time.UTC))}
	return []codecCase{
		roundTrip("contact/full", fullContact(), fullContact(), encodeContact, decodeContact),
		roundTrip("contact/zero", model.Contact{}, model.Contact{Tags: []string{}}, encodeContact, decodeContact),
		roundTrip("company/full", fullCompany(), fullCompany(), encodeCompany, decodeCompany),
		roundTrip("company/zero", model.Company{}, model.Company{Tags: []string{}}, encodeCompany, decodeCompany),
		roundTrip("company/address-label-only", model.Company{Address: model.Address{Label: "hq"}},
			model.Company{Address: model.Address{Label: "hq"}, Tags: []string{}}, encodeCompany, decodeCompany),
		roundTrip("deal/full", fullDeal(), fullDeal(), encodeDeal, decodeDeal),
		roundTrip("deal/probability-100", model.Deal{Probability: ptr(100)},
			model.Deal{Probability: ptr(100), Tags: []string{}}, encodeDeal, decodeDeal),
		roundTrip("deal/zero", model.Deal{}, model.Deal{Tags: []string{}}, encodeDeal, decodeDeal),
		roundTrip("task/full-day", fullTask(false), fullTask(false), encodeTask, decodeTask),
		roundTrip("task/full-timed", fullTask(true), fullTask(true), encodeTask, decodeTask),
		roundTrip("task/timed-only", zeroTimedTask, zeroTimedTask, encodeTask, decodeTask),
		roundTrip("task/weekdays", model.Task{Repeat: model.Repeat{Every: 1, Unit: "weekday"}},
			model.Task{Repeat: model.Repeat{Every: 1, Unit: "weekday"}}, encodeTask, decodeTask),
		roundTrip("task/zero", model.Task{}, model.Task{}, encodeTask, decodeTask),
		roundTrip("activity/full", fullActivity(), fullActivity(), encodeActivity, decodeActivity),
		roundTrip("activity/score-10", model.Activity{Score: ptr(10)}, model.Activity{Score: ptr(10)}, encodeActivity, decodeActivity),
		roundTrip("activity/zero", model.Activity{}, model.Activity{}, encodeActivity, decodeActivity),
	}
}

func TestCodecRoundTrip(t *testing.T) {
	for _, tc := range codecCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.decode(tc.encode())
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestCodecZeroIsEmpty checks that a zero record encodes to nothing: empty
// values are omitted, which is what keeps records small.
func TestCodecZeroIsEmpty(t *testing.T) {
	for name, b := range map[string][]byte{
		"contact":  encodeContact(nil, &model.Contact{}),
		"company":  encodeCompany(nil, &model.Company{}),
		"deal":     encodeDeal(nil, &model.Deal{}),
		"task":     encodeTask(nil, &model.Task{}),
		"activity": encodeActivity(nil, &model.Activity{}),
	} {
		if len(b) != 0 {
			t.Errorf("%s: zero record encodes to %x, want nothing", name, b)
		}
	}
}

// field encodes one field the way encoder.raw does.
func field(tag byte, p []byte) []byte {
	b := append([]byte{tag}, binary.AppendUvarint(nil, uint64(len(p)))...)
	return append(b, p...)
}

func TestCodecSkipsUnknownTags(t *testing.T) {
	unknown := append(field(200, []byte("from a newer rolo")), field(99, nil)...)
	for _, tc := range codecCases() {
		t.Run(tc.name, func(t *testing.T) {
			enc := tc.encode()
			for _, b := range [][]byte{
				append(clone(unknown), enc...),                     // before
				append(clone(enc), unknown...),                     // after
				append(append(clone(unknown), enc...), unknown...), // both
			} {
				got, err := tc.decode(b)
				if err != nil {
					t.Fatalf("decode with unknown tags: %v", err)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("unknown tags changed the record:\n got %+v\nwant %+v", got, tc.want)
				}
			}
		})
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// TestCodecTruncated cuts every full record at every length: a cut inside
// a field is an error, a cut between fields decodes the fields before it,
// and nothing panics.
func TestCodecTruncated(t *testing.T) {
	for _, tc := range codecCases() {
		enc := tc.encode()
		if len(enc) == 0 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			bounds := fieldBounds(t, enc)
			for n := range len(enc) {
				_, err := tc.decode(enc[:n])
				if bounds[n] && err != nil {
					t.Errorf("cut at field boundary %d: %v", n, err)
				}
				if !bounds[n] && err == nil {
					t.Errorf("cut inside a field at %d of %d: no error", n, len(enc))
				}
			}
		})
	}
}

// fieldBounds returns the offsets at which a top-level field starts.
func fieldBounds(t *testing.T, b []byte) map[int]bool {
	bounds := map[int]bool{0: true}
	for p := 0; p < len(b); {
		n, w := binary.Uvarint(b[p+1:])
		if w <= 0 {
			t.Fatalf("bad encoding at %d", p)
		}
		p += 1 + w + int(n)
		bounds[p] = true
	}
	return bounds
}

var decoders = map[string]func([]byte) error{
	"contact":  func(b []byte) error { return decodeContact(b, &model.Contact{}) },
	"company":  func(b []byte) error { return decodeCompany(b, &model.Company{}) },
	"deal":     func(b []byte) error { return decodeDeal(b, &model.Deal{}) },
	"task":     func(b []byte) error { return decodeTask(b, &model.Task{}) },
	"activity": func(b []byte) error { return decodeActivity(b, &model.Activity{}) },
}

func TestCodecGarbage(t *testing.T) {
	big := binary.AppendVarint(nil, 1<<40)
	structural := map[string][]byte{
		"length past the end":  append(append([]byte{1}, binary.AppendUvarint(nil, 1<<62)...), 'x'),
		"bad length varint":    {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		"tag without length":   {1},
		"good field, then cut": append(field(1, []byte("ok")), 2, 5, 'a'),
	}
	for name, b := range structural {
		for entity, dec := range decoders {
			if err := dec(b); err == nil {
				t.Errorf("%s/%s: no error for %x", name, entity, b)
			}
		}
	}
	// Payloads that are wrong for what their tag holds.
	tests := []struct {
		name string
		dec  func([]byte) error
		b    []byte
	}{
		{"contact bad time", decoders["contact"], field(14, []byte{0x80})},
		{"contact short company id", decoders["contact"], field(4, []byte{1, 2, 3})},
		{"contact cut address", decoders["contact"], field(12, []byte{1, 9})},
		{"contact cut email", decoders["contact"], field(2, []byte{1, 9})},
		{"contact cut custom", decoders["contact"], field(10, []byte{1, 9})},
		{"company bad time", decoders["company"], field(10, []byte{0xff})},
		{"deal bad history time", decoders["deal"], field(12, field(2, []byte{0x80}))},
		{"deal bad amount", decoders["deal"], field(4, nil)},
		{"deal probability out of range", decoders["deal"], field(7, big)},
		{"deal bad close date", decoders["deal"], field(9, []byte{0x80})},
		{"task bad repeat count", decoders["task"], field(9, field(1, []byte{0x80}))},
		{"task 17-byte deal id", decoders["task"], field(5, make([]byte, 17))},
		{"activity score out of range", decoders["activity"], field(9, big)},
		{"activity empty score", decoders["activity"], field(9, nil)},
	}
	for _, tt := range tests {
		if err := tt.dec(tt.b); err == nil {
			t.Errorf("%s: no error for %x", tt.name, tt.b)
		}
	}
}

func TestEnvelope(t *testing.T) {
	st := Stamps{}.Set(model.AllGroups(model.EntityContact), Stamp{HLC: 7, Replica: Replica{1}})
	st = st.Set(groupMask(model.EntityContact, "title"), Stamp{HLC: 9, Replica: Replica{1}})
	c := fullContact()
	v := encodeEnvelope(st, func(b []byte) []byte { return encodeContact(b, &c) })
	gotSt, body, err := splitEnvelope(v)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotSt, st) {
		t.Errorf("stamps: got %+v, want %+v", gotSt, st)
	}
	body2, err := bodyOf(v)
	if err != nil || !bytes.Equal(body, body2) {
		t.Errorf("bodyOf disagrees with splitEnvelope: %v", err)
	}
	if got := gotSt.Of(model.GroupIndex(model.EntityContact, "title")).HLC; got != 9 {
		t.Errorf("title stamp %d, want 9", got)
	}
	if got := gotSt.Of(model.GroupIndex(model.EntityContact, "name")).HLC; got != 7 {
		t.Errorf("name stamp %d, want 7", got)
	}
	if got := gotSt.Latest().HLC; got != 9 {
		t.Errorf("latest %d, want 9", got)
	}
	for n := range len(v) - len(body) {
		if _, _, err := splitEnvelope(v[:n]); err == nil {
			t.Errorf("splitEnvelope of %d of %d header bytes: no error", n, len(v)-len(body))
		}
		if _, err := bodyOf(v[:n]); err == nil {
			t.Errorf("bodyOf of %d of %d header bytes: no error", n, len(v)-len(body))
		}
	}
	if _, _, err := splitEnvelope(append([]byte{2}, v[1:]...)); err == nil {
		t.Error("an unknown envelope format gives no error")
	}
}

// FuzzDecodeRecords checks that no decoder panics on arbitrary bytes, and
// that whatever decodes has a stable encoding.
func FuzzDecodeRecords(f *testing.F) {
	for _, tc := range codecCases() {
		f.Add(tc.encode())
	}
	st := Stamps{}.Set(3, Stamp{HLC: 1})
	c := fullContact()
	f.Add(encodeEnvelope(st, func(b []byte) []byte { return encodeContact(b, &c) }))
	f.Add([]byte{})
	f.Add([]byte{1, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzOne(t, b, encodeContact, decodeContact)
		fuzzOne(t, b, encodeCompany, decodeCompany)
		fuzzOne(t, b, encodeDeal, decodeDeal)
		fuzzOne(t, b, encodeTask, decodeTask)
		fuzzOne(t, b, encodeActivity, decodeActivity)
		_, _, _ = splitEnvelope(b)
		_, _ = bodyOf(b)
		if len(b) >= 8 {
			_, _ = decodeChange(b[:8], b[8:])
		}
		_, _ = splitSearchValue(b)
	})
}

// fuzzOne decodes b as a T; what decodes must re-encode to a stable form:
// encoding, decoding and encoding again gives the same bytes.
func fuzzOne[T any](t *testing.T, b []byte, enc func([]byte, *T) []byte, dec func([]byte, *T) error) {
	var rec T
	if dec(b, &rec) != nil {
		return
	}
	first := enc(nil, &rec)
	var again T
	if err := dec(first, &again); err != nil {
		t.Fatalf("%T: re-encoded record does not decode: %v", rec, err)
	}
	if second := enc(nil, &again); !bytes.Equal(first, second) {
		t.Fatalf("%T: encoding is not stable:\n%x\n%x", rec, first, second)
	}
}
