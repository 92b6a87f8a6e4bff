package interchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// The rolo JSON export: one object naming its format and version, with an
// array per entity, one record per line.
const (
	jsonFormat  = "rolo"
	jsonVersion = 1
)

// jsonReader reads rolo's JSON export, or a bare array of contacts as
// `rolo contact list --json` prints it.
type jsonReader struct {
	env   *readerEnv
	text  []byte
	dec   *json.Decoder
	lines []int // offsets of the line breaks
	in    *input
}

func readJSON(env *readerEnv, text []byte) (*input, error) {
	r := &jsonReader{env: env, text: text, dec: json.NewDecoder(bytes.NewReader(text)),
		in: &input{format: "json", byID: true, byIDDeal: true}}
	for i, c := range text {
		if c == '\n' {
			r.lines = append(r.lines, i)
		}
	}
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.syntax(err)
	}
	switch tok {
	case json.Delim('['):
		err = r.array("contacts")
	case json.Delim('{'):
		err = r.object()
	default:
		return nil, invalidf("%s:1: not a rolo export (expected a JSON object or array)", env.file)
	}
	if err != nil {
		return nil, err
	}
	return r.in, nil
}

func (r *jsonReader) object() error {
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return r.syntax(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			var f string
			if err := r.dec.Decode(&f); err != nil || f != jsonFormat {
				return invalidf("%s:%d: not a rolo export (format %q)", r.env.file, r.line(r.dec.InputOffset()), f)
			}
		case "version":
			var v int
			if err := r.dec.Decode(&v); err != nil {
				return r.syntax(err)
			}
			if v > jsonVersion {
				return invalidf("%s: written by a newer rolo (export version %d; this one reads up to %d): upgrade rolo", r.env.file, v, jsonVersion)
			}
		case "companies", "contacts", "deals", "tasks", "activities":
			if tok, err := r.dec.Token(); err != nil || tok != json.Delim('[') {
				return invalidf("%s:%d: %q must be an array", r.env.file, r.line(r.dec.InputOffset()), key)
			}
			if err := r.array(key); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := r.dec.Decode(&skip); err != nil {
				return r.syntax(err)
			}
			r.env.warn(r.in, r.line(r.dec.InputOffset()), fmt.Sprintf("unknown key %q ignored", key))
		}
	}
	return nil
}

// array reads the records of one entity up to the closing bracket.
func (r *jsonReader) array(entity string) error {
	for r.dec.More() {
		line := r.line(r.next())
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			return r.syntax(err)
		}
		r.record(entity, line, raw)
	}
	if _, err := r.dec.Token(); err != nil { // the closing bracket
		return r.syntax(err)
	}
	return nil
}

// names are the convenience fields rolo's JSON carries beside the ids:
// used to link a record when its ids are not in the database.
type jsonNames struct {
	Contact string `json:"contact"`
	Company string `json:"company"`
}

func (r *jsonReader) record(entity string, line int, raw json.RawMessage) {
	var n jsonNames
	_ = json.Unmarshal(raw, &n) // only a fallback; the record's own decode reports errors
	bad := func(err error) error {
		var se *json.UnmarshalTypeError
		if errors.As(err, &se) {
			return invalidf("%s: field %q: wrong type (%s)", entity, se.Field, se.Value)
		}
		return invalidf("%s: %v", entity, err)
	}
	in := r.in
	switch entity {
	case "companies":
		var it companyItem
		it.line = line
		if err := json.Unmarshal(raw, &it.c); err != nil {
			it.err = bad(err)
		}
		in.companies = append(in.companies, it)
	case "contacts":
		it := contactItem{line: line, company: n.Company}
		if err := json.Unmarshal(raw, &it.c); err != nil {
			it.err = bad(err)
		}
		in.contacts = append(in.contacts, it)
	case "deals":
		it := dealItem{line: line, contact: -1, contactRef: n.Contact, company: n.Company}
		if err := json.Unmarshal(raw, &it.d); err != nil {
			it.err = bad(err)
		}
		in.deals = append(in.deals, it)
	case "tasks":
		it := taskItem{line: line}
		if err := json.Unmarshal(raw, &it.t); err != nil {
			it.err = bad(err)
		}
		in.tasks = append(in.tasks, it)
	case "activities":
		it := activityItem{line: line}
		if err := json.Unmarshal(raw, &it.a); err != nil {
			it.err = bad(err)
		}
		in.acts = append(in.acts, it)
	}
}

// next returns the offset where the next value starts.
func (r *jsonReader) next() int64 {
	off := r.dec.InputOffset()
	for off < int64(len(r.text)) {
		switch r.text[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// line returns the 1-based line holding byte offset off.
func (r *jsonReader) line(off int64) int {
	return sort.SearchInts(r.lines, int(off)) + 1
}

func (r *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return invalidf("%s:%d: not valid JSON: %v", r.env.file, r.line(se.Offset-1), se)
	}
	return invalidf("%s: not valid JSON: %v", r.env.file, err)
}
