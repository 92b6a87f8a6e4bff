package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/store"
	rsync "github.com/rolo-crm/rolo/sync"
)

// syncTarget resolves the server and token (rsync.Target), with
// config.toml's [sync] server.
func (a *app) syncTarget(flag string) (server, token string, err error) {
	cfg, err := a.config()
	if err != nil {
		return "", "", err
	}
	creds, err := rsync.LoadCredentials(rsync.CredentialsPath())
	if err != nil {
		return "", "", err
	}
	server, token, err = rsync.Target(flag, cfg.Sync.Server, creds)
	switch {
	case err != nil:
		return "", "", usagef(err)
	case server == "":
		return "", "", usagef(errors.New(a.L().T("sync.err.noserver")))
	}
	return server, token, nil
}

func syncCmd(a *app) *cobra.Command {
	var server string
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Push your changes to the team server and pull everyone else's",
		Long: `Push the changes made in this database since the last sync to the team
server, then pull the changes of everyone else. Edits to different fields of
a record are all kept; when two people changed the same field without seeing
each other's change, the later one wins and the other is kept as a conflict
(rolo sync conflicts). A deletion wins over edits made without seeing it.

Working offline is normal: when the server cannot be reached, sync says so and
exits 1; nothing is lost, and the next sync pushes everything that waits.

The server is --server, else [sync] server in config.toml, else the one of the
last rolo sync login. The token is $ROLO_SYNC_TOKEN, else the one stored by
rolo sync login.`,
		Example: `  rolo sync login --server https://crm.example.com --token rolo_...
  rolo sync
  rolo sync status
  rolo sync conflicts`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runSync(cmd, server) },
	}
	cmd.Flags().StringVar(&server, "server", "", "team server URL")
	cmd.AddCommand(syncStatusCmd(a), syncLoginCmd(a), syncLogoutCmd(a), syncConflictsCmd(a))
	return cmd
}

func (a *app) runSync(cmd *cobra.Command, flag string) error {
	server, token, err := a.syncTarget(flag)
	if err != nil {
		return err
	}
	if token == "" {
		return usagef(errors.New(a.L().T("sync.err.notoken", server)))
	}
	lessGC()
	// A sync may take a while: hold the file only during each transaction,
	// so other rolo commands can write meanwhile.
	opts, err := a.storeOptions()
	if err != nil {
		return err
	}
	opts.Transient = true
	st, err := store.Open(a.path(), opts)
	if err != nil {
		return err
	}
	defer st.Close()
	client, err := rsync.NewClient(server, token, rsync.ClientOptions{UserAgent: "rolo/" + versionString()})
	if err != nil {
		return usagef(err)
	}
	bar := a.syncBar()
	res, err := rsync.Run(cmd.Context(), st, rsync.Options{Client: client, Progress: bar.update, Now: a.now})
	bar.done()
	if err != nil {
		return a.syncError(server, err)
	}
	if a.jsonOut {
		return a.printJSON(res)
	}
	a.say("%s", a.L().N("sync.done", res.Pushed, server, humanize.Comma(int64(res.Pushed)), humanize.Comma(int64(res.Pulled)), humanize.Comma(int64(res.Applied))))
	if res.FullPush && res.Pushed+res.Duplicates > 0 {
		a.say("%s", a.L().T("sync.fullpush"))
	}
	if res.Conflicts > 0 {
		a.say("%s", a.L().N("sync.conflicts.new", res.Conflicts, res.Conflicts))
	}
	if res.Repaired > 0 {
		a.say("%s", a.L().T("sync.repaired", res.Repaired))
	}
	for _, r := range res.Rejected {
		fmt.Fprintln(a.stderr, a.L().T("sync.rejected", r.OpID, r.Message))
	}
	return nil
}

// syncError turns a sync failure into the message a user can act on.
func (a *app) syncError(server string, err error) error {
	var off *rsync.OfflineError
	var ahead *rsync.ClockAheadError
	switch {
	case errors.As(err, &off):
		return fmt.Errorf("%s (%v)", a.L().T("sync.err.offline", server), off.Err)
	case errors.Is(err, rsync.ErrUnauthorized):
		return errors.New(a.L().T("sync.err.unauthorized", server))
	case errors.As(err, &ahead):
		return errors.New(a.L().T("sync.err.clock", ahead.Ahead.Round(time.Second).String(), ahead.Pending))
	}
	return err
}

// syncBar draws a bar on stderr for transfers big enough to watch, when
// stderr is a terminal and stdout is not JSON (in the style of import's).
type syncBar struct {
	w     io.Writer
	a     *app
	on    bool
	drawn bool
	phase string
	last  time.Time
}

