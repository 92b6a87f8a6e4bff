package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
)

// reportBook writes a small book whose reports can be checked by hand.
// Times are noon in Shanghai (the tests' TZ) so many days ago:
//
//	Acme (company), its contact Li Na (vip):
//	  deal 1  10000.00 CNY  made -100, won -60   (cycle 40 days)
//	  deal 2   5000.00 CNY  made -45,  won -30   (cycle 15 days)
//	  deal 5  20000.00 CNY  made -60, proposal since -40: stuck, no follow-up; closes in 10 days
//	  feedback 10 from Li Na at -10
//	Bob (no company):
//	  deal 3   1000.00 USD  made -220, won -200  (cycle 20 days)
//	  deal 4    800.00 USD  made -50, lost -20 ("price")
//	  deal 6    300.00 USD  lead made -5, no close date, a follow-up
//	  a complaint at -3, open; feedback 3 at -3
//	Quiet Qi: deal 7 2000.00 CNY made and won -100; nothing since
//	Nobody: nothing at all
func reportBook(t *testing.T, e *env) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(loc).Date()
	noon := time.Date(y, m, d, 12, 0, 0, 0, loc)
	ago := func(days int) time.Time { return noon.AddDate(0, 0, -days) }
	e.configPath()
	st, err := store.Open(e.db, store.Options{Rules: model.Rules{Region: "CN", Currency: "CNY"}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := model.DefaultPipeline()
	deal := func(title, amount string, made time.Time, moves ...any) model.Deal {
		dl, err := model.NewDeal(p, title, "lead", made)
		if err != nil {
			t.Fatal(err)
		}
		if dl.Value, err = model.ParseMoney(amount, "CNY"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(moves); i += 2 {
			if err := dl.Move(p, moves[i].(string), moves[i+1].(time.Time), "price"); err != nil {
				t.Fatal(err)
			}
		}
		return dl
	}
	err = st.Update(func(tx *store.Tx) error {
		acme := model.Company{Name: "Acme"}
		if err := tx.PutCompany(&acme); err != nil {
			return err
		}
		li := model.Contact{Name: "Li Na", CompanyID: acme.ID, Tags: []string{"vip"}}
		bob, qi, nobody := model.Contact{Name: "Bob"}, model.Contact{Name: "Quiet Qi"}, model.Contact{Name: "Nobody"}
		for _, c := range []*model.Contact{&li, &bob, &qi, &nobody} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		d5 := deal("Expansion", "20000.00 CNY", ago(60), "proposal", ago(40))
		d5.CloseDate = model.DateOf(ago(-10))
		d6 := deal("Trial", "300.00 USD", ago(5))
		deals := []model.Deal{
			deal("Rollout", "10000.00 CNY", ago(100), "won", ago(60)),
			deal("Support", "5000.00 CNY", ago(45), "won", ago(30)),
			deal("Licences", "1000.00 USD", ago(220), "won", ago(200)),
			deal("Renewal", "800.00 USD", ago(50), "lost", ago(20)),
			d5, d6,
			deal("Pilot", "2000.00 CNY", ago(100), "won", ago(100)),
		}
		owners := []*model.Contact{&li, &li, &bob, &bob, &li, &bob, &qi}
		for i := range deals {
			deals[i].ContactID = owners[i].ID
			deals[i].Source = "referral"
			if err := tx.PutDeal(&deals[i]); err != nil {
				return err
			}
		}
		if err := tx.PutTask(&model.Task{Title: "call Bob", DealID: deals[5].ID, ContactID: bob.ID}); err != nil {
			return err
		}
		ten, three := 10, 3
		for _, a := range []model.Activity{
			{Kind: model.KindFeedback, At: ago(10), ContactID: li.ID, Score: &ten, Body: "great"},
			{Kind: model.KindFeedback, At: ago(3), ContactID: bob.ID, Score: &three, Body: "slow"},
			{Kind: model.KindComplaint, At: ago(3), ContactID: bob.ID, Body: "late delivery"},
		} {
			if err := tx.AddActivity(&a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// report runs `rolo report NAME ARGS... --json` and decodes the object.
func (e *env) report(name string, args ...string) map[string]any {
	e.t.Helper()
	return e.object(append([]string{"report", name}, args...)...)
}

func num(m map[string]any, k string) float64 {
	v, _ := m[k].(float64)
	return v
}

func objs(m map[string]any, k string) []map[string]any {
	var out []map[string]any
	l, _ := m[k].([]any)
	for _, v := range l {
		o, _ := v.(map[string]any)
		out = append(out, o)
	}
	return out
}

func TestReports(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportBook(t, e)

	pl := e.report("pipeline")
	stages := objs(pl, "stages")
	if len(stages) != 4 || num(stages[0], "deals") != 1 || num(stages[2], "deals") != 1 || num(stages[2], "stuck") != 1 ||
		num(stages[2], "no_next_step") != 1 || num(stages[0], "no_next_step") != 0 {
		t.Errorf("pipeline stages: %v", stages)
	}
	if a := objs(stages[2], "amounts"); len(a) != 1 || str(a[0], "total") != "20000.00" || str(a[0], "weighted") != "10000.00" {
		t.Errorf("proposal amounts: %v", a)
	}
	if tot := pl["total"].(map[string]any); num(tot, "deals") != 2 || len(objs(tot, "amounts")) != 2 {
		t.Errorf("pipeline total, two currencies never added: %v", tot)
	}

	fc := e.report("forecast")
	if len(objs(fc, "months")) != 6 || len(objs(fc, "undated")) != 1 || len(objs(fc, "overdue")) != 0 {
		t.Errorf("forecast: %v", fc)
	}

	wr := e.report("winrate")
	if num(wr, "won") != 4 || num(wr, "lost") != 1 || num(wr, "rate") != 0.8 {
		t.Errorf("winrate: %v", wr)
	}
	if lr := objs(wr, "lost_reasons"); len(lr) != 1 || str(lr[0], "reason") != "price" {
		t.Errorf("lost reasons: %v", lr)
	}

	cy := e.report("cycle")
	if num(cy, "won") != 4 || num(cy, "median_days") != 17.5 { // 0, 15, 20, 40
		t.Errorf("cycle: %v", cy)
	}

	lc := e.report("lifecycle", "--stage", "decline")
	if m := objs(lc, "contacts"); len(m) != 1 || str(m[0], "name") != "Bob" || strings.Join(strs(m[0], "reasons"), ",") != "complaint,no_repeat" {
		t.Errorf("in decline: %v", lc["contacts"])
	}
	counts := map[string]float64{}
	for _, s := range objs(lc, "stages") {
		counts[str(s, "stage")] = num(s, "contacts")
	}
	if counts["lead"] != 1 || counts["formation"] != 1 || counts["stability"] != 1 || counts["decline"] != 1 {
		t.Errorf("lifecycle counts: %v", counts)
	}
	if _, ok := e.report("lifecycle")["contacts"]; ok {
		t.Error("without --stage, lifecycle lists no members")
	}

	rfm := e.report("rfm", "--currency", "CNY")
	books := objs(rfm, "books")
	if len(books) != 1 || num(books[0], "customers") != 2 {
		t.Fatalf("rfm: %v", rfm)
	}
	// Two customers: Acme ranks above Quiet Qi on all three: 444 and 222.
	items := objs(books[0], "items")
	if str(items[0], "score") != "444" || str(items[0], "segment") != "loyal" || str(items[1], "segment") != "hibernating" {
		t.Errorf("rfm items: %v", items)
	}

	clv := e.report("clv", "--currency", "CNY")
	// Acme: 15000.00 over one year (its first purchase is 60 days old) × 2.4868520 = 37302.78.
	if b := objs(clv, "books"); len(b) != 1 || str(objs(b[0], "items")[0], "clv") != "37302.78" {
		t.Errorf("clv: %v", clv)
	}
	if out := e.ok("report", "clv", "--explain").stdout; !strings.Contains(out, "annuity factor") || !strings.Contains(out, "37,302.78") {
		t.Errorf("clv --explain:\n%s", out)
	}

	pa := e.report("pareto", "--currency", "CNY")
	if b := objs(pa, "books")[0]; num(b, "top20_customers") != 1 || num(b, "top20_share") != 0.8824 || num(b, "core_customers") != 1 {
		t.Errorf("pareto: %v", b)
	}

	sl := e.report("stale")
	if c := objs(sl, "customers"); len(c) != 1 || str(c[0]["customer"].(map[string]any), "name") != "Quiet Qi" || num(c[0], "days_silent") != 100 {
		t.Errorf("stale: %v", sl["customers"])
	}

	if n := e.report("nps"); num(n, "responses") != 2 || num(n, "nps") != 0 {
		t.Errorf("nps: %v", n)
	}
	if a := e.report("activity"); num(a["total"].(map[string]any), "complaints_opened") != 1 {
		t.Errorf("activity: %v", a["total"])
	}
}

func TestReportText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	reportBook(t, e)
	if out := e.ok("report", "winrate").stdout; !strings.Contains(out, "Win rate 80.0%: 4 won, 1 lost") || !strings.Contains(out, "referral") {
		t.Errorf("winrate:\n%s", out)
	}
	if out := e.ok("report", "lifecycle", "--lang", "zh").stdout; !strings.Contains(out, "退化期") || !strings.Contains(out, "稳定期") {
		t.Errorf("lifecycle in Chinese:\n%s", out)
	}
	if out := e.ok("report", "pipeline", "--lang", "zh").stdout; !strings.Contains(out, "¥20,000.00") || !strings.Contains(out, "停滞") {
		t.Errorf("pipeline in Chinese:\n%s", out)
	}
	if out := e.ok("report", "stale").stdout; !strings.Contains(out, "Quiet Qi") {
		t.Errorf("stale:\n%s", out)
	}
	for _, name := range []string{"forecast", "cycle", "activity", "rfm", "clv", "pareto", "nps"} {
		for _, lang := range []string{"en", "zh"} {
			if r := e.ok("report", name, "--lang", lang); strings.TrimSpace(r.stdout) == "" || strings.Contains(r.stderr, "i18n") {
				t.Errorf("report %s --lang %s: %s", name, lang, r)
			}
		}
	}
}

func TestReportUsage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, args := range [][]string{
		{"report", "nowhere"},
		{"report", "lifecycle", "--since", "2026-01-01"},
		{"report", "stale", "--until", "2026-01-01"},
		{"report", "nps", "--currency", "CNY"},
		{"report", "rfm", "--currency", "yuan"},
		{"report", "winrate", "--since", "2026-05-01", "--until", "2026-04-01"},
		{"report", "winrate", "--since", "someday"},
		{"report", "lifecycle", "--stage", "teenage"},
		{"report", "rfm", "--segment", "whales"},
		{"report", "forecast", "--months", "99"},
	} {
		e.fails(2, append(args, "--json")...)
	}
}

// An empty database answers every report, with empty lists and nulls
// rather than errors.
func TestReportsEmpty(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, name := range []string{"pipeline", "forecast", "winrate", "cycle", "activity", "lifecycle", "rfm", "clv", "pareto", "stale", "nps"} {
		r := e.ok("report", name, "--json")
		var m map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
			t.Errorf("%s: %v\n%s", name, err, r.stdout)
		}
		e.ok("report", name)
	}
}
