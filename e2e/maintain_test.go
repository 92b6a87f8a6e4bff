package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/store"
)

func TestBackupRestoreDoctor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "add", "--name", "Before Backup", "--email", "before@example.com")
	bak := filepath.Join(e.dir, "copy.db")
	e.ok("backup", bak)
	e.ok("contact", "add", "--name", "After Backup")
	if out := e.ok("doctor").stdout; !strings.Contains(out, "healthy") {
		t.Errorf("doctor: %s", out)
	}
	rep := e.object("doctor")
	if rep["ok"] != true {
		t.Errorf("doctor --json: %v", rep)
	}
	e.ok("restore", bak, "--yes")
	if l := e.list("contact", "list"); len(l) != 1 || str(l[0], "name") != "Before Backup" {
		t.Errorf("restored data: %v", l)
	}
	if _, err := os.Stat(e.db + ".before-restore"); err != nil {
		t.Errorf("the replaced file is kept: %v", err)
	}
	junk := filepath.Join(e.dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database ", 1000)), 0o600)
	r := e.fails(1, "restore", junk, "--yes")
	if !strings.Contains(r.stderr, "junk.db") {
		t.Errorf("the message names the file: %s", r.stderr)
	}
	if l := e.list("contact", "list"); len(l) != 1 {
		t.Errorf("a refused restore changes nothing: %v", l)
	}
	e.fails(1, "backup", e.db)
}

func TestBusyDatabase(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "add", "--name", "Someone")
	st, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := e.fails(4, "contact", "add", "--name", "Blocked")
	if !strings.Contains(r.stderr, "another rolo process") {
		t.Errorf("busy message: %s", r.stderr)
	}
	e.fails(4, "contact", "list")
	st.Close()

	// A transient store (the TUI's mode) holds the file only during a
	// transaction, so scripts get through while it is open.
	tr, err := store.Open(e.db, store.Options{Transient: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	e.ok("contact", "add", "--name", "Scripted")
	if err := tr.View(func(tx *store.Tx) error {
		if n := tx.CountContacts(); n != 2 {
			t.Errorf("the transient store sees the script's write: %d", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "list")
	var wg sync.WaitGroup
	codes := make([]int, 16)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = e.run("contact", "add", "--name", "Writer", "--tag", "w").code
		}()
	}
	wg.Wait()
	added := 0
	for _, c := range codes {
		switch c {
		case 0:
			added++
		case 4: // waited its bounded time and gave up: allowed, never a hang
		default:
			t.Errorf("concurrent add exited %d", c)
		}
	}
	if l := e.list("contact", "list", "--tag", "w"); len(l) != added || added == 0 {
		t.Errorf("%d adds succeeded, %d contacts stored", added, len(l))
	}
	e.ok("doctor")
}

func TestDemoAndKill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.ok("demo", "--contacts", "300")
	if !strings.Contains(r.stdout, "300 contacts") {
		t.Errorf("demo: %s", r)
	}
	e.ok("doctor")
	if l := e.list("contact", "list", "--search", "zw"); len(l) == 0 {
		t.Error("the demo has a Chinese contact found by zw")
	}
	e.fails(2, "demo", "--contacts", "300") // not over existing data

	// kill -9 in the middle of a large demo leaves a file that opens and
	// passes doctor.
	k := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "demo", "--contacts", "100000", "--db", k.db)
	cmd.Env = append(os.Environ(), "ROLO_CONFIG="+k.configPath())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ { // wait until some batches are committed
		if fi, err := os.Stat(k.db); err == nil && fi.Size() > 4<<20 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	k.ok("doctor")
	k.ok("contact", "list", "--limit", "5")
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	os.WriteFile(e.config, []byte("currency = \"CNY\"\ncolour = \"blue\"\n"), 0o600)
	r := e.ok("contact", "list")
	if !strings.Contains(r.stderr, `"colour"`) || !strings.Contains(r.stderr, ":2:") {
		t.Errorf("unknown key warning: %s", r.stderr)
	}
	os.WriteFile(e.config, []byte("currency = \"CNY\"\n[[stages]]\nkey = \"a\"\nprobability = 150\n"), 0o600)
	r = e.fails(2, "contact", "list")
	if !strings.Contains(r.stderr, ":4:") || !strings.Contains(r.stderr, "probability") {
		t.Errorf("bad value error: %s", r.stderr)
	}
	e.extra = []string{"ROLO_CONFIG=" + filepath.Join(e.dir, "missing.toml")}
	e.fails(1, "contact", "list")
}

func TestHelpManCompletionVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if out := e.ok("--help").stdout; !strings.Contains(out, "contact") || !strings.Contains(out, "Exit codes") {
		t.Errorf("help: %s", out)
	}
	if out := e.ok("contact", "add", "--help").stdout; !strings.Contains(out, "--email") {
		t.Errorf("contact add --help: %s", out)
	}
	if out := e.ok("man").stdout; !strings.Contains(out, ".TH") {
		t.Errorf("man page: %.200s", out)
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		if out := e.ok("completion", sh).stdout; len(out) < 100 {
			t.Errorf("completion %s: %q", sh, out)
		}
	}
	if out := e.ok("version").stdout; !strings.HasPrefix(out, "rolo ") {
		t.Errorf("version: %q", out)
	}
	if out := e.run().stdout; !strings.Contains(out, "rolo") {
		t.Errorf("rolo without a terminal prints help: %q", out)
	}
}

func TestMaintenanceJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	d := e.object("demo", "--contacts", "20")
	if d["contacts"].(float64) != 20 || d["deals"].(float64) < 1 {
		t.Errorf("demo --json: %v", d)
	}
	bak := filepath.Join(e.dir, "b.db")
	if b := e.object("backup", bak); str(b, "backup") != bak || str(b, "size") == "" {
		t.Errorf("backup --json: %v", b)
	}
	doc := e.object("doctor")
	rep, _ := doc["report"].(map[string]any)
	if doc["ok"] != true || rep["records"].(map[string]any)["contact"].(float64) != 20 {
		t.Errorf("doctor --json: %v", doc)
	}
	if r := e.object("restore", bak, "--yes"); str(r, "restored_from") != bak {
		t.Errorf("restore --json: %v", r)
	}
}
