package store

import (
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/rolo-crm/rolo/model"
)

// TestSearchRanksLikelyReadings: 丁 can also read zheng, but a search for
// "zw" is after 张伟 (zhang wei) and 周文 before 丁伟 (ding wei), which it
// still finds.
func TestSearchRanksLikelyReadings(t *testing.T) {
	s, _ := openTest(t)
	ids := map[string]model.ID{}
	update(t, s, func(tx *Tx) error {
		for _, n := range []string{"丁伟", "张伟", "周文"} {
			c := model.Contact{Name: n}
			if err := tx.PutContact(&c); err != nil {
				return err
			}
			ids[n] = c.ID
		}
		return nil
	})
	view(t, s, func(tx *Tx) error {
		hits, err := tx.SearchContacts("zw", 0)
		if err != nil {
			return err
		}
		var got []string
		for _, h := range hits {
			c, _ := tx.Contact(h.ID)
			got = append(got, c.Name)
		}
		if strings.Join(got, " ") != "张伟 周文 丁伟" {
			t.Errorf("zw: %v, want 张伟 周文 first and 丁伟 last", got)
		}
		if hits, _ := tx.SearchContacts("dw", 0); len(hits) != 1 || hits[0].ID != ids["丁伟"] || !hits[0].Prefix {
			t.Errorf("dw: %+v, want 丁伟 as a prefix match", hits)
		}
		return nil
	})
}

// TestMigrateFromSchema2 rebuilds search entries written before the
// likely readings were ranked.
func TestMigrateFromSchema2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolo.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var id model.ID
	update(t, s, func(tx *Tx) error {
		c := model.Contact{Name: "丁伟"}
		err := tx.PutContact(&c)
		id = c.ID
		return err
	})
	s.Close()
	// Write the entry and the version as schema 2 had them: every reading
	// in one run, no marker.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(btx *bolt.Tx) error {
		old := searchValue(model.SortKey("丁伟"), model.Haystack(model.NameTerms("丁伟")...))
		if err := btx.Bucket(sxContacts).Put(id[:], old); err != nil {
			return err
		}
		return btx.Bucket(bMeta).Put(mSchema, encodeVersion(2))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("Open a schema-2 file: %v", err)
	}
	defer s.Close()
	if backups, _ := filepath.Glob(path + ".schema2-*.bak"); len(backups) != 1 {
		t.Errorf("backups: %v", backups)
	}
	view(t, s, func(tx *Tx) error {
		if r := tx.Check(); !r.OK() || r.Schema != SchemaVersion {
			t.Errorf("after the migration: %+v", r)
		}
		if hits, _ := tx.SearchContacts("zw", 0); len(hits) != 1 || hits[0].Prefix {
			t.Errorf("丁伟 is still found by zw, but not ranked first: %+v", hits)
		}
		return nil
	})
}
