package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// person is a planned contact, kept while the deals, tasks and activities
// that refer to it are made.
type person struct {
	id       model.ID
	born     time.Time // raw creation time
	group    *nameGroup
	firm     int // index into generator.firms, or -1
	firmID   model.ID
	short    string // the company as people call it, or the person's name
	name     string
	family   string // 张, García
	given    string // 伟, José
	familyPY string // ASCII for email addresses: zhang, garcia
	givenPY  string // wei, jose
	source   string
	owner    string
	weight   float64   // how much this customer buys
	deals    []int32   // indexes into generator.deals
	quiet    time.Time // raw: no activity after this (zero: still in touch)
}

var (
	cnTitles = newWeighted(w[string]{"销售经理", 4}, w[string]{"采购经理", 5}, w[string]{"采购总监", 3},
		w[string]{"总经理", 3}, w[string]{"技术总监", 2}, w[string]{"财务经理", 2}, w[string]{"项目经理", 3},
		w[string]{"市场总监", 2}, w[string]{"行政主管", 1}, w[string]{"工程师", 2}, w[string]{"董事长", 1},
		w[string]{"CTO", 1}, w[string]{"CEO", 1}, w[string]{"IT 主管", 1}, w[string]{"运营总监", 1})
	enTitles = newWeighted(w[string]{"Procurement Manager", 4}, w[string]{"Head of Ops", 3}, w[string]{"CTO", 2},
		w[string]{"CEO", 2}, w[string]{"VP Sales", 2}, w[string]{"Operations Director", 2}, w[string]{"IT Manager", 3},
		w[string]{"Buyer", 3}, w[string]{"Founder", 1}, w[string]{"Office Manager", 1}, w[string]{"Engineer", 2},
		w[string]{"Finance Director", 1}, w[string]{"Head of Purchasing", 2}, w[string]{"Project Manager", 2})
	cnTags = newWeighted(w[string]{"vip", 3}, w[string]{"重点客户", 4}, w[string]{"partner", 2}, w[string]{"reseller", 2},
		w[string]{"trade-show", 3}, w[string]{"老客户", 3}, w[string]{"决策人", 2}, w[string]{"newsletter", 2}, w[string]{"价格敏感", 1})
	enTags = newWeighted(w[string]{"vip", 3}, w[string]{"partner", 3}, w[string]{"reseller", 2}, w[string]{"trade-show", 3},
		w[string]{"newsletter", 3}, w[string]{"decision-maker", 2}, w[string]{"champion", 1}, w[string]{"key-account", 2})
	cnSources = newWeighted(w[string]{"referral", 4}, w[string]{"website", 3}, w[string]{"展会", 4},
		w[string]{"cold call", 2}, w[string]{"wechat", 4}, w[string]{"老客户介绍", 2})
	enSources = newWeighted(w[string]{"referral", 4}, w[string]{"website", 4}, w[string]{"trade-show", 3},
		w[string]{"cold call", 2}, w[string]{"linkedin", 3}, w[string]{"inbound", 2})
)

// planPeople draws the contacts, half with Chinese names, and links most
// of them to a company in their language.
func (g *generator) planPeople() {
	r := g.rng
	var cnPool, enPool []int
	for i, f := range g.firms {
		if f.chinese {
			cnPool = append(cnPool, i)
		} else {
			enPool = append(enPool, i)
		}
	}
	firmWeight := func(pool []int) picker {
		return newPicker(len(pool), func(i int) float64 { return damp(g.firms[pool[i]].weight) })
	}
	cnPick, enPick := firmWeight(cnPool), firmWeight(enPool)

	g.people = make([]person, g.sizes.Contacts)
	for i := range g.people {
		p := &g.people[i]
		if i < len(featured) {
			g.featuredName(p, i)
		} else {
			g.randomName(p)
		}
		p.firm = -1
		pool, pick := enPool, enPick
		if p.chinese() {
			pool, pick = cnPool, cnPick
		}
		if chance(r, 0.85) {
			p.firm = pool[pick.pick(r)]
		}
		g.placePerson(p)
	}
	sortBy(g.people, func(p *person) time.Time { return p.born })
	for i := range g.people {
		p := &g.people[i]
		p.id = g.ids.New(g.clock(p.born))
		if p.firm >= 0 {
			p.firmID = g.firms[p.firm].rec.ID
		}
	}
}

