// Package insight is rolo's analytics: the pipeline by stage, the
// forecast, win rates, sales cycles, activity, the customer lifecycle,
// RFM segments, customer lifetime value, the 80/20 split of revenue,
// customers and deals going quiet, and NPS.
//
// Every report is a pure function of loaded records (Data) and a Query:
// the moment "now" (whose location is the calendar that days, weeks,
// months and quarters are counted in), the thresholds (Params) and the
// filters. Nothing in this package reads the clock or the store, except
// Load, which reads the records a report needs in one transaction.
//
// Amounts are never added across currencies: every sum is kept per
// currency, and the customer reports (RFM, CLV, Pareto) treat each
// currency as a book of its own. docs/insight.md defines every metric.
package insight
