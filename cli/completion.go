package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// Shell completion of what is in the database: contact, company, deal and
// task names (and ids, with the name as description), stages, tags and
// the fixed vocabularies (activity kinds, statuses, priorities). Cobra's
// hidden __complete command calls these; the scripts that `rolo
// completion SHELL` prints call __complete on every tab.

// completionLockTimeout bounds the wait for a database another process
// holds: a tab must never hang, so it offers nothing instead.
const completionLockTimeout = 150 * time.Millisecond

// completionLimit caps the candidates of one tab.
const completionLimit = 200

// errNoDatabase says there is no database to complete from; completion
// never creates one.
var errNoDatabase = errors.New("no database")

// completer lists the candidates for the word being completed; tx is
// nil for the lists that do not come from the database.
type completer struct {
	list func(a *app, cmd *cobra.Command, tx *store.Tx, toComplete string) []cobra.Completion
	db   bool // reads the database
}

// fromDB makes a completer that reads the database.
func fromDB(list func(a *app, cmd *cobra.Command, tx *store.Tx, toComplete string) []cobra.Completion) completer {
	return completer{list: list, db: true}
}

var (
	completeContacts   = fromDB(contactCandidates)
	completeCompanies  = fromDB(companyCandidates)
	completeDeals      = fromDB(dealCandidates)
	completeTasks      = fromDB(taskCandidates)
	completeComplaints = fromDB(complaintCandidates)
	completeActivities = fromDB(activityCandidates)
	completeTags       = fromDB(tagCandidates)
	completeStages     = completer{list: stageCandidates}
)

// registerCompletions walks the command tree and adds completion to every
// positional argument and flag that names a record or a fixed value,
// unless the command has its own. It is called once the tree is built, so
// commands added by any file get it from their flag names.
func registerCompletions(a *app, root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		if fns, ok := argCompleters[commandKey(cmd)]; ok && cmd.ValidArgsFunction == nil && len(cmd.ValidArgs) == 0 {
			cmd.ValidArgsFunction = a.completeArgs(fns)
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if fn := flagCompleter(cmd, f.Name); fn.list != nil {
				// An error means the command registered its own: keep it.
				_ = cmd.RegisterFlagCompletionFunc(f.Name, a.completeFlag(fn))
			}
		})
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(root)
}

// commandKey is the command's path below the root: "contact show".
func commandKey(cmd *cobra.Command) string {
	_, rest, _ := strings.Cut(cmd.CommandPath(), " ")
	return rest
}

// topLevel returns the top-level command a command belongs to ("deal" for
// "deal list").
func topLevel(cmd *cobra.Command) string {
	name, _, _ := strings.Cut(commandKey(cmd), " ")
	return name
}

// argCompleters lists, per command, what each positional argument is.
var argCompleters = map[string][]completer{
	"contact show":     {completeContacts},
	"contact edit":     {completeContacts},
	"contact rm":       {completeContacts},
	"contact merge":    {completeContacts, completeContacts},
	"company show":     {completeCompanies},
	"company edit":     {completeCompanies},
	"company rm":       {completeCompanies},
	"deal show":        {completeDeals},
	"deal edit":        {completeDeals},
	"deal rm":          {completeDeals},
	"deal move":        {completeDeals, completeStages},
	"task show":        {completeTasks},
	"task done":        {completeTasks},
	"task snooze":      {completeTasks, {}},
	"task edit":        {completeTasks},
	"task rm":          {completeTasks},
	"log":              {completeWords(model.ActivityKinds)},
	"activity resolve": {completeComplaints},
	"activity rm":      {completeActivities},
}

// flagCompleter returns what a flag of cmd names, by its name; flags with
// generic names are completed only within the group they belong to.
func flagCompleter(cmd *cobra.Command, flag string) completer {
	switch flag {
	case "contact":
		return completeContacts
	case "company":
		return completeCompanies
	case "deal":
		return completeDeals
	case "stage":
		return completeStages
	case "tag", "add-tag", "remove-tag":
		return completeTags
	}
	words := map[string]map[string][]string{
		"deal":     {"status": {model.StatusOpen, model.StatusWon, model.StatusLost}},
		"task":     {"priority": {model.PriorityLow, model.PriorityNormal, model.PriorityHigh}},
		"log":      {"direction": {"in", "out"}},
		"activity": {"kind": model.ActivityKinds},
		"contact":  {"lifecycle": model.LifecycleStages},
	}[topLevel(cmd)][flag]
	if words != nil {
		return completeWords(words)
	}
	return completer{}
}

