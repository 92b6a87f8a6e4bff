package insight

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

// shape describes a JSON value's structure: an object's sorted keys with
// their shapes, an array by its first element, scalars by type.
func shape(v any) string {
	return describe(v, func(leaf any) string {
		switch leaf.(type) {
		case string:
			return "s"
		case float64:
			return "n"
		case bool:
			return "b"
		}
		return "null"
	})
}

// describe writes v's structure, its scalars as leaf says.
func describe(v any, leaf func(any) string) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + describe(x[k], leaf)
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		if len(x) == 0 {
			return "[]"
		}
		return "[" + describe(x[0], leaf) + "]"
	}
	return leaf(v)
}

// The --json shapes are a contract with scripts and the TUI: a change
// here is a change to document in docs/insight.md.
func TestJSONShapes(t *testing.T) {
	q := query(at("2026-06-15 12:00"))
	period := q
	period.Since, period.Until = at("2026-01-01 00:00"), at("2026-07-01 00:00")
	// Optional keys (a deal's owner and close_date, a contact's
	// last_purchase and last_touch) are left out when empty, as in every
	// record's JSON; the first items here have none.
	deal := "amount:s,close_date:s,currency:s,customer:{id:s,kind:s,name:s},id:s,probability:n,stage:s,title:s,weighted:s"
	lifecycle := "{as_of:s,companies:[{derived:s,id:s,kind:s,last_purchase:s,last_touch:s,name:s,open_complaints:n,open_deals:n,pinned:b,purchases:n,reasons:[s],stage:s}]," +
		"contacts:[{derived:s,id:s,kind:s,name:s,open_complaints:n,open_deals:n,pinned:b,purchases:n,reasons:[],stage:s}],stages:[{companies:n,contacts:n,stage:s}]}"
	silence := "days_silent:n,last_touch:s,rank:n,threshold_days:n,usual_gap_days:n"
	forecastDeals := "[{" + deal + "}]"
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"pipeline", Pipeline(pipelineData(), q), "{as_of:s,stages:[{amounts:[{currency:s,total:s,weighted:s}],avg_days_in_stage:n,deals:n,items:[{" +
			strings.Replace(deal, "close_date:s,", "", 1) + ",days_in_stage:n,no_next_step:b,stuck:b}],label:s,no_next_step:n,probability:n,stage:s,stuck:n}]," +
			"stuck_days:n,total:{amounts:[{currency:s,total:s,weighted:s}],deals:n,no_next_step:n,stuck:n}}"},
		{"forecast", Forecast(forecastData(), q), "{as_of:s,commit_probability:n,later:{amounts:[{best_case:s,commit:s,currency:s,weighted:s}],deals:n,items:" + forecastDeals + "}," +
			"months:[{amounts:[{best_case:s,commit:s,currency:s,weighted:s}],deals:n,items:" + forecastDeals + ",month:s}],overdue:" + forecastDeals + ",undated:[{" +
			strings.Replace(deal, "close_date:s,", "", 1) + "}]}"},
		{"winrate", WinRate(winRateData(), period), "{by_owner:[{key:s,lost:n,rate:n,won:n}],by_quarter:[{key:s,lost:n,rate:n,won:n}],by_source:[{key:s,lost:n,rate:n,won:n}]," +
			"by_tag:[{key:s,lost:n,rate:n,won:n}],lost:n,lost_reasons:[{deals:n,reason:s,share:n}],rate:n,since:s,until:s,won:n}"},
		{"cycle", Cycle(cycleData(), q), "{by_quarter:[{median_days:n,p75_days:n,quarter:s,won:n}],median_days:n,p75_days:n,stages:[{label:s,median_days:n,p75_days:n,stage:s,stays:n}],won:n}"},
		{"activity", Activity(activityData(), q), "{since:s,total:{complaints_open:n,complaints_opened:n,complaints_resolved:n,counts:{call:n,complaint:n,email:n,feedback:n,meeting:n,message:n,note:n,visit:n}," +
			"median_resolve_hours:n,touched:n},until:s,weeks:[{complaints_opened:n,complaints_resolved:n,counts:{call:n,complaint:n,email:n,feedback:n,meeting:n,message:n,note:n,visit:n}," +
			"median_resolve_hours:null,touched:n,week:s}]}"},
		{"lifecycle", Lifecycle(lifecycleData(), q), lifecycle},
		{"rfm", RFM(rfmData(), q), "{as_of:s,books:[{currency:s,customers:n,items:[{customer:{id:s,kind:s,name:s},f:n,frequency:n,last_purchase:s,m:n,monetary:s,r:n,recency_days:n,score:s,segment:s}]," +
			"segments:[{customers:n,monetary:s,segment:s}]}]}"},
		{"clv", CLV(rfmData(), q), "{annuity_factor:n,as_of:s,books:[{average_annual_value:s,average_clv:s,currency:s,customers:n,items:[{annual_value:s,average_deal:s,clv:s," +
			"customer:{id:s,kind:s,name:s},deals:n,first_purchase:s,per_year:n,revenue:s,years:n}]}],discount_rate:n,lifespan_years:n,min_years:n}"},
		{"pareto", Pareto(rfmData(), q), "{books:[{core_customer_share:n,core_customers:n,core_revenue:s,core_share:n,currency:s,customers:n,items:[{core:b,cumulative_share:n," +
			"customer:{id:s,kind:s,name:s},revenue:s,share:n}],revenue:s,top20_customers:n,top20_revenue:s,top20_share:n}]}"},
		{"stale", Stale(staleData(), q), "{as_of:s,customers:[{customer:{id:s,kind:s,name:s}," + silence + ",open_deals:n,value_at_risk:[{amount:s,currency:s}]}]," +
			"deals:[{" + strings.Replace(deal, "close_date:s,", "", 1) + "," + strings.Replace(silence, "usual_gap_days:n", "usual_gap_days:null", 1) + "}],quiet_days:n,stale_factor:n}"},
		{"nps", NPS(npsData(), q), "{by_month:[{detractors:n,month:s,nps:n,passives:n,promoters:n,responses:n}],detractors:n,nps:n,passives:n,promoters:n,responses:n}"},
	} {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		if got := shape(v); got != normalize(c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, normalize(c.want))
		}
	}
}

