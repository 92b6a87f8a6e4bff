package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func backupCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database while it is in use",
		Long: `Write a consistent copy of the database to FILE. It is safe while other rolo
processes use the database: the copy is one transaction's view, written to a
temporary file, synced to disk, then renamed into place.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(false)
			if err != nil {
				return err
			}
			if err := st.Backup(args[0]); err != nil {
				return err
			}
			size := ""
			if fi, err := os.Stat(args[0]); err == nil {
				size = humanize.IBytes(uint64(fi.Size()))
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"database": st.Path(), "backup": args[0], "size": size})
			}
			a.say(a.L().T("msg.backup", st.Path(), args[0], size))
			return nil
		},
	}
}

func restoreCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the database with a backup, after verifying the backup",
		Long: `Replace the database with the backup FILE. The backup is verified first (it
must be a rolo database that passes rolo doctor); the current database is kept
next to it with the suffix .before-restore. On a terminal you are asked to
confirm (--yes skips the question).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := a.storeOptions()
			if err != nil {
				return err
			}
			target := a.path()
			if !a.confirm(fmt.Sprintf("Replace %s with %s? [y/N] ", target, args[0]), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			kept, err := store.Restore(target, args[0], opts)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"database": target, "restored_from": args[0], "previous": kept})
			}
			if kept == "" {
				a.say(a.L().T("msg.restored.new", target, args[0]))
			} else {
				a.say(a.L().T("msg.restored", target, args[0], kept))
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// errUnhealthy makes doctor exit 1 when it finds problems.
var errUnhealthy = errors.New("problems found")

func doctorCmd(a *app) *cobra.Command {
	var repair bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the database's integrity and indexes (--repair rebuilds indexes)",
		Long: `Check the database page by page, that every record can be read, that links
point at existing records, that the change log reads, and that every index
holds exactly what the records call for. --repair rebuilds the indexes from
the records (records themselves are never changed). Exits 1 when problems
remain in the database.

It also looks around the database and says what it finds, without failing
on it: config.toml (missing, unknown keys, bad values), the terminal the
interface would run in (size, colours, UTF-8 locale) and the [sync]
settings.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.open(repair)
			if err != nil {
				return err
			}
			var r *store.Report
			check := func() error {
				return st.View(func(tx *store.Tx) error {
					r = tx.Check()
					return nil
				})
			}
			if err := check(); err != nil {
				return err
			}
			repaired := false
			if repair && r.IndexProblems > 0 {
				if err := st.Update(func(tx *store.Tx) error { return tx.Reindex() }); err != nil {
					return err
				}
				repaired = true
				if err := check(); err != nil {
					return err
				}
			}
			env := doctorEnvironment(a)
			if a.jsonOut {
				if err := a.printJSON(map[string]any{"database": st.Path(), "ok": r.OK(), "repaired": repaired, "report": r, "environment": env}); err != nil {
					return err
				}
			} else {
				a.printReport(st.Path(), r, repaired)
				for _, line := range env {
					a.say(line)
				}
			}
			if !r.OK() {
				return fmt.Errorf("%s: %w", st.Path(), errUnhealthy)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&repair, "repair", false, "rebuild the indexes when they disagree with the records")
	return cmd
}

func (a *app) printReport(path string, r *store.Report, repaired bool) {
	L := a.L()
	if repaired {
		a.say(L.T("msg.doctor.repaired", path))
	}
	if r.OK() {
		a.say(L.T("msg.doctor.ok", path, r.Records["contact"], r.Records["company"], r.Records["deal"], r.Records["task"], r.Records["activity"], r.Changes))
		return
	}
	a.say(L.T("msg.doctor.problems", path, len(r.Problems)))
	for _, p := range r.Problems {
		a.say("  " + p)
	}
}

func demoCmd(a *app) *cobra.Command {
	var contacts int
	var seed int64
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create a database filled with realistic demo data",
		Long: `Create a new database filled with a realistic, deterministic data set:
English and Chinese contacts, companies, deals with two years of stage
history, follow-ups (some overdue) and activities. The same --seed on the
same day gives the same data. The database must be new or empty: use --db
to choose the file. Data is written in batches, each one transaction, so an
interrupted run leaves a consistent (partial) database.`,
		Example: `  rolo demo --db demo.db
  rolo demo --db big.db --contacts 100000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if contacts < 1 {
				return usagef(&model.FieldError{Field: "contacts", Reason: "must be 1 or more"})
			}
			st, err := a.open(true)
			if err != nil {
				return err
			}
			opts := demo.Options{Contacts: contacts, Seed: seed, Now: a.now()}
			if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(f.Fd()) && !a.jsonOut {
				opts.Progress = func(done, total int) {
					fmt.Fprintf(a.stderr, "\r%3d%%", done*100/max(total, 1))
				}
			}
			stats, err := demo.Generate(st, opts)
			if opts.Progress != nil {
				fmt.Fprint(a.stderr, "\r"+strings.Repeat(" ", 6)+"\r")
			}
			if errors.Is(err, demo.ErrNotEmpty) {
				return usagef(err)
			}
			if err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"database": st.Path(), "companies": stats.Companies, "contacts": stats.Contacts,
					"deals": stats.Deals, "tasks": stats.Tasks, "activities": stats.Activities})
			}
			a.say(a.L().T("msg.demo", st.Path(), stats.Companies, stats.Contacts, stats.Deals, stats.Tasks, stats.Activities))
			return nil
		},
	}
	cmd.Flags().IntVar(&contacts, "contacts", 500, "number of contacts")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed")
	return cmd
}
