// Package pgstore keeps a team server's data in PostgreSQL (`rolo serve
// --postgres URL`), for teams that outgrow one file or want the
// database's replication and backups. Several server processes may use
// one database: a push takes its team's counter row with SELECT ... FOR
// UPDATE, assigns sequence numbers from it and inserts the ops in the same
// transaction, so readers only ever see a gapless prefix of the log.
package pgstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
	// While a team's records have no statistics, a lookup by (team,
	// entity, id) could take the index on (team, entity, modified) for
	// the primary key (either seems to find one row), then read every
	// record of the entity; one on (team, modified) is no candidate.
	2: `
DROP INDEX rolo_records_modified;
CREATE INDEX rolo_records_modified ON rolo_records (team, modified);
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

// Push stores ops under the team's counter-row lock. Most pushes carry
// only new ops, so it first stores them without looking each one up: the
// log's unique index refuses a duplicate, and only then is the push made
// again, looking up every op first.
func (s *Store) Push(ctx context.Context, team string, ops []server.OpRecord, merge server.MergeFunc) (server.PushResult, error) {
	res, err := s.push(ctx, team, ops, merge, false)
	if isDuplicateOp(err) {
		res, err = s.push(ctx, team, ops, merge, true)
	}
	return res, err
}

// isDuplicateOp reports whether err is the log's unique index refusing an
// op it holds already.
func isDuplicateOp(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "rolo_ops_op_id"
}

// push is one attempt at Push; lookup says whether to look up which ops
// the log holds already rather than count on there being none.
func (s *Store) push(ctx context.Context, team string, ops []server.OpRecord, merge server.MergeFunc, lookup bool) (server.PushResult, error) {
	var res server.PushResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res = server.PushResult{Status: make([]server.OpStatus, len(ops))}
		seq, err := lockTeam(ctx, tx, team)
		if err != nil {
			return err
		}
		existing := make(map[opKey]bool, len(ops))
		if lookup {
			if existing, err = existingOps(ctx, tx, team, ops); err != nil {
				return err
			}
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
		if err := copyOps(ctx, tx, team, stored); err != nil {
			return err
		}
		rows, err := loadRows(ctx, tx, team, stored)
		if err != nil {
			return err
		}
		loaded := make(map[server.RecordKey]bool, len(rows))
		for k := range rows {
			loaded[k] = true
		}
		if err := merge(stored, rows); err != nil {
			return err
		}
		if err := saveRows(ctx, tx, team, rows, loaded); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE rolo_teams SET seq = $2 WHERE team = $1`, team, seq)
		return err
	})
	return res, err
}

// lockTeam takes the team's counter row, making it if need be, and
// returns the team's latest sequence number, in one round trip.
func lockTeam(ctx context.Context, tx pgx.Tx, team string) (int64, error) {
	var b pgx.Batch
	// Every lookup of a push has an index; a new team's tables have no
	// statistics yet, and the planner would scan them whole, again
	// for every element, as they grow.
	b.Queue(`SET LOCAL enable_seqscan = off`)
	b.Queue(`INSERT INTO rolo_teams (team) VALUES ($1) ON CONFLICT (team) DO NOTHING`, team)
	var seq int64
	b.Queue(`SELECT seq FROM rolo_teams WHERE team = $1 FOR UPDATE`, team).QueryRow(func(row pgx.Row) error {
		return row.Scan(&seq)
	})
	err := tx.SendBatch(ctx, &b).Close()
	return seq, err
}

