// Package pgstore keeps a team server's data in PostgreSQL (`rolo serve
// --postgres URL`), for teams that outgrow one file or want the
// database's replication and backups. Several server processes may use
// one database: a push takes its team's counter row with SELECT ... FOR
// UPDATE, assigns sequence numbers from it and inserts the ops in the same
// transaction, so readers only ever see a gapless prefix of the log.
package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
)

// Store is the PostgreSQL backend.
type Store struct {
	pool *pgxpool.Pool
}

var _ server.Storage = (*Store)(nil)

// migrations are applied in order, each in its own transaction, holding
// an advisory lock so that servers starting together do not race.
var migrations = []string{
	1: `
CREATE TABLE rolo_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE rolo_tokens (
	id text PRIMARY KEY,
	team text NOT NULL,
	username text NOT NULL,
	admin boolean NOT NULL,
	hash bytea NOT NULL,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);
CREATE INDEX rolo_tokens_team ON rolo_tokens (team, created_at);
CREATE TABLE rolo_teams (team text PRIMARY KEY, seq bigint NOT NULL DEFAULT 0);
CREATE TABLE rolo_ops (
	team text NOT NULL,
	seq bigint NOT NULL,
	replica bytea NOT NULL,
	hlc bigint NOT NULL,
	entity smallint NOT NULL,
	id bytea NOT NULL,
	body bytea NOT NULL,
	PRIMARY KEY (team, seq)
);
CREATE UNIQUE INDEX rolo_ops_op_id ON rolo_ops (team, entity, id, replica, hlc);
CREATE TABLE rolo_records (
	team text NOT NULL,
	entity smallint NOT NULL,
	id bytea NOT NULL,
	alive boolean NOT NULL,
	modified bigint NOT NULL,
	state bytea NOT NULL,
	PRIMARY KEY (team, entity, id)
);
CREATE INDEX rolo_records_modified ON rolo_records (team, entity, modified);
`,
}

const migrationLock = 7420_0001

// Open connects to the database at url and brings its schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres URL: %w", err)
	}
	// A team's tables grow from empty within minutes during a first sync:
	// plan each statement for the tables as they are, never with a plan
	// cached while they were small (which scans them whole).
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// SchemaVersion is the schema this build writes.
func SchemaVersion() int { return len(migrations) - 1 }

func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.migrateOne(ctx)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration; done when there is none.
func (s *Store) migrateOne(ctx context.Context) (done bool, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS rolo_schema (version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var v int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM rolo_schema`).Scan(&v); err != nil {
			return err
		}
		switch {
		case v > SchemaVersion():
			return fmt.Errorf("the database was set up by a newer rolo (schema %d; this build knows %d): upgrade rolo", v, SchemaVersion())
		case v == SchemaVersion():
			if err := ensureEpoch(ctx, tx); err != nil {
				return err
			}
			done = true
			return nil
		}
		if _, err := tx.Exec(ctx, migrations[v+1]); err != nil {
			return fmt.Errorf("migrate the database to schema %d: %w", v+1, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO rolo_schema (version) VALUES ($1)`, v+1)
		return err
	})
	return done, err
}

