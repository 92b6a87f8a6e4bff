package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/interchange"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func contactMergeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "merge A B",
		Short: "Merge contact B into contact A",
		Long: `Merge contact B into contact A, in one transaction: A's empty fields take B's
values, their emails, phones, tags, addresses and links are united (where both
have a different value, A's is kept and the difference is listed), B's deals,
follow-ups and activities move to A, and B is deleted. A and B are ids, emails,
phone numbers or searches matching one contact each.`,
		Example: `  rolo contact merge maria@acme.com maria.garcia@gmail.com
  rolo contact merge 01JD8Z6W3N8C6T0R5Q2M7K4H9B 01JD8Z7Q1M2N3P4Q5R6S7T8V9W --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r interchange.MergeResult
			err := a.update(func(tx *store.Tx) error {
				into, err := tx.ResolveContact(args[0])
				if err != nil {
					return err
				}
				from, err := tx.ResolveContact(args[1])
				if err != nil {
					return err
				}
				r, err = interchange.MergeContacts(tx, into.ID, from.ID)
				return err
			})
			if errors.Is(err, interchange.ErrSelfMerge) {
				return &model.FieldError{Field: "contact", Value: args[1], Reason: a.L().T("merge.self")}
			}
			if err != nil {
				return err
			}
			return a.reportMerge(r)
		},
	}
}

func (a *app) reportMerge(r interchange.MergeResult) error {
	if a.jsonOut {
		return a.view(func(tx *store.Tx) error {
			c, err := newNames(tx).contactJSON(r.Contact)
			if err != nil {
				return err
			}
			return a.printJSON(map[string]any{
				"contact": c, "removed": r.Removed.ID.String(), "deals": r.Deals, "tasks": r.Tasks,
				"activities": r.Activities, "conflicts": nonNil(r.Conflicts),
			})
		})
	}
	L := a.L()
	a.say(L.T("merge.done", r.Removed.Name+" "+r.Removed.ID.String(), r.Contact.Name+" "+r.Contact.ID.String(),
		r.Deals, r.Tasks, r.Activities, r.Removed.ID.String()))
	if len(r.Conflicts) > 0 {
		a.say(L.T("merge.conflicts", r.Contact.Name))
		for _, c := range r.Conflicts {
			a.say(L.T("merge.conflict", c.Field, c.Kept, c.InFile))
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
