package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/insight"
	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func contactCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "contact",
		Aliases: []string{"contacts", "c"},
		Short:   "Add, list, show, edit and delete contacts",
	}
	group(cmd)
	cmd.AddCommand(contactAddCmd(a), contactListCmd(a), contactShowCmd(a), contactEditCmd(a), contactRmCmd(a), contactMergeCmd(a))
	return cmd
}

// contactFlags are the field flags shared by add and edit.
type contactFlags struct {
	name, company, title, source, owner, lifecycle, birthday string
	emails, phones, tags, links, custom                      []string
	street, city, region, postcode, country                  string
}

func (f *contactFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "full name")
	fl.StringArrayVar(&f.emails, "email", nil, "email address (repeatable; label with work:a@b.com)")
	fl.StringArrayVar(&f.phones, "phone", nil, "phone number (repeatable; label with mobile:+86...)")
	fl.StringVar(&f.company, "company", "", "company id or name (created when new)")
	fl.StringVar(&f.title, "title", "", "job title")
	fl.StringArrayVar(&f.tags, "tag", nil, "tag (repeatable)")
	fl.StringVar(&f.source, "source", "", "where the contact came from")
	fl.StringVar(&f.owner, "owner", "", "who owns the relationship (default: owner in config)")
	fl.StringVar(&f.lifecycle, "lifecycle", "", "pin the lifecycle stage: "+strings.Join(model.LifecycleStages, ", "))
	fl.StringVar(&f.birthday, "birthday", "", "birthday, YYYY-MM-DD")
	fl.StringArrayVar(&f.links, "link", nil, "web or social profile link (repeatable)")
	fl.StringArrayVar(&f.custom, "custom", nil, "custom field key=value (repeatable)")
	fl.StringVar(&f.street, "street", "", "street address")
	fl.StringVar(&f.city, "city", "", "city")
	fl.StringVar(&f.region, "region", "", "state or province")
	fl.StringVar(&f.postcode, "postcode", "", "postal code")
	fl.StringVar(&f.country, "country", "", "country")
}

// labeled splits "work:a@b.com" into label and value; a value that merely
// contains a colon (a URL, a number with an extension) keeps it.
func labeled(s string) (label, value string) {
	if l, v, ok := strings.Cut(s, ":"); ok && l != "" && !strings.ContainsAny(l, " +@/.0123456789") && !strings.HasPrefix(v, "//") {
		return strings.TrimSpace(l), strings.TrimSpace(v)
	}
	return "", strings.TrimSpace(s)
}

func parseEmails(in []string) []model.Email {
	out := make([]model.Email, 0, len(in))
	for _, s := range in {
		l, v := labeled(s)
		out = append(out, model.Email{Address: v, Label: l})
	}
	return out
}

func parsePhones(in []string) []model.Phone {
	out := make([]model.Phone, 0, len(in))
	for _, s := range in {
		l, v := labeled(s)
		out = append(out, model.Phone{Number: v, Label: l})
	}
	return out
}

// apply copies the flags the user gave onto c.
func (f *contactFlags) apply(a *app, cmd *cobra.Command, tx *store.Tx, c *model.Contact) error {
	set := func(name string, dst *string, v string) {
		if changed(cmd, name) {
			*dst = v
		}
	}
	set("name", &c.Name, f.name)
	set("title", &c.Title, f.title)
	set("source", &c.Source, f.source)
	set("owner", &c.Owner, f.owner)
	set("lifecycle", &c.Lifecycle, f.lifecycle)
	if changed(cmd, "email") {
		c.Emails = parseEmails(f.emails)
	}
	if changed(cmd, "phone") {
		c.Phones = parsePhones(f.phones)
	}
	if changed(cmd, "tag") {
		c.Tags = f.tags
	}
	if changed(cmd, "link") {
		c.Links = f.links
	}
	if changed(cmd, "company") {
		id, err := resolveCompanyOrCreate(a, tx, f.company)
		if err != nil {
			return err
		}
		c.CompanyID = id
	}
	if changed(cmd, "birthday") {
		if f.birthday == "" {
			c.Birthday = model.Date{}
		} else {
			d, err := model.ParseDate(f.birthday)
			if err != nil {
				return &model.FieldError{Field: "birthday", Value: f.birthday, Reason: "use YYYY-MM-DD"}
			}
			c.Birthday = d
		}
	}
	if changed(cmd, "custom") {
		m, err := parseCustom(f.custom)
		if err != nil {
			return err
		}
		if c.Custom == nil {
			c.Custom = map[string]string{}
		}
		for k, v := range m {
			if v == "" {
				delete(c.Custom, k)
			} else {
				c.Custom[k] = v
			}
		}
	}
	return f.applyAddress(cmd, c)
}

