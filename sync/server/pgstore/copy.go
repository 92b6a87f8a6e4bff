package pgstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"

	"github.com/jackc/pgx/v5"
)

// copyRows builds rows in PostgreSQL's binary COPY format. pgx's CopyFrom
// encodes each value through its type map, which for a first sync's
// pushes costs the server more than the rest of this package together.
type copyRows struct {
	b []byte
}

// newCopyRows starts the rows with the format's header; size is a hint
// of the data's length.
func newCopyRows(size int) *copyRows {
	c := &copyRows{b: make([]byte, 0, size+32)}
	c.b = append(c.b, "PGCOPY\n\xff\r\n\x00"...)
	c.b = binary.BigEndian.AppendUint32(c.b, 0) // flags
	c.b = binary.BigEndian.AppendUint32(c.b, 0) // header extension length
	return c
}

// row starts a row of n columns; the values follow.
func (c *copyRows) row(n int) { c.b = binary.BigEndian.AppendUint16(c.b, uint16(n)) }

// bytes adds a bytea value.
func (c *copyRows) bytes(v []byte) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(v)))
	c.b = append(c.b, v...)
}

// text adds a text value.
func (c *copyRows) text(v string) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(v)))
	c.b = append(c.b, v...)
}

// int64 adds a bigint value.
func (c *copyRows) int64(v int64) {
	c.b = binary.BigEndian.AppendUint32(c.b, 8)
	c.b = binary.BigEndian.AppendUint64(c.b, uint64(v))
}

// int16 adds a smallint value.
func (c *copyRows) int16(v int16) {
	c.b = binary.BigEndian.AppendUint32(c.b, 2)
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(v))
}

// bool adds a boolean value.
func (c *copyRows) bool(v bool) {
	c.b = binary.BigEndian.AppendUint32(c.b, 1)
	if v {
		c.b = append(c.b, 1)
	} else {
		c.b = append(c.b, 0)
	}
}

// copyIn sends the rows to table's columns, in their order.
func copyIn(ctx context.Context, tx pgx.Tx, table string, columns []string, c *copyRows) error {
	c.b = binary.BigEndian.AppendUint16(c.b, 0xffff) // trailer
	sql := "COPY " + table + " (" + strings.Join(columns, ", ") + ") FROM STDIN (FORMAT binary)"
	_, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(c.b), sql)
	return err
}
