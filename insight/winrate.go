package insight

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// WinRateReport is the share of decided deals that were won.
type WinRateReport struct {
	Since       time.Time      `json:"since,omitzero"`
	Until       time.Time      `json:"until,omitzero"`
	Won         int            `json:"won"`
	Lost        int            `json:"lost"`
	Rate        *float64       `json:"rate"` // won / (won + lost); null when nothing was decided
	BySource    []WinRateGroup `json:"by_source"`
	ByTag       []WinRateGroup `json:"by_tag"`
	ByOwner     []WinRateGroup `json:"by_owner"`
	ByQuarter   []WinRateGroup `json:"by_quarter"`
	LostReasons []LostReason   `json:"lost_reasons"`
}

// WinRateGroup is the win rate of the deals sharing a source, tag, owner
// or quarter; Key is "" for deals without one.
type WinRateGroup struct {
	Key  string   `json:"key"`
	Won  int      `json:"won"`
	Lost int      `json:"lost"`
	Rate *float64 `json:"rate"`
}

// LostReason counts the lost deals giving one reason ("" for none).
type LostReason struct {
	Reason string   `json:"reason"`
	Deals  int      `json:"deals"`
	Share  *float64 `json:"share"` // of the lost deals
}

// WinRate reports the deals won or lost in the period (by their close
// time), overall, by source, tag, owner and quarter, and why deals were
// lost. A deal with several tags counts under each.
func WinRate(d *Data, q Query) WinRateReport {
	r := WinRateReport{Since: q.Since, Until: q.Until}
	groups := [4]map[string]*WinRateGroup{{}, {}, {}, {}}
	reasons := map[string]*LostReason{}
	for i := range d.Deals {
		deal := &d.Deals[i]
		if deal.Status == model.StatusOpen || !q.inPeriod(deal.ClosedAt) || !q.dealOK(deal) {
			continue
		}
		won := deal.Status == model.StatusWon
		count(&r.Won, &r.Lost, won)
		tags := deal.Tags
		if len(tags) == 0 {
			tags = []string{""}
		}
		keys := [4][]string{{deal.Source}, tags, {deal.Owner}, {quarterKey(deal.ClosedAt, q.loc())}}
		for g, ks := range keys {
			for _, k := range ks {
				grp := groups[g][strings.ToLower(k)]
				if grp == nil {
					grp = &WinRateGroup{Key: k}
					groups[g][strings.ToLower(k)] = grp
				}
				count(&grp.Won, &grp.Lost, won)
			}
		}
		if !won {
			reason := strings.TrimSpace(deal.LostReason)
			lr := reasons[strings.ToLower(reason)]
			if lr == nil {
				lr = &LostReason{Reason: reason}
				reasons[strings.ToLower(reason)] = lr
			}
			lr.Deals++
		}
	}
	r.Rate = ratio(r.Won, r.Won+r.Lost)
	r.BySource, r.ByTag, r.ByOwner = winGroups(groups[0], false), winGroups(groups[1], false), winGroups(groups[2], false)
	r.ByQuarter = winGroups(groups[3], true)
	r.LostReasons = make([]LostReason, 0, len(reasons))
	for _, lr := range reasons {
		lr.Share = ratio(lr.Deals, r.Lost)
		r.LostReasons = append(r.LostReasons, *lr)
	}
	slices.SortFunc(r.LostReasons, func(a, b LostReason) int {
		return cmp.Or(cmp.Compare(b.Deals, a.Deals), strings.Compare(a.Reason, b.Reason))
	})
	return r
}

func count(won, lost *int, isWon bool) {
	if isWon {
		*won++
	} else {
		*lost++
	}
}

// winGroups lists groups by key (chronological for quarters) or with the
// most decided deals first.
func winGroups(m map[string]*WinRateGroup, byKey bool) []WinRateGroup {
	out := make([]WinRateGroup, 0, len(m))
	for _, g := range m {
		g.Rate = ratio(g.Won, g.Won+g.Lost)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b WinRateGroup) int {
		if byKey {
			return strings.Compare(a.Key, b.Key)
		}
		return cmp.Or(cmp.Compare(b.Won+b.Lost, a.Won+a.Lost), strings.Compare(a.Key, b.Key))
	})
	return out
}
