package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/adrg/xdg"
	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
	"github.com/rolo-crm/rolo/sync/server/pgstore"
)

// storageFlags choose the server's storage: --data DIR (bbolt, the
// default) or --postgres URL (else $ROLO_POSTGRES).
type storageFlags struct {
	data     string
	postgres string
	cmd      *cobra.Command
}

func (f *storageFlags) register(cmd *cobra.Command) {
	f.cmd = cmd
	cmd.Flags().StringVar(&f.data, "data", "", "data directory of the bbolt storage (default $XDG_DATA_HOME/rolo/server)")
	cmd.Flags().StringVar(&f.postgres, "postgres", "", "PostgreSQL URL, e.g. postgres://rolo@db/rolo (default $ROLO_POSTGRES)")
	cmd.MarkFlagsMutuallyExclusive("data", "postgres")
}

// flag returns one of the storage flags (nil before register).
func (f *storageFlags) flag(name string) *pflag.Flag {
	if f.cmd == nil {
		return nil
	}
	return f.cmd.Flags().Lookup(name)
}

func (f *storageFlags) pgURL() string {
	if f.postgres != "" || f.data != "" {
		return f.postgres
	}
	return os.Getenv("ROLO_POSTGRES")
}

func (f *storageFlags) dir() string {
	if f.data != "" {
		return f.data
	}
	return filepath.Join(xdg.DataHome, "rolo", "server")
}

// describe names the storage for messages, without a password.
func (f *storageFlags) describe() string {
	if u := f.pgURL(); u != "" {
		return "PostgreSQL " + redactURL(u)
	}
	return f.dir()
}

// lessGC lets the heap grow further between collections (GOGC=400)
// unless $GOGC says otherwise: sync handles big batches of short-lived
// JSON, and collecting less often cuts its CPU time by a sixth for a few
// tens of megabytes.
func lessGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// redactURL hides a URL's password.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(an unreadable URL)"
	}
	return u.Redacted()
}

func (f *storageFlags) open(ctx context.Context) (server.Storage, error) {
	// An empty value given on purpose ("--postgres $UNSET_VARIABLE") must
	// not quietly start a server on other data.
	for _, name := range []string{"postgres", "data"} {
		if fl := f.flag(name); fl != nil && fl.Changed && strings.TrimSpace(fl.Value.String()) == "" {
			return nil, usagef(fmt.Errorf("--%s is empty: give a value, or leave the flag out", name))
		}
	}
	if u := f.pgURL(); u != "" {
		return pgstore.Open(ctx, u)
	}
	return boltstore.Open(f.dir())
}

