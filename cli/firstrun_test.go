package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/config"
)

// settingLine is a commented-out setting of the default config: a
// key = value line or a [table] header.
var settingLine = regexp.MustCompile(`^# (\[\[?[a-z_]+\]\]?|[a-z_]+ = .*)$`)

// uncomment turns every commented-out setting of the default config on.
func uncomment(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if settingLine.MatchString(line) {
			setting, _, _ := strings.Cut(line[2:], "  #")
			b.WriteString(setting + "\n")
		}
	}
	return b.String()
}

func TestDefaultConfig(t *testing.T) {
	text := defaultConfigText()
	for line := range strings.Lines(text) {
		if line != "\n" && !strings.HasPrefix(line, "#") {
			t.Errorf("not commented out: %q", line)
		}
	}
	// Every line uncommented, the file reads back as the defaults.
	path := filepath.Join(t.TempDir(), "config.toml")
	on := uncomment(text)
	if err := os.WriteFile(path, []byte(on), 0o600); err != nil {
		t.Fatal(err)
	}
	got, warnings, err := config.Load(path, true)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("the uncommented default config: %v %q\n%s", err, warnings, on)
	}
	if len(got.Keys) == 0 {
		got.Keys = nil
	}
	if want := config.Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("the uncommented default config is not the defaults:\n got %+v\nwant %+v", got, want)
	}
	// Every key is explained.
	md, err := toml.Decode(on, &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range md.Keys() {
		path := k.String()
		if len(k) > 1 && k[0] == "stages" {
			continue // explained by the [[stages]] preamble
		}
		if configDescriptions[path] == "" {
			t.Errorf("config key %q has no description in configDescriptions", path)
		}
	}
}

