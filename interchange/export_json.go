package interchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// ExportJSON writes the records of the given kinds as rolo's JSON export:
// an object with the format and version and an array per kind, one record
// per line, every field of every record, ids and stage history included.
// Importing it into an empty database reproduces the records exactly.
//
// Records are read in order in tx, and decoded and encoded on every core
// while the next ones are read; memory holds a few chunks of records,
// whatever the size of the database.
func ExportJSON(tx *store.Tx, w io.Writer, kinds []model.Entity) (Stats, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, `{"format":%q,"version":%d`, jsonFormat, jsonVersion)
	var st Stats
	for _, e := range kinds {
		fmt.Fprintf(bw, ",\n%q:[", PluralName(e))
		var n int
		var err error
		switch e {
		case model.EntityCompany:
			n, err = encodeAll[model.Company](bw, tx)
		case model.EntityContact:
			n, err = encodeAll[model.Contact](bw, tx)
		case model.EntityDeal:
			n, err = encodeAll[model.Deal](bw, tx)
		case model.EntityTask:
			n, err = encodeAll[model.Task](bw, tx)
		case model.EntityActivity:
			n, err = encodeAll[model.Activity](bw, tx)
		}
		if err != nil {
			return st, err
		}
		if n > 0 {
			bw.WriteByte('\n')
		}
		bw.WriteByte(']')
		st.Add(e, n)
	}
	bw.WriteString("}\n")
	return st, bw.Flush()
}

// chunkSize is how many records one encoding job holds.
const chunkSize = 256

type chunk[T any] struct {
	recs []store.Stored[T]
	out  bytes.Buffer
	err  error
	done chan struct{}
}

// encodeAll writes every record of T's kind as JSON, records separated by
// ",\n". Workers decode and encode chunks while tx is read on; the chunks
// are written in order.
func encodeAll[T any](w *bufio.Writer, tx *store.Tx) (int, error) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *chunk[T], workers)
	ordered := make(chan *chunk[T], 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			recs := make([]T, chunkSize)
			for c := range work {
				c.err = decodeChunk(recs, c.recs)
				if c.err == nil {
					c.err = encodeChunk(&c.out, recs[:len(c.recs)])
				}
				close(c.done)
			}
		}()
	}
	written := make(chan error, 1)
	go func() {
		var err error
		first := true
		for c := range ordered {
			<-c.done
			if err == nil {
				err = c.err
			}
			if err == nil {
				if !first {
					w.WriteString(",")
				}
				w.WriteByte('\n')
				_, err = w.Write(c.out.Bytes())
				first = false
			}
		}
		written <- err
	}()
	send := func(c *chunk[T]) {
		c.done = make(chan struct{})
		ordered <- c
		work <- c
	}
	n := 0
	cur := &chunk[T]{recs: make([]store.Stored[T], 0, chunkSize)}
	err := store.EachStored(tx, func(r store.Stored[T]) error {
		cur.recs = append(cur.recs, r)
		n++
		if len(cur.recs) == chunkSize {
			send(cur)
			cur = &chunk[T]{recs: make([]store.Stored[T], 0, chunkSize)}
		}
		return nil
	})
	if len(cur.recs) > 0 && err == nil {
		send(cur)
	}
	close(work)
	close(ordered)
	wg.Wait()
	if werr := <-written; err == nil {
		err = werr
	}
	return n, err
}

// decodeChunk decodes stored records into recs.
func decodeChunk[T any](recs []T, stored []store.Stored[T]) error {
	for i, s := range stored {
		var err error
		if recs[i], err = s.Decode(); err != nil {
			return err
		}
	}
	return nil
}

func encodeChunk[T any](buf *bytes.Buffer, recs []T) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if i > 0 {
			buf.WriteString(",\n")
		}
		// A record with its own MarshalJSON (contacts, deals) is written
		// as it marshals itself: through the Encoder its output would be
		// parsed and compacted again, for the same bytes. The others
		// (companies, tasks, activities) append their JSON as the Encoder
		// would write it, without reflection: with <, > and & as they are.
		if m, ok := any(&recs[i]).(json.Marshaler); ok {
			b, err := m.MarshalJSON()
			if err != nil {
				return err
			}
			buf.Write(b)
			continue
		}
		if a, ok := any(&recs[i]).(jsonAppender); ok {
			b, err := a.AppendJSON(buf.AvailableBuffer())
			if err != nil {
				return err
			}
			buf.Write(unescapeHTML(b))
			continue
		}
		if err := enc.Encode(&recs[i]); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
	}
	return nil
}

// jsonAppender is a record that appends its JSON (model's AppendJSON).
type jsonAppender interface {
	AppendJSON([]byte) ([]byte, error)
}

// unescapeHTML turns the \u003c, \u003e and \u0026 escapes of JSON back
// into <, > and &, in place, as an Encoder with SetEscapeHTML(false)
// writes them. Every backslash in JSON starts an escape (outside strings
// there are none), so an escaped backslash followed by "u003c" is told
// apart and kept.
func unescapeHTML(b []byte) []byte {
	i := bytes.IndexByte(b, '\\')
	if i < 0 {
		return b
	}
	out := b[:i]
	for i < len(b) {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			out = append(out, c)
			i++
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && b[i+2] == '0' && b[i+3] == '0' {
			switch string(b[i+4 : i+6]) {
			case "3c":
				out, i = append(out, '<'), i+6
				continue
			case "3e":
				out, i = append(out, '>'), i+6
				continue
			case "26":
				out, i = append(out, '&'), i+6
				continue
			}
		}
		out = append(out, c, b[i+1])
		i += 2
	}
	return out
}