func (f *contactFlags) applyAddress(cmd *cobra.Command, c *model.Contact) error {
	given := false
	for _, n := range []string{"street", "city", "region", "postcode", "country"} {
		given = given || changed(cmd, n)
	}
	if !given {
		return nil
	}
	var addr model.Address
	if len(c.Addresses) > 0 {
		addr = c.Addresses[0]
	}
	for name, dst := range map[string]*string{"street": &addr.Street, "city": &addr.City, "region": &addr.Region, "postcode": &addr.Postcode, "country": &addr.Country} {
		if changed(cmd, name) {
			*dst = map[string]string{"street": f.street, "city": f.city, "region": f.region, "postcode": f.postcode, "country": f.country}[name]
		}
	}
	switch {
	case addr.IsZero() && len(c.Addresses) > 0:
		c.Addresses = c.Addresses[1:]
	case addr.IsZero():
	case len(c.Addresses) > 0:
		c.Addresses[0] = addr
	default:
		c.Addresses = []model.Address{addr}
	}
	return nil
}

// refuseDuplicates stops a contact from taking an email or phone another
// contact already has: duplicates are decided by email and phone.
func refuseDuplicates(a *app, tx *store.Tx, c *model.Contact) error {
	for _, e := range c.Emails {
		for _, id := range tx.ContactsByEmail(e.Address) {
			if id != c.ID {
				o, _ := tx.Contact(id)
				return &model.FieldError{Field: "email", Reason: a.L().T("warn.duplicate.email", e.Address, o.Name, id) + " (use --allow-duplicate to add anyway)"}
			}
		}
	}
	for _, p := range c.Phones {
		for _, id := range tx.ContactsByPhone(p.Number) {
			if id != c.ID {
				o, _ := tx.Contact(id)
				return &model.FieldError{Field: "phone", Reason: a.L().T("warn.duplicate.phone", p.Number, o.Name, id) + " (use --allow-duplicate to add anyway)"}
			}
		}
	}
	return nil
}

func contactAddCmd(a *app) *cobra.Command {
	var f contactFlags
	var allowDup bool
	cmd := &cobra.Command{
		Use:   "add --name NAME [flags]",
		Short: "Add a contact",
		Example: `  rolo contact add --name "Maria Garcia" --email maria@acme.com --phone "+1 415 555 0100" --company Acme --tag vip
  rolo contact add --name 张伟 --phone 13800138000 --company 华强电子 --title 采购经理`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !changed(cmd, "name") {
				return usagef(fmt.Errorf("required flag \"name\" not set"))
			}
			var c model.Contact
			err := a.update(func(tx *store.Tx) error {
				if err := f.apply(a, cmd, tx, &c); err != nil {
					return err
				}
				if c.Owner == "" {
					c.Owner = a.cfg.Owner
				}
				if err := c.Normalize(tx.Store().Rules()); err != nil {
					return err
				}
				if !allowDup {
					if err := refuseDuplicates(a, tx, &c); err != nil {
						return err
					}
				}
				return tx.PutContact(&c)
			})
			if err != nil {
				return err
			}
			return a.showContactResult(c, "msg.created")
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&allowDup, "allow-duplicate", false, "add even when another contact has the same email or phone")
	return cmd
}

