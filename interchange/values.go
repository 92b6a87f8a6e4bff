package interchange

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/model"
)

// placeholders are what people type in a cell that has no value.
var placeholders = map[string]bool{
	"-": true, "--": true, "—": true, "n/a": true, "null": true, "none": true, "nil": true,
	"无": true, "暂无": true, "空": true, "未知": true,
}

// noDates are the empty dates exports write (Outlook's "0/0/00"): no
// value even in a custom field.
var noDates = map[string]bool{"0/0/00": true, "00/00/00": true, "00/00/0000": true, "0000-00-00": true}

// isPlaceholder reports whether v means "no value".
func isPlaceholder(v string) bool {
	return len(v) <= 10 && (placeholders[strings.ToLower(v)] || noDates[v]) // the longest is 10 bytes
}

// splitList splits a cell holding several values: Google's " ::: ", and
// the commas, semicolons, Chinese commas, bars and line breaks people use.
func splitList(v string, extra ...rune) []string {
	v = strings.ReplaceAll(v, " ::: ", "\n")
	parts := strings.FieldsFunc(v, func(r rune) bool {
		switch r {
		case ',', ';', '，', '；', '、', '|', '\n', '\r':
			return true
		}
		for _, e := range extra {
			if r == e {
				return true
			}
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !isPlaceholder(p) {
			out = append(out, p)
		}
	}
	return out
}

// splitInlineLabel splits "work:maria@acme.com" or "mobile:+86 138..." (as
// rolo's CSV and --email write them) into label and value. A URI scheme
// (mailto:, tel:) is dropped, not taken as a label; text before a colon
// that has no letter or looks like part of an address or number is no
// label.
func splitInlineLabel(s string) (label, value string) {
	l, v, ok := strings.Cut(s, ":")
	l = strings.TrimSpace(l)
	if !ok || l == "" || strings.HasPrefix(v, "//") || strings.ContainsAny(l, "@+/()") || !strings.ContainsFunc(l, unicode.IsLetter) {
		return "", strings.TrimSpace(s)
	}
	switch strings.ToLower(l) {
	case "mailto", "tel", "sip", "callto":
		return "", strings.TrimSpace(v)
	}
	return l, strings.TrimSpace(v)
}

// emailsIn reads the addresses of a cell: plain, labelled ("work:a@b"),
// or with display names ("Maria Garcia <maria@acme.com>").
func emailsIn(v string) ([]model.Email, error) {
	var out []model.Email
	if strings.Contains(v, "<") {
		list, err := mail.ParseAddressList(v)
		if err == nil {
			for _, a := range list {
				out = append(out, model.Email{Address: a.Address})
			}
			return out, nil
		}
	}
	for _, part := range splitList(v, ' ', '\t', '/') {
		label, addr := splitInlineLabel(part)
		out = append(out, model.Email{Address: addr, Label: label})
	}
	for i, e := range out {
		n, err := model.NormalizeEmail(e.Address)
		if err != nil {
			return nil, err
		}
		out[i].Address = n
	}
	return out, nil
}

// excelNumber matches a number Excel turned into scientific notation.
var excelNumber = regexp.MustCompile(`^\d(\.\d+)?[eE]\+\d+$`)

// phonesIn reads the numbers of a cell. Several numbers are split at the
// usual separators, and at "/" only between two whole numbers
// ("13800138000/13900139000"), not in "0755-1234/5678".
func phonesIn(v string) ([]model.Phone, error) {
	var out []model.Phone
	for _, part := range splitList(v) {
		pieces := strings.Split(part, "/")
		whole := len(pieces) > 1
		for _, p := range pieces {
			whole = whole && len(model.PhoneDigits(p)) >= 7
		}
		if !whole {
			pieces = []string{part}
		}
		for _, p := range pieces {
			label, num := splitInlineLabel(strings.TrimSpace(p))
			num = strings.TrimPrefix(num, "'") // Excel's "keep as text" mark
			if excelNumber.MatchString(num) {
				return nil, &model.FieldError{Field: "phone", Value: num,
					Reason: "Excel turned this number into scientific notation and lost its digits; format the column as text and export again"}
			}
			num = strings.TrimSuffix(num, ".0") // a number Excel saved as a float
			if model.PhoneDigits(num) == "" {
				return nil, noDigits(num)
			}
			out = append(out, model.Phone{Number: num, Label: label})
		}
	}
	return out, nil
}

// labelOf puts an email, phone or address label in rolo's words: lower
// case, Google's "* " (primary) mark dropped, the common synonyms unified.
func labelOf(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "*")))
	switch s {
	case "cell", "cellular", "mobile phone", "iphone", "手机", "移动电话":
		return "mobile"
	case "business", "office", "工作", "公司", "单位", "办公":
		return "work"
	case "家庭", "住宅", "家":
		return "home"
	case "internet", "pref", "voice", "smtp", "x400", "other (custom)":
		return ""
	}
	return s
}

