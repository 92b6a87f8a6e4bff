package cli

import (
	"bufio"
	"encoding"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/demo"
	"github.com/rolo-crm/rolo/store"
)

// firstRun welcomes a new user before the TUI starts: when the database
// file does not exist yet and both stdin and stdout are terminals, it says
// where the data will live and asks how to start (the demo, an import, an
// empty database, or quit). It reports whether the TUI should start.
// Anywhere else (an existing database, a script) it does nothing.
func (a *app) firstRun(cmd *cobra.Command) (bool, error) {
	if _, err := os.Stat(a.path()); !errors.Is(err, os.ErrNotExist) {
		return true, nil
	}
	in, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(in.Fd()) {
		return true, nil
	}
	return a.welcome(cmd, bufio.NewReader(a.stdin))
}

// welcome is the first-run conversation, on a.stdout, reading answers
// from in; EOF quits.
func (a *app) welcome(cmd *cobra.Command, in *bufio.Reader) (bool, error) {
	L := a.L()
	cfgPath, _ := a.configFile()
	_, cfgErr := os.Stat(cfgPath)
	cfgNote := L.T("firstrun.config.new")
	if cfgErr == nil {
		cfgNote = L.T("firstrun.config.kept")
	}
	fmt.Fprint(a.stdout, L.T("firstrun.welcome", a.path(), cfgPath, cfgNote))
	prompt := L.T("firstrun.menu")
	for {
		fmt.Fprint(a.stdout, prompt)
		prompt = L.T("firstrun.again")
		line, err := in.ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(a.stdout)
			return false, nil
		}
		choice, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		var start bool
		switch strings.ToLower(choice) {
		case "d", "demo":
			start, err = a.firstRunDemo()
		case "i", "import":
			start, err = a.firstRunImport(cmd, in, strings.TrimSpace(arg))
		case "e", "empty":
			start, err = a.firstRunEmpty()
		case "":
			continue
		case "q", "quit":
			return false, nil
		default:
			fmt.Fprintln(a.stdout, L.T("firstrun.unknown", choice))
			continue
		}
		if err != nil {
			fmt.Fprintln(a.stdout, L.T("firstrun.failed", err))
			continue
		}
		if start {
			return true, nil
		}
	}
}

// firstRunConfig writes the commented default config.toml unless there
// is one.
func (a *app) firstRunConfig() error {
	path, _ := a.configFile()
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := writeDefaultConfig(path, false); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, a.L().T("init.written", path))
	return nil
}

// demoPath is where first run puts the demo: beside the real database,
// which stays untouched until the user starts it.
func (a *app) demoPath() string { return filepath.Join(filepath.Dir(a.path()), "demo.db") }

// firstRunDemo opens the TUI on a demo database next to the real one,
// creating it the first time; the real database is not created.
func (a *app) firstRunDemo() (bool, error) {
	if err := a.firstRunConfig(); err != nil {
		return false, err
	}
	path := a.demoPath()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		opts, err := a.storeOptions()
		if err != nil {
			return false, err
		}
		st, err := store.Open(path, opts)
		if err != nil {
			return false, err
		}
		stats, err := demo.Generate(st, demo.Options{Contacts: demo.DefaultContacts, Seed: 1, Now: a.now()})
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return false, err
		}
		fmt.Fprintln(a.stdout, a.L().T("msg.demo", path, stats.Companies, stats.Contacts, stats.Deals, stats.Tasks, stats.Activities))
	}
	fmt.Fprintln(a.stdout, a.L().T("firstrun.demo", a.path(), path))
	a.dbPath = path
	return true, nil
}

// firstRunImport runs the import command on file (asked for when empty).
func (a *app) firstRunImport(cmd *cobra.Command, in *bufio.Reader, file string) (bool, error) {
	imp, _, err := cmd.Root().Find([]string{"import"})
	if err != nil {
		return false, err
	}
	if file == "" {
		fmt.Fprint(a.stdout, a.L().T("firstrun.import.ask"))
		line, _ := in.ReadString('\n')
		if file = strings.TrimSpace(line); file == "" {
			return false, nil
		}
	}
	file = expandHome(strings.Trim(file, `"'`))
	if _, err := os.Stat(file); err != nil {
		return false, err
	}
	if err := a.firstRunConfig(); err != nil {
		return false, err
	}
	imp.SetContext(cmd.Context())
	err = imp.RunE(imp, []string{file})
	a.close() // the TUI opens the file itself
	if err != nil {
		// An import writes all or nothing: the file it created is empty.
		os.Remove(a.path())
		return false, err
	}
	return true, nil
}

