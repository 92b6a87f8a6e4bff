// Package pgtest gives tests a fresh, empty PostgreSQL schema in the
// throwaway cluster scripts/test starts (ROLO_TEST_POSTGRES). Without the
// variable the tests skip, unless ROLO_REQUIRE_POSTGRES=1 says they must
// run (as in scripts/test and CI): then they fail.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URL returns the URL of a new schema, dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("ROLO_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("ROLO_REQUIRE_POSTGRES") == "1" {
			t.Fatal("ROLO_REQUIRE_POSTGRES=1 but ROLO_TEST_POSTGRES is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL")
		}
		t.Skip("ROLO_TEST_POSTGRES is not set (scripts/test starts a throwaway PostgreSQL)")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		t.Fatalf("ROLO_TEST_POSTGRES=%q: want a postgres:// URL", base)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "rolo_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, base); err == nil {
			_, _ = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(ctx)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
