package textenc

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/rolo-crm/rolo/model"
)

func TestDecode(t *testing.T) {
	const text = "姓名,手机\n张伟,13800138000\nZoë Müller,+49 171\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("姓名,手机\n张伟,13800138000\n李娜,13911112222\n"))
	u16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	u16be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(text))
	latin, _ := charmap.Windows1252.NewEncoder().Bytes([]byte("Name,City\nZoë Müller,Köln\nJosé,Málaga\n"))
	for _, tc := range []struct {
		name, enc string
		in        []byte
		want      string
		detected  string
	}{
		{"utf-8", "auto", []byte(text), text, UTF8},
		{"utf-8 bom", "auto", append([]byte{0xEF, 0xBB, 0xBF}, text...), text, UTF8BOM},
		{"utf-16le bom", "auto", append([]byte{0xFF, 0xFE}, u16le...), text, UTF16LE},
		{"utf-16be bom", "auto", append([]byte{0xFE, 0xFF}, u16be...), text, UTF16BE},
		{"utf-16le no bom", "auto", u16le, text, UTF16LE},
		{"utf-16be no bom", "", u16be, text, UTF16BE},
		{"gbk", "auto", gbk, "姓名,手机\n张伟,13800138000\n李娜,13911112222\n", GB18030},
		{"gbk named", "GBK", gbk, "姓名,手机\n张伟,13800138000\n李娜,13911112222\n", "gbk"},
		{"windows-1252", "auto", latin, "Name,City\nZoë Müller,Köln\nJosé,Málaga\n", Windows1252},
		{"utf-16 named", "utf-16", append([]byte{0xFF, 0xFE}, u16le...), text, "utf-16"},
		{"big5 named", "big5", []byte("abc"), "abc", "big5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, used, err := Decode(tc.in, tc.enc)
			if err != nil || string(got) != tc.want || used != tc.detected {
				t.Errorf("Decode = %q, %q, %v; want %q, %q", got, used, err, tc.want, tc.detected)
			}
		})
	}
	if _, _, err := Decode([]byte("x"), "ebcdic-martian"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("unknown encoding: %v", err)
	}
}

func TestDetectDoesNotMistakeUTF8(t *testing.T) {
	for _, s := range []string{"", "a", "plain ascii, with commas\n", "日本語テキスト", "emoji 😀 ok"} {
		if got := Detect([]byte(s)); got != UTF8 {
			t.Errorf("Detect(%q) = %s", s, got)
		}
	}
}
