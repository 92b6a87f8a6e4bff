package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/rolo-crm/rolo/insight"
	"github.com/rolo-crm/rolo/model"
)

// Each report's page and the rows behind its bars. Every number comes
// from the insight package's reports; amounts are the charted currency's.

// detailRow is a labelled line below a chart.
func (v *reportsView) detailRow(label, value string) string {
	return "  " + v.sh.styles.Label.Render(fit(label, 16)) + " " + value
}

// money writes minor units of the charted currency compactly.
func (v *reportsView) money(minor int64) string {
	return model.Money{Minor: minor, Currency: v.currency}.Short()
}

// pct writes a fraction as a whole percentage, "—" for none.
func pct(f *float64) string {
	if f == nil {
		return "—"
	}
	return strconv.Itoa(int(*f*100+0.5)) + "%"
}

func (v *reportsView) pipelinePage(sel int) reportPage {
	sh, r := v.sh, v.deals.pipeline
	var totals []string
	for _, a := range r.Total.Amounts {
		totals = append(totals, a.Total.Short())
	}
	p := reportPage{ready: true, heading: joinNonEmpty(" · ", sh.T("tui.reports.pipeline.head", thousands(r.Total.Deals)), strings.Join(totals, " · "))}
	for _, st := range r.Stages {
		a := stageAmount(st.Amounts, v.currency)
		p.bars = append(p.bars, reportBar{key: st.Stage, label: sh.stageLabel(st.Stage), value: float64(a.Total.Minor),
			text: sh.lang.N("tui.reports.deals_amount", st.Deals, thousands(st.Deals), v.money(a.Total.Minor))})
	}
	if sel < 0 || sel >= len(r.Stages) {
		return p
	}
	st := r.Stages[sel]
	var amounts []string
	for _, a := range st.Amounts {
		amounts = append(amounts, sh.T("tui.reports.with_weighted", a.Total.Short(), a.Weighted.Short()))
	}
	days := "—"
	if st.AvgDaysInStage != nil {
		days = sh.T("tui.reports.days", strconv.FormatFloat(*st.AvgDaysInStage, 'f', 1, 64))
	}
	p.detail = []string{
		v.detailRow(sh.T("tui.reports.amounts"), strings.Join(amounts, " · ")),
		v.detailRow(sh.T("tui.reports.in_stage"), days),
		v.detailRow(sh.T("tui.reports.stuck"), sh.T("tui.reports.stuck.value", thousands(st.Stuck), r.StuckDays)),
		v.detailRow(sh.T("tui.reports.followups"), sh.T("tui.reports.followups.value", thousands(st.NoNextStep))),
	}
	return p
}

func stageAmount(list []insight.StageAmount, currency string) insight.StageAmount {
	for _, a := range list {
		if a.Currency == currency {
			return a
		}
	}
	return insight.StageAmount{}
}

func (v *reportsView) pipelineRows(stage string) []reportRow {
	var rows []reportRow
	for _, st := range v.deals.pipeline.Stages {
		if st.Stage != stage {
			continue
		}
		for _, d := range st.Items {
			info := joinNonEmpty(" · ", d.Customer.Name, v.sh.T("tui.reports.days", strconv.FormatFloat(d.DaysInStage, 'f', 0, 64)))
			rows = append(rows, reportRow{kind: model.EntityDeal, id: d.ID, name: d.Title, info: info, amount: d.Amount.Format()})
		}
	}
	return rows
}

// forecastBuckets are the forecast's months, then later, overdue and
// undated, each with its key.
func (v *reportsView) forecastBuckets() (keys []string, buckets [][]insight.DealLine) {
	r := v.deals.forecast
	for _, m := range r.Months {
		keys, buckets = append(keys, m.Month), append(buckets, m.Items)
	}
	keys = append(keys, "later", "overdue", "undated")
	return keys, append(buckets, r.Later.Items, r.Overdue, r.Undated)
}

// bucketLabel names a forecast bucket: a month ("Nov 2026") or later,
// overdue, undated.
func (v *reportsView) bucketLabel(k string) string {
	y, m, ok := strings.Cut(k, "-")
	if !ok {
		return v.sh.T("tui.reports.forecast." + k)
	}
	mon, _ := strconv.Atoi(m)
	return v.sh.T("tui.reports.month", v.sh.T("tui.month."+strconv.Itoa(mon)), y)
}

// forecastSums sums a bucket's deals in the charted currency: best case,
// commit and weighted, as the forecast report does per month.
func (v *reportsView) forecastSums(items []insight.DealLine) (best, commit, weighted int64) {
	for _, d := range items {
		if d.Currency != v.currency {
			continue
		}
		best += d.Amount.Minor
		weighted += d.Weighted.Minor
		if d.Probability >= v.deals.forecast.CommitProbability {
			commit += d.Amount.Minor
		}
	}
	return best, commit, weighted
}

