package pgstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/pgstore/pgtest"
)

// TestMigrateSchema1 opens a database that a build of schema 1 set up
// and filled: it is brought up to date and keeps its data.
func TestMigrateSchema1(t *testing.T) {
	ctx := context.Background()
	u := pgtest.URL(t)
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var id model.ID
	id[15] = 1
	for _, sql := range []string{
		migrations[1],
		`CREATE TABLE rolo_schema (version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
		`INSERT INTO rolo_schema (version) VALUES (1)`,
		`INSERT INTO rolo_teams (team, seq) VALUES ('acme', 1)`,
		`INSERT INTO rolo_ops VALUES ('acme', 1, '\x01', 7, 1, $1, '{}')`,
		`INSERT INTO rolo_records VALUES ('acme', 1, $1, true, 5, '\x01')`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, id[:])
		}
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	var index string
	err = conn.QueryRow(ctx, `SELECT (SELECT max(version) FROM rolo_schema), indexdef FROM pg_indexes WHERE indexname = 'rolo_records_modified' AND schemaname = current_schema()`).Scan(&version, &index)
	if err != nil {
		t.Fatal(err)
	}
	if version != SchemaVersion() || !strings.HasSuffix(index, "(team, modified)") {
		t.Fatalf("schema %d, index %q", version, index)
	}
	k := server.RecordKey{Entity: model.EntityContact, ID: id}
	if row, err := s.Record(ctx, "acme", k); err != nil || string(row.State) != "\x01" {
		t.Fatalf("the record after the migration: %+v, %v", row, err)
	}
	res, err := s.Push(ctx, "acme", []server.OpRecord{{Replica: store.Replica{1}, HLC: 8, Entity: k.Entity, ID: k.ID, Body: []byte(`{}`)}},
		func(ops []server.StoredOp, rows map[server.RecordKey]*server.RecordRow) error {
			if rows[k] == nil {
				t.Error("the merge did not see the record's row")
			}
			rows[k] = &server.RecordRow{Key: k, Alive: true, Modified: time.Unix(9, 0), State: []byte{2}}
			return nil
		})
	if err != nil || res.LastSeq != 2 {
		t.Fatalf("push after the migration: %+v, %v", res, err)
	}
}
