package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/interchange"
	"github.com/rolo-crm/rolo/interchange/csvmap"
)

func importCmd(a *app) *cobra.Command {
	var o interchange.ImportOptions
	var dup string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Import contacts and deals from CSV, vCard or rolo's JSON export",
		Long: `Import a file of contacts (and deals, follow-ups, activities where the file has
them). The format is read from the content: vCard 2.1, 3.0 and 4.0 (as phones
and address books export them), rolo's JSON export, or CSV/TSV. The header
rows of Google Contacts, Outlook, HubSpot, Salesforce and Pipedrive exports
are recognised, as are plain spreadsheets with English or Chinese headers
(姓名, 手机, 邮箱, 公司, 职位, 标签, 备注, ...). A column nothing recognises
is kept as a custom field; --map COLUMN=field says what a column holds.
The encoding (UTF-8, UTF-16, GBK/GB18030) is detected; --encoding overrides.

Every record is checked before anything is written. If any is rejected,
nothing is imported and each reason is listed with its line (exit 2), unless
--skip-errors is given. Duplicates are found by email, then phone, then name
at the same company, in the database and within the file: --on-duplicate
update (the default) fills the existing record's empty fields and adds its
missing emails, phones and tags, never replacing a value (differences are
listed); skip leaves it alone; create adds a new record anyway. Notes become
entries of the contact's timeline.

Fields for --map: ` + csvmap.FieldList(),
		Example: `  rolo import contacts.csv
  rolo import google.csv --dry-run
  rolo import phone.vcf --on-duplicate skip
  rolo import 客户.csv --encoding gbk --map 微信=custom:wechat --map 座机=phone:work
  rolo import backup.json --json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			mode, err := interchange.ParseDuplicate(dup)
			if err != nil {
				return usagef(err)
			}
			o.OnDuplicate = mode
			data, release, err := interchange.ReadFile(args[0])
			if err != nil {
				return usagef(err)
			}
			defer release()
			o.Name = args[0]
			st, err := a.open(!o.DryRun)
			if err != nil {
				return err
			}
			bar := a.progressBar()
			o.Progress = bar.show
			res, err := interchange.Import(st, data, o)
			bar.done()
			return a.reportImport(res, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Format, "format", "auto", "file format: auto, csv, vcard or json")
	fl.StringArrayVar(&o.Map, "map", nil, "say what a CSV column holds: COLUMN=field (repeatable), e.g. \"Mobile=phone:mobile\"")
	fl.StringVar(&o.Encoding, "encoding", "auto", "text encoding: auto, utf-8, gbk, gb18030, utf-16, or another label")
	fl.BoolVar(&o.DryRun, "dry-run", false, "show what would happen; write nothing")
	fl.StringVar(&dup, "on-duplicate", "update", "what to do with a record that is already there: update, skip or create")
	fl.BoolVar(&o.SkipErrors, "skip-errors", false, "import the good records of a file that has bad ones")
	return cmd
}

// reportImport prints the result: JSON on stdout, or a summary for
// people; the reasons records were rejected always go to stderr.
func (a *app) reportImport(res *interchange.Result, err error) error {
	L := a.L()
	var rejected *interchange.RejectedError
	if len(res.Errors) > 0 {
		key := "import.errors"
		if err == nil {
			key = "import.errors.skipped"
		}
		fmt.Fprintln(a.stderr, L.N(key, len(res.Errors), len(res.Errors)))
		for _, p := range res.Errors {
			fmt.Fprintln(a.stderr, "  "+p.In(L))
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(a.stderr, L.T("import.warning", w.String()))
	}
	if errors.As(err, &rejected) || (err != nil && res.Format == "") {
		return err
	}
	if a.jsonOut && err == nil {
		return a.printJSON(res)
	}
	if res.Format != "" {
		a.importSummary(L, res)
	}
	return err
}

func (a *app) importSummary(L i18n.Lang, res *interchange.Result) {
	what := res.Format
	if res.Encoding != "" && res.Format != interchange.FormatJSON {
		what += ", " + res.Encoding
	}
	a.say(L.T("import.read", res.Read, res.File, what))
	if res.Layout != "" {
		a.say(L.T("import.layout", res.Layout))
	}
	if res.DryRun && len(res.Columns) > 0 {
		a.say(L.T("import.columns"))
		for _, c := range res.Columns {
			key := "import.column"
			if !c.Recognised {
				key = "import.column.custom"
			}
			a.say(L.T(key, c.Column, c.Field))
		}
	}
	a.say(L.T("import.summary", res.Created, res.Updated, res.Unchanged, res.Merged, res.Skipped, res.Rejected))
	state := L.T("import.records.written")
	if res.DryRun {
		state = L.T("import.records.planned")
	}
	a.say(L.T("import.records", state))
	r := res.Records
	for _, c := range []struct {
		noun string
		n    interchange.Counts
	}{{"noun.companies", r.Companies}, {"noun.contacts", r.Contacts}, {"noun.deals", r.Deals}, {"noun.tasks", r.Tasks}, {"noun.activities", r.Activities}} {
		if c.n.Created+c.n.Updated > 0 {
			a.say(L.T("import.records.line", L.T(c.noun), c.n.Created, c.n.Updated))
		}
	}
	if n := len(res.Conflicts); n > 0 {
		a.say(L.T("import.conflicts", n))
		for i, c := range res.Conflicts {
			if i == 20 {
				a.say(L.T("import.more", n-i))
				break
			}
			a.say(L.T("import.conflict", res.File, c.Line, c.Name, c.ID, c.Field, c.Kept, c.InFile))
		}
	}
	if res.DryRun {
		a.say(L.T("import.dryrun"))
	}
}

// bar draws a progress bar on stderr while a long import writes, when
// stderr is a terminal.
type bar struct {
	w     io.Writer
	label string
	on    bool
	shown bool
}

func (a *app) progressBar() *bar {
	b := &bar{w: a.stderr, label: a.L().T("import.progress")}
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(f.Fd()) {
		b.on = true
	}
	return b
}

// barWidth is the bar's length in cells.
const barWidth = 30

// show draws the bar at done of total; a job done in one step draws none.
func (b *bar) show(done, total int) {
	if !b.on || (done == total && !b.shown) {
		return
	}
	filled := barWidth * done / max(total, 1)
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %d/%d", b.label, strings.Repeat("█", filled), strings.Repeat("░", barWidth-filled),
		100*done/max(total, 1), done, total)
	b.shown = true
}

// done clears the bar.
func (b *bar) done() {
	if b.shown {
		fmt.Fprint(b.w, "\r"+strings.Repeat(" ", 80)+"\r")
	}
}