func (v *reportsView) forecastPage(sel int) reportPage {
	sh, r := v.sh, v.deals.forecast
	p := reportPage{ready: true, heading: sh.T("tui.reports.forecast.head")}
	keys, buckets := v.forecastBuckets()
	for i, k := range keys {
		best, _, _ := v.forecastSums(buckets[i])
		p.bars = append(p.bars, reportBar{key: k, label: v.bucketLabel(k), value: float64(best),
			text: sh.lang.N("tui.reports.deals_amount", len(buckets[i]), thousands(len(buckets[i])), v.money(best))})
	}
	if sel < 0 || sel >= len(keys) {
		return p
	}
	best, commit, weighted := v.forecastSums(buckets[sel])
	p.detail = []string{
		v.detailRow(sh.T("tui.reports.best_case"), v.money(best)),
		v.detailRow(sh.T("tui.reports.commit", r.CommitProbability), v.money(commit)),
		v.detailRow(sh.T("tui.reports.weighted"), v.money(weighted)),
	}
	return p
}

func (v *reportsView) forecastRows(k string) []reportRow {
	keys, buckets := v.forecastBuckets()
	i := slices.Index(keys, k)
	if i < 0 {
		return nil
	}
	rows := make([]reportRow, 0, len(buckets[i]))
	for _, d := range buckets[i] {
		info := joinNonEmpty(" · ", d.Customer.Name, v.sh.stageLabel(d.Stage), v.sh.fmtDay(d.CloseDate))
		rows = append(rows, reportRow{kind: model.EntityDeal, id: d.ID, name: d.Title, info: info, amount: d.Amount.Format()})
	}
	return rows
}

// quarterLabel names a quarter key ("2026-Q1").
func (v *reportsView) quarterLabel(k string) string {
	y, q, ok := strings.Cut(k, "-Q")
	if !ok {
		return k
	}
	return v.sh.T("tui.reports.quarter", q, y)
}

func (v *reportsView) winRatePage(sel int) reportPage {
	sh, r := v.sh, v.deals.winrate
	p := reportPage{ready: true, full: 1, heading: sh.T("tui.reports.winrate.head", pct(r.Rate), thousands(r.Won), thousands(r.Lost))}
	for _, g := range r.ByQuarter {
		rate := 0.0
		if g.Rate != nil {
			rate = *g.Rate
		}
		p.bars = append(p.bars, reportBar{key: g.Key, label: v.quarterLabel(g.Key), value: rate,
			text: sh.T("tui.reports.winrate.value", pct(g.Rate), thousands(g.Won), thousands(g.Lost))})
	}
	var reasons []string
	for _, lr := range r.LostReasons[:min(3, len(r.LostReasons))] {
		reason := lr.Reason
		if reason == "" {
			reason = sh.T("tui.reports.no_reason")
		}
		reasons = append(reasons, oneLine(reason)+" "+pct(lr.Share))
	}
	if len(reasons) > 0 {
		p.detail = []string{v.detailRow(sh.T("tui.reports.lost_reasons"), strings.Join(reasons, " · "))}
	}
	return p
}

func (v *reportsView) winRateRows(k string) []reportRow {
	deals := slices.Clone(v.deals.decided[k])
	slices.SortFunc(deals, func(a, b decidedDeal) int { return cmp.Or(b.closed.Compare(a.closed), a.id.Compare(b.id)) })
	rows := make([]reportRow, 0, len(deals))
	for _, d := range deals {
		outcome := v.sh.T("tui.stage.won")
		if !d.won {
			outcome = joinNonEmpty(": ", v.sh.T("tui.stage.lost"), d.reason)
		}
		info := joinNonEmpty(" · ", v.sh.fmtDay(model.DateOf(d.closed.In(v.sh.now().Location()))), outcome)
		rows = append(rows, reportRow{kind: model.EntityDeal, id: d.id, name: d.title, info: info, amount: d.amount.Format()})
	}
	return rows
}

func (v *reportsView) lifecyclePage(sel int) reportPage {
	sh := v.sh
	contacts, companies := 0, 0
	for _, c := range v.life.stages {
		contacts += c.Contacts
		companies += c.Companies
	}
	p := reportPage{ready: true, heading: sh.T("tui.reports.lifecycle.head", thousands(contacts), thousands(companies))}
	for _, c := range v.life.stages {
		p.bars = append(p.bars, reportBar{key: c.Stage, label: sh.T("insight.lifecycle." + c.Stage), value: float64(c.Contacts + c.Companies),
			text: sh.T("tui.reports.lifecycle.value", thousands(c.Contacts), thousands(c.Companies))})
	}
	if sel >= 0 && sel < len(v.life.stages) {
		p.detail = []string{v.detailRow(sh.T("tui.reports.means"), sh.T("tui.reports.lifecycle.about."+v.life.stages[sel].Stage))}
	}
	return p
}

func (v *reportsView) lifecycleRows(stage string) []reportRow {
	members := v.life.members[stage]
	rows := make([]reportRow, 0, len(members))
	for _, m := range members {
		info := v.sh.T("tui.reports.kind." + m.kind.String())
		var reasons []string
		for _, r := range m.reasons {
			reasons = append(reasons, v.sh.T("tui.reports.reason."+r))
		}
		rows = append(rows, reportRow{kind: m.kind, id: m.id, name: m.name, info: joinNonEmpty(" · ", info, strings.Join(reasons, ", "))})
	}
	return rows
}

