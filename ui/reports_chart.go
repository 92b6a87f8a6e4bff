package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/barchart"
)

// reportPage is one report laid out for the chart: a heading, a bar per
// stage, month, quarter or segment, and lines about the selected bar.
type reportPage struct {
	ready   bool // its data has arrived
	heading string
	bars    []reportBar
	detail  []string
	empty   string  // said instead of the chart when there is nothing to chart
	full    float64 // the value of a full bar (1 for shares); 0 for the largest
}

// reportBar is one bar: its label, its length and what it stands for.
type reportBar struct {
	key   string // the stage, month, quarter, segment or band it charts
	label string
	value float64
	text  string
}

// reportKinds holds, for each report, how to lay out its page with a bar
// selected and how to list the records behind a bar.
var reportKinds = [repCount]struct {
	page func(v *reportsView, sel int) reportPage
	rows func(v *reportsView, key string) []reportRow
}{
	repPipeline:  {(*reportsView).pipelinePage, (*reportsView).pipelineRows},
	repForecast:  {(*reportsView).forecastPage, (*reportsView).forecastRows},
	repWinRate:   {(*reportsView).winRatePage, (*reportsView).winRateRows},
	repLifecycle: {(*reportsView).lifecyclePage, (*reportsView).lifecycleRows},
	repRFM:       {(*reportsView).rfmPage, (*reportsView).rfmRows},
	repPareto:    {(*reportsView).paretoPage, (*reportsView).paretoRows},
}

// page lays out report rep from the loaded reports, with the details of
// its selected bar; empty until its data has loaded (the lifecycle has
// its own, the others share the deals).
func (v *reportsView) page(rep int) reportPage {
	if rep == repLifecycle && v.life == nil || rep != repLifecycle && v.deals == nil {
		return reportPage{}
	}
	return reportKinds[rep].page(v, v.cursor[rep])
}

// rowsOf lists the records behind the bar with key k of report rep.
func (v *reportsView) rowsOf(rep int, k string) []reportRow {
	return reportKinds[rep].rows(v, k)
}

// chart draws a page in w x h cells below the report tabs: the heading,
// the currency line, the bars (those that fit, around the selected one)
// and the details.
func (v *reportsView) chart(p reportPage, w, h int) []string {
	s := v.sh.styles
	lines := []string{s.Section.Render(oneLine(p.heading)), v.currencyChooser(w), ""}
	if len(p.bars) == 0 || p.empty != "" {
		msg := p.empty
		if msg == "" {
			msg = v.sh.T("tui.reports.none")
		}
		return append(lines, s.Muted.Render(msg))
	}
	rows := max(h-len(lines)-len(p.detail)-1, 1)
	sel := v.cursor[v.rep]
	top := scrollTo(max(sel, 0), 0, rows, len(p.bars))
	shown := p.bars[top:min(top+rows, len(p.bars))]

	lw, tw := 0, 0
	for _, b := range p.bars {
		lw = max(lw, width(b.label))
		tw = max(tw, width(b.text))
	}
	lw = min(lw, max(w/4, 8))
	tw = min(tw, max(w-2-lw-2-8, 0))
	bw := clamp(w-2-lw-1-1-tw-1, 1, 72)
	values := make([]float64, len(shown))
	for i, b := range shown {
		values[i] = b.value
	}
	bars := drawBars(values, p.full, sel-top, bw, s.Tag, s.Accent)
	for i, b := range shown {
		label := fit(oneLine(b.label), lw)
		text := fit(b.text, tw)
		if top+i == sel {
			lines = append(lines, s.Selected.Render("▸ "+label)+" "+bars[i]+" "+s.Title.Render(text))
		} else {
			lines = append(lines, "  "+label+" "+bars[i]+" "+text)
		}
	}
	if len(p.detail) > 0 {
		lines = append(lines, "")
		lines = append(lines, p.detail...)
	}
	return lines
}

// drawBars draws one horizontal bar per value, w cells long at most, the
// value full (or else the largest) filling them, with ntcharts' bar
// chart; the bar at sel takes the selected style.
func drawBars(values []float64, full float64, sel, w int, style, selected lipgloss.Style) []string {
	top := full
	for _, x := range values {
		top = max(top, x)
	}
	if top <= 0 {
		top = 1
	}
	bc := barchart.New(w, len(values), barchart.WithNoAxis(), barchart.WithHorizontalBars(),
		barchart.WithBarGap(0), barchart.WithNoAutoMaxValue(), barchart.WithMaxValue(top))
	for i, x := range values {
		st := style
		if i == sel {
			st = selected
		}
		bc.Push(barchart.BarData{Values: []barchart.BarValue{{Value: x, Style: st}}})
	}
	bc.Draw()
	return strings.Split(bc.View(), "\n")
}