// tagsIn reads a tags cell. Google's system groups are dropped
// ("* myContacts" is on every contact) or lose their mark ("* starred").
func tagsIn(v string) []string {
	var out []string
	for _, t := range splitList(v) {
		if strings.HasPrefix(t, "* ") {
			t = strings.TrimSpace(t[2:])
			if strings.EqualFold(t, "myContacts") || strings.EqualFold(t, "My Contacts") {
				continue
			}
		}
		if strings.EqualFold(t, "My Contacts") || strings.EqualFold(t, "System Group: My Contacts") {
			continue // the legacy export's name for the same group
		}
		out = append(out, t)
	}
	return out
}

// composeName builds a full name from its parts: family name first with
// no space for Chinese names (张 + 伟 is 张伟), given name first otherwise.
func composeName(first, middle, last string) string {
	if hasHan(first+last) && !hasLatin(first+middle+last) {
		return last + middle + first
	}
	var parts []string
	for _, p := range []string{first, middle, last} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}
func hasLatin(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x250 && unicode.IsLetter(r) })
}

// errNoYear marks a birthday given without its year ("--04-02").
var errNoYear = fmt.Errorf("no year")

// dateLayouts are the day formats files use, tried in order. Slashed
// dates are read month first (as Outlook and Google write them) unless
// the first number cannot be a month.
var dateLayouts = []string{
	"2006-01-02", "2006/01/02", "2006.01.02", "20060102", "2006-1-2", "2006/1/2", "2006.1.2",
	"2006年1月2日", "2006年01月02日", "January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006",
	"Jan 2 2006", "02-Jan-2006",
}

// parseDay reads a calendar day. A day without a year returns errNoYear.
func parseDay(v string) (model.Date, error) {
	v = strings.TrimSpace(v)
	if d, rest, ok := strings.Cut(v, "T"); ok && len(d) == 10 && rest != "" {
		v = d // a timestamp: its day
	} else if d, _, ok := strings.Cut(v, " "); ok && len(d) == 10 && strings.Count(d, "-") == 2 {
		v = d
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return model.DateOf(t), nil
		}
	}
	if d, ok := slashedDay(v); ok {
		return d, nil
	}
	if strings.HasPrefix(v, "--") || monthDay.MatchString(v) {
		return model.Date{}, errNoYear
	}
	return model.Date{}, &model.FieldError{Field: "date", Value: v, Reason: "not a date (write it as YYYY-MM-DD)"}
}

var monthDay = regexp.MustCompile(`^\d{1,2}月\d{1,2}日$`)