// firstRunEmpty creates the empty database.
func (a *app) firstRunEmpty() (bool, error) {
	if err := a.firstRunConfig(); err != nil {
		return false, err
	}
	if _, err := a.open(true); err != nil {
		return false, err
	}
	a.close()
	fmt.Fprintln(a.stdout, a.L().T("firstrun.empty", a.path()))
	return true, nil
}

// expandHome turns a leading ~/ into the home directory, as a shell
// would have done had the path been typed on a command line.
func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// configFile returns the config file's path and whether the user named
// it (--config or ROLO_CONFIG), as app.config reads it.
func (a *app) configFile() (string, bool) {
	if a.configPath != "" {
		return a.configPath, true
	}
	if p := os.Getenv("ROLO_CONFIG"); p != "" {
		return p, true
	}
	return config.DefaultPath(), false
}

// initCmd is `rolo init`: write the commented default config.toml.
func initCmd(a *app) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented config.toml with every setting and its default",
		Long: `Write config.toml (--config, $ROLO_CONFIG or $XDG_CONFIG_HOME/rolo/config.toml)
with every setting present, commented out, at its default value: uncomment a
line to change it. An existing file is left alone unless --force is given;
then it is kept as config.toml.bak. The database is created by the first
command that writes to it.`,
		Example: `  rolo init
  rolo init --config ./team.toml --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, _ := a.configFile()
			if _, err := os.Stat(path); err == nil && !force {
				return usagef(errors.New(a.L().T("init.exists", path)))
			}
			if err := writeDefaultConfig(path, force); err != nil {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"config": path, "database": a.path()})
			}
			a.say(a.L().T("init.written", path))
			a.say(a.L().T("init.database", a.path()))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config.toml (kept as config.toml.bak)")
	return cmd
}

// writeDefaultConfig writes the commented default config to path through
// a temporary file, keeping an existing file as path.bak when replace is
// set.
func writeDefaultConfig(path string, replace bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create the directory for %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.toml")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.WriteString(tmp, defaultConfigText()); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := os.Stat(path); err == nil {
		if !replace {
			return fmt.Errorf("%s exists", path)
		}
		if err := os.Rename(path, path+".bak"); err != nil {
			return fmt.Errorf("keep the old %s: %w", path, err)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// defaultConfigText renders config.toml with every key at its default
// (config.Default, so language, currency and region follow the locale),
// each line commented out and explained. The keys come from config.Config
// itself, so a key added there shows up here; TestDefaultConfig fails
// until it has a description.
func defaultConfigText() string {
	var b strings.Builder
	b.WriteString(configDescriptions[""])
	v := reflect.ValueOf(*config.Default())
	var tables []int
	for i := range v.NumField() {
		switch v.Field(i).Kind() {
		case reflect.Struct, reflect.Map, reflect.Slice:
			if _, ok := v.Field(i).Interface().(encoding.TextMarshaler); !ok {
				tables = append(tables, i)
				continue
			}
		}
		writeConfigKey(&b, "", tomlName(v.Type().Field(i)), v.Field(i))
	}
	for _, i := range tables {
		name, f := tomlName(v.Type().Field(i)), v.Field(i)
		b.WriteString("\n" + configDescriptions[name])
		switch f.Kind() {
		case reflect.Slice:
			for j := range f.Len() {
				if j > 0 {
					b.WriteString("#\n")
				}
				fmt.Fprintf(&b, "# [[%s]]\n", name)
				writeConfigTable(&b, name, f.Index(j), false)
			}
		case reflect.Map:
			fmt.Fprintf(&b, "# [%s]\n", name)
		default:
			fmt.Fprintf(&b, "# [%s]\n", name)
			writeConfigTable(&b, name, f, true)
		}
	}
	return b.String()
}

// writeConfigTable writes the keys of one table; false booleans are left
// out of [[stages]] entries, where only the won and lost stages set them.
func writeConfigTable(b *strings.Builder, table string, v reflect.Value, explain bool) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !explain && f.Kind() == reflect.Bool && !f.Bool() {
			continue
		}
		prefix := table
		if !explain {
			prefix = ""
		}
		writeConfigKey(b, prefix, tomlName(v.Type().Field(i)), f)
	}
}

// writeConfigKey writes a description (when the key has one of its own
// line) and the commented key = value line.
func writeConfigKey(b *strings.Builder, table, key string, v reflect.Value) {
	path := key
	if table != "" {
		path = table + "." + key
		if d := configDescriptions[path]; d != "" {
			fmt.Fprintf(b, "# %s = %s%s# %s\n", key, tomlValue(v), strings.Repeat(" ", max(1, 22-len(key)-len(tomlValue(v)))), d)
			return
		}
	}
	if d := configDescriptions[path]; d != "" && table == "" {
		b.WriteString("\n# " + d + "\n")
	}
	fmt.Fprintf(b, "# %s = %s\n", key, tomlValue(v))
}

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return name
}

// tomlValue writes a default value as TOML.
func tomlValue(v reflect.Value) string {
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		text, _ := m.MarshalText()
		s := string(text)
		if d, ok := v.Interface().(config.Duration); ok { // "5m", not "5m0s"
			s = strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
			if s == "" {
				s = "0s"
			}
		}
		return strconv.Quote(s)
	}
	switch v.Kind() {
	case reflect.String:
		return strconv.Quote(v.String())
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	}
	return fmt.Sprint(v.Interface())
}

// configDescriptions explains each key of config.toml (docs/config.md
// says more); "" is the file's header and a table's name its preamble.
var configDescriptions = map[string]string{
	"": `# rolo settings (docs/config.md explains every key).
