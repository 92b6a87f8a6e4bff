package cli

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// parseCustom reads --custom key=value flags.
func parseCustom(pairs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, &model.FieldError{Field: "custom", Value: p, Reason: "use key=value"}
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

// parseDay reads a date as people type it ("2026-12-01", "next friday",
// "下周五"), keeping only the day.
func parseDay(field, s string, now time.Time) (model.Date, error) {
	if strings.TrimSpace(s) == "" {
		return model.Date{}, nil
	}
	d, err := model.ParseWhen(s, now)
	if err != nil {
		return model.Date{}, relabel(err, field)
	}
	return d.Date, nil
}

// relabel renames the field of a validation error to the flag the user typed.
func relabel(err error, field string) error {
	if fe, ok := err.(*model.FieldError); ok {
		c := *fe
		c.Field = field
		return &c
	}
	return err
}

// changed reports whether the user gave the flag.
func changed(cmd *cobra.Command, name string) bool { return cmd.Flags().Changed(name) }

// resolveCompanyOrCreate returns the company named by ref (an id or a
// name), creating it when ref is a name no company has.
func resolveCompanyOrCreate(a *app, tx *store.Tx, ref string) (model.ID, error) {
	if strings.TrimSpace(ref) == "" {
		return model.ID{}, nil
	}
	if model.LooksLikeID(ref) {
		c, err := tx.Company(mustID(ref))
		return c.ID, err
	}
	if ids := tx.CompaniesNamed(ref); len(ids) > 0 {
		return ids[0], nil
	}
	c, err := tx.EnsureCompany(strings.TrimSpace(ref))
	if err == nil {
		fmt.Fprintln(a.stderr, a.L().T("msg.company.created", c.Name, c.ID))
	}
	return c.ID, err
}

func mustID(s string) model.ID {
	id, _ := model.ParseID(s)
	return id
}

// optionalRef resolves a --contact/--deal/--company flag through fn when set.
func optionalRef[T any](ref string, fn func(string) (T, error), id func(T) model.ID) (model.ID, error) {
	if strings.TrimSpace(ref) == "" {
		return model.ID{}, nil
	}
	rec, err := fn(ref)
	if err != nil {
		return model.ID{}, err
	}
	return id(rec), nil
}

func contactID(c model.Contact) model.ID { return c.ID }
func companyID(c model.Company) model.ID { return c.ID }
func dealID(d model.Deal) model.ID       { return d.ID }

// fmtTime prints a time in the local zone for people.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// fmtDue prints a due date for people.
func fmtDue(d model.Due) string {
	if d.IsZero() {
		return ""
	}
	if d.HasTime() {
		return d.At.Local().Format("2006-01-02 15:04")
	}
	return d.Date.String()
}

// sameTimeOn returns the local time of day of t on day d: snoozing "3pm
// today" to tomorrow keeps 3pm.
func sameTimeOn(t time.Time, d model.Date) time.Time {
	l := t.Local()
	return time.Date(d.Year, d.Month, d.Day, l.Hour(), l.Minute(), 0, 0, time.Local)
}

// group makes a command that only holds subcommands refuse an unknown
// subcommand (exit 2) instead of printing help and succeeding.
func group(cmd *cobra.Command) {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef(fmt.Errorf("unknown command %q for %q", args[0], c.CommandPath()))
		}
		return c.Help()
	}
}