func (a *app) syncBar() *syncBar {
	p := &syncBar{w: a.stderr, a: a}
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(f.Fd()) && !a.jsonOut {
		p.on = true
	}
	return p
}

const barMin = 2000 // ops: smaller transfers finish before a bar helps

func (p *syncBar) update(pr rsync.Progress) {
	if !p.on || (pr.Total < barMin && pr.Done < barMin) {
		return
	}
	if time.Since(p.last) < 100*time.Millisecond && pr.Done != pr.Total {
		return
	}
	p.last = time.Now()
	label := p.a.L().T("sync.phase." + pr.Phase)
	if p.drawn && label != p.phase {
		fmt.Fprintln(p.w)
	}
	p.phase, p.drawn = label, true
	if pr.Total <= 0 {
		fmt.Fprintf(p.w, "\r%s  %s", label, humanize.Comma(int64(pr.Done)))
		return
	}
	const width = 30
	full := min(width, pr.Done*width/pr.Total)
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %s/%s", label, strings.Repeat("█", full), strings.Repeat("░", width-full),
		pr.Done*100/pr.Total, humanize.Comma(int64(pr.Done)), humanize.Comma(int64(pr.Total)))
}

func (p *syncBar) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func versionString() string {
	if Version == "" {
		return "dev"
	}
	return Version
}

// syncStatus is what rolo sync status reports.
type syncStatus struct {
	Server    string    `json:"server"`
	LoggedIn  bool      `json:"logged_in"`
	LastSync  time.Time `json:"last_sync,omitzero"`
	Pending   int       `json:"pending"`
	Conflicts int       `json:"conflicts"`
	Database  string    `json:"database"`
	Replica   string    `json:"replica"`
}

func syncStatusCmd(a *app) *cobra.Command {
	var server string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the team server, the last sync, the changes waiting and the conflicts",
		Long: `Show where this database stands with its team server: the server, when it
last synced, how many local changes wait to be pushed, and how many conflicts
are kept. It does not contact the server.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := syncStatus{}
			if srv, token, err := a.syncTarget(server); err == nil {
				s.Server, s.LoggedIn = srv, token != ""
			} else if !isUsage(err) {
				return err
			}
			st, err := a.open(false)
			if err != nil {
				return err
			}
			s.Database, s.Replica = st.Path(), st.Replica().String()
			err = st.View(func(tx *store.Tx) error {
				state, err := tx.SyncState()
				if err != nil {
					return err
				}
				s.LastSync = state.LastSync
				if state.Server != "" && s.Server != "" && state.Server != s.Server {
					s.LastSync = time.Time{}
				}
				s.Pending, err = tx.PendingCount(state.PushedSeq)
				s.Conflicts = tx.CountConflicts()
				return err
			})
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(s)
			}
			l := a.L()
			server := s.Server
			if server == "" {
				server = l.T("sync.status.noserver")
			} else if !s.LoggedIn {
				server += " " + l.T("sync.status.notoken")
			}
			last := l.T("sync.status.never")
			if !s.LastSync.IsZero() {
				last = fmtTime(s.LastSync) + " (" + humanize.RelTime(s.LastSync, a.now(), l.T("sync.status.ago"), l.T("sync.status.fromnow")) + ")"
			}
			var d details
			d.add(l.T("sync.status.server"), server)
			d.add(l.T("sync.status.last"), last)
			d.add(l.T("sync.status.pending"), humanize.Comma(int64(s.Pending)))
			d.add(l.T("sync.status.conflicts"), humanize.Comma(int64(s.Conflicts)))
			d.add(l.T("sync.status.database"), s.Database)
			d.write(a.stdout)
			return nil
		},
	}
	cmd.Flags().StringVar(&server, "server", "", "team server URL")
	return cmd
}

func isUsage(err error) bool {
	var ue usageError
	return errors.As(err, &ue)
}

func syncLoginCmd(a *app) *cobra.Command {
	var server, token string
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Store the token for a team server (checked with the server when it can be reached)",
		Long: `Store a token for a team server, in $XDG_CONFIG_HOME/rolo/sync-credentials.json
(readable by you only). The token is never printed. Without --token, or with
--token -, it is read from stdin, which keeps it out of the shell's history.
The server becomes the default for rolo sync. When the server can be reached
the token is checked first; a token it refuses is not stored.`,
		Example: `  rolo sync login --server https://crm.example.com --token rolo_...
  echo "$TOKEN" | rolo sync login --server https://crm.example.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u, err := rsync.ParseServerURL(server)
			if err != nil {
				return usagef(err)
			}
			if token == "" || token == "-" {
				line, err := bufio.NewReader(a.stdin).ReadString('\n')
				if err != nil && !errors.Is(err, io.EOF) {
					return err
				}
				token = line
			}
			token = strings.TrimSpace(token)
			if token == "" {
				return usagef(errors.New(a.L().T("sync.err.emptytoken")))
			}
			client, err := rsync.NewClient(u.String(), token, rsync.ClientOptions{Attempts: 2, Timeout: 15 * time.Second})
			if err != nil {
				return usagef(err)
			}
			out := map[string]any{"server": u.String(), "verified": false}
			st, err := client.Status(cmd.Context())
			var off *rsync.OfflineError
			switch {
			case err == nil && st.Team == "":
				return errors.New(a.L().T("sync.err.unauthorized", u.String()))
			case err == nil:
				out["verified"], out["team"], out["user"] = true, st.Team, st.User
			case errors.As(err, &off):
				fmt.Fprintln(a.stderr, a.L().T("sync.login.unchecked", u.String()))
			default:
				return err
			}
			creds, err := rsync.LoadCredentials(rsync.CredentialsPath())
			if err != nil {
				return err
			}
			creds.Servers[u.String()] = rsync.Credential{Token: token}
			creds.Default = u.String()
			if err := creds.Save(rsync.CredentialsPath()); err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(out)
			}
			if st.Team != "" {
				a.say("%s", a.L().T("sync.login.ok", u.String(), st.User, st.Team))
			} else {
				a.say("%s", a.L().T("sync.login.saved", u.String()))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&server, "server", "", "team server URL (required)")
	cmd.Flags().StringVar(&token, "token", "", "the token (default: read from stdin)")
	_ = cmd.MarkFlagRequired("server")
	return cmd
}