#
# Every setting is below at its default value, commented out: remove the
# "# " in front of a line to change it, and of its [table] line for a key
# in a table. Unknown keys are reported with their line; rolo doctor
# checks the whole file.
`,
	"language":     `Interface language: "en" or "zh" (default: from the locale); --lang overrides it.`,
	"currency":     "ISO 4217 currency of amounts written without one.",
	"phone_region": "Region (ISO 3166) of phone numbers written without a country code.",
	"owner":        "Your name, put on the contacts, deals, follow-ups and activities you add.",
	"quiet_days":   "Days without contact after which a customer counts as going quiet.",
	"stages": `# The deal pipeline, in order: one [[stages]] table per stage. Writing any
# [[stages]] replaces the whole list. Each has a key (what commands and JSON
# use), a label (what the interface shows) and the default win probability
# of its deals; the won and lost stages close a deal. A pipeline needs at
# least one open, one won and one lost stage.
`,
	"sync": `# Team sync with a rolo server (rolo serve).
`,
	"sync.server":   "the team server's URL, e.g. https://crm.example.com",
	"sync.interval": "how often the interface syncs in the background",
	"keys": `# Interface keys: action = "comma-separated keys", for example
#   new = "n,ctrl+n"
# The actions are the names the interface's help (?) lists.
`,
	"insight": `# Thresholds of the reports (docs/insight.md).
`,
	"insight.stuck_days":         "an open deal without a stage move this long is stuck",
	"insight.commit_probability": "open deals at or above it (percent) are the commit forecast",
	"insight.forecast_months":    "months the forecast covers, this one first",
	"insight.engaged_days":       "a prospect touched within this many days is exploring",
	"insight.formation_days":     "a customer whose one purchase is this recent is forming",
	"insight.churn_days":         "a customer silent longer, with no open deal, has churned",
	"insight.overdue_factor":     "a repeat customer is overdue past this many usual gaps",
	"insight.stale_factor":       "quiet when silent this many usual gaps (and quiet_days)",
	"insight.clv_lifespan_years": "expected customer lifespan of the lifetime value",
	"insight.clv_discount_rate":  "yearly discount rate of the lifetime value (0.1 is 10 %)",
}
