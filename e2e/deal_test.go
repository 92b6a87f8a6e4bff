package e2e

import (
	"strings"
	"testing"
)

func TestDealPipeline(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.object("contact", "add", "--name", "Li Na", "--company", "Acme", "--email", "li@acme.com")
	d := e.object("deal", "add", "--title", "ERP rollout", "--contact", "li@acme.com", "--amount", "1,200.50",
		"--currency", "USD", "--stage", "proposal", "--close", "2026-12-15")
	id := str(d, "id")
	if str(d, "amount") != "1200.50" || str(d, "currency") != "USD" || str(d, "stage") != "proposal" ||
		str(d, "close_date") != "2026-12-15" || str(d, "contact_id") != str(c, "id") || str(d, "company") != "Acme" {
		t.Fatalf("add: %v", d)
	}
	if d["probability"].(float64) != 50 || str(d, "weighted_amount") != "600.25" {
		t.Errorf("probability from the stage: %v", d)
	}
	d2 := e.object("deal", "add", "--title", "年度采购", "--amount", "¥3万")
	if str(d2, "amount") != "30000.00" || str(d2, "currency") != "CNY" || str(d2, "stage") != "lead" {
		t.Errorf("Chinese amount, default stage: %v", d2)
	}
	m := e.object("deal", "move", id, "negotiation")
	if str(m, "stage") != "negotiation" || len(m["stage_history"].([]any)) != 2 {
		t.Errorf("move: %v", m)
	}
	lost := e.object("deal", "move", "ERP rollout", "lost", "--reason", "chose a competitor")
	if str(lost, "status") != "lost" || str(lost, "lost_reason") != "chose a competitor" || str(lost, "closed_at") == "" {
		t.Errorf("lost: %v", lost)
	}
	if l := e.list("deal", "list", "--status", "lost"); len(l) != 1 {
		t.Errorf("status filter: %v", l)
	}
	if l := e.list("deal", "list", "--stage", "lead"); len(l) != 1 || str(l[0], "title") != "年度采购" {
		t.Errorf("stage filter: %v", l)
	}

	e.fails(2, "deal", "move", id, "nowhere")
	e.fails(2, "deal", "add", "--title", "X", "--stage", "nowhere")
	e.fails(2, "deal", "add", "--title", "X", "--amount", "lots")
	e.fails(2, "deal", "add", "--title", "X", "--amount", "¥10", "--currency", "USD")
	e.fails(2, "deal", "add", "--title", "X", "--close", "someday maybe")
	e.fails(3, "deal", "add", "--title", "X", "--contact", "ghost@nowhere.org")
	e.fails(2, "deal", "list", "--status", "pending")
	e.fails(3, "deal", "move", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "won")
	if l := e.list("deal", "list"); len(l) != 2 {
		t.Errorf("rejected commands changed nothing: %v", l)
	}
	if out := e.ok("deal", "show", id).stdout; !strings.Contains(out, "chose a competitor") || !strings.Contains(out, "negotiation") {
		t.Errorf("show:\n%s", out)
	}
}

func TestTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "add", "--name", "张伟", "--phone", "13800138000")
	t1 := e.object("task", "add", "回访客户", "--due", "明天下午3点", "--contact", "张伟", "--priority", "high")
	if str(t1, "priority") != "high" || !strings.Contains(str(t1, "due"), "T07:00:00Z") {
		t.Errorf("明天下午3点 in Asia/Shanghai is 07:00 UTC: %v", t1)
	}
	e.object("task", "add", "Send proposal", "--due", "2020-01-01")
	e.object("task", "add", "Plan next year", "--due", "next friday")
	e.object("task", "add", "Weekly report", "--due", "2020-01-06", "--repeat", "weekly")
	if l := e.list("task", "list", "--overdue"); len(l) != 2 {
		t.Errorf("overdue: %v", l)
	}
	if l := e.list("task", "list"); len(l) != 4 {
		t.Errorf("open: %v", l)
	}
	done := e.object("task", "done", "Send proposal")
	if str(done, "done_at") == "" || done["done"] != true {
		t.Errorf("done: %v", done)
	}
	e.ok("task", "done", "Weekly report")
	open := e.list("task", "list")
	if len(open) != 3 {
		t.Errorf("a repeating task comes back: %v", open)
	}
	if l := e.list("task", "list", "--done"); len(l) != 2 {
		t.Errorf("done list: %v", l)
	}
	e.fails(2, "task", "add", "X", "--due", "the day after never")
	e.fails(2, "task", "add", "X", "--due", "2026-02-30")
	e.fails(2, "task", "add", "X", "--priority", "urgentest")
	e.fails(2, "task", "list", "--today", "--week")
	e.fails(3, "task", "done", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
}

func TestLogActivities(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.object("contact", "add", "--name", "王小明", "--email", "wxm@qq.com")
	a := e.object("log", "message", "--contact", "王小明", "--channel", "wechat", "发了报价单")
	if str(a, "kind") != "message" || str(a, "contact_id") != str(c, "id") || str(a, "body") != "发了报价单" {
		t.Errorf("log: %v", a)
	}
	f := e.object("log", "feedback", "--contact", "wxm@qq.com", "--score", "9", "很满意")
	if f["score"].(float64) != 9 {
		t.Errorf("feedback: %v", f)
	}
	comp := e.object("log", "complaint", "--contact", "wxm@qq.com", "发货太慢")
	if str(comp, "state") != "open" {
		t.Errorf("complaint opens: %v", comp)
	}
	res := e.object("activity", "resolve", str(comp, "id"))
	if str(res, "state") != "resolved" || str(res, "resolved_at") == "" {
		t.Errorf("resolve: %v", res)
	}
	e.object("log", "call", "--contact", "王小明", "--at", "2026-01-05 10:00", "first call")
	l := e.list("activity", "list", "--contact", "王小明")
	if len(l) != 4 || str(l[3], "body") != "first call" {
		t.Errorf("timeline newest first: %v", l)
	}
	e.fails(2, "log", "smoke-signal", "--contact", "王小明", "hi")
	e.fails(2, "log", "feedback", "--contact", "王小明", "no score")
	e.fails(2, "log", "feedback", "--contact", "王小明", "--score", "11", "too high")
	e.fails(2, "log", "call", "nobody to call")
	e.fails(3, "log", "call", "--contact", "ghost@nowhere.org", "hello?")
	if l := e.list("activity", "list"); len(l) != 4 {
		t.Errorf("rejected commands changed nothing: %v", l)
	}
}
