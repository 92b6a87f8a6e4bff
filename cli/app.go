// Package cli is rolo's command line: one file per command group, each
// turning flags into calls on store, model and the other packages, and
// printing a table for people or JSON for scripts.
package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/store"
)

// app carries what every command needs: the global flags, the loaded
// config, and the store once opened.
type app struct {
	dbPath     string
	configPath string
	jsonOut    bool
	lang       string

	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time

	cfg   *config.Config
	st    *store.Store
	write bool // whether st was opened read-write
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
}

// config loads config.toml once, printing its warnings.
func (a *app) config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	path, required := a.configPath, a.configPath != ""
	if !required {
		if path = os.Getenv("ROLO_CONFIG"); path != "" {
			required = true
		} else {
			path = config.DefaultPath()
		}
	}
	cfg, warnings, err := config.Load(path, required)
	for _, w := range warnings {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
	if err != nil {
		return nil, err
	}
	a.cfg = cfg
	return cfg, nil
}

// L returns the language for messages: --lang, else config, else locale.
func (a *app) L() i18n.Lang {
	if l, ok := i18n.Parse(a.lang); ok {
		return l
	}
	if a.cfg != nil {
		if l, ok := i18n.Parse(a.cfg.Language); ok {
			return l
		}
	}
	l, _ := config.FromLocale()
	lang, _ := i18n.Parse(l)
	return lang
}

// path returns the database path: --db, else ROLO_DB, else the XDG default.
func (a *app) path() string {
	switch {
	case a.dbPath != "":
		return a.dbPath
	case os.Getenv("ROLO_DB") != "":
		return os.Getenv("ROLO_DB")
	}
	return config.DefaultDBPath()
}

// storeOptions returns the options a store is opened with.
func (a *app) storeOptions() (store.Options, error) {
	cfg, err := a.config()
	if err != nil {
		return store.Options{}, err
	}
	return store.Options{Rules: cfg.Rules(), Pipeline: cfg.Pipeline(), Now: a.now, Repairing: a.repairing}, nil
}

// repairing tells the user why opening the database takes a while.
func (a *app) repairing(r store.Repair) {
	key := "store.repair.migrate"
	if r == store.RepairIndexes {
		key = "store.repair.indexes"
	}
	fmt.Fprintln(a.stderr, a.L().T(key, a.path()))
}

// open opens the database, read-write when write is set; the handle is
// closed when the command ends.
func (a *app) open(write bool) (*store.Store, error) {
	if a.st != nil && (a.write || !write) {
		return a.st, nil
	}
	opts, err := a.storeOptions()
	if err != nil {
		return nil, err
	}
	opts.ReadOnly = !write
	if a.st != nil {
		a.st.Close()
	}
	st, err := store.Open(a.path(), opts)
	if err != nil {
		return nil, err
	}
	a.st, a.write = st, write
	return st, nil
}

func (a *app) close() {
	if a.st != nil {
		a.st.Close()
		a.st = nil
	}
}

// update opens the store for writing and runs fn in one transaction.
func (a *app) update(fn func(*store.Tx) error) error {
	st, err := a.open(true)
	if err != nil {
		return err
	}
	return st.Update(fn)
}

// view opens the store for reading and runs fn in one transaction.
func (a *app) view(fn func(*store.Tx) error) error {
	st, err := a.open(false)
	if err != nil {
		return err
	}
	return st.View(fn)
}

// printJSON writes v as JSON on stdout: an object indented, a list of
// records (from jsonList) as an array with one compact object per line,
// which stays quick to write and to read line by line for 100,000 records.
func (a *app) printJSON(v any) error {
	if list, ok := v.([]json.RawMessage); ok {
		return a.printJSONList(list)
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (a *app) printJSONList(list []json.RawMessage) error {
	w := bufio.NewWriterSize(a.stdout, 64<<10)
	if len(list) == 0 {
		w.WriteString("[]\n")
		return w.Flush()
	}
	w.WriteString("[\n")
	for i, rec := range list {
		w.WriteString("  ")
		w.Write(rec)
		if i < len(list)-1 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
	}
	w.WriteString("]\n")
	return w.Flush()
}

// say prints a message for people: on stderr when stdout carries JSON.
func (a *app) say(format string, args ...any) {
	w := a.stdout
	if a.jsonOut {
		w = a.stderr
	}
	fmt.Fprintf(w, format+"\n", args...)
}

// confirm asks a yes/no question when stdin is a terminal; scripts (no
// terminal) are not asked. yes skips the question.
func (a *app) confirm(question string, yes bool) bool {
	if yes {
		return true
	}
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return true
	}
	fmt.Fprint(a.stderr, question)
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	line = strings.ToLower(strings.TrimSpace(line))
	return line == "y" || line == "yes" || line == "是" || line == "好"
}