// damp flattens a weight: big companies have more contacts, but not in
// proportion to what they buy.
func damp(x float64) float64 { return x / (1 + x/4) }

func (g *generator) featuredName(p *person, i int) {
	f := featured[i]
	p.group = groupByKey(f.group)
	p.family, p.given = f.family, f.given
	if f.group == groupCN {
		p.familyPY, p.givenPY = pinyinOf(chineseSurnames, f.family), pinyinOf(chineseGivenNames, f.given)
		p.name = f.family + f.given
		return
	}
	p.familyPY, p.givenPY = ascii(f.family), ascii(f.given)
	p.name = f.given + " " + f.family
}

func (g *generator) randomName(p *person) {
	r := g.rng
	if chance(r, 0.5) {
		p.group = chineseGroup
		s, n := chineseSurnames.draw(r), chineseGivenNames.draw(r)
		p.family, p.given, p.familyPY, p.givenPY = s.han, n.han, s.pinyin, n.pinyin
		p.name = s.han + n.han
		return
	}
	p.group = foreignGroups.draw(r)
	p.family, p.given = p.group.lasts.draw(r), oneOf(r, p.group.firsts)
	p.familyPY, p.givenPY = ascii(p.family), ascii(p.given)
	if p.group.key == groupES && chance(r, 0.3) {
		p.family += " " + p.group.lasts.draw(r) // Spanish people carry both surnames
	}
	p.name = p.given + " " + p.family
}

// placePerson sets when the contact was added, its owner and how much it
// buys.
func (g *generator) placePerson(p *person) {
	r := g.rng
	p.born = recent(r, g.now.AddDate(-3, 0, 0), g.now.Add(-time.Hour), 1.4)
	p.weight = pareto(r, 1.6, 30) * lognormal(r, 1, 0.4)
	sources, reps := enSources, englishReps
	if p.chinese() {
		sources = cnSources
		if chance(r, 0.9) {
			reps = chineseReps
		}
	}
	p.source = sources.draw(r)
	p.owner = reps.draw(r)
	p.short = p.name
	if p.firm < 0 {
		return
	}
	f := &g.firms[p.firm]
	p.short = f.short
	p.weight = f.weight * lognormal(r, 1, 0.4)
	if p.born.Before(f.born) {
		p.born = between(r, f.born, g.now.Add(-time.Hour))
	}
	if chance(r, 0.75) {
		p.owner = f.rec.Owner
	}
}

// contact makes the contact record of p.
func (g *generator) contact(p *person) model.Contact {
	r := g.rng
	c := model.Contact{
		ID:        p.id,
		Name:      p.name,
		CompanyID: p.firmID,
		Source:    p.source,
		Owner:     p.owner,
		Tags:      []string{},
		CreatedAt: g.clock(p.born),
	}
	var f *firm
	if p.firm >= 0 {
		f = &g.firms[p.firm]
	}
	g.addEmails(&c, p, f)
	c.Phones = []model.Phone{typed(p.group.phone(r), "mobile")}
	if chance(r, 0.3) {
		if f != nil {
			c.Phones = append(c.Phones, typed(landline(r, f.place), "work")) // a direct line
		} else {
			c.Phones = append(c.Phones, typed(p.group.phone(r), "other"))
		}
	}
	titles, tags := enTitles, enTags
	if p.chinese() {
		titles, tags = cnTitles, cnTags
	}
	if chance(r, 0.9) {
		c.Title = titles.draw(r)
	}
	for range max(r.IntN(4)-r.IntN(2), 0) { // none or one, sometimes more
		c.Tags = append(c.Tags, tags.draw(r))
	}
	if chance(r, 0.2) {
		c.Birthday = model.Date{Year: 1962 + r.IntN(40), Month: time.Month(1 + r.IntN(12)), Day: 1 + r.IntN(28)}
	}
	switch {
	case f != nil && !f.rec.Address.IsZero() && chance(r, 0.25):
		a := f.rec.Address
		a.Label = "work"
		c.Addresses = []model.Address{a}
	case chance(r, 0.1):
		c.Addresses = []model.Address{oneOf(r, p.group.place).address(r, "home")}
	}
	g.addExtras(&c, p)
	return c
}

