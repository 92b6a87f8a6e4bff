package insight

// ReportNames lists the reports in the order docs/insight.md gives them.
var ReportNames = []string{
	"pipeline", "forecast", "winrate", "cycle", "activity", "lifecycle",
	"rfm", "clv", "pareto", "stale", "nps",
}

// Needs returns the records the named report reads to answer q, for
// Load. An unknown name needs nothing.
func Needs(name string, q Query) Need {
	// Customer reports filter on the tags of companies' contacts.
	customers := NeedDeals | NeedParties
	if q.Tag != "" {
		customers |= NeedContacts | NeedCompanies
	}
	// Activity reports filter on the tags of activities' contacts.
	activities := NeedActivities
	if q.Tag != "" {
		activities |= NeedContacts
	}
	switch name {
	case "pipeline":
		return NeedDeals | NeedTasks | NeedParties
	case "forecast":
		return NeedDeals | NeedParties
	case "winrate", "cycle":
		return NeedDeals
	case "activity", "nps":
		return activities
	case "lifecycle": // every contact and company gets a stage
		return NeedDeals | NeedTimelines | NeedContacts | NeedCompanies
	case "stale": // only customers, who have deals, go quiet
		return customers | NeedTimelines
	case "rfm", "clv", "pareto":
		return customers
	}
	return 0
}
