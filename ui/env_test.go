package ui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// The tests run on a demo database made with a fixed seed around a fixed
// "now", so every screen is the same on every run.
var (
	testZone = time.FixedZone("CST", 8*3600)
	testNow  = time.Date(2026, 11, 20, 10, 0, 0, 0, testZone)
)

const testSeed = 7

func testClock() time.Time { return testNow }

func testConfig() *config.Config {
	return &config.Config{Currency: "CNY", PhoneRegion: "CN", QuietDays: 30, Stages: model.DefaultPipeline().Stages}
}

func testStoreOptions(cfg *config.Config) store.Options {
	return store.Options{Transient: true, Rules: cfg.Rules(), Pipeline: cfg.Pipeline(), Now: testClock, LockTimeout: 300 * time.Millisecond}
}

// templates holds one generated demo database per size, copied for each
// test so that tests may write.
var templates sync.Map // size -> *template

type template struct {
	once sync.Once
	path string
	err  error
}

// demoStore returns a store over a fresh copy of the demo database with
// the given number of contacts.
func demoStore(t testing.TB, contacts int) *store.Store {
	t.Helper()
	v, _ := templates.LoadOrStore(contacts, &template{})
	tpl := v.(*template)
	tpl.once.Do(func() {
		dir, err := os.MkdirTemp("", "rolo-ui-test-")
		if err != nil {
			tpl.err = err
			return
		}
		tpl.path = filepath.Join(dir, "demo.db")
		st, err := store.Open(tpl.path, testStoreOptions(testConfig()))
		if err != nil {
			tpl.err = err
			return
		}
		defer st.Close()
		_, tpl.err = demo.Generate(st, demo.Options{Contacts: contacts, Seed: testSeed, Now: testNow})
	})
	if tpl.err != nil {
		t.Fatal(tpl.err)
	}
	path := filepath.Join(t.TempDir(), "rolo.db")
	if err := copyFile(tpl.path, path); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(path, testStoreOptions(testConfig()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestMain(m *testing.M) {
	code := m.Run()
	templates.Range(func(_, v any) bool {
		if p := v.(*template).path; p != "" {
			os.RemoveAll(filepath.Dir(p))
		}
		return true
	})
	os.Exit(code)
}

// screen wraps the root model to keep the last frame drawn, without its
// styles, for the test to read.
type screen struct {
	*Model
	mu   sync.Mutex
	last string
}

func (s *screen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := s.Model.Update(msg)
	return s, cmd
}

func (s *screen) View() tea.View {
	v := s.Model.View()
	s.mu.Lock()
	s.last = ansi.Strip(v.Content)
	s.mu.Unlock()
	return v
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// driver runs the program the way a user does: keys in, frames out.
type driver struct {
	t   testing.TB
	tm  *teatest.TestModel
	scr *screen
	st  *store.Store
}

type driveOptions struct {
	lang   i18n.Lang
	w, h   int
	config *config.Config
	store  *store.Store
	sync   SyncFunc
	every  time.Duration
}

func drive(t testing.TB, o driveOptions) *driver {
	t.Helper()
	if o.lang == "" {
		o.lang = i18n.English
	}
	if o.w == 0 {
		o.w, o.h = 120, 40
	}
	if o.config == nil {
		o.config = testConfig()
	}
	if o.store == nil {
		o.store = demoStore(t, 500)
	}
	m := New(Options{Store: o.store, Config: o.config, Lang: o.lang, Now: testClock, Sync: o.sync, SyncEvery: o.every})
	scr := &screen{Model: m}
	tm := teatest.NewTestModel(t, scr, teatest.WithInitialTermSize(o.w, o.h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	d := &driver{t: t, tm: tm, scr: scr, st: o.store}
	t.Cleanup(func() {
		tm.Quit()
		tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	})
	return d
}

// waitTimeout bounds every wait; the race detector and a busy machine
// make the program slow, never wrong.
const waitTimeout = 20 * time.Second

// waitFor waits until the screen satisfies cond and returns it.
func (d *driver) waitFor(what string, cond func(string) bool) string {
	d.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		s := d.scr.text()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("waiting for %s; the screen is:\n%s", what, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitText waits until the screen shows every one of texts.
func (d *driver) waitText(texts ...string) string {
	d.t.Helper()
	return d.waitFor(strings.Join(texts, ", "), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// waitGone waits until the screen no longer shows text.
func (d *driver) waitGone(text string) string {
	d.t.Helper()
	return d.waitFor("no "+text, func(s string) bool { return !strings.Contains(s, text) })
}

// settle waits until the screen has stopped changing (replies have all
// arrived) and returns it.
func (d *driver) settle() string {
	d.t.Helper()
	prev, since := d.scr.text(), time.Now()
	deadline := time.Now().Add(waitTimeout)
	for time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		s := d.scr.text()
		switch {
		case s != prev:
			prev, since = s, time.Now()
		case time.Since(since) > 300*time.Millisecond && !busy(s):
			return s
		}
	}
	d.t.Fatalf("the screen did not settle:\n%s", prev)
	return ""
}

// busy reports whether a screen still waits for data.
func busy(s string) bool {
	for _, w := range []string{"Loading…", "加载中…", "Checking the last contact", "正在检查每位客户"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// press sends keys by name: "enter", "esc", "tab", "shift+tab",
// "shift+right", "up", "down", "left", "right", "backspace", or one
// printable character.
func (d *driver) press(keys ...string) {
	for _, k := range keys {
		d.tm.Send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "backspace": {Code: tea.KeyBackspace},
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
		"shift+right": {Code: tea.KeyRight, Mod: tea.ModShift}, "shift+left": {Code: tea.KeyLeft, Mod: tea.ModShift},
		"pgdown": {Code: tea.KeyPgDown}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl},
	}
	if m, ok := special[k]; ok {
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// next presses enter in a form and waits until the field labelled label
// has the focus: huh moves on in a command, and a key typed before it
// has would land in the field before.
func (d *driver) next(label string) {
	d.t.Helper()
	d.press("enter")
	d.waitFor("the focus on "+label, func(s string) bool { return strings.Contains(s, "┃ "+label) })
}

// typeText types text as key presses.
func (d *driver) typeText(text string) { d.tm.Type(text) }

// read runs fn in a read transaction of the test's store.
func (d *driver) read(fn func(tx *store.Tx) error) {
	d.t.Helper()
	if err := d.st.View(fn); err != nil {
		d.t.Fatal(err)
	}
}

// eventually retries check until it passes or the wait times out: writes
// run in commands, after the key that asked for them.
func (d *driver) eventually(what string, check func(tx *store.Tx) bool) {
	d.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok := false
		d.read(func(tx *store.Tx) error { ok = check(tx); return nil })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("%s never happened; the screen is:\n%s", what, d.scr.text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
