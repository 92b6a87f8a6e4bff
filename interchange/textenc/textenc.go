// Package textenc turns the bytes of an imported file into UTF-8: it
// recognises byte order marks, UTF-16 without one (Excel's "Unicode text"),
// and the legacy encodings spreadsheets write on Chinese Windows
// (GBK/GB18030) or Western Windows (Windows-1252), or decodes with the
// encoding the user names.
package textenc

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/rolo-crm/rolo/model"
)

// Auto asks Decode to detect the encoding.
const Auto = "auto"

// Names of the encodings Detect reports.
const (
	UTF8        = "utf-8"
	UTF8BOM     = "utf-8 (BOM)"
	UTF16LE     = "utf-16le"
	UTF16BE     = "utf-16be"
	GB18030     = "gb18030"
	Windows1252 = "windows-1252"
)

// Decode returns raw as UTF-8 text without a byte order mark, and the name
// of the encoding it was read in. name is Auto (or empty) to detect it,
// else any WHATWG encoding label ("utf-8", "gbk", "gb18030", "utf-16",
// "big5", "windows-1252", ...). A name that is no encoding is an error
// wrapping model.ErrInvalid.
func Decode(raw []byte, name string) ([]byte, string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == Auto {
		name = Detect(raw)
	}
	enc, err := lookup(name)
	if err != nil {
		return nil, "", err
	}
	if enc == nil { // UTF-8: only the BOM to drop
		return bytes.TrimPrefix(raw, bom8), name, nil
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, "", fmt.Errorf("decode as %s: %w", name, err)
	}
	return bytes.TrimPrefix(out, bom8), name, nil
}

var bom8 = []byte{0xEF, 0xBB, 0xBF}

// lookup returns the decoder for name; nil means UTF-8.
func lookup(name string) (encoding.Encoding, error) {
	switch name {
	case UTF8, "utf8", UTF8BOM:
		return nil, nil
	case UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case UTF16LE, "utf-16", "utf16", "unicode":
		// A BOM decides; without one, Windows' little-endian.
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case "gbk", "gb2312", "gb18030", "cp936":
		// GB18030 is a superset of GBK and GB2312: reading with it never
		// loses a character the others could have meant.
		return simplifiedchinese.GB18030, nil
	case "latin1", "latin-1", "iso-8859-1", Windows1252, "cp1252":
		return charmap.Windows1252, nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, &model.FieldError{Field: "encoding", Value: name,
			Reason: "not an encoding; use auto, utf-8, gbk, gb18030, utf-16 or another WHATWG label such as big5"}
	}
	if enc == unicode.UTF8 {
		return nil, nil
	}
	return enc, nil
}

// Detect names the encoding of raw: a byte order mark decides; else
// UTF-16 is recognised by its zero bytes, valid UTF-8 is UTF-8, and
// anything else is GB18030 when its non-ASCII bytes pair up the way
// Chinese text does, else Windows-1252.
func Detect(raw []byte) string {
	switch {
	case bytes.HasPrefix(raw, bom8):
		return UTF8BOM
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	if e := utf16Guess(raw); e != "" {
		return e
	}
	if utf8.Valid(raw) {
		return UTF8
	}
	if looksGB(raw) {
		return GB18030
	}
	return Windows1252
}

// utf16Guess recognises UTF-16 without a BOM: text that is mostly ASCII
// has a zero in every other byte.
func utf16Guess(raw []byte) string {
	n := min(len(raw), 4096) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if raw[i] == 0 {
			even++
		}
		if raw[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 > pairs*3 && even*10 < pairs:
		return UTF16LE
	case even*10 > pairs*3 && odd*10 < pairs:
		return UTF16BE
	}
	return ""
}

// looksGB reports whether the non-ASCII bytes of raw read as GBK/GB18030
// double-byte characters, most of them in the GB2312 range (both bytes
// 0xA1-0xFE) where common Chinese characters live. Western text in
// Windows-1252 has lone accented letters followed by ASCII instead.
func looksGB(raw []byte) bool {
	var pairs, common, bad int
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c < 0x80 {
			continue
		}
		if c == 0x80 || c == 0xFF || i+1 >= len(raw) {
			bad++
			continue
		}
		t := raw[i+1]
		switch {
		case t >= 0x30 && t <= 0x39 && i+3 < len(raw): // a four-byte GB18030 sequence
			i += 3
			pairs++
		case t >= 0x40 && t <= 0xFE && t != 0x7F:
			pairs++
			if c >= 0xA1 && t >= 0xA1 {
				common++
			}
			i++
		default:
			bad++
		}
	}
	return pairs > 0 && bad == 0 && common*10 >= pairs*7
}
