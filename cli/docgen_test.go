package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// referenceDir is the checked-in command reference.
const referenceDir = "../docs/reference"

// genReference writes the reference of the current command tree into a
// temporary directory, the way `rolo gen-docs` does.
func genReference(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"gen-docs", dir}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("gen-docs: exit %d: %s", code, errb.String())
	}
	return dir
}

func pages(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	return files
}

// TestReferenceUpToDate fails when docs/reference no longer says what the
// commands do: a command, flag or help text changed without the pages.
func TestReferenceUpToDate(t *testing.T) {
	got := genReference(t)
	const fix = "run `go run . gen-docs docs/reference` and commit the result"
	want, have := pages(t, got), pages(t, referenceDir)
	for _, p := range want {
		if !slices.Contains(have, p) {
			t.Errorf("docs/reference lacks %s: %s", p, fix)
			continue
		}
		g, _ := os.ReadFile(filepath.Join(got, p))
		h, _ := os.ReadFile(filepath.Join(referenceDir, p))
		if !bytes.Equal(g, h) {
			t.Errorf("docs/reference/%s is out of date: %s", p, fix)
		}
	}
	for _, p := range have {
		if !slices.Contains(want, p) {
			t.Errorf("docs/reference/%s documents a command that no longer exists: %s", p, fix)
		}
	}
}

func TestReferenceCoversTheTree(t *testing.T) {
	dir := genReference(t)
	a := newApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	root := newRoot(a)
	var visit func(*cobra.Command)
	visit = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c != root {
			return
		}
		page := filepath.Join(dir, referencePage(c))
		text, err := os.ReadFile(page)
		if err != nil {
			t.Errorf("no page for %q", c.CommandPath())
			return
		}
		if !strings.HasPrefix(string(text), referenceHeader) {
			t.Errorf("%s does not say it is generated", page)
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && !strings.Contains(string(text), "--"+f.Name) {
				t.Errorf("%s does not document --%s", page, f.Name)
			}
		})
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(root)
	for _, hidden := range []string{"rolo_gen-docs.md", "rolo_man.md", "rolo___complete.md"} {
		if _, err := os.Stat(filepath.Join(dir, hidden)); err == nil {
			t.Errorf("hidden command documented: %s", hidden)
		}
	}
}

func TestWriteReferenceRemovesStalePages(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "rolo_gone.md")
	other := filepath.Join(dir, "notes.txt")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a := newApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err := writeReference(newRoot(a), dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the page of a removed command stayed")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file that is not a page was removed")
	}
	if _, err := os.Stat(filepath.Join(dir, "rolo_contact_add.md")); err != nil {
		t.Error(err)
	}
}

func TestManPages(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	t.Setenv("SOURCE_DATE_EPOCH", "1795000000") // 2026-11-18
	args := []string{"gen-docs", "--man", "--source", "rolo 1.2.3", dir}
	if code := Run(context.Background(), args, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("gen-docs --man: exit %d: %s", code, errb.String())
	}
	root, err := os.ReadFile(filepath.Join(dir, "rolo.1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(root), `.TH "ROLO" "1" "Nov 2026" "rolo 1.2.3" "rolo manual"`) {
		t.Errorf("rolo.1 header:\n%.300s", root)
	}
	add, err := os.ReadFile(filepath.Join(dir, "rolo-contact-add.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rolo-contact-add", "--allow-duplicate", "rolo-contact(1)"} {
		if !strings.Contains(string(add), want) {
			t.Errorf("rolo-contact-add.1 lacks %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "rolo-gen-docs.1")); err == nil {
		t.Error("the hidden gen-docs has a man page")
	}
	if pages(t, dir) != nil {
		t.Error("--man wrote Markdown")
	}
}

func TestManDate(t *testing.T) {
	if got := manDate("1795000000"); got.Format("2006-01-02") != "2026-11-18" {
		t.Errorf("manDate: %v", got)
	}
	if got := manDate(""); got.IsZero() {
		t.Error("no SOURCE_DATE_EPOCH: want today")
	}
}
