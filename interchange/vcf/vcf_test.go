package vcf

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
)

func read(t *testing.T, text string) []*Card {
	t.Helper()
	var out []*Card
	r := NewReader([]byte(text))
	for c := r.Next(); c != nil; c = r.Next() {
		out = append(out, c)
	}
	return out
}

func TestReadProperties(t *testing.T) {
	for _, tc := range []struct {
		name, card string
		prop       string // name of the property checked
		value      string // its Text()
		types      []string
		line       int
	}{
		{"folded", "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:one two\r\n  three\r\n\tfour\r\nEND:VCARD\r\n", "NOTE", "one two threefour", nil, 3},
		{"escapes", "BEGIN:VCARD\nVERSION:3.0\nNOTE:a\\, b\\; c\\nd\\\\e\nEND:VCARD\n", "NOTE", "a, b; c\nd\\e", nil, 3},
		{"2.1 keeps backslashes", "BEGIN:VCARD\nVERSION:2.1\nNOTE:C:\\new\\; x\nEND:VCARD\n", "NOTE", "C:\\new; x", nil, 3},
		{"2.1 bare types", "BEGIN:VCARD\nVERSION:2.1\nTEL;CELL;PREF;VOICE:+1 415\nEND:VCARD\n", "TEL", "+1 415", []string{"cell", "pref", "voice"}, 3},
		{"3.0 types", "BEGIN:VCARD\nVERSION:3.0\nTEL;type=WORK;type=pref:1\nEND:VCARD\n", "TEL", "1", []string{"work", "pref"}, 3},
		{"4.0 quoted type list", "BEGIN:VCARD\nVERSION:4.0\nTEL;VALUE=uri;TYPE=\"voice,cell\":tel:+1\nEND:VCARD\n", "TEL", "tel:+1", []string{"voice", "cell"}, 3},
		{"group", "BEGIN:VCARD\nVERSION:3.0\nitem1.EMAIL:a@b.com\nEND:VCARD\n", "EMAIL", "a@b.com", nil, 3},
		{"qp utf-8", "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=BC=9F\nEND:VCARD\n", "FN", "张伟", nil, 3},
		{"qp bare and soft break", "BEGIN:VCARD\nVERSION:2.1\nNOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:line one=0Aline=\n two=\n=E5=BC=A0\nEND:VCARD\n", "NOTE", "line one\nline two张", nil, 3},
		{"qp gbk", "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=CD=F5=B7=BC\nEND:VCARD\n", "FN", "王芳", nil, 3},
		{"qp lower-case hex and stray =", "BEGIN:VCARD\nVERSION:2.1\nNOTE;ENCODING=QUOTED-PRINTABLE:a=3db=zz\nEND:VCARD\n", "NOTE", "a=b=zz", nil, 3},
		{"android label", "BEGIN:VCARD\nVERSION:2.1\nTEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=E5=8A=A9=E7=90=86):123\nEND:VCARD\n", "TEL", "123", []string{"助理"}, 3},
		{"caret escapes", "BEGIN:VCARD\nVERSION:4.0\nX-ROLO-CUSTOM;X-NAME=\"a^'b^nc\":v\nEND:VCARD\n", "X-ROLO-CUSTOM", "v", nil, 3},
		{"colon in quoted param", "BEGIN:VCARD\nVERSION:4.0\nX-A;LABEL=\"a:b\":v\nEND:VCARD\n", "X-A", "v", nil, 3},
		{"lower-case begin", "begin:vcard\nversion:3.0\nfn:x\nend:vcard\n", "FN", "x", nil, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cards := read(t, tc.card)
			if len(cards) != 1 || cards[0].Err != nil {
				t.Fatalf("cards %v", cards)
			}
			p := cards[0].Get(tc.prop)
			if p == nil {
				t.Fatalf("no %s in %+v", tc.prop, cards[0].Props)
			}
			if p.Text() != tc.value || !slices.Equal(p.Types(), tc.types) || p.Line != tc.line {
				t.Errorf("%s = %q %v line %d; want %q %v line %d", tc.prop, p.Text(), p.Types(), p.Line, tc.value, tc.types, tc.line)
			}
		})
	}
}

func TestStructuredValues(t *testing.T) {
	c := read(t, "BEGIN:VCARD\nVERSION:3.0\nN:Garcia\\;Lopez;Maria;;Dr.;\nCATEGORIES:a\\,b,c\nPHOTO;ENCODING=b;TYPE=PNG:iVBO\n Rw0K\nEND:VCARD\n")[0]
	if got := c.Get("N").Parts(); !slices.Equal(got, []string{"Garcia;Lopez", "Maria", "", "Dr.", ""}) {
		t.Errorf("N parts %q", got)
	}
	if got := c.Get("CATEGORIES").List(); !slices.Equal(got, []string{"a,b", "c"}) {
		t.Errorf("CATEGORIES %q", got)
	}
	if p := c.Get("PHOTO"); !p.Binary || p.Value != "iVBORw0K" {
		t.Errorf("PHOTO %+v", p)
	}
}

func TestReadErrors(t *testing.T) {
	text := "junk before\nBEGIN:VCARD\nVERSION:3.0\nFN:A\nno colon here\nEND:VCARD\nBEGIN:VCARD\nFN:B\nBEGIN:VCARD\nFN:C\nEND:VCARD\nBEGIN:VCARD\nFN:D\n"
	var got []string
	for _, c := range read(t, text) {
		if c.Err != nil {
			got = append(got, c.Err.Error())
		} else {
			got = append(got, "ok "+c.Get("FN").Text())
		}
	}
	want := []string{
		"line 1: text outside a vCard (expected BEGIN:VCARD)",
		`line 5: not a vCard property (no ':'): "no colon here"`,
		"line 7: the card has no END:VCARD (the next card begins at line 9)",
		"ok C",
		"line 12: the card has no END:VCARD",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWriterFolds(t *testing.T) {
	long := strings.Repeat("长备注", 40)
	card := vcard.Card{}
	card.SetValue(vcard.FieldVersion, "4.0")
	card.SetValue(vcard.FieldFormattedName, "Ann")
	card.SetValue(vcard.FieldNote, long)
	var buf bytes.Buffer
	if err := NewWriter(&buf).Write(card); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line of %d octets or cut inside a character: %q", len(l), l)
		}
	}
	back := read(t, buf.String())
	if len(back) != 1 || back[0].Get("NOTE").Text() != long {
		t.Errorf("the folded note does not read back: %+v", back)
	}
	if Component("a;b") != "a,b" || Param("x:y;z\"") != "x y,z'" {
		t.Error("Component/Param")
	}
}

// FuzzReader checks that no input makes the reader panic or loop, and
// that every card it returns has a line within the text.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;;;\nTEL;CELL:1\nEND:VCARD\n",
		"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:a\r\n b\r\nitem1.TEL;type=\"a,b\":1\r\nEND:VCARD\r\n",
		"BEGIN:VCARD\nNOTE;QUOTED-PRINTABLE:=\n=\n",
		"BEGIN:VCARD\nX;X-CUSTOM(ENCODING=QUOTED-PRINTABLE,=E5):1\nEND:VCARD",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Count(s, "\n") + 1
		r := NewReader([]byte(s))
		for n := 0; ; n++ {
			c := r.Next()
			if c == nil {
				break
			}
			if n > lines {
				t.Fatal("more cards than lines")
			}
			if c.Line < 1 || c.Line > lines {
				t.Fatalf("card at line %d of %d", c.Line, lines)
			}
			for i := range c.Props {
				p := &c.Props[i]
				_, _, _ = p.Text(), p.Parts(), p.List()
			}
		}
	})
}
