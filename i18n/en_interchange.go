package i18n

func init() { add(English, enInterchange) }

// enInterchange holds the messages of import, export and contact merge.
var enInterchange = map[string]string{
	"import.read":            "Read %d records from %s (%s)",
	"import.layout":          "Recognised as a %s export",
	"import.columns":         "Columns:",
	"import.column":          "  %-28s → %s",
	"import.column.custom":   "  %-28s → %s (not recognised: kept as a custom field)",
	"import.summary":         "created %d, updated %d, unchanged %d, merged with an earlier record of the file %d, skipped %d, rejected %d",
	"import.records":         "Records %s:",
	"import.records.written": "written",
	"import.records.planned": "that would be written",
	"import.records.line":    "  %-12s %d new, %d updated",
	"import.dryrun":          "Dry run: nothing was written.",
	"import.conflicts":       "Conflicts, where the database's value was kept (%d):",
	"import.conflict":        "  %s:%d  %s %s: %s: kept %q, the file has %q",
	"import.more":            "  ... and %d more (--json lists them all)",
	"import.errors":          "%d records rejected:",
	"import.errors.skipped":  "%d records skipped because of errors (--skip-errors):",
	"import.warning":         "warning: %s",
	"import.progress":        "writing",
	"noun.companies":         "companies",
	"noun.contacts":          "contacts",
	"noun.deals":             "deals",
	"noun.tasks":             "follow-ups",
	"noun.activities":        "activities",

	"export.written":  "Exported %s to %s",
	"export.counts":   "%d %s",
	"export.none":     "nothing",
	"export.csv.dir":  "CSV export of every kind of record writes one file per kind: give -o DIRECTORY, or --entity contacts (or companies, deals, tasks, activities) for one file",
	"export.entity":   "%s export holds %s only",
	"merge.done":      "Merged %s into %s: %d deals, %d follow-ups and %d activities moved to it; %s deleted",
	"merge.conflicts": "Both contacts have these fields; %s's values were kept:",
	"merge.conflict":  "  %s: kept %q, not %q",
	"merge.self":      "cannot merge a contact into itself",
}
