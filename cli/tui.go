package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/store"
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
	return ui.Run(cmd.Context(), ui.Options{Store: st, Config: a.cfg, Lang: a.L(), Now: a.now, Started: started})
}
