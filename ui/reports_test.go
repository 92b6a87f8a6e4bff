package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/i18n"
	"github.com/rolo-crm/rolo/insight"
	"github.com/rolo-crm/rolo/store"
)

// reportData runs a report of the insight package on the test's store,
// as the view asks it: the numbers the screen must show.
func (d *driver) reportData(name string) (*insight.Data, insight.Query) {
	d.t.Helper()
	q := insight.Query{Now: testNow, Params: insight.ParamsOf(testConfig())}
	var data *insight.Data
	d.read(func(tx *store.Tx) error {
		var err error
		data, err = insight.Load(tx, insight.Needs(name, q))
		return err
	})
	return data, q
}

// lineWith returns the screen's line that holds text.
func lineWith(t *testing.T, screen, text string) string {
	t.Helper()
	for l := range strings.SplitSeq(screen, "\n") {
		if strings.Contains(l, text) {
			return l
		}
	}
	t.Fatalf("no line with %q on the screen:\n%s", text, screen)
	return ""
}

func TestReportsPipelineDrillDown(t *testing.T) {
	d := drive(t, driveOptions{})
	data, q := d.reportData("pipeline")
	r := insight.Pipeline(data, q)
	d.press("6")
	screen := d.waitText(fmt.Sprintf("Open pipeline: %d deals", r.Total.Deals))
	for _, st := range r.Stages {
		label := d.scr.sh.stageLabel(st.Stage)
		if l := lineWith(t, screen, label+" "); !strings.Contains(l, fmt.Sprintf("%d deals", st.Deals)) || !strings.Contains(l, "█") {
			t.Errorf("the bar of %s says %q, want a bar and %d deals", st.Stage, l, st.Deals)
		}
	}

	// The second stage's bar lists its deals, the longest in the stage first.
	st := r.Stages[1]
	d.press("down", "enter")
	screen = d.waitText(fmt.Sprintf("%s · %d deals", d.scr.sh.stageLabel(st.Stage), st.Deals))
	rows := 0
	for _, it := range st.Items {
		if strings.Contains(screen, it.Amount.Format()) {
			rows++
		}
	}
	if rows == 0 || !strings.Contains(lineWith(t, screen, "▸ "), st.Items[0].Amount.Format()) {
		t.Errorf("the list of %s does not show its deals, the first selected:\n%s", st.Stage, screen)
	}

	// enter opens the selected deal over the report; esc comes back.
	d.press("enter")
	d.waitText("Stage history (", st.Items[0].Title)
	d.press("esc")
	d.waitGone("Stage history (")
	d.press("esc")
	d.waitText("Open pipeline:")

	// → goes to the forecast.
	fr := insight.Forecast(data, q)
	d.press("right")
	screen = d.waitText("Open deals by expected close month")
	month := fr.Months[0]
	if l := lineWith(t, screen, "Nov 2026"); !strings.Contains(l, fmt.Sprintf("%d deals", month.Deals)) {
		t.Errorf("the forecast's first month says %q, want %d deals", l, month.Deals)
	}
}

func TestReportsWinRateAndLifecycle(t *testing.T) {
	d := drive(t, driveOptions{})
	data, q := d.reportData("winrate")
	wr := insight.WinRate(data, q)
	d.press("6", "right", "right")
	screen := d.waitText(fmt.Sprintf("%d won, %d lost", wr.Won, wr.Lost))
	last := wr.ByQuarter[len(wr.ByQuarter)-1]
	y, qn, _ := strings.Cut(last.Key, "-Q")
	if l := lineWith(t, screen, "Q"+qn+" "+y); !strings.Contains(l, fmt.Sprintf("%d won / %d lost", last.Won, last.Lost)) {
		t.Errorf("the bar of %s says %q", last.Key, l)
	}
	// The last quarter's bar lists the deals decided in it.
	d.press("G", "enter")
	screen = d.waitText(fmt.Sprintf("Q%s %s · %s · %d won / %d lost", qn, y, pct(last.Rate), last.Won, last.Lost))
	if n := strings.Count(screen, "Won") + strings.Count(screen, "Lost"); n != min(last.Won+last.Lost, 40-3-listTop) {
		t.Errorf("the list of %s shows %d deals, want %d won and %d lost:\n%s", last.Key, n, last.Won, last.Lost, screen)
	}

	d.press("esc", "right")
	ld, lq := d.reportData("lifecycle")
	lr := insight.LifecycleCounts(ld, lq)
	screen = d.waitText("Customer lifecycle:")
	for _, c := range lr {
		label := d.scr.sh.T("insight.lifecycle." + c.Stage)
		if l := lineWith(t, screen, label+" "); !strings.Contains(l, fmt.Sprintf("%s contacts · %s companies", thousands(c.Contacts), thousands(c.Companies))) {
			t.Errorf("the bar of %s says %q", c.Stage, l)
		}
	}
}

func TestReportsCurrencyAndChinese(t *testing.T) {
	d := drive(t, driveOptions{lang: i18n.Chinese, w: 80, h: 24})
	data, q := d.reportData("pipeline")
	r := insight.Pipeline(data, q)
	d.press("6")
	screen := d.waitText(fmt.Sprintf("进行中的商机：%d 个", r.Total.Deals), "线索", "谈判")
	first, second := r.Total.Amounts[0].Currency, r.Total.Amounts[1].Currency
	if !strings.Contains(screen, "["+first+"]") {
		t.Fatalf("the chart is not in %s, the currency with the most open deals:\n%s", first, screen)
	}
	// ↑ to the currency line, enter for the next currency: the bars are
	// in it, and the list behind a bar still shows every deal's own.
	d.press("up", "enter")
	d.waitText("[" + second + "]")
	d.press("down", "enter")
	d.waitText(fmt.Sprintf("线索 · %d 个商机", r.Stages[0].Deals))
}
