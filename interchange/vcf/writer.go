package vcf

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
)

// Writer writes cards with go-vcard's Encoder, folding lines longer than
// 75 octets as RFC 6350 asks (the Encoder does not fold).
type Writer struct {
	fold *foldWriter
	enc  *vcard.Encoder
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	f := &foldWriter{w: w}
	return &Writer{fold: f, enc: vcard.NewEncoder(f)}
}

// Write writes one card; it must have a VERSION field.
func (w *Writer) Write(c vcard.Card) error {
	if err := w.enc.Encode(c); err != nil {
		return err
	}
	return w.fold.err
}

// Component makes text safe as one component of a structured value (N,
// ADR): go-vcard's Encoder escapes commas but not semicolons, which would
// split the component, so they become commas.
func Component(s string) string { return strings.ReplaceAll(s, ";", ",") }

// Param makes text safe as a parameter value: the Encoder neither quotes
// nor escapes one, so the characters that would end it are replaced.
func Param(s string) string {
	return strings.NewReplacer(";", ",", ":", " ", `"`, "'", "\n", " ", "\r", "").Replace(s)
}

// maxLine is the longest line RFC 6350 wants, in octets, without the CRLF.
const maxLine = 75

// foldWriter folds each CRLF-terminated line longer than maxLine octets,
// never inside a UTF-8 sequence.
type foldWriter struct {
	w   io.Writer
	buf []byte
	err error
}

func (f *foldWriter) Write(p []byte) (int, error) {
	if f.err != nil {
		return 0, f.err
	}
	f.buf = append(f.buf, p...)
	for {
		i := bytes.Index(f.buf, []byte("\r\n"))
		if i < 0 {
			break
		}
		if err := f.line(f.buf[:i]); err != nil {
			f.err = err
			return 0, err
		}
		f.buf = f.buf[i+2:]
	}
	return len(p), nil
}

func (f *foldWriter) line(l []byte) error {
	out := make([]byte, 0, len(l)+len(l)/maxLine*3+2)
	limit := maxLine
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		out = append(out, l[:cut]...)
		out = append(out, "\r\n "...)
		l = l[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	out = append(out, l...)
	out = append(out, "\r\n"...)
	_, err := f.w.Write(out)
	return err
}