// TestDefaultConfigMatchesDocs checks that the keys docs/config.md lists
// are those the default config holds.
func TestDefaultConfigMatchesDocs(t *testing.T) {
	docs, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	md, err := toml.Decode(uncomment(defaultConfigText()), &config.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, k := range md.Keys() {
		keys = append(keys, k.String())
	}
	row := regexp.MustCompile("(?m)^\\| `(?:\\[\\[?([a-z_]+)\\]\\]?)? ?([a-z_]*)` \\|")
	rows := row.FindAllStringSubmatch(string(docs), -1)
	if len(rows) < 5 {
		t.Fatalf("found %d keys in docs/config.md's table: has its layout changed?", len(rows))
	}
	for _, m := range rows {
		key := strings.Trim(m[1]+"."+m[2], ".")
		if !slices.Contains(keys, key) {
			t.Errorf("docs/config.md lists %q, which the default config.toml lacks", key)
		}
	}
}

func TestInit(t *testing.T) {
	e := newCLIEnv(t, "")
	os.Remove(e.config)
	out := e.ok("init")
	if !strings.Contains(out, e.config) || !strings.Contains(out, e.db) {
		t.Errorf("init says: %q", out)
	}
	written, err := os.ReadFile(e.config)
	if err != nil || string(written) != defaultConfigText() {
		t.Fatalf("init wrote %q, %v", written, err)
	}
	if _, err := os.Stat(e.db); err == nil {
		t.Error("init created the database")
	}

	mine := []byte("owner = \"李娜\"\n")
	if err := os.WriteFile(e.config, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := e.run("init")
	if code != ExitUsage || !strings.Contains(errs, "--force") {
		t.Errorf("init over an existing file: exit %d %q", code, errs)
	}
	if now, _ := os.ReadFile(e.config); !bytes.Equal(now, mine) {
		t.Error("init replaced the file without --force")
	}
	e.ok("init", "--force")
	if bak, _ := os.ReadFile(e.config + ".bak"); !bytes.Equal(bak, mine) {
		t.Errorf("the replaced file was not kept: %q", bak)
	}
	if now, _ := os.ReadFile(e.config); string(now) != defaultConfigText() {
		t.Error("init --force did not write the default")
	}
}

// firstRunApp is an app for a new user (no database, no config file)
// and its command tree, as the root command's flags would set it up.
func firstRunApp(t *testing.T) (*app, *cobra.Command, *bytes.Buffer) {
	dir := t.TempDir()
	out := &bytes.Buffer{}
	a := newApp(strings.NewReader(""), out, out)
	root := newRoot(a)
	root.SetContext(context.Background())
	a.dbPath = filepath.Join(dir, "data", "rolo.db")
	a.configPath = filepath.Join(dir, "config", "config.toml")
	a.lang = "en"
	return a, root, out
}

func welcome(t *testing.T, a *app, root *cobra.Command, answers string) bool {
	t.Helper()
	start, err := a.welcome(root, bufio.NewReader(strings.NewReader(answers)))
	if err != nil {
		t.Fatal(err)
	}
	return start
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestFirstRunQuit(t *testing.T) {
	for _, answers := range []string{"q\n", "", "nonsense\nquit\n"} {
		a, root, out := firstRunApp(t)
		if welcome(t, a, root, answers) {
			t.Errorf("%q: the TUI would start", answers)
		}
		for _, want := range []string{a.dbPath, a.configPath, "[d] demo", "[i] import", "[e] empty", "[q] quit"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%q: the welcome does not mention %q:\n%s", answers, want, out)
			}
		}
		if exists(a.dbPath) || exists(a.configPath) {
			t.Errorf("%q: quitting created files", answers)
		}
	}
}

func TestFirstRunEmpty(t *testing.T) {
	a, root, out := firstRunApp(t)
	if !welcome(t, a, root, "e\n") {
		t.Fatalf("the TUI would not start:\n%s", out)
	}
	if !exists(a.dbPath) {
		t.Error("no database")
	}
	if text, _ := os.ReadFile(a.configPath); string(text) != defaultConfigText() {
		t.Error("no commented default config")
	}
	if a.st != nil {
		t.Error("the store is left open: the TUI could not open it")
	}
}

func TestFirstRunDemo(t *testing.T) {
	a, root, out := firstRunApp(t)
	realDB := a.dbPath
	if !welcome(t, a, root, "d\n") {
		t.Fatalf("the TUI would not start:\n%s", out)
	}
	demoDB := filepath.Join(filepath.Dir(realDB), "demo.db")
	if a.dbPath != demoDB || !exists(demoDB) {
		t.Errorf("the TUI would open %s; want the demo at %s", a.dbPath, demoDB)
	}
	if exists(realDB) {
		t.Error("the demo created the user's own database")
	}
	if !strings.Contains(out.String(), "demo database") {
		t.Errorf("no word about the demo:\n%s", out)
	}
}

func TestFirstRunImport(t *testing.T) {
	a, root, out := firstRunApp(t)
	csv := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(csv, []byte("Name,Email\nMaria Garcia,maria@acme.com\nBob Marley,bob@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A missing file is said, and asked again; then the file name is asked for.
	if !welcome(t, a, root, "i /no/such/file.csv\ni\n"+csv+"\n") {
		t.Fatalf("the TUI would not start:\n%s", out)
	}
	if !strings.Contains(out.String(), "no such file") || !strings.Contains(out.String(), "File to import") {
		t.Errorf("the conversation:\n%s", out)
	}
	if a.st != nil {
		t.Error("the store is left open: the TUI could not open it")
	}
	e := &cliEnv{t: t, db: a.dbPath, config: a.configPath}
	if list := e.ok("contact", "list"); !strings.Contains(list, "Maria Garcia") || !strings.Contains(list, "Bob Marley") {
		t.Errorf("not imported:\n%s", list)
	}
}

func TestFirstRunOnlyOnATerminalWithoutDatabase(t *testing.T) {
	a, root, out := firstRunApp(t)
	if start, err := a.firstRun(root); !start || err != nil || out.Len() > 0 {
		t.Errorf("stdin is no terminal: firstRun = %v, %v, %q", start, err, out)
	}
}
