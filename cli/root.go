package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
)

// Build information, set with -ldflags "-X github.com/rolo-crm/rolo/cli.Version=...".
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Main runs rolo with the process's arguments and returns its exit code.
func Main() int {
	return Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run runs rolo with args and the given streams and returns the exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(stdin, stdout, stderr)
	defer a.close()
	root := newRoot(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	opts := []fang.Option{
		fang.WithErrorHandler(errorHandler(a)),
		fang.WithNotifySignal(os.Interrupt),
	}
	if Version != "" {
		opts = append(opts, fang.WithVersion(Version), fang.WithCommit(Commit))
	}
	return exitCode(fang.Execute(ctx, root, opts...))
}

// errorHandler prints errors plainly, prefixed with the program name,
// when stderr is not a terminal (scripts, logs); fang styles them otherwise.
// A rule the input broke is told in the user's language. Only the text
// changes: the exit code comes from the error itself.
func errorHandler(a *app) fang.ErrorHandler {
	return func(w io.Writer, styles fang.Styles, err error) {
		msg := model.ErrorIn(err, a.L())
		if tr, ok := err.(interface{ In(i18n.Lang) string }); ok { // an error that speaks every language
			msg = tr.In(a.L())
		}
		if msg != err.Error() {
			err = errors.New(msg)
		}
		if f, ok := w.(term.File); ok && term.IsTerminal(f.Fd()) {
			fang.DefaultErrorHandler(w, styles, err)
			return
		}
		fmt.Fprintln(w, "rolo:", err)
	}
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "rolo",
		Short: "A terminal CRM: contacts, companies, deals, follow-ups and every interaction, in a file you own",
		Long: `rolo keeps contacts, companies, deals moving through pipeline stages, follow-up
tasks and the history of every interaction in one local file. Run it without
arguments in a terminal for the interactive interface; every command below
scripts the same data, with --json for machine-readable output.

Exit codes: 0 ok, 1 failure, 2 invalid usage or input, 3 not found,
4 database busy (another rolo process holds the file).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f, ok := a.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
				if start, err := a.firstRun(cmd); !start || err != nil {
					return err
				}
				return a.runTUI(cmd)
			}
			return cmd.Help()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbPath, "db", "", "database file (default $ROLO_DB or $XDG_DATA_HOME/rolo/rolo.db)")
	pf.StringVar(&a.configPath, "config", "", "config file (default $ROLO_CONFIG or $XDG_CONFIG_HOME/rolo/config.toml)")
	pf.BoolVar(&a.jsonOut, "json", false, "print data as JSON")
	pf.StringVar(&a.lang, "lang", "", "interface language: en or zh (default from config or locale)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usagef(err) })
	root.AddCommand(
		contactCmd(a),
		companyCmd(a),
		dealCmd(a),
		taskCmd(a),
		logCmd(a),
		activityCmd(a),
		reportCmd(a),
		backupCmd(a),
		restoreCmd(a),
		doctorCmd(a),
		demoCmd(a),
		importCmd(a),
		exportCmd(a),
		syncCmd(a),
		serveCmd(a),
		versionCmd(),
	)
	root.AddCommand(initCmd(a), genDocsCmd())
	registerCompletions(a, root)
	return root
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c, d := buildInfo()
			fmt.Fprintf(cmd.OutOrStdout(), "rolo %s", v)
			if c != "" {
				fmt.Fprintf(cmd.OutOrStdout(), " (commit %s", c)
				if d != "" {
					fmt.Fprintf(cmd.OutOrStdout(), ", built %s", d)
				}
				fmt.Fprint(cmd.OutOrStdout(), ")")
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
}

// buildInfo returns the version, commit and date the release build
// injected; a binary built otherwise (go install, go build in a
// checkout) falls back to what the Go toolchain recorded in it.
func buildInfo() (version, commit, date string) {
	version, commit, date = Version, Commit, Date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; version == "" && v != "" && v != "(devel)" {
			version = v
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && commit == "":
				commit = s.Value
			case s.Key == "vcs.time" && date == "":
				date = s.Value
			}
		}
	}
	if version == "" {
		version = "dev"
	}
	return version, commit, date
}