var slashed = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$`)

// slashedDay reads 4/2/1985 (month first) and 25/12/1985 or 25.12.1985
// (day first, when the first number cannot be a month or dots are used).
func slashedDay(v string) (model.Date, bool) {
	m := slashed.FindStringSubmatch(v)
	if m == nil {
		return model.Date{}, false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		y += 1900
		if y+100 <= time.Now().Year() {
			y += 100
		}
	}
	month, day := a, b
	if a > 12 || strings.Contains(v, ".") {
		month, day = b, a
	}
	t := time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || t.Day() != day {
		return model.Date{}, false
	}
	return model.DateOf(t), true
}

// timeLayouts are the timestamp formats files use; those without a zone
// are read in the local time zone.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05",
	"2006/01/02 15:04", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006 3:04 PM", "2006-01-02 3:04 PM",
	"2006-01-02T15:04:05.000Z0700", "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700",
}

// parseTime reads a moment: RFC 3339, the usual date-time layouts, Unix
// milliseconds (HubSpot), or a bare day (midnight local time).
func parseTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, v, time.Local); err == nil {
			return t.UTC(), nil
		}
	}
	if len(v) == 13 && strings.Trim(v, "0123456789") == "" {
		ms, _ := strconv.ParseInt(v, 10, 64)
		return time.UnixMilli(ms).UTC(), nil
	}
	if d, err := parseDay(v); err == nil {
		return d.In(time.Local).UTC(), nil
	}
	return time.Time{}, &model.FieldError{Field: "time", Value: v, Reason: "not a date and time (write it as 2006-01-02 15:04 or RFC 3339)"}
}

// lifecycleWords maps the lifecycle names other tools and people use to
// rolo's stages (HubSpot's lifecycle stages, the Chinese names).
var lifecycleWords = map[string]string{
	"subscriber": model.LifecycleLead, "lead": model.LifecycleLead, "marketingqualifiedlead": model.LifecycleLead,
	"marketing qualified lead": model.LifecycleLead, "salesqualifiedlead": model.LifecycleLead,
	"sales qualified lead": model.LifecycleLead, "mql": model.LifecycleLead, "sql": model.LifecycleLead,
	"opportunity": model.LifecycleExploration, "customer": model.LifecycleFormation,
	"evangelist": model.LifecycleStability, "former customer": model.LifecycleChurned, "churned": model.LifecycleChurned,
	"潜在客户": model.LifecycleLead, "线索": model.LifecycleLead, "考察期": model.LifecycleExploration,
	"形成期": model.LifecycleFormation, "稳定期": model.LifecycleStability, "退化期": model.LifecycleDecline,
	"流失": model.LifecycleChurned, "已流失": model.LifecycleChurned,
}

// lifecycleOf returns rolo's lifecycle stage for v, or v itself (which
// validation then refuses, naming the stages).
func lifecycleOf(v string) string {
	k := strings.ToLower(strings.TrimSpace(v))
	if model.IsLifecycleStage(k) {
		return k
	}
	if s, ok := lifecycleWords[k]; ok {
		return s
	}
	return v
}

// stageWords maps the stage names of other CRMs' default pipelines
// (Pipedrive, HubSpot, Salesforce) and common Chinese ones to the keys of
// rolo's default pipeline.
var stageWords = map[string]string{
	"lead in": "lead", "new": "lead", "appointment scheduled": "lead", "appointmentscheduled": "lead",
	"prospecting": "lead", "线索": "lead", "潜在": "lead", "初步接触": "lead", "初步接洽": "lead",
	"contact made": "qualified", "qualified to buy": "qualified", "qualifiedtobuy": "qualified",
	"needs defined": "qualified", "needs analysis": "qualified", "qualification": "qualified",
	"demo scheduled": "qualified", "需求确认": "qualified", "需求分析": "qualified",
	"proposal made": "proposal", "presentation scheduled": "proposal", "presentationscheduled": "proposal",
	"proposal/price quote": "proposal", "value proposition": "proposal", "方案报价": "proposal", "报价": "proposal", "方案": "proposal",
	"negotiations started": "negotiation", "negotiation/review": "negotiation", "decision maker bought-in": "negotiation",
	"decisionmakerboughtin": "negotiation", "contract sent": "negotiation", "contractsent": "negotiation",
	"商务谈判": "negotiation", "谈判": "negotiation",
	"closed won": "won", "closedwon": "won", "赢单": "won", "成交": "won", "已成交": "won",
	"closed lost": "lost", "closedlost": "lost", "输单": "lost", "丢单": "lost",
}

// stageOf finds the pipeline stage a file's stage and status mean: the
// status won or lost decides (Pipedrive keeps the last open stage of a
// won deal); else a stage key or label of the pipeline; else a known
// name of another CRM's stage, when the pipeline has rolo's default key.
func stageOf(p model.Pipeline, stage, status string) (model.Stage, error) {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "won", "赢单", "成交":
		return p.WonStage(), nil
	case "lost", "输单", "丢单":
		return p.LostStage(), nil
	case "", "open", "进行中", "deleted":
	default:
		return model.Stage{}, &model.FieldError{Field: "status", Value: status, Reason: "one of open, won, lost"}
	}
	stage = strings.TrimSpace(stage)
	if stage == "" {
		return p.First(), nil
	}
	if s, ok := p.Stage(stage); ok {
		return s, nil
	}
	for _, s := range p.Stages {
		if strings.EqualFold(s.Label, stage) {
			return s, nil
		}
	}
	if key, ok := stageWords[strings.ToLower(stage)]; ok {
		if s, ok := p.Stage(key); ok {
			return s, nil
		}
	}
	return model.Stage{}, &model.FieldError{Field: "stage", Value: stage,
		Reason: "not a stage of the pipeline (" + strings.Join(p.Keys(), ", ") + "); add it to config.toml or change the file"}
}

// probabilityOf reads "40", "40%" or "0.4".
func probabilityOf(v string) (int, error) {
	v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	f, err := strconv.ParseFloat(v, 64)
	if err == nil && f > 0 && f < 1 && strings.Contains(v, ".") {
		f *= 100
	}
	if err != nil || f < 0 || f > 100 {
		return 0, &model.FieldError{Field: "probability", Value: v, Reason: "a percentage from 0 to 100"}
	}
	return int(f + 0.5), nil
}

// noDigits refuses a phone number without a digit.
func noDigits(num string) error {
	return &model.FieldError{Field: "phone", Value: num, Reason: i18n.English.T("model.phone.nodigits"), Key: "model.phone.nodigits"}
}
