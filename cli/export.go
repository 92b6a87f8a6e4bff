package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/interchange"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func exportCmd(a *app) *cobra.Command {
	var format, entity, out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export records as JSON, CSV, vCard or iCalendar",
		Long: `Export the database, or one kind of record, to stdout or to a file (-o).

  json   every record of every kind with every field, ids and stage history:
         rolo import of this file into an empty database reproduces it exactly
  csv    one row per record; every kind at once writes one file per kind into
         the directory -o names (contacts.csv, companies.csv, deals.csv,
         tasks.csv, activities.csv); contacts.csv and deals.csv read back
  vcard  contacts as vCard 4.0, emails and phones with their types
  ics    follow-ups as iCalendar to-dos, the open dated ones also as events
         with a reminder, for a calendar app

The export reads one consistent view of the database, record by record,
so it works on databases of any size while others keep using them.`,
		Example: `  rolo export -o backup.json
  rolo export --format csv -o export/
  rolo export --format csv --entity deals > deals.csv
  rolo export --format vcard -o contacts.vcf
  rolo export --format ics -o followups.ics`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format = strings.ToLower(strings.TrimSpace(format))
			if format == "vcf" {
				format = interchange.FormatVCard
			}
			if !changed(cmd, "entity") {
				entity = map[string]string{interchange.FormatVCard: "contacts", interchange.FormatICS: "tasks"}[format]
				if entity == "" {
					entity = "all"
				}
			}
			kinds, err := exportKinds(a.L(), format, entity)
			if err != nil {
				return usagef(err)
			}
			if format == interchange.FormatCSV && len(kinds) > 1 && out == "" {
				return usagef(fmt.Errorf("%s", a.L().T("export.csv.dir")))
			}
			var stats interchange.Stats
			err = a.view(func(tx *store.Tx) error {
				var err error
				stats, err = a.export(tx, format, kinds, out)
				return err
			})
			if err != nil || out == "" {
				return err
			}
			if a.jsonOut {
				return a.printJSON(map[string]any{"file": out, "format": format, "records": stats})
			}
			a.say(a.L().T("export.written", describeStats(a.L(), stats), out))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "json", "json, csv, vcard or ics")
	fl.StringVar(&entity, "entity", "", "contacts, companies, deals, tasks, activities or all (default: all; vcard: contacts; ics: tasks)")
	fl.StringVarP(&out, "output", "o", "", "write to this file (csv of every kind: this directory) instead of stdout")
	return cmd
}

// exportKinds checks that the format can hold the kinds asked for.
func exportKinds(L i18n.Lang, format, entity string) ([]model.Entity, error) {
	kinds, err := interchange.ParseEntities(entity)
	if err != nil {
		return nil, err
	}
	only := map[string]model.Entity{interchange.FormatVCard: model.EntityContact, interchange.FormatICS: model.EntityTask}
	switch format {
	case interchange.FormatJSON, interchange.FormatCSV:
	case interchange.FormatVCard, interchange.FormatICS:
		if len(kinds) != 1 || kinds[0] != only[format] {
			return nil, &model.FieldError{Field: "entity", Value: entity,
				Reason: L.T("export.entity", format, L.T("noun."+interchange.PluralName(only[format])))}
		}
	default:
		return nil, &model.FieldError{Field: "format", Value: format, Reason: "one of json, csv, vcard, ics"}
	}
	return kinds, nil
}

// export writes the records in tx to out (stdout when empty).
func (a *app) export(tx *store.Tx, format string, kinds []model.Entity, out string) (interchange.Stats, error) {
	var stats interchange.Stats
	if format == interchange.FormatCSV && len(kinds) > 1 {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return stats, err
		}
		for _, k := range kinds {
			err := writeTo(a.stdout, filepath.Join(out, interchange.PluralName(k)+".csv"), func(w io.Writer) error {
				n, err := interchange.ExportCSV(tx, w, k)
				stats.Add(k, n)
				return err
			})
			if err != nil {
				return stats, err
			}
		}
		return stats, nil
	}
	return stats, writeTo(a.stdout, out, func(w io.Writer) error {
		var err error
		var n int
		switch format {
		case interchange.FormatJSON:
			stats, err = interchange.ExportJSON(tx, w, kinds)
			return err
		case interchange.FormatCSV:
			n, err = interchange.ExportCSV(tx, w, kinds[0])
		case interchange.FormatVCard:
			n, err = interchange.ExportVCard(tx, w)
		case interchange.FormatICS:
			n, err = interchange.ExportICS(tx, w)
		}
		stats.Add(kinds[0], n)
		return err
	})
}

// writeTo runs write on path, or on stdout when path is empty. A file is
// written beside its final name and renamed into place once complete, so
// a failed export never leaves half a file under that name.
func writeTo(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// describeStats lists the non-zero counts: "500 contacts, 63 companies".
func describeStats(L i18n.Lang, s interchange.Stats) string {
	var parts []string
	for _, c := range []struct {
		n    int
		noun string
	}{{s.Contacts, "noun.contacts"}, {s.Companies, "noun.companies"}, {s.Deals, "noun.deals"}, {s.Tasks, "noun.tasks"}, {s.Activities, "noun.activities"}} {
		if c.n > 0 {
			parts = append(parts, L.T("export.counts", c.n, L.T(c.noun)))
		}
	}
	if len(parts) == 0 {
		return L.T("export.none")
	}
	return strings.Join(parts, ", ")
}