func newEpoch() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ensureEpoch(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO rolo_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING`, newEpoch())
	return err
}

// Close closes the connection pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Epoch returns the database's epoch.
func (s *Store) Epoch(ctx context.Context) (string, error) {
	var e string
	err := s.pool.QueryRow(ctx, `SELECT value FROM rolo_meta WHERE key = 'epoch'`).Scan(&e)
	return e, err
}

// NewEpoch gives the database a fresh epoch (after a restore).
func (s *Store) NewEpoch(ctx context.Context) (string, error) {
	e := newEpoch()
	_, err := s.pool.Exec(ctx, `UPDATE rolo_meta SET value = $1 WHERE key = 'epoch'`, e)
	return e, err
}

// CreateToken stores a token.
func (s *Store) CreateToken(ctx context.Context, t server.Token) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO rolo_tokens (id, team, username, admin, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.Team, t.User, t.Admin, t.Hash, t.CreatedAt, nullTime(t.RevokedAt))
	return err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

const tokenCols = `id, team, username, admin, hash, created_at, revoked_at`

func scanToken(row pgx.Row) (server.Token, error) {
	var t server.Token
	var revoked *time.Time
	err := row.Scan(&t.ID, &t.Team, &t.User, &t.Admin, &t.Hash, &t.CreatedAt, &revoked)
	t.CreatedAt = t.CreatedAt.UTC()
	if revoked != nil {
		t.RevokedAt = revoked.UTC()
	}
	return t, err
}

// Token returns a token by id.
func (s *Store) Token(ctx context.Context, id string) (server.Token, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenCols+` FROM rolo_tokens WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, server.ErrNotFound
	}
	return t, err
}

// RevokeToken marks a token revoked.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE rolo_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, at.UTC())
	if err == nil && tag.RowsAffected() == 0 {
		return server.ErrNotFound
	}
	return err
}

// Tokens lists tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, team string) ([]server.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenCols+` FROM rolo_tokens WHERE $1 = '' OR team = $1 ORDER BY created_at, id`, team)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// opKey identifies a stored op.
type opKey struct {
	entity  model.Entity
	id      model.ID
	replica store.Replica
	hlc     store.HLC
}

func keyOf(op *server.OpRecord) opKey { return opKey{op.Entity, op.ID, op.Replica, op.HLC} }

// Push stores ops under the team's counter-row lock.
func (s *Store) Push(ctx context.Context, team string, ops []server.OpRecord, merge server.MergeFunc) (server.PushResult, error) {
	var res server.PushResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res = server.PushResult{Status: make([]server.OpStatus, len(ops))}
		// Every lookup of a push has an index; a new team's tables have no
		// statistics yet, and the planner would scan them whole, again
		// for every element, as they grow.
		if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rolo_teams (team) VALUES ($1) ON CONFLICT (team) DO NOTHING`, team); err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRow(ctx, `SELECT seq FROM rolo_teams WHERE team = $1 FOR UPDATE`, team).Scan(&seq); err != nil {
			return err
		}
		existing, err := existingOps(ctx, tx, team, ops)
		if err != nil {
			return err
		}
		var stored []server.StoredOp
		for i := range ops {
			op := &ops[i]
			k := keyOf(op)
			if existing[k] {
				res.Status[i] = server.OpDuplicate
				continue
			}
			seq++
			existing[k] = true
			stored = append(stored, server.StoredOp{Seq: uint64(seq), OpRecord: *op})
		}
		res.LastSeq = uint64(seq)
		if len(stored) == 0 {
			return nil
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"rolo_ops"}, []string{"team", "seq", "replica", "hlc", "entity", "id", "body"},
			pgx.CopyFromSlice(len(stored), func(i int) ([]any, error) {
				op := &stored[i]
				return []any{team, int64(op.Seq), op.Replica[:], int64(op.HLC), int16(op.Entity), op.ID[:], op.Body}, nil
			}))
		if err != nil {
			return fmt.Errorf("store ops: %w", err)
		}
		rows, err := loadRows(ctx, tx, team, stored)
		if err != nil {
			return err
		}
		if err := merge(stored, rows); err != nil {
			return err
		}
		if err := saveRows(ctx, tx, team, rows); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE rolo_teams SET seq = $2 WHERE team = $1`, team, seq)
		return err
	})
	return res, err
}