// showContactResult prints the saved contact: JSON, or one line.
func (a *app) showContactResult(c model.Contact, msg string) error {
	if a.jsonOut {
		return a.view(func(tx *store.Tx) error {
			j, err := newNames(tx).contactJSON(c)
			if err != nil {
				return err
			}
			return a.printJSON(j)
		})
	}
	a.say(a.L().T(msg, a.L().T("noun.contact"), c.Name+" "+c.ID.String()))
	return nil
}

func contactListCmd(a *app) *cobra.Command {
	var q store.ContactQuery
	var company, lifecycle string
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List contacts, by name or by search",
		Long: `List contacts in name order. --search matches every word of the query against
names (also their pinyin and initials: "zw" finds 张伟), emails, phone digits,
company and title; names that start with the query come first.`,
		Example: `  rolo contact list --search garcia
  rolo contact list --search zw --json
  rolo contact list --tag vip --limit 20`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if q.Limit < 0 || q.Offset < 0 {
				return usagef(fmt.Errorf("--limit and --offset cannot be negative"))
			}
			if lifecycle != "" && !model.IsLifecycleStage(lifecycle) {
				return usagef(&model.FieldError{Field: "lifecycle", Value: lifecycle, Reason: "one of " + strings.Join(model.LifecycleStages, ", ")})
			}
			return a.view(func(tx *store.Tx) error {
				if company != "" {
					co, err := tx.ResolveCompany(company)
					if err != nil {
						return err
					}
					q.CompanyID = co.ID
				}
				var list []model.Contact
				var err error
				if lifecycle != "" {
					list, err = a.contactsInStage(tx, q, lifecycle)
				} else {
					list, err = tx.Contacts(q)
				}
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					out, err := jsonList(list, n.contactJSON)
					if err != nil {
						return err
					}
					return a.printJSON(out)
				}
				a.contactTable(n, list).write(a.stdout)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&q.Search, "search", "s", "", "search names, pinyin, emails, phones, companies")
	fl.StringVar(&q.Tag, "tag", "", "only contacts with this tag")
	fl.StringVar(&company, "company", "", "only contacts of this company (id or name)")
	fl.StringVar(&lifecycle, "lifecycle", "", "only contacts in this lifecycle stage: "+strings.Join(model.LifecycleStages, ", "))
	fl.IntVarP(&q.Limit, "limit", "n", 0, "show at most N contacts (0: all)")
	fl.IntVar(&q.Offset, "offset", 0, "skip the first N contacts")
	return cmd
}

// contactsInStage lists the contacts of q whose lifecycle stage (pinned,
// or derived from their deals and activities by insight) is stage.
func (a *app) contactsInStage(tx *store.Tx, q store.ContactQuery, stage string) ([]model.Contact, error) {
	iq := insight.Query{Now: a.now(), Params: insight.ParamsOf(a.cfg)}
	d, err := insight.Load(tx, insight.Needs("lifecycle", iq))
	if err != nil {
		return nil, err
	}
	in := map[model.ID]bool{}
	for _, e := range insight.Lifecycle(d, iq).Contacts {
		if e.Stage == stage {
			in[e.ID] = true
		}
	}
	offset, limit := q.Offset, q.Limit
	q.Offset, q.Limit = 0, 0
	var ids []model.ID
	for _, id := range tx.ContactIDs(q) {
		if in[id] {
			ids = append(ids, id)
		}
	}
	if offset >= len(ids) {
		return nil, nil
	}
	ids = ids[offset:]
	if limit > 0 && len(ids) > limit {
		ids = ids[:limit]
	}
	return tx.ContactsByID(ids)
}

