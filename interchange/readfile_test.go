package interchange

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	want := []byte("Name,Email\n")
	for i := range 5000 {
		want = fmt.Appendf(want, "张伟 %d,zw%d@example.com\n", i, i)
	}
	full, empty := filepath.Join(dir, "full.csv"), filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(full, want, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	data, release, err := ReadFile(full)
	if err != nil || !bytes.Equal(data, want) {
		t.Fatalf("ReadFile: %v, %d bytes, want %d", err, len(data), len(want))
	}
	// An import of the content reads it as it is and leaves the file as it was.
	st := openStore(t)
	if res, err := Import(st, data, ImportOptions{Name: full}); err != nil || res.Records.Contacts.Created != 5000 {
		t.Fatalf("import of the mapped file: %v, %d contacts", err, res.Records.Contacts.Created)
	}
	release()
	if got, _ := os.ReadFile(full); !bytes.Equal(got, want) {
		t.Error("the file changed")
	}
	if data, release, err := ReadFile(empty); err != nil || len(data) != 0 {
		t.Errorf("an empty file: %v, %d bytes", err, len(data))
	} else {
		release()
	}
	if _, _, err := ReadFile(filepath.Join(dir, "missing.csv")); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v", err)
	}
	if _, _, err := ReadFile(dir); err == nil {
		t.Error("a directory read as a file")
	}
}