func serveCmd(a *app) *cobra.Command {
	var (
		sf        storageFlags
		lo        server.ListenOptions
		maxBody   int64
		rate      float64
		burst     int
		backupDir string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the team server that rolo sync talks to",
		Long: `Run the team server: the REST API (under /v1) that rolo sync and other tools
use. Teams are kept apart; each token reaches its own team's data only.

Storage is a bbolt file in --data DIR (the default, nothing to set up) or a
PostgreSQL database with --postgres URL (several servers may share it).

Plain HTTP is served on loopback addresses only; elsewhere give a certificate
with --tls-cert and --tls-key (HTTP/2 is used when the client supports it), or
--insecure when a TLS proxy is in front. The access log goes to stderr as JSON
lines. SIGINT or SIGTERM stops the server after the requests in flight.

Create tokens with rolo serve token create (for a bbolt server, before it
starts or through POST /v1/admin/tokens with an admin token). See
docs/serve.md for TLS, backups and upgrades.`,
		Example: `  rolo serve token create --team acme --user li --admin
  rolo serve
  rolo serve --addr 0.0.0.0:7420 --tls-cert cert.pem --tls-key key.pem
  rolo serve --postgres postgres://rolo@db.internal/rolo --addr 0.0.0.0:7420 --insecure`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			lessGC()
			ln, err := server.Listen(lo)
			if err != nil {
				if errors.Is(err, server.ErrPlainHTTP) {
					return usagef(err)
				}
				return err
			}
			defer ln.Close()
			st, err := sf.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if backupDir == "" && sf.pgURL() == "" {
				backupDir = filepath.Join(sf.dir(), "backups")
			}
			log := slog.New(slog.NewJSONHandler(a.stderr, nil))
			srv := server.New(server.Options{
				Storage: st, Logger: log, MaxBody: maxBody, Rate: rate, Burst: burst,
				BackupDir: backupDir, Version: versionString(),
			})
			scheme := "http"
			if lo.TLSCert != "" {
				scheme = "https"
			}
			log.Info("listening", "url", scheme+"://"+ln.Addr().String(), "storage", sf.describe())
			return srv.Serve(ctx, ln, lo)
		},
	}
	cmd.Flags().StringVar(&lo.Addr, "addr", "127.0.0.1:7420", "address to listen on")
	cmd.Flags().StringVar(&lo.TLSCert, "tls-cert", "", "TLS certificate (PEM)")
	cmd.Flags().StringVar(&lo.TLSKey, "tls-key", "", "TLS private key (PEM)")
	cmd.Flags().BoolVar(&lo.Insecure, "insecure", false, "allow plain HTTP on a network address (behind a TLS proxy)")
	cmd.Flags().Int64Var(&maxBody, "max-body", server.DefaultMaxBody, "largest request body in bytes")
	cmd.Flags().Float64Var(&rate, "rate", server.DefaultRate, "requests a second allowed per token (negative: no limit)")
	cmd.Flags().IntVar(&burst, "burst", server.DefaultBurst, "requests a token may make at once above the rate")
	cmd.Flags().StringVar(&backupDir, "backup-dir", "", "where POST /v1/admin/backup writes (default DIR/backups; bbolt only)")
	sf.register(cmd)
	cmd.AddCommand(tokenCmd(a), serveBackupCmd(a), serveRestoreCmd(a), serveEpochCmd(a))
	return cmd
}

func tokenCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke the team server's tokens",
	}
	cmd.AddCommand(tokenCreateCmd(a), tokenListCmd(a), tokenRevokeCmd(a))
	return cmd
}