func (a *app) contactTable(n *names, list []model.Contact) *table {
	L := a.L()
	t := newTable(L.T("col.id"), L.T("col.name"), L.T("col.company"), L.T("col.email"), L.T("col.phone"), L.T("col.tags"))
	t.limit(1, 28).limit(2, 28).limit(3, 32).limit(5, 30)
	for _, c := range list {
		email, phone := "", ""
		if len(c.Emails) > 0 {
			email = c.Emails[0].Address
		}
		if len(c.Phones) > 0 {
			phone = c.Phones[0].Number
		}
		t.row(c.ID.String(), c.Name, n.company(c.CompanyID), email, phone, strings.Join(c.Tags, ","))
	}
	return t
}

func contactShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|QUERY",
		Short: "Show a contact with its deals, open follow-ups and timeline",
		Long: `Show one contact. The argument is an id, an email, a phone number or a
search that matches exactly one contact.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.view(func(tx *store.Tx) error {
				c, err := tx.ResolveContact(args[0])
				if err != nil {
					return err
				}
				ds, err := tx.Deals(store.DealQuery{ContactID: c.ID})
				if err != nil {
					return err
				}
				ts, err := tx.Tasks(store.TaskQuery{ContactID: c.ID}, a.now())
				if err != nil {
					return err
				}
				acts, err := tx.Activities(store.ActivityQuery{ContactID: c.ID, Limit: 50})
				if err != nil {
					return err
				}
				life, err := insight.ContactLifecycle(tx, c.ID, insight.Query{Now: a.now(), Params: insight.ParamsOf(a.cfg)})
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					return a.contactShowJSON(n, c, life, ds, ts, acts)
				}
				a.contactDetails(n, c, life, ds, ts, acts)
				return nil
			})
		},
	}
}

func (a *app) contactShowJSON(n *names, c model.Contact, life insight.LifecycleEntry, ds []model.Deal, ts []model.Task, acts []model.Activity) error {
	dj, err := jsonList(ds, n.dealJSON)
	if err != nil {
		return err
	}
	tj, err := jsonList(ts, func(t model.Task) (json.RawMessage, error) { return n.taskJSON(t, a.now()) })
	if err != nil {
		return err
	}
	aj, err := jsonList(acts, n.activityJSON)
	if err != nil {
		return err
	}
	j, err := extend(c, field{"company", n.company(c.CompanyID)}, field{"lifecycle_stage", life.Stage},
		field{"lifecycle_reasons", life.Reasons}, field{"deals", dj}, field{"open_tasks", tj}, field{"activities", aj})
	if err != nil {
		return err
	}
	return a.printJSON(j)
}

func (a *app) contactDetails(n *names, c model.Contact, life insight.LifecycleEntry, ds []model.Deal, ts []model.Task, acts []model.Activity) {
	L := a.L()
	fmt.Fprintf(a.stdout, "%s  %s\n\n", c.Name, c.ID)
	var d details
	d.add(L.T("field.title"), c.Title)
	d.add(L.T("field.company"), n.company(c.CompanyID))
	var emails, phones, addrs []string
	for _, e := range c.Emails {
		emails = append(emails, withLabel(e.Address, e.Label))
	}
	for _, p := range c.Phones {
		s := p.Number
		if p.Original != "" {
			s += " (" + p.Original + ")"
		}
		phones = append(phones, withLabel(s, p.Label))
	}
	for _, ad := range c.Addresses {
		addrs = append(addrs, withLabel(ad.String(), ad.Label))
	}
	d.add(L.T("field.emails"), strings.Join(emails, "\n"))
	d.add(L.T("field.phones"), strings.Join(phones, "\n"))
	d.add(L.T("field.tags"), strings.Join(c.Tags, ", "))
	d.add(L.T("field.source"), c.Source)
	d.add(L.T("field.owner"), c.Owner)
	d.add(L.T("field.lifecycle"), lifecycleText(L, life))
	d.add(L.T("field.birthday"), c.Birthday.String())
	d.add(L.T("field.addresses"), strings.Join(addrs, "\n"))
	d.add(L.T("field.links"), strings.Join(c.Links, "\n"))
	var custom []string
	for _, k := range sortedKeys(c.Custom) {
		custom = append(custom, k+": "+c.Custom[k])
	}
	d.add(L.T("field.custom"), strings.Join(custom, "\n"))
	d.add(L.T("field.created"), fmtTime(c.CreatedAt))
	d.add(L.T("field.updated"), fmtTime(c.UpdatedAt))
	d.write(a.stdout)
	if len(ds) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.deals"))
		a.dealTable(n, ds).write(a.stdout)
	}
	if len(ts) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.tasks"))
		a.taskTable(n, ts).write(a.stdout)
	}
	if len(acts) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.timeline"))
		a.activityTable(n, acts, false).write(a.stdout)
	}
}

// lifecycleText describes a contact's lifecycle stage: pinned by hand, or
// derived, with the reasons for a decline.
func lifecycleText(L i18n.Lang, life insight.LifecycleEntry) string {
	if life.Stage == "" {
		return ""
	}
	s := L.T("insight.lifecycle." + life.Stage)
	if life.Pinned {
		s += " (" + L.T("msg.lifecycle.pinned") + ")"
	}
	reasons := make([]string, len(life.Reasons))
	for i, r := range life.Reasons {
		reasons[i] = L.T("insight.reason." + r)
	}
	if len(reasons) > 0 {
		s += ": " + strings.Join(reasons, "; ")
	}
	return s
}

func withLabel(s, label string) string {
	if label == "" {
		return s
	}
	return s + " [" + label + "]"
}

func contactEditCmd(a *app) *cobra.Command {
	var f contactFlags
	var addTags, removeTags, addEmails, removeEmails, addPhones, removePhones []string
	var allowDup bool
	cmd := &cobra.Command{
		Use:   "edit ID|QUERY [flags]",
		Short: "Change a contact's fields",
		Long: `Change the fields given as flags; others are left as they are. --email,