// completeArgs completes the positional argument at len(args).
func (a *app) completeArgs(fns []completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(fns) || fns[len(args)].list == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.complete(cmd, fns[len(args)], toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

func (a *app) completeFlag(fn completer) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return a.complete(cmd, fn, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// complete runs fn in a read transaction of the database, opened
// read-only with a short lock timeout; any error (no database, a busy or
// damaged one, a bad config) offers nothing. Nothing is written to stderr,
// which some shells show in the middle of the command line.
func (a *app) complete(cmd *cobra.Command, fn completer, toComplete string) []cobra.Completion {
	a.stderr = io.Discard
	if !fn.db {
		return fn.list(a, cmd, nil, toComplete)
	}
	st, err := a.openForCompletion()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	_ = st.View(func(tx *store.Tx) error {
		out = fn.list(a, cmd, tx, toComplete)
		return nil
	})
	return out
}

// openForCompletion opens the existing database read-only.
func (a *app) openForCompletion() (*store.Store, error) {
	path := a.path()
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil, errNoDatabase
	}
	opts, err := a.storeOptions()
	if err != nil {
		return nil, err
	}
	opts.ReadOnly, opts.LockTimeout = true, completionLockTimeout
	st, err := store.Open(path, opts)
	if err != nil {
		return nil, err
	}
	a.st, a.write = st, false
	return st, nil
}

// hasPrefixFold reports whether s starts with prefix, ignoring case and
// accents the way search does.
func hasPrefixFold(s, prefix string) bool {
	return strings.HasPrefix(model.Fold(s), model.Fold(prefix))
}

// looksLikeIDPrefix reports whether s can be the start of an id: ids are
// ULIDs (Crockford base32, first character 0-7).
func looksLikeIDPrefix(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '7' {
		return false
	}
	for _, r := range strings.ToUpper(s) {
		if !strings.ContainsRune("0123456789ABCDEFGHJKMNPQRSTVWXYZ", r) {
			return false
		}
	}
	return true
}

// byName completes record names: each name once, described by describe
// when one record has it and by the count when several do (the shell
// would insert the name either way; an ambiguous name then lists the ids).
// ids come in name order, so the records that share a name are together
// and the walk ends at the first name past the limit.
func byName(tx *store.Tx, e model.Entity, ids []model.ID, prefix string, describe func(model.ID) string) []cobra.Completion {
	var names []string
	seen := map[string][]model.ID{}
	for _, id := range ids {
		name := tx.Name(e, id)
		if name == "" || !hasPrefixFold(name, prefix) {
			continue
		}
		if _, ok := seen[name]; !ok {
			if len(names) == completionLimit {
				break
			}
			names = append(names, name)
		}
		seen[name] = append(seen[name], id)
	}
	out := make([]cobra.Completion, 0, len(names))
	for _, name := range names {
		desc := fmt.Sprintf("%d×", len(seen[name]))
		if len(seen[name]) == 1 {
			desc = describe(seen[name][0])
		}
		out = append(out, cobra.CompletionWithDesc(name, desc))
	}
	return out
}

// byID completes ids that start with prefix, described by the record's
// name.
func byID(tx *store.Tx, e model.Entity, ids []model.ID, prefix string) []cobra.Completion {
	prefix = strings.ToUpper(prefix)
	var out []cobra.Completion
	for _, id := range ids {
		if s := id.String(); strings.HasPrefix(s, prefix) {
			out = append(out, cobra.CompletionWithDesc(s, tx.Name(e, id)))
			if len(out) == completionLimit {
				break
			}
		}
	}
	return out
}

func contactCandidates(_ *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	if looksLikeIDPrefix(prefix) {
		return byID(tx, model.EntityContact, tx.ContactIDs(store.ContactQuery{}), prefix)
	}
	return byName(tx, model.EntityContact, tx.ContactIDs(store.ContactQuery{Search: prefix}), prefix, func(id model.ID) string {
		c, err := tx.Contact(id)
		if err != nil {
			return ""
		}
		var parts []string
		if co := tx.Name(model.EntityCompany, c.CompanyID); co != "" {
			parts = append(parts, co)
		}
		if len(c.Emails) > 0 {
			parts = append(parts, c.Emails[0].Address)
		} else if len(c.Phones) > 0 {
			parts = append(parts, c.Phones[0].Number)
		}
		return strings.Join(parts, " · ")
	})
}

func companyCandidates(_ *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	list, err := tx.Companies(store.CompanyQuery{Search: searchFor(prefix)})
	if err != nil {
		return nil
	}
	return records(tx, model.EntityCompany, list, companyID, prefix, func(c model.Company) string {
		return strings.Join(nonEmpty(c.Domain, c.Industry), " · ")
	})
}

func dealCandidates(_ *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	list, err := tx.Deals(store.DealQuery{Search: searchFor(prefix)})
	if err != nil {
		return nil
	}
	return records(tx, model.EntityDeal, list, dealID, prefix, func(d model.Deal) string {
		return strings.Join(nonEmpty(d.Stage, d.Value.Format(), tx.Name(model.EntityContact, d.ContactID)), " · ")
	})
}

// taskCandidates offers the open follow-ups: a title names only an open
// one (store.Tx.ResolveTask).
func taskCandidates(a *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	list, err := tx.Tasks(store.TaskQuery{}, a.now())
	if err != nil {
		return nil
	}
	return records(tx, model.EntityTask, list, func(t model.Task) model.ID { return t.ID }, prefix, func(t model.Task) string {
		return strings.Join(nonEmpty(fmtDue(t.Due), tx.Name(model.EntityContact, t.ContactID)), " · ")
	})
}

// searchFor is the search that finds the records whose names start with
// prefix: none (all records) for an id.
func searchFor(prefix string) string {
	if looksLikeIDPrefix(prefix) {
		return ""
	}
	return strings.TrimSpace(prefix)
}

// records completes the records of list: their ids when prefix starts
// one, else their names, described by describe.
func records[T any](tx *store.Tx, e model.Entity, list []T, idOf func(T) model.ID, prefix string, describe func(T) string) []cobra.Completion {
	ids := make([]model.ID, len(list))
	byIDs := make(map[model.ID]T, len(list))
	for i, r := range list {
		ids[i] = idOf(r)
		byIDs[ids[i]] = r
	}
	if looksLikeIDPrefix(prefix) {
		return byID(tx, e, ids, prefix)
	}
	return byName(tx, e, ids, prefix, func(id model.ID) string { return describe(byIDs[id]) })
}

// completeComplaints offers the open complaints, newest first.
func complaintCandidates(_ *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	list, err := tx.Activities(store.ActivityQuery{Kind: model.KindComplaint})
	if err != nil {
		return nil
	}
	list = slices.DeleteFunc(list, func(act model.Activity) bool {
		return act.State != model.ComplaintOpen || !strings.HasPrefix(act.ID.String(), strings.ToUpper(prefix))
	})
	return describeActivities(tx, list)
}

// completeActivities offers the latest activities, newest first.
func activityCandidates(_ *app, _ *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	q := store.ActivityQuery{}
	if prefix == "" {
		q.Limit = completionLimit
	}
	list, err := tx.Activities(q)
	if err != nil {
		return nil
	}
	list = slices.DeleteFunc(list, func(act model.Activity) bool {
		return !strings.HasPrefix(act.ID.String(), strings.ToUpper(prefix))
	})
	return describeActivities(tx, list)
}

func describeActivities(tx *store.Tx, list []model.Activity) []cobra.Completion {
	out := make([]cobra.Completion, 0, min(len(list), completionLimit))
	for _, act := range list[:min(len(list), completionLimit)] {
		body := act.Body
		if r := []rune(body); len(r) > 40 {
			body = string(r[:39]) + "…"
		}
		desc := strings.Join(nonEmpty(fmtTime(act.At), act.Kind, tx.Name(model.EntityContact, act.ContactID), body), " · ")
		out = append(out, cobra.CompletionWithDesc(act.ID.String(), desc))
	}
	return out
}

// completeStages offers the pipeline's stage keys from config.toml; it
// needs no database.
func stageCandidates(a *app, _ *cobra.Command, _ *store.Tx, prefix string) []cobra.Completion {
	cfg, err := a.config()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, s := range cfg.Stages {
		if hasPrefixFold(s.Key, prefix) {
			out = append(out, cobra.CompletionWithDesc(s.Key, fmt.Sprintf("%s · %d%%", s.Label, s.Probability)))
		}
	}
	return out
}

// completeTags offers the tags in use on the records of the command's
// group (all records elsewhere), most used first.
func tagCandidates(_ *app, cmd *cobra.Command, tx *store.Tx, prefix string) []cobra.Completion {
	entities := map[string][]model.Entity{
		"contact": {model.EntityContact}, "company": {model.EntityCompany}, "deal": {model.EntityDeal},
	}[topLevel(cmd)]
	if entities == nil {
		entities = []model.Entity{model.EntityContact, model.EntityCompany, model.EntityDeal}
	}
	counts := map[string]int{}
	for _, e := range entities {
		for tag, n := range tx.Tags(e) {
			counts[tag] += n
		}
	}
	tags := slices.SortedFunc(func(yield func(string) bool) {
		for t := range counts {
			if hasPrefixFold(t, prefix) && !yield(t) {
				return
			}
		}
	}, func(x, y string) int { return cmp.Or(cmp.Compare(counts[y], counts[x]), cmp.Compare(x, y)) })
	out := make([]cobra.Completion, 0, len(tags))
	for _, t := range tags[:min(len(tags), completionLimit)] {
		out = append(out, cobra.CompletionWithDesc(t, fmt.Sprintf("%d×", counts[t])))
	}
	return out
}

// completeWords offers a fixed list.
func completeWords(words []string) completer {
	return completer{list: func(_ *app, _ *cobra.Command, _ *store.Tx, prefix string) []cobra.Completion {
		var out []cobra.Completion
		for _, w := range words {
			if strings.HasPrefix(w, strings.ToLower(prefix)) {
				out = append(out, w)
			}
		}
		return out
	}}
}

func nonEmpty(parts ...string) []string {
	return slices.DeleteFunc(parts, func(s string) bool { return s == "" })
}