// existingOps returns the ops of the batch the team's log holds already.
func existingOps(ctx context.Context, tx pgx.Tx, team string, ops []server.OpRecord) (map[opKey]bool, error) {
	entities := make([]int16, len(ops))
	ids := make([][]byte, len(ops))
	replicas := make([][]byte, len(ops))
	hlcs := make([]int64, len(ops))
	for i := range ops {
		entities[i], ids[i] = int16(ops[i].Entity), ops[i].ID[:]
		replicas[i], hlcs[i] = ops[i].Replica[:], int64(ops[i].HLC)
	}
	// LATERAL ... LIMIT 1 makes each element an index probe: a join would
	// let the planner scan the whole log while it still thinks it small.
	rows, err := tx.Query(ctx, `
SELECT t.entity, t.id, t.replica, t.hlc
FROM unnest($2::smallint[], $3::bytea[], $4::bytea[], $5::bigint[]) AS t(entity, id, replica, hlc)
CROSS JOIN LATERAL (
	SELECT 1 FROM rolo_ops o
	WHERE o.team = $1 AND o.entity = t.entity AND o.id = t.id AND o.replica = t.replica AND o.hlc = t.hlc
	LIMIT 1) AS o`,
		team, entities, ids, replicas, hlcs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[opKey]bool, len(ops))
	for rows.Next() {
		var k opKey
		var e int16
		var id, r []byte
		var h int64
		if err := rows.Scan(&e, &id, &r, &h); err != nil {
			return nil, err
		}
		k.entity, k.hlc = model.Entity(e), store.HLC(h)
		copy(k.id[:], id)
		copy(k.replica[:], r)
		out[k] = true
	}
	return out, rows.Err()
}

func loadRows(ctx context.Context, tx pgx.Tx, team string, ops []server.StoredOp) (map[server.RecordKey]*server.RecordRow, error) {
	seen := make(map[server.RecordKey]bool, len(ops))
	var entities []int16
	var ids [][]byte
	for i := range ops {
		k := server.RecordKey{Entity: ops[i].Entity, ID: ops[i].ID}
		if !seen[k] {
			seen[k] = true
			entities = append(entities, int16(k.Entity))
			ids = append(ids, k.ID[:])
		}
	}
	rows, err := tx.Query(ctx, `
SELECT r.entity, r.id, r.alive, r.modified, r.state
FROM unnest($2::smallint[], $3::bytea[]) AS t(entity, id)
CROSS JOIN LATERAL (
	SELECT * FROM rolo_records r WHERE r.team = $1 AND r.entity = t.entity AND r.id = t.id LIMIT 1) AS r`, team, entities, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[server.RecordKey]*server.RecordRow, len(entities))
	for rows.Next() {
		row, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out[row.Key] = &row
	}
	return out, rows.Err()
}

func scanRow(rows pgx.Rows) (server.RecordRow, error) {
	var row server.RecordRow
	var e int16
	var id []byte
	var modified int64
	if err := rows.Scan(&e, &id, &row.Alive, &modified, &row.State); err != nil {
		return row, err
	}
	row.Key.Entity = model.Entity(e)
	copy(row.Key.ID[:], id)
	row.Modified = time.Unix(0, modified).UTC()
	return row, nil
}

func saveRows(ctx context.Context, tx pgx.Tx, team string, rows map[server.RecordKey]*server.RecordRow) error {
	if len(rows) == 0 {
		return nil
	}
	entities := make([]int16, 0, len(rows))
	ids := make([][]byte, 0, len(rows))
	alive := make([]bool, 0, len(rows))
	modified := make([]int64, 0, len(rows))
	states := make([][]byte, 0, len(rows))
	for k, r := range rows {
		entities = append(entities, int16(k.Entity))
		ids = append(ids, k.ID[:])
		alive = append(alive, r.Alive)
		modified = append(modified, r.Modified.UnixNano())
		states = append(states, r.State)
	}
	_, err := tx.Exec(ctx, `
INSERT INTO rolo_records (team, entity, id, alive, modified, state)
SELECT $1, * FROM unnest($2::smallint[], $3::bytea[], $4::boolean[], $5::bigint[], $6::bytea[])
ON CONFLICT (team, entity, id) DO UPDATE SET alive = EXCLUDED.alive, modified = EXCLUDED.modified, state = EXCLUDED.state`,
		team, entities, ids, alive, modified, states)
	return err
}