// addEmails gives the contact one or two addresses no other contact has:
// a work one at the company's domain and a personal one.
func (g *generator) addEmails(c *model.Contact, p *person, f *firm) {
	r := g.rng
	work := f != nil && chance(r, 0.8)
	if work {
		c.Emails = append(c.Emails, model.Email{Address: g.unique(g.workLocal(p), f.rec.Domain), Label: "work"})
	}
	if !work || chance(r, 0.35) {
		domain := oneOf(r, p.group.personal)
		local := g.personalLocal(p)
		if domain == "qq.com" && chance(r, 0.6) {
			local = fmt.Sprint(10000000 + r.IntN(2000000000)) // a QQ number
		}
		c.Emails = append(c.Emails, model.Email{Address: g.unique(local, domain), Label: "personal"})
	}
}

func (g *generator) workLocal(p *person) string {
	f, n := p.familyPY, p.givenPY
	if p.chinese() { // zhang.wei, zhangwei, wei.zhang, zhangw
		return oneOf(g.rng, []string{f + "." + n, f + "." + n, f + n, n + "." + f, f + n[:1]})
	}
	return oneOf(g.rng, []string{n + "." + f, n + "." + f, n, n[:1] + f, n + f[:1]}) // jose.garcia, jose, jgarcia, joseg
}

func (g *generator) personalLocal(p *person) string {
	r := g.rng
	switch r.IntN(4) {
	case 0:
		return p.familyPY + "." + p.givenPY + fmt.Sprint(r.IntN(100))
	case 1:
		return p.familyPY + p.givenPY + fmt.Sprint(1970+r.IntN(35))
	case 2:
		return p.givenPY + "_" + p.familyPY
	}
	return p.givenPY + p.familyPY
}

// unique returns local@domain, numbered when another contact has it.
func (g *generator) unique(local, domain string) string {
	addr := local + "@" + domain
	for n := 10; g.emails[addr]; n *= 10 {
		addr = local + fmt.Sprint(g.rng.IntN(n)) + "@" + domain
	}
	g.emails[addr] = true
	return addr
}

// addExtras adds what only some contacts have: a WeChat id, a profile
// link, custom fields.
func (g *generator) addExtras(c *model.Contact, p *person) {
	r := g.rng
	if p.chinese() {
		if chance(r, 0.2) {
			c.Custom = map[string]string{"wechat": oneOf(r, []string{p.familyPY + p.givenPY, p.givenPY + "_" + p.familyPY, "wxid_" + digits(r, 8)}) + digits(r, 2)}
		}
		if chance(r, 0.05) {
			if c.Custom == nil {
				c.Custom = map[string]string{}
			}
			c.Custom["qq"] = fmt.Sprint(10000000 + r.IntN(2000000000))
		}
		return
	}
	if chance(r, 0.12) {
		c.Links = []string{"https://www.linkedin.com/in/" + p.givenPY + "-" + p.familyPY + "-" + digits(r, 3)}
	}
	if chance(r, 0.05) {
		c.Custom = map[string]string{"assistant": oneOf(r, p.group.firsts) + " " + p.group.lasts.draw(r)}
	}
}

// ascii spells a name in lower-case ASCII letters for an email address:
// "O'Brien" is obrien, "Müller" muller.
func ascii(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, model.Fold(name))
}
