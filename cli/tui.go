package cli

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
	"github.com/rolo-crm/rolo/ui"
)

// started is when the process started, for the TUI's start-up time in
// its log.
var started = time.Now()

// runTUI starts the interactive interface on a terminal. The store is
// opened transient: the file is held only while a transaction runs, so
// scripts in another terminal can write while the TUI is open.
func (a *app) runTUI(cmd *cobra.Command) error {
	opts, err := a.storeOptions()
	if err != nil {
		return err
	}
	st, err := store.Open(a.path(), store.Options{Transient: true, Rules: opts.Rules, Pipeline: opts.Pipeline, Now: opts.Now})
	if err != nil {
		return err
	}
	defer st.Close()
	o := ui.Options{Store: st, Config: a.cfg, Lang: a.L(), Now: a.now, Started: started}
	o.Sync, o.SyncEvery = a.backgroundSync(st)
	return ui.Run(cmd.Context(), o)
}

// backgroundSync returns the TUI's sync with the team server, or nil when
// none is set up (no server, or no token for it). A [sync] interval of 0
// leaves only the sync key.
func (a *app) backgroundSync(st *store.Store) (ui.SyncFunc, time.Duration) {
	server, token, err := a.syncTarget("")
	if err != nil || token == "" {
		return nil, 0
	}
	client, err := rsync.NewClient(server, token, rsync.ClientOptions{UserAgent: "rolo/" + versionString()})
	if err != nil {
		return nil, 0
	}
	every := a.cfg.Sync.Interval.Duration
	if every == 0 {
		every = -1
	}
	return func(ctx context.Context) ui.SyncReport {
		res, err := rsync.Run(ctx, st, rsync.Options{Client: client, Now: a.now})
		r := ui.SyncReport{Pushed: res.Pushed, Pulled: res.Pulled, Conflicts: res.Conflicts}
		var off *rsync.OfflineError
		switch {
		case errors.As(err, &off):
			r.Offline = true
		case err != nil:
			r.Err = a.syncError(server, err).Error()
		}
		return r
	}, every
}