// copyOps appends ops to the team's log.
func copyOps(ctx context.Context, tx pgx.Tx, team string, ops []server.StoredOp) error {
	size := 0
	for i := range ops {
		size += 80 + len(team) + len(ops[i].Body)
	}
	c := newCopyRows(size)
	for i := range ops {
		op := &ops[i]
		c.row(7)
		c.text(team)
		c.int64(int64(op.Seq))
		c.bytes(op.Replica[:])
		c.int64(int64(op.HLC))
		c.int16(int16(op.Entity))
		c.bytes(op.ID[:])
		c.bytes(op.Body)
	}
	if err := copyIn(ctx, tx, "rolo_ops", []string{"team", "seq", "replica", "hlc", "entity", "id", "body"}, c); err != nil {
		return fmt.Errorf("store ops: %w", err)
	}
	return nil
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

// loadRows returns the current rows of the records ops touch.
func loadRows(ctx context.Context, tx pgx.Tx, team string, ops []server.StoredOp) (map[server.RecordKey]*server.RecordRow, error) {
	spans := spansOf(ops)
	out, err := readSpans(ctx, tx, team, spans)
	if err != nil {
		return nil, err
	}
	var rest []server.RecordKey
	for e, sp := range spans {
		if !sp.complete() {
			for id := range sp.ids {
				rest = append(rest, server.RecordKey{Entity: e, ID: id})
			}
		}
	}
	if len(rest) == 0 {
		return out, nil
	}
	more, err := lookupRows(ctx, tx, team, rest)
	maps.Copy(out, more)
	return out, err
}

// keySpan is the records of one entity that a push touches.
type keySpan struct {
	lo, hi model.ID
	ids    map[model.ID]bool
	read   int // rows read between lo and hi
}

// spansOf groups the records ops touch by entity.
func spansOf(ops []server.StoredOp) map[model.Entity]*keySpan {
	spans := make(map[model.Entity]*keySpan)
	for i := range ops {
		e, id := ops[i].Entity, ops[i].ID
		sp := spans[e]
		if sp == nil {
			sp = &keySpan{lo: id, hi: id, ids: make(map[model.ID]bool)}
			spans[e] = sp
		}
		sp.ids[id] = true
		if bytes.Compare(id[:], sp.lo[:]) < 0 {
			sp.lo = id
		}
		if bytes.Compare(id[:], sp.hi[:]) > 0 {
			sp.hi = id
		}
	}
	return spans
}

// limit is how many rows the span may hold to be read whole.
func (sp *keySpan) limit() int { return 2 * len(sp.ids) }

// complete reports whether the rows read are all the span holds.
func (sp *keySpan) complete() bool { return sp.read <= sp.limit() }

// readSpans reads the rows of each span that holds few enough, keeping
// those of the records the push touches. A first sync sends records in
// key order, so that the records of a push are often all the team has
// between the first and the last of them: one read of the span then
// replaces a lookup per record.
func readSpans(ctx context.Context, tx pgx.Tx, team string, spans map[model.Entity]*keySpan) (map[server.RecordKey]*server.RecordRow, error) {
	var entities []int16
	var los, his [][]byte
	var limits []int
	for e, sp := range spans {
		entities, los, his = append(entities, int16(e)), append(los, sp.lo[:]), append(his, sp.hi[:])
		limits = append(limits, sp.limit()+1)
	}
	rows, err := queryRows(ctx, tx, `
SELECT r.entity, r.id, r.alive, r.modified, r.state
FROM unnest($2::smallint[], $3::bytea[], $4::bytea[], $5::int[]) AS s(entity, lo, hi, n)
CROSS JOIN LATERAL (
	SELECT * FROM rolo_records r WHERE r.team = $1 AND r.entity = s.entity AND r.id BETWEEN s.lo AND s.hi
	ORDER BY r.id LIMIT s.n) AS r`, team, entities, los, his, limits)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		spans[rows[i].Key.Entity].read++
	}
	out := make(map[server.RecordKey]*server.RecordRow, len(rows))
	for i := range rows {
		sp := spans[rows[i].Key.Entity]
		if sp.complete() && sp.ids[rows[i].Key.ID] {
			out[rows[i].Key] = &rows[i]
		}
	}
	return out, nil
}

// lookupRows returns the rows of keys, looking each one up.
func lookupRows(ctx context.Context, tx pgx.Tx, team string, keys []server.RecordKey) (map[server.RecordKey]*server.RecordRow, error) {
	entities := make([]int16, len(keys))
	ids := make([][]byte, len(keys))
	for i := range keys {
		entities[i], ids[i] = int16(keys[i].Entity), keys[i].ID[:]
	}
	rows, err := queryRows(ctx, tx, `
SELECT r.entity, r.id, r.alive, r.modified, r.state
FROM unnest($2::smallint[], $3::bytea[]) AS t(entity, id)
CROSS JOIN LATERAL (
	SELECT * FROM rolo_records r WHERE r.team = $1 AND r.entity = t.entity AND r.id = t.id LIMIT 1) AS r`, team, entities, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[server.RecordKey]*server.RecordRow, len(rows))
	for i := range rows {
		out[rows[i].Key] = &rows[i]
	}
	return out, nil
}

// queryRows runs a query for record rows.
func queryRows(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]server.RecordRow, error) {
	rows, err := tx.Query(ctx, sql, args...)
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

// saveRows stores the rows merge left: it copies in those of records new
// to the team (no other push can add them meanwhile: each holds the
// team's counter row) and updates those it loaded.
func saveRows(ctx context.Context, tx pgx.Tx, team string, rows map[server.RecordKey]*server.RecordRow, loaded map[server.RecordKey]bool) error {
	var added, changed []*server.RecordRow
	for k, r := range rows {
		if loaded[k] {
			changed = append(changed, r)
		} else {
			added = append(added, r)
		}
	}
	if len(added) > 0 {
		c := newCopyRows(len(added) * (80 + len(team) + len(added[0].State)))
		for _, r := range added {
			c.row(6)
			c.text(team)
			c.int16(int16(r.Key.Entity))
			c.bytes(r.Key.ID[:])
			c.bool(r.Alive)
			c.int64(r.Modified.UnixNano())
			c.bytes(r.State)
		}
		if err := copyIn(ctx, tx, "rolo_records", []string{"team", "entity", "id", "alive", "modified", "state"}, c); err != nil {
			return fmt.Errorf("store records: %w", err)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	entities := make([]int16, len(changed))
	ids := make([][]byte, len(changed))
	alive := make([]bool, len(changed))
	modified := make([]int64, len(changed))
	states := make([][]byte, len(changed))
	for i, r := range changed {
		entities[i], ids[i] = int16(r.Key.Entity), r.Key.ID[:]
		alive[i], modified[i], states[i] = r.Alive, r.Modified.UnixNano(), r.State
	}
	// ON CONFLICT makes each element a probe of the primary key, whatever
	// the planner thinks of the table's size.
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
	// The log has no gaps: bounding the sequence numbers as well keeps
	// each read to the entries it asks for, whatever the plan (without
	// statistics on a new team's log, the planner sorts all of it).
	rows, err := s.pool.Query(ctx, `
SELECT seq, replica, CASE WHEN replica = $4 THEN NULL ELSE body END
FROM rolo_ops WHERE team = $1 AND seq > $2 AND seq <= $2 + $3 ORDER BY seq LIMIT $3`, team, int64(after), scan+1, exclude[:])
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