func syncLogoutCmd(a *app) *cobra.Command {
	var server string
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Forget the stored token of a team server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			creds, err := rsync.LoadCredentials(rsync.CredentialsPath())
			if err != nil {
				return err
			}
			if server == "" {
				server = creds.Default
			}
			if u, err := rsync.ParseServerURL(server); err == nil {
				server = u.String()
			}
			if _, ok := creds.Servers[server]; !ok {
				return fmt.Errorf("no stored token for %q (%w)", server, store.ErrNotFound)
			}
			delete(creds.Servers, server)
			if creds.Default == server {
				creds.Default = ""
			}
			if err := creds.Save(rsync.CredentialsPath()); err != nil {
				return err
			}
			a.say("%s", a.L().T("sync.logout", server))
			return nil
		},
	}
	cmd.Flags().StringVar(&server, "server", "", "team server URL (default: the last one logged in to)")
	return cmd
}

// conflictView is one conflict as rolo sync conflicts prints it.
type conflictView struct {
	store.Conflict
	Record string `json:"record,omitempty"`
}

func syncConflictsCmd(a *app) *cobra.Command {
	var clear bool
	cmd := &cobra.Command{
		Use:   "conflicts",
		Short: "List the values sync overwrote or refused (--clear forgets them)",
		Long: `List the conflicts sync kept: a field group (or a whole record, for a
deletion) that you and someone else changed without seeing each other's
change. The record keeps the later change (KEPT says whose); the other value is
shown here so nothing is lost silently. Edit the record to take the other value
back, then rolo sync conflicts --clear.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if clear {
				var n int
				if err := a.update(func(tx *store.Tx) (err error) {
					n, err = tx.ClearConflicts()
					return err
				}); err != nil {
					return err
				}
				if a.jsonOut {
					return a.printJSON(map[string]int{"cleared": n})
				}
				a.say("%s", a.L().T("sync.conflicts.cleared", n))
				return nil
			}
			var views []conflictView
			err := a.view(func(tx *store.Tx) error {
				cs, err := tx.Conflicts()
				for _, c := range cs {
					views = append(views, conflictView{Conflict: c, Record: tx.Label(c.Entity, c.ID)})
				}
				return err
			})
			if err != nil {
				return err
			}
			if a.jsonOut {
				if views == nil {
					views = []conflictView{}
				}
				return a.printJSON(views)
			}
			l := a.L()
			if len(views) == 0 {
				a.say("%s", l.T("sync.conflicts.none"))
				return nil
			}
			t := newTable(l.T("col.when"), l.T("sync.col.record"), l.T("sync.col.group"), l.T("sync.col.kept"), l.T("sync.col.local"), l.T("sync.col.remote"))
			t.limit(1, 30).limit(4, 40).limit(5, 40)
			for _, v := range views {
				group := v.Group
				if group == "" {
					group = l.T("sync.group.record")
				}
				t.row(fmtTime(v.At), v.Entity.String()+" "+v.Record, group, l.T("sync.kept."+v.Kept), v.LocalText(l.T("sync.deleted")), v.RemoteText(l.T("sync.deleted")))
			}
			t.write(a.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "forget every kept conflict")
	return cmd
}
