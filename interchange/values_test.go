package interchange

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
)

func TestParseDay(t *testing.T) {
	for in, want := range map[string]string{
		"1985-04-02": "1985-04-02", "1985/4/2": "1985-04-02", "19850402": "1985-04-02", "1985年4月2日": "1985-04-02",
		"4/2/1985": "1985-04-02", "25/12/1985": "1985-12-25", "25.12.1985": "1985-12-25", "7/14/82": "1982-07-14",
		"April 2, 1985": "1985-04-02", "2 Apr 1985": "1985-04-02", "1985-04-02T00:00:00Z": "1985-04-02",
		"1985-04-02 10:00:00": "1985-04-02", "--04-02": "no year", "--0402": "no year", "4月2日": "no year",
		"2/30/1985": "error", "tomorrow": "error", "13/13/2000": "error",
	} {
		d, err := parseDay(in)
		got := d.String()
		switch {
		case errors.Is(err, errNoYear):
			got = "no year"
		case err != nil:
			got = "error"
		}
		if got != want {
			t.Errorf("parseDay(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]string{
		"2023-04-12T08:15:00.000Z": "2023-04-12T08:15:00Z", "2024-05-06 14:31": "2024-05-06T14:31:00Z",
		"2024-05-06 14:31:09": "2024-05-06T14:31:09Z", "1/2/2024 15:04": "2024-01-02T15:04:00Z",
		"1714998660000": "2024-05-06T12:31:00Z", "2024-05-06": "2024-05-06T00:00:00Z", "2024-05-06T10:00:00+08:00": "2024-05-06T02:00:00Z",
	} {
		got, err := parseTime(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("parseTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := parseTime("last tuesday"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("parseTime accepted nonsense: %v", err)
	}
}

func TestCellLists(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"a@x.com; b@y.com", []string{"a@x.com", "b@y.com"}},
		{"A@X.com ::: b@y.com", []string{"a@x.com", "b@y.com"}},
		{"work:a@x.com, home:b@y.com", []string{"work:a@x.com", "home:b@y.com"}},
		{"Maria Garcia <maria@acme.com>, Bob <bob@x.com>", []string{"maria@acme.com", "bob@x.com"}},
		{"mailto:a@x.com", []string{"a@x.com"}},
	} {
		es, err := emailsIn(tc.in)
		var got []string
		for _, e := range es {
			got = append(got, withInlineLabel(e.Label, e.Address))
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("emailsIn(%q) = %v, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"13800138000/13900139000", []string{"13800138000", "13900139000"}},
		{"0755-1234/5678", []string{"0755-1234/5678"}},
		{"+1 415 555 0100, +1 415 555 0101", []string{"+1 415 555 0100", "+1 415 555 0101"}},
		{"mobile:+86 138 0013 8000; work:010-6234 5678", []string{"mobile:+86 138 0013 8000", "work:010-6234 5678"}},
		{"'13800138000", []string{"13800138000"}},
		{"13800138000.0", []string{"13800138000"}},
		{"tel:+14155550100", []string{"+14155550100"}},
		{"138 0013 8000 ::: 139 0013 9000", []string{"138 0013 8000", "139 0013 9000"}},
	} {
		ps, err := phonesIn(tc.in)
		var got []string
		for _, p := range ps {
			got = append(got, withInlineLabel(p.Label, p.Number))
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("phonesIn(%q) = %v, %v", tc.in, got, err)
		}
	}
	for _, bad := range []string{"1.38001E+10", "call me", "n/a phone"} {
		if _, err := phonesIn(bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("phonesIn(%q) accepted", bad)
		}
	}
	if got := tagsIn("* myContacts ::: VIP ::: * starred ::: 重点客户、老客户"); !slices.Equal(got, []string{"VIP", "starred", "重点客户", "老客户"}) {
		t.Errorf("tagsIn = %q", got)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ first, middle, last, want string }{
		{"Maria", "", "Garcia", "Maria Garcia"}, {"伟", "", "张", "张伟"}, {"John", "F.", "Kennedy", "John F. Kennedy"},
		{"", "", "Garcia", "Garcia"}, {"Wei", "", "张", "Wei 张"},
	} {
		if got := composeName(tc.first, tc.middle, tc.last); got != tc.want {
			t.Errorf("composeName(%q, %q, %q) = %q", tc.first, tc.middle, tc.last, got)
		}
	}
	for name, want := range map[string]string{"Maria Garcia": "Garcia|Maria", "张伟": "张|伟", "欧阳娜娜": "欧阳|娜娜",
		"Madonna": "|Madonna", "John F. Kennedy": "Kennedy|John F."} {
		f, g := splitName(name)
		if got := f + "|" + g; got != want {
			t.Errorf("splitName(%q) = %s, want %s", name, got, want)
		}
	}
	for in, want := range map[string]string{"* Work": "work", "Mobile": "mobile", "cell": "mobile", "手机": "mobile",
		"Business": "work", "INTERNET": "", "Shanghai office": "shanghai office"} {
		if got := labelOf(in); got != want {
			t.Errorf("labelOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStages(t *testing.T) {
	p := model.DefaultPipeline()
	for _, tc := range []struct{ stage, status, want string }{
		{"Proposal Made", "open", "proposal"}, {"Negotiations Started", "won", "won"}, {"Contact Made", "lost", "lost"},
		{"contractsent", "", "negotiation"}, {"Closed Won", "", "won"}, {"QUALIFIED", "", "qualified"}, {"Lead", "", "lead"},
		{"", "", "lead"}, {"商务谈判", "", "negotiation"}, {"Dancing", "", "error"}, {"lead", "maybe", "error"},
	} {
		s, err := stageOf(p, tc.stage, tc.status)
		got := s.Key
		if err != nil {
			got = "error"
		}
		if got != tc.want {
			t.Errorf("stageOf(%q, %q) = %s, want %s", tc.stage, tc.status, got, tc.want)
		}
	}
	for in, want := range map[string]string{"customer": "formation", "marketingqualifiedlead": "lead", "稳定期": "stability", "vip": "vip"} {
		if got := lifecycleOf(in); got != want {
			t.Errorf("lifecycleOf(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]int{"40": 40, "40%": 40, "0.4": 40, "100": 100} {
		if got, err := probabilityOf(in); err != nil || got != want {
			t.Errorf("probabilityOf(%q) = %d, %v", in, got, err)
		}
	}
	if _, err := probabilityOf("120"); err == nil {
		t.Error("probability 120 accepted")
	}
}

func TestLocalizePhones(t *testing.T) {
	for _, tc := range []struct {
		phones  []string
		country string
		want    string // the number of the last phone after localizing
	}{
		{[]string{"+1 415-555-0100", "(415) 555-0199"}, "", "+14155550199"},
		{[]string{"(415) 555-0199"}, "United States", "+14155550199"},
		{[]string{"(415) 555-0199"}, "", "(415) 555-0199"},                  // no hint: the configured region decides later
		{[]string{"+86 138 0013 8000", "010-62345678"}, "", "010-62345678"}, // the configured region already
	} {
		c := model.Contact{Name: "x"}
		for _, p := range tc.phones {
			c.Phones = append(c.Phones, model.Phone{Number: p})
		}
		if tc.country != "" {
			c.Addresses = []model.Address{{Country: tc.country}}
		}
		localizePhones(&c, "CN")
		if got := c.Phones[len(c.Phones)-1].Number; got != tc.want {
			t.Errorf("%v %s: %s, want %s", tc.phones, tc.country, got, tc.want)
		}
	}
}

func ExampleDetectFormat() {
	for _, s := range []string{"BEGIN:VCARD\r\n", "{\"format\":\"rolo\"}", "[{\"name\":\"x\"}]", "[Name],Email\n", "Name,Email\n"} {
		f, _ := DetectFormat([]byte(s), "auto")
		fmt.Println(f)
	}
	// Output:
	// vcard
	// json
	// json
	// csv
	// csv
}