// rfmBook is the RFM book of the charted currency.
func (v *reportsView) rfmBook() (insight.RFMBook, bool) {
	for _, b := range v.deals.rfm.Books {
		if b.Currency == v.currency {
			return b, true
		}
	}
	return insight.RFMBook{}, false
}

func (v *reportsView) rfmPage(sel int) reportPage {
	sh := v.sh
	b, ok := v.rfmBook()
	if !ok {
		return reportPage{ready: true, heading: sh.T("tui.reports.rfm.head", "0", v.currency), empty: sh.T("tui.reports.no_revenue", v.currency)}
	}
	p := reportPage{ready: true, heading: sh.T("tui.reports.rfm.head", thousands(b.Customers), b.Currency)}
	for _, s := range b.Segments {
		p.bars = append(p.bars, reportBar{key: s.Segment, label: sh.T("insight.segment." + s.Segment), value: float64(s.Customers),
			text: sh.lang.N("tui.reports.customers_amount", s.Customers, thousands(s.Customers), s.Monetary.Short())})
	}
	if sel >= 0 && sel < len(b.Segments) {
		p.detail = []string{v.detailRow(sh.T("tui.reports.means"), sh.T("tui.reports.rfm.about."+b.Segments[sel].Segment))}
	}
	return p
}

func (v *reportsView) rfmRows(segment string) []reportRow {
	b, _ := v.rfmBook()
	var rows []reportRow
	for _, it := range b.Items {
		if it.Segment != segment {
			continue
		}
		info := v.sh.T("tui.reports.rfm.item", it.Score, it.Frequency, it.RecencyDays)
		rows = append(rows, customerRow(it.Customer, info, it.Monetary.Format()))
	}
	return rows
}

func customerRow(c insight.Customer, info, amount string) reportRow {
	kind := model.EntityContact
	if c.Kind == insight.KindCompany {
		kind = model.EntityCompany
	}
	return reportRow{kind: kind, id: c.ID, name: c.Name, info: info, amount: amount}
}

// paretoBook is the Pareto book of the charted currency.
func (v *reportsView) paretoBook() (insight.ParetoBook, bool) {
	for _, b := range v.deals.pareto.Books {
		if b.Currency == v.currency {
			return b, true
		}
	}
	return insight.ParetoBook{}, false
}

// paretoBands splits n customers, largest revenue first, into up to ten
// bands of equal size: band i holds customers [ends[i-1], ends[i]).
func paretoBands(n int) []int {
	k := min(10, n)
	ends := make([]int, k)
	for i := range k {
		ends[i] = (n*(i+1) + k - 1) / k
	}
	return ends
}

func (v *reportsView) paretoPage(sel int) reportPage {
	sh := v.sh
	b, ok := v.paretoBook()
	if !ok || b.Customers == 0 {
		return reportPage{ready: true, heading: sh.T("tui.reports.pareto.title"), empty: sh.T("tui.reports.no_revenue", v.currency)}
	}
	p := reportPage{ready: true, full: 1, heading: sh.T("tui.reports.pareto.head", thousands(b.Top20Customers), pct(b.Top20Share), pct(b.CoreCustomerShare), thousands(b.CoreCustomers))}
	ends := paretoBands(b.Customers)
	for i, end := range ends {
		cum := b.Items[end-1].CumulativeShare
		value := 0.0
		if cum != nil {
			value = *cum
		}
		p.bars = append(p.bars, reportBar{key: strconv.Itoa(i), label: sh.T("tui.reports.pareto.band", (i+1)*100/len(ends)), value: value,
			text: sh.T("tui.reports.pareto.value", pct(cum), thousands(end))})
	}
	if sel >= 0 && sel < len(ends) {
		from := 0
		if sel > 0 {
			from = ends[sel-1]
		}
		var sum int64
		for _, it := range b.Items[from:ends[sel]] {
			sum += it.Revenue.Minor
		}
		p.detail = []string{
			v.detailRow(sh.T("tui.reports.revenue"), sh.T("tui.reports.pareto.total", b.Revenue.Short(), thousands(b.Customers))),
			v.detailRow(sh.T("tui.reports.pareto.this_band"), sh.lang.N("tui.reports.customers_amount", ends[sel]-from, thousands(ends[sel]-from), v.money(sum))),
		}
	}
	return p
}

func (v *reportsView) paretoRows(k string) []reportRow {
	b, _ := v.paretoBook()
	ends := paretoBands(b.Customers)
	i, err := strconv.Atoi(k)
	if err != nil || i < 0 || i >= len(ends) {
		return nil
	}
	from := 0
	if i > 0 {
		from = ends[i-1]
	}
	var rows []reportRow
	for n, it := range b.Items[from:ends[i]] {
		info := v.sh.T("tui.reports.pareto.item", from+n+1, pct(it.Share), pct(it.CumulativeShare))
		rows = append(rows, customerRow(it.Customer, info, it.Revenue.Format()))
	}
	return rows
}