// normalize sorts the keys of a hand-written shape, so the literals above
// can name keys in a readable order.
func normalize(s string) string {
	var v any
	if err := json.Unmarshal([]byte(shapeToJSON(s)), &v); err != nil {
		panic(s + ": " + err.Error())
	}
	return describe(v, func(leaf any) string { s, _ := leaf.(string); return s })
}

// shapeToJSON turns a shape literal into JSON whose leaves are the shape
// letters, so it can be parsed and re-sorted.
func shapeToJSON(s string) string {
	var b strings.Builder
	word := func(w string) {
		if w != "" {
			b.WriteString(`"` + w + `"`)
		}
	}
	cur := ""
	for _, r := range s {
		switch r {
		case '{', '}', '[', ']', ',', ':':
			word(cur)
			cur = ""
			b.WriteRune(r)
		default:
			cur += string(r)
		}
	}
	word(cur)
	return b.String()
}

func forecastData() *Data {
	d := pipelineData()
	for i := range d.Deals {
		if d.Deals[i].ID != dealID(1) {
			d.Deals[i].CloseDate = day("2026-06-20")
		}
	}
	d.Deals[1].CloseDate = day("2026-06-01") // overdue
	d.Deals[2].CloseDate = day("2027-06-01") // later
	return d
}

func npsData() *Data {
	return &Data{Activities: []model.Activity{activity(1, model.KindFeedback, at("2026-01-05 10:00"), 1, score(10))}}
}