--phone and --tag replace the whole list; --add-* and --remove-* change one
entry. An empty value clears a field (--title ""). --custom key= removes a
custom field.`,
		Example: `  rolo contact edit 01JD... --title "Head of Sales" --add-tag vip
  rolo contact edit maria@acme.com --remove-tag prospect --add-phone "+1 415 555 0199"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c model.Contact
			var changedAny bool
			err := a.update(func(tx *store.Tx) error {
				var err error
				if c, err = tx.ResolveContact(args[0]); err != nil {
					return err
				}
				before, _ := json.Marshal(c)
				if err := f.apply(a, cmd, tx, &c); err != nil {
					return err
				}
				c.Tags = editList(c.Tags, addTags, removeTags, strings.EqualFold)
				c.Emails = editEmails(c.Emails, addEmails, removeEmails)
				c.Phones = editPhones(c.Phones, addPhones, removePhones, tx.Store().Rules().Region)
				if err := c.Normalize(tx.Store().Rules()); err != nil {
					return err
				}
				if !allowDup {
					if err := refuseDuplicates(a, tx, &c); err != nil {
						return err
					}
				}
				after, _ := json.Marshal(c)
				changedAny = string(before) != string(after)
				return tx.PutContact(&c)
			})
			if err != nil {
				return err
			}
			msg := "msg.updated"
			if !changedAny {
				msg = "msg.unchanged"
			}
			return a.showContactResult(c, msg)
		},
	}
	f.register(cmd)
	fl := cmd.Flags()
	fl.StringArrayVar(&addTags, "add-tag", nil, "add a tag (repeatable)")
	fl.StringArrayVar(&removeTags, "remove-tag", nil, "remove a tag (repeatable)")
	fl.StringArrayVar(&addEmails, "add-email", nil, "add an email (repeatable)")
	fl.StringArrayVar(&removeEmails, "remove-email", nil, "remove an email (repeatable)")
	fl.StringArrayVar(&addPhones, "add-phone", nil, "add a phone (repeatable)")
	fl.StringArrayVar(&removePhones, "remove-phone", nil, "remove a phone (repeatable)")
	fl.BoolVar(&allowDup, "allow-duplicate", false, "allow an email or phone another contact has")
	return cmd
}

