// Package ui is rolo's interactive terminal interface, a Bubble Tea
// program: one root model (Model) that owns the views behind the tabs
// (Today, Contacts, Companies, Deals, Tasks, Reports), a stack of dialogs
// (forms, confirmations, prompts, help), the status line and the undo
// stack. Components share one context (shared: language, Styles, KeyMap,
// the store, config and clock). Every store access runs in a tea.Cmd and
// comes back as a message tagged with a request id, so Update and View
// never wait on the file and stale replies are dropped.
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/adrg/xdg"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/store"
)

// Options configure the program.
type Options struct {
	// Store is the database, opened with store.Options.Transient so that
	// other processes can write between the program's transactions.
	Store  *store.Store
	Config *config.Config
	Lang   i18n.Lang
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives the log (discarded when nil).
	Logger *slog.Logger
	// Started is when the process started, for the start-up time in the
	// log (the call to New when zero).
	Started time.Time
	// Sync, when set, syncs with the team server; the program runs it in
	// the background shortly after start and then every SyncEvery (5
	// minutes when zero; only on the sync key when negative), and on the
	// sync key.
	Sync      SyncFunc
	SyncEvery time.Duration
}

// memoryLimit is the soft limit on the Go heap and runtime memory, unless
// GOMEMLIMIT sets another.
const memoryLimit = 96 << 20

// LogPath is where the program logs: $XDG_STATE_HOME/rolo/rolo.log.
func LogPath() string { return filepath.Join(xdg.StateHome, "rolo", "rolo.log") }

// ErrCrashed is returned by Run when the program stopped after an
// internal error; the trace is in the log.
var ErrCrashed = errors.New("rolo stopped after an internal error")

// Run runs the program on the terminal until the user quits. The log goes
// to LogPath, never to the screen: while the program runs, anything
// written to standard error (a panic's trace included) goes to the log
// too, and a panic restores the terminal before Run returns.
func Run(ctx context.Context, o Options) (err error) {
	logFile, logPath := openLog()
	defer logFile.Close()
	o.Logger = slog.New(slog.NewTextHandler(logFile, nil))
	o.Logger.Info("start", "db", o.Store.Path(), "lang", string(o.Lang))

	stderr := os.Stderr
	if f, ok := logFile.(*os.File); ok {
		os.Stderr = f
	}
	defer func() { os.Stderr = stderr }()

	// The views hold large sets in memory at 100,000 contacts (the search
	// index, the board's deals, the agenda); a soft limit makes the
	// collector run before the garbage of a big read doubles the heap.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	m := New(o)
	final, err := tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if fm, ok := final.(*Model); (ok && fm.crashed) || errors.Is(err, tea.ErrProgramPanic) {
		o.Logger.Error("stopped after an internal error", "err", fmt.Sprint(err))
		return fmt.Errorf("%w; the details are in %s", ErrCrashed, logPath)
	}
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil // interrupted from outside
	}
	o.Logger.Info("quit")
	return err
}

// openLog opens the log file for appending, creating its directory; when
// that fails the log is discarded.
func openLog() (io.WriteCloser, string) {
	path := LogPath()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err == nil {
		if f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			return f, path
		}
	}
	if f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		return f, os.DevNull
	}
	return nopCloser{io.Discard}, os.DevNull
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