func tokenCreateCmd(a *app) *cobra.Command {
	var (
		sf         storageFlags
		team, user string
		admin      bool
	)
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a token for a user of a team and print it, once",
		Long: `Create a random token for a user of a team and print it. It is shown this
once: the server keeps only its hash. An --admin token may also manage the
team's tokens through the API. The team is created with its first token.`,
		Example: `  rolo serve token create --team acme --user li --admin
  rolo serve token create --team acme --user wang --postgres postgres://rolo@db/rolo --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := server.CheckTeam(team); err != nil {
				return usagef(err)
			}
			if err := server.CheckUser(user); err != nil {
				return usagef(err)
			}
			st, err := sf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			text, t, err := server.IssueToken(cmd.Context(), st, team, user, admin, a.now())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"token": text, "id": t.ID, "team": t.Team, "user": t.User, "admin": t.Admin})
			}
			fmt.Fprintln(a.stdout, text)
			fmt.Fprintln(a.stderr, a.L().T("serve.token.created", t.ID, t.User, t.Team))
			return nil
		},
	}
	cmd.Flags().StringVar(&team, "team", "", "team name (required)")
	cmd.Flags().StringVar(&user, "user", "", "user name (required)")
	cmd.Flags().BoolVar(&admin, "admin", false, "the token may manage the team's tokens")
	_ = cmd.MarkFlagRequired("team")
	_ = cmd.MarkFlagRequired("user")
	sf.register(cmd)
	return cmd
}

func tokenListCmd(a *app) *cobra.Command {
	var (
		sf   storageFlags
		team string
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens (ids, teams, users; never the tokens themselves)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := sf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			ts, err := st.Tokens(cmd.Context(), team)
			if err != nil {
				return err
			}
			infos := make([]server.TokenInfo, 0, len(ts))
			for i := range ts {
				infos = append(infos, ts[i].Info())
			}
			if a.jsonOut {
				return a.printJSON(infos)
			}
			l := a.L()
			t := newTable(l.T("col.id"), l.T("serve.col.team"), l.T("serve.col.user"), l.T("serve.col.admin"), l.T("serve.col.created"), l.T("serve.col.revoked"))
			for _, ti := range infos {
				adm, rev := "", ""
				if ti.Admin {
					adm = "✓"
				}
				if !ti.RevokedAt.IsZero() {
					rev = fmtTime(ti.RevokedAt)
				}
				t.row(ti.ID, ti.Team, ti.User, adm, fmtTime(ti.CreatedAt), rev)
			}
			t.write(a.stdout)
			return nil
		},
	}
	cmd.Flags().StringVar(&team, "team", "", "only this team's tokens")
	sf.register(cmd)
	return cmd
}

func tokenRevokeCmd(a *app) *cobra.Command {
	var sf storageFlags
	cmd := &cobra.Command{
		Use:   "revoke TOKEN_ID",
		Short: "Revoke a token: the server refuses it from the next request on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := sf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			err = st.RevokeToken(cmd.Context(), args[0], a.now())
			if errors.Is(err, server.ErrNotFound) {
				return fmt.Errorf("no token %s on this server (%w)", args[0], store.ErrNotFound)
			}
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"revoked": args[0]})
			}
			a.say("%s", a.L().T("serve.token.revoked", args[0]))
			return nil
		},
	}
	sf.register(cmd)
	return cmd
}

func serveBackupCmd(a *app) *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy a stopped bbolt server's data to FILE (a running one: POST /v1/admin/backup)",
		Long: `Write a consistent copy of the server's bbolt data file to FILE. The server
must be stopped (it holds the file); while it runs, an admin token can ask it
for a hot backup with POST /v1/admin/backup, written into its --backup-dir.
The copy gets its own epoch, so clients that synced after it notice when it is
restored and push what it lacks. For PostgreSQL use pg_dump (docs/serve.md).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sf := storageFlags{data: data}
			st, err := boltstore.Open(sf.dir())
			if err != nil {
				return err
			}
			defer st.Close()
			size, err := st.BackupTo(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"data": sf.dir(), "backup": args[0], "size": size})
			}
			a.say("%s", a.L().T("msg.backup", sf.dir(), args[0], humanize.IBytes(uint64(size))))
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "data directory (default $XDG_DATA_HOME/rolo/server)")
	return cmd
}

func serveRestoreCmd(a *app) *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace a stopped bbolt server's data with a backup",
		Long: `Replace the server's bbolt data file with the backup FILE, after checking it.
The server must be stopped. The restored data gets a new epoch: clients notice
on their next sync and push their whole state, so what the backup lacks comes
back from them.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sf := storageFlags{data: data}
			if err := boltstore.Restore(sf.dir(), args[0]); err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"data": sf.dir(), "restored_from": args[0]})
			}
			a.say("%s", a.L().T("msg.restored.new", sf.dir(), args[0]))
			return nil
		},
	}
	cmd.Flags().StringVar(&data, "data", "", "data directory (default $XDG_DATA_HOME/rolo/server)")
	return cmd
}

func serveEpochCmd(a *app) *cobra.Command {
	var sf storageFlags
	cmd := &cobra.Command{
		Use:   "new-epoch",
		Short: "Mark the server's data as restored (after restoring PostgreSQL from a dump)",
		Long: `Give the server's data a new epoch. Do this after restoring the data from a
backup by other means than rolo serve restore (pg_restore, a file copy): on
their next sync, clients push their whole state so nothing they had is lost.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := sf.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			e, err := st.NewEpoch(cmd.Context())
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]string{"epoch": e})
			}
			a.say("%s", a.L().T("serve.epoch", sf.describe(), e))
			return nil
		},
	}
	sf.register(cmd)
	return cmd
}
