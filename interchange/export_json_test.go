package interchange

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// referenceChunk is encodeChunk as it was before records appended their
// own JSON: an Encoder without HTML escaping for records that have no
// MarshalJSON.
func referenceChunk[T any](t testing.TB, recs []T) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if i > 0 {
			buf.WriteString(",\n")
		}
		if err := enc.Encode(&recs[i]); err != nil {
			t.Fatal(err)
		}
		buf.Truncate(buf.Len() - 1)
	}
	return buf.Bytes()
}

func sameChunk[T any](t testing.TB, recs []T) {
	t.Helper()
	var got bytes.Buffer
	if err := encodeChunk(&got, recs); err != nil {
		t.Fatal(err)
	}
	if want := referenceChunk(t, recs); !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("encodeChunk differs from the Encoder:\n got %s\nwant %s", got.Bytes(), want)
	}
}

// TestExportWritesRecordsAsTheEncoder checks that companies, tasks and
// activities written through AppendJSON are the bytes the Encoder wrote
// for a demo database; FuzzExportRecordJSON's seeds cover "&" and "<>",
// which must stay as they are, not \u0026.
func TestExportWritesRecordsAsTheEncoder(t *testing.T) {
	st := openStore(t)
	if _, err := demo.Generate(st, demo.Options{Contacts: 300, Seed: 7, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	var companies []model.Company
	var tasks []model.Task
	var acts []model.Activity
	err := st.View(func(tx *store.Tx) error {
		if err := tx.EachCompany(func(c *model.Company) error { companies = append(companies, *c); return nil }); err != nil {
			return err
		}
		if err := tx.EachTask(func(x *model.Task) error { tasks = append(tasks, *x); return nil }); err != nil {
			return err
		}
		return tx.EachActivity(func(a *model.Activity) error { acts = append(acts, *a); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	sameChunk(t, companies)
	sameChunk(t, tasks)
	sameChunk(t, acts)

}

func TestUnescapeHTML(t *testing.T) {
	for in, want := range map[string]string{
		`"a \u0026 b"`:             `"a & b"`,
		`"\u003cb\u003e"`:          `"<b>"`,
		`"\\u0026"`:                `"\\u0026"`, // an escaped backslash, then text
		`"\\\u0026"`:               `"\\&"`,
		`"\u00e9 \u2028 \n \" \\"`: `"\u00e9 \u2028 \n \" \\"`,
		`{}`:                       `{}`,
	} {
		if got := string(unescapeHTML([]byte(in))); got != want {
			t.Errorf("unescapeHTML(%s) = %s, want %s", in, got, want)
		}
	}
}

// FuzzExportRecordJSON writes records holding any text as the export
// does and as the Encoder did: the same bytes.
func FuzzExportRecordJSON(f *testing.F) {
	for _, s := range []string{"Food & beverage", "<b>\\u0026</b>", "\\\"&", "张伟 \u2028", "\xff&"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		at := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
		sameChunk(t, []model.Company{{Name: a, Industry: b, Tags: []string{a, b}, Custom: map[string]string{a: b}}})
		sameChunk(t, []model.Activity{{Kind: "note", At: at, Body: a, Channel: b}})
		sameChunk(t, []model.Task{{Title: a, Notes: b}})
	})
}