// Changes reads a team's log after seq after.
func (s *Store) Changes(ctx context.Context, team string, after uint64, limit, scan int, exclude store.Replica) (server.ChangesPage, error) {
	page := server.ChangesPage{Next: after}
	rows, err := s.pool.Query(ctx, `
SELECT seq, replica, CASE WHEN replica = $4 THEN NULL ELSE body END
FROM rolo_ops WHERE team = $1 AND seq > $2 ORDER BY seq LIMIT $3`, team, int64(after), scan+1, exclude[:])
	if err != nil {
		return page, err
	}
	defer rows.Close()
	read := 0
	for rows.Next() {
		if len(page.Ops) >= limit || read >= scan {
			page.More = true
			break
		}
		var seq int64
		var r, body []byte
		if err := rows.Scan(&seq, &r, &body); err != nil {
			return page, err
		}
		read++
		page.Next = uint64(seq)
		if body == nil {
			continue
		}
		op := server.StoredOp{Seq: uint64(seq), OpRecord: server.OpRecord{Body: body}}
		copy(op.Replica[:], r)
		page.Ops = append(page.Ops, op)
	}
	return page, rows.Err()
}

// LastSeq returns the team's latest sequence number.
func (s *Store) LastSeq(ctx context.Context, team string) (uint64, error) {
	var seq int64
	err := s.pool.QueryRow(ctx, `SELECT seq FROM rolo_teams WHERE team = $1`, team).Scan(&seq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(seq), err
}

// Ops returns ops by sequence number.
func (s *Store) Ops(ctx context.Context, team string, seqs []uint64) (map[uint64][]byte, error) {
	out := make(map[uint64][]byte, len(seqs))
	if len(seqs) == 0 {
		return out, nil
	}
	want := make([]int64, len(seqs))
	for i, s := range seqs {
		want[i] = int64(s)
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, body FROM rolo_ops WHERE team = $1 AND seq = ANY($2)`, team, want)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var body []byte
		if err := rows.Scan(&seq, &body); err != nil {
			return nil, err
		}
		out[uint64(seq)] = body
	}
	return out, rows.Err()
}

// Records returns record rows in key order. The query is built from the
// conditions that apply, so that it walks the primary key.
func (s *Store) Records(ctx context.Context, team string, q server.RecordQuery) ([]server.RecordRow, error) {
	sql := `SELECT entity, id, alive, modified, state FROM rolo_records
WHERE team = $1 AND (team, entity, id) > ($1, $2, $3::bytea)`
	args := []any{team, int16(q.After.Entity), afterID(q.After)}
	if q.Entity != 0 {
		args = append(args, int16(q.Entity))
		sql += fmt.Sprintf(" AND entity = $%d", len(args))
	}
	if !q.Dead {
		sql += " AND alive"
	}
	if !q.ModifiedSince.IsZero() {
		args = append(args, q.ModifiedSince.UnixNano())
		sql += fmt.Sprintf(" AND modified >= $%d", len(args))
	}
	args = append(args, q.Limit)
	sql += fmt.Sprintf(" ORDER BY team, entity, id LIMIT $%d", len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []server.RecordRow
	for rows.Next() {
		row, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

func afterID(k server.RecordKey) []byte {
	if k == (server.RecordKey{}) {
		return []byte{}
	}
	return k.ID[:]
}

// Record returns one record row.
func (s *Store) Record(ctx context.Context, team string, k server.RecordKey) (server.RecordRow, error) {
	rows, err := s.pool.Query(ctx, `SELECT entity, id, alive, modified, state FROM rolo_records WHERE team = $1 AND entity = $2 AND id = $3`,
		team, int16(k.Entity), k.ID[:])
	if err != nil {
		return server.RecordRow{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return server.RecordRow{}, err
		}
		return server.RecordRow{}, server.ErrNotFound
	}
	return scanRow(rows)
}
