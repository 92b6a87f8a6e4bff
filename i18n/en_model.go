package i18n

func init() { add(English, enModel) }

// enModel holds the model's validation errors: how a FieldError reads,
// the names of the fields and the reasons a value is refused. The English
// field names are the names the model gives the fields.
var enModel = map[string]string{
	"model.error.quoted": "%s %q: %s", // field, value, reason
	"model.error":        "%s: %s",    // field (or value), reason
	"model.untranslated": "%s",        // a reason given in English only

	"model.field.amount":      "amount",
	"model.field.at":          "at",
	"model.field.birthday":    "birthday",
	"model.field.closed_at":   "closed_at",
	"model.field.company":     "company",
	"model.field.contact":     "contact",
	"model.field.currency":    "currency",
	"model.field.date":        "date",
	"model.field.direction":   "direction",
	"model.field.domain":      "domain",
	"model.field.due":         "due",
	"model.field.email":       "email",
	"model.field.entity":      "entity",
	"model.field.kind":        "kind",
	"model.field.lifecycle":   "lifecycle",
	"model.field.name":        "name",
	"model.field.phone":       "phone",
	"model.field.priority":    "priority",
	"model.field.probability": "probability",
	"model.field.repeat":      "repeat",
	"model.field.resolved_at": "resolved_at",
	"model.field.score":       "score",
	"model.field.stage":       "stage",
	"model.field.stages":      "stages",
	"model.field.state":       "state",
	"model.field.status":      "status",
	"model.field.title":       "title",

	"model.oneof":   "one of %s",
	"model.percent": "must be between 0 and 100",

	"model.activity.at":    "an activity needs a time",
	"model.activity.link":  "an activity must be linked to a contact, a deal or a company",
	"model.score.needed":   "feedback needs a score from 0 to 10",
	"model.score.range":    "must be from 0 to 10",
	"model.score.only":     "only feedback carries a score",
	"model.state.only":     "only a complaint has a state",
	"model.resolved.only":  "only a complaint is resolved",
	"model.resolved.time":  "a resolved complaint needs its resolution time",
	"model.resolved.early": "a complaint cannot be resolved before it was made",
	"model.resolve.only":   "only a complaint can be resolved",

	"model.stage.word":    "a stage key must be one word",
	"model.stage.twice":   "appears twice",
	"model.stage.wonlost": "cannot be both won and lost",
	"model.stages.needed": "need at least one open stage, one won stage and one lost stage",
	"model.stage.unknown": "unknown stage; one of %s",

	"model.contact.name":      "a contact needs a name",
	"model.lifecycle.unknown": "unknown lifecycle stage; one of %s",
	"model.email.invalid":     "not a valid email address",
	"model.email.nodot":       "the domain has no dot",
	"model.phone.nodigits":    "has no digits",

	"model.company.name":   "a company needs a name",
	"model.domain.invalid": "not a domain name",

	"model.deal.title":      "a deal needs a title",
	"model.deal.closed":     "a won or lost deal needs a close time",
	"model.currency.code":   "not an ISO 4217 code such as CNY or USD",
	"model.currency.needed": "an amount needs a currency and no default currency is configured",
	"model.currency.none":   "no currency given and no default currency configured",
	"model.amount.negative": "cannot be negative",
	"model.amount.empty":    "is empty",
	"model.amount.nonumber": "has no number",
	"model.amount.nan":      "is not a number",
	"model.amount.decimals": "has more decimals than the currency allows (%d)",
	"model.amount.large":    "is too large",
	"model.amount.grouping": "has misplaced digit grouping",

	"model.task.title":  "a task needs a title",
	"model.repeat.rule": "not a repeat rule",
	"model.repeat.due":  "a repeating task needs a due date",
	"model.repeat.use":  `use daily, weekly, monthly, yearly, weekdays or "every N days|weeks|months|years"`,

	// model.due.hint follows every reason a due date is refused, to show
	// forms that do work.
	"model.due.hint":      "%s; try 2026-12-01, 2026-12-01 15:00, tomorrow 3pm, next friday, in 3 days, 明天下午3点 or 下周五",
	"model.due.empty":     "empty",
	"model.due.long":      "too long",
	"model.due.far":       "too far from today",
	"model.due.notwhen":   "not a date or time",
	"model.due.nosuchday": "no such day",

	"model.date.invalid": "not a date of the form YYYY-MM-DD",
}