func editList(list, add, remove []string, eq func(a, b string) bool) []string {
	out := slices.DeleteFunc(slices.Clone(list), func(x string) bool {
		return slices.ContainsFunc(remove, func(r string) bool { return eq(x, r) })
	})
	return append(out, add...)
}

func editEmails(list []model.Email, add, remove []string) []model.Email {
	out := slices.DeleteFunc(slices.Clone(list), func(e model.Email) bool {
		return slices.ContainsFunc(remove, func(r string) bool { return strings.EqualFold(e.Address, strings.TrimSpace(r)) })
	})
	return append(out, parseEmails(add)...)
}

func editPhones(list []model.Phone, add, remove []string, region string) []model.Phone {
	norm := func(s string) string {
		if e, ok := model.NormalizePhone(s, region); ok {
			return e
		}
		return model.PhoneDigits(s)
	}
	out := slices.DeleteFunc(slices.Clone(list), func(p model.Phone) bool {
		return slices.ContainsFunc(remove, func(r string) bool {
			return norm(r) == p.Number || model.PhoneDigits(r) == model.PhoneDigits(p.Number) || model.PhoneDigits(r) == model.PhoneDigits(p.Original)
		})
	})
	return append(out, parsePhones(add)...)
}

func contactRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm ID|QUERY",
		Aliases: []string{"delete"},
		Short:   "Delete a contact with its follow-ups and activities",
		Long: `Delete a contact together with its follow-up tasks and activity history. Its
deals stay in the pipeline, unlinked. On a terminal you are asked to confirm
(--yes skips the question).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c model.Contact
			err := a.view(func(tx *store.Tx) error {
				var err error
				c, err = tx.ResolveContact(args[0])
				return err
			})
			if err != nil {
				return err
			}
			if !a.confirm(a.L().T("msg.confirm.delete", a.L().T("noun.contact"), c.Name+" "+c.ID.String()), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			var r store.Removal
			if err := a.update(func(tx *store.Tx) error {
				var err error
				r, err = tx.DeleteContact(c.ID)
				return err
			}); err != nil {
				return err
			}
			return a.reportRemoval(model.EntityContact, c.ID, c.Name, r)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// reportRemoval prints what a delete did: the record removed and how many
// related records were removed with it or unlinked from it.
func (a *app) reportRemoval(entity model.Entity, id model.ID, name string, r store.Removal) error {
	related := map[string]int{
		"contacts": len(r.Contacts), "companies": len(r.Companies), "deals": len(r.Deals),
		"tasks": len(r.Tasks), "activities": len(r.Activities),
	}
	related[map[model.Entity]string{
		model.EntityContact: "contacts", model.EntityCompany: "companies", model.EntityDeal: "deals",
		model.EntityTask: "tasks", model.EntityActivity: "activities",
	}[entity]]--
	if a.jsonOut {
		return a.printJSON(map[string]any{"deleted": entity.String(), "id": id.String(), "name": name, "related": related})
	}
	L := a.L()
	what := L.T("noun." + entity.String())
	if related["contacts"]+related["deals"]+related["tasks"]+related["activities"] == 0 {
		a.say(L.T("msg.deleted", what, name+" "+id.String()))
		return nil
	}
	a.say(L.T("msg.deleted.related", what, name+" "+id.String(), related["contacts"], related["deals"], related["tasks"], related["activities"]))
	return nil
}
