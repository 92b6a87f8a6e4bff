package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

func companyCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "company",
		Aliases: []string{"companies", "co"},
		Short:   "Add, list, show, edit and delete companies",
	}
	group(cmd)
	cmd.AddCommand(companyAddCmd(a), companyListCmd(a), companyShowCmd(a), companyEditCmd(a), companyRmCmd(a))
	return cmd
}

type companyFlags struct {
	name, domain, industry, size, phone, owner string
	street, city, region, postcode, country    string
	tags, custom                               []string
}

func (f *companyFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "", "company name")
	fl.StringVar(&f.domain, "domain", "", "web domain, e.g. acme.com")
	fl.StringVar(&f.industry, "industry", "", "industry")
	fl.StringVar(&f.size, "size", "", "size, e.g. 11-50")
	fl.StringVar(&f.phone, "phone", "", "main phone number")
	fl.StringVar(&f.owner, "owner", "", "account owner")
	fl.StringVar(&f.street, "street", "", "street address")
	fl.StringVar(&f.city, "city", "", "city")
	fl.StringVar(&f.region, "region", "", "state or province")
	fl.StringVar(&f.postcode, "postcode", "", "postal code")
	fl.StringVar(&f.country, "country", "", "country")
	fl.StringArrayVar(&f.tags, "tag", nil, "tag (repeatable)")
	fl.StringArrayVar(&f.custom, "custom", nil, "custom field key=value (repeatable)")
}

func (f *companyFlags) apply(cmd *cobra.Command, c *model.Company) error {
	for name, p := range map[string]struct {
		dst *string
		v   string
	}{
		"name": {&c.Name, f.name}, "domain": {&c.Domain, f.domain}, "industry": {&c.Industry, f.industry},
		"size": {&c.Size, f.size}, "phone": {&c.Phone, f.phone}, "owner": {&c.Owner, f.owner},
		"street": {&c.Address.Street, f.street}, "city": {&c.Address.City, f.city},
		"region": {&c.Address.Region, f.region}, "postcode": {&c.Address.Postcode, f.postcode},
		"country": {&c.Address.Country, f.country},
	} {
		if changed(cmd, name) {
			*p.dst = p.v
		}
	}
	if changed(cmd, "tag") {
		c.Tags = f.tags
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
	return nil
}

func companyAddCmd(a *app) *cobra.Command {
	var f companyFlags
	cmd := &cobra.Command{
		Use:     "add --name NAME [flags]",
		Short:   "Add a company",
		Example: `  rolo company add --name "Acme Corp" --domain acme.com --industry Manufacturing --city Shenzhen`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !changed(cmd, "name") {
				return usagef(fmt.Errorf("required flag \"name\" not set"))
			}
			var c model.Company
			err := a.update(func(tx *store.Tx) error {
				if err := f.apply(cmd, &c); err != nil {
					return err
				}
				if c.Owner == "" {
					c.Owner = a.cfg.Owner
				}
				if ids := tx.CompaniesNamed(c.Name); len(ids) > 0 {
					return &model.FieldError{Field: "name", Value: c.Name, Reason: "a company with this name exists: " + ids[0].String()}
				}
				return tx.PutCompany(&c)
			})
			if err != nil {
				return err
			}
			return a.showCompanyResult(c, "msg.created")
		},
	}
	f.register(cmd)
	return cmd
}

func (a *app) showCompanyResult(c model.Company, msg string) error {
	if a.jsonOut {
		return a.view(func(tx *store.Tx) error {
			j, err := newNames(tx).companyJSON(c)
			if err != nil {
				return err
			}
			return a.printJSON(j)
		})
	}
	a.say(a.L().T(msg, a.L().T("noun.company"), c.Name+" "+c.ID.String()))
	return nil
}

func companyListCmd(a *app) *cobra.Command {
	var q store.CompanyQuery
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List companies",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if q.Limit < 0 || q.Offset < 0 {
				return usagef(fmt.Errorf("--limit and --offset cannot be negative"))
			}
			return a.view(func(tx *store.Tx) error {
				list, err := tx.Companies(q)
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					out, err := jsonList(list, n.companyJSON)
					if err != nil {
						return err
					}
					return a.printJSON(out)
				}
				L := a.L()
				t := newTable(L.T("col.id"), L.T("col.name"), L.T("col.domain"), L.T("col.industry"), L.T("col.contacts"), L.T("col.tags"))
				t.limit(1, 32).limit(3, 20).limit(5, 30)
				for _, c := range list {
					t.row(c.ID.String(), c.Name, c.Domain, c.Industry, fmt.Sprint(len(tx.ContactsOfCompany(c.ID))), strings.Join(c.Tags, ","))
				}
				t.write(a.stdout)
				return nil
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&q.Search, "search", "s", "", "search names (with pinyin), domains, industries, cities")
	fl.StringVar(&q.Tag, "tag", "", "only companies with this tag")
	fl.IntVarP(&q.Limit, "limit", "n", 0, "show at most N companies (0: all)")
	fl.IntVar(&q.Offset, "offset", 0, "skip the first N companies")
	return cmd
}

func companyShowCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|NAME",
		Short: "Show a company with its contacts and deals",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.view(func(tx *store.Tx) error {
				c, err := tx.ResolveCompany(args[0])
				if err != nil {
					return err
				}
				people, err := tx.Contacts(store.ContactQuery{CompanyID: c.ID})
				if err != nil {
					return err
				}
				ds, err := tx.Deals(store.DealQuery{CompanyID: c.ID})
				if err != nil {
					return err
				}
				acts, err := tx.Activities(store.ActivityQuery{CompanyID: c.ID, Limit: 50})
				if err != nil {
					return err
				}
				n := newNames(tx)
				if a.jsonOut {
					pj, err := jsonList(people, n.contactJSON)
					if err != nil {
						return err
					}
					dj, err := jsonList(ds, n.dealJSON)
					if err != nil {
						return err
					}
					aj, err := jsonList(acts, n.activityJSON)
					if err != nil {
						return err
					}
					j, err := extend(c, field{"contacts", pj}, field{"deals", dj}, field{"activities", aj})
					if err != nil {
						return err
					}
					return a.printJSON(json.RawMessage(j))
				}
				a.companyDetails(n, c, people, ds, acts)
				return nil
			})
		},
	}
}

func (a *app) companyDetails(n *names, c model.Company, people []model.Contact, ds []model.Deal, acts []model.Activity) {
	L := a.L()
	fmt.Fprintf(a.stdout, "%s  %s\n\n", c.Name, c.ID)
	var d details
	d.add(L.T("field.domain"), c.Domain)
	d.add(L.T("field.industry"), c.Industry)
	d.add(L.T("field.size"), c.Size)
	d.add(L.T("field.phone"), c.Phone)
	d.add(L.T("field.address"), c.Address.String())
	d.add(L.T("field.tags"), strings.Join(c.Tags, ", "))
	d.add(L.T("field.owner"), c.Owner)
	var custom []string
	for _, k := range sortedKeys(c.Custom) {
		custom = append(custom, k+": "+c.Custom[k])
	}
	d.add(L.T("field.custom"), strings.Join(custom, "\n"))
	d.add(L.T("field.created"), fmtTime(c.CreatedAt))
	d.write(a.stdout)
	if len(people) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.contacts"))
		a.contactTable(n, people).write(a.stdout)
	}
	if len(ds) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.deals"))
		a.dealTable(n, ds).write(a.stdout)
	}
	if len(acts) > 0 {
		fmt.Fprintf(a.stdout, "\n%s\n", L.T("section.timeline"))
		a.activityTable(n, acts, true).write(a.stdout)
	}
}

func companyEditCmd(a *app) *cobra.Command {
	var f companyFlags
	var addTags, removeTags []string
	cmd := &cobra.Command{
		Use:   "edit ID|NAME [flags]",
		Short: "Change a company's fields",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c model.Company
			var changedAny bool
			err := a.update(func(tx *store.Tx) error {
				var err error
				if c, err = tx.ResolveCompany(args[0]); err != nil {
					return err
				}
				before, _ := json.Marshal(c)
				if err := f.apply(cmd, &c); err != nil {
					return err
				}
				c.Tags = editList(c.Tags, addTags, removeTags, strings.EqualFold)
				if changed(cmd, "name") {
					for _, id := range tx.CompaniesNamed(c.Name) {
						if id != c.ID {
							return &model.FieldError{Field: "name", Value: c.Name, Reason: "another company has this name: " + id.String()}
						}
					}
				}
				if err := tx.PutCompany(&c); err != nil {
					return err
				}
				after, _ := json.Marshal(c)
				changedAny = string(before) != string(after)
				return nil
			})
			if err != nil {
				return err
			}
			msg := "msg.updated"
			if !changedAny {
				msg = "msg.unchanged"
			}
			return a.showCompanyResult(c, msg)
		},
	}
	f.register(cmd)
	cmd.Flags().StringArrayVar(&addTags, "add-tag", nil, "add a tag (repeatable)")
	cmd.Flags().StringArrayVar(&removeTags, "remove-tag", nil, "remove a tag (repeatable)")
	return cmd
}

func companyRmCmd(a *app) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "rm ID|NAME",
		Aliases: []string{"delete"},
		Short:   "Delete a company (its contacts and deals stay, unlinked)",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var c model.Company
			if err := a.view(func(tx *store.Tx) error {
				var err error
				c, err = tx.ResolveCompany(args[0])
				return err
			}); err != nil {
				return err
			}
			if !a.confirm(a.L().T("msg.confirm.delete", a.L().T("noun.company"), c.Name+" "+c.ID.String()), yes) {
				a.say(a.L().T("msg.cancelled"))
				return nil
			}
			var r store.Removal
			if err := a.update(func(tx *store.Tx) error {
				var err error
				r, err = tx.DeleteCompany(c.ID)
				return err
			}); err != nil {
				return err
			}
			return a.reportRemoval(model.EntityCompany, c.ID, c.Name, r)
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
