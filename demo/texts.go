package demo

import (
	"fmt"
	"strings"
)

// Texts of tasks and activities are short templates; {key} stands for a
// value of the person or deal they are about (see vars.value).

// bilingual holds the Chinese and the English variants of a text.
type bilingual struct{ zh, en []string }

func (b bilingual) pick(g *generator, p *person) string {
	if p.chinese() {
		return oneOf(g.rng, b.zh)
	}
	return oneOf(g.rng, b.en)
}

var (
	taskTitles = bilingual{
		zh: []string{"给{who}回电话", "发报价单给{who}", "跟进「{deal}」", "约{who}上门拜访", "微信提醒{who}确认订单",
			"准备{short}的合同", "催{short}回款", "寄样品给{who}", "确认{product}的交期", "安排{short}技术交流会"},
		en: []string{"Call {first} back", "Send quote to {name}", "Follow up on {deal}", "Book a demo with {first}",
			"Chase payment from {short}", "Prepare contract for {short}", "Check in with {first}",
			"Send samples to {name}", "Confirm delivery date for {product}"},
	}
	repeatTitles = bilingual{
		zh: []string{"每周跟进{short}项目进度", "月度回访{who}", "整理{short}周报"},
		en: []string{"Weekly check-in with {first}", "Monthly account review: {short}", "Send {short} the weekly report"},
	}
	taskNotes = bilingual{
		zh: []string{"客户要求先看样品", "记得带上新版报价", "对方采购流程需要三家比价", "老板亲自拍板", "先确认预算再报价"},
		en: []string{"Wants pricing for a 3-year term", "Bring the updated deck", "Needs three quotes for procurement",
			"Decision maker is the CFO", "Check the budget before quoting"},
	}
)

// activityTexts are the bodies of each kind of activity.
var activityTexts = map[string]bilingual{
	"call-out": {
		zh: []string{"电话沟通{product}的报价，{who}说{day}给答复", "回访电话：设备运行正常", "电话没人接，稍后再打",
			"和{who}确认了{n}台的数量", "打电话约{who}{day}见面"},
		en: []string{"Discussed pricing for {product}; {first} will get back to us by {day}", "Left a voicemail",
			"Confirmed quantity: {n} units", "Quick call to check on the rollout", "Called {first} to set up a meeting on {day}"},
	},
	"call-in": {
		zh: []string{"{who}来电询问交期", "{who}来电说预算下个季度才批", "{who}来电要发票", "{who}来电问{product}的价格"},
		en: []string{"{first} called about delivery dates", "{first} called: budget is approved next quarter",
			"{first} called asking for the invoice", "{first} called to ask about {product}"},
	},
	"email-out": {
		zh: []string{"发送了{product}报价单", "发了产品目录和客户案例", "邮件确认{day}的会议", "发了合同草稿给{who}"},
		en: []string{"Sent the quote for {product}", "Sent case studies and the product sheet", "Confirmed the meeting on {day}",
			"Sent the draft contract to {first}"},
	},
	"email-in": {
		zh: []string{"回复：合同条款修改意见", "收到{short}的询价单", "{who}发来了盖章合同", "{who}回邮件说要再比较一下"},
		en: []string{"Re: contract redlines", "RFQ received from {short}", "Signed contract received",
			"{first} replied they need to compare offers"},
	},
	"message-out": {
		zh: []string{"确认了{day}的会议时间", "发了新品资料", "发了{product}的演示视频", "提醒{who}确认订单"},
		en: []string{"Shared the pricing sheet", "Sent a quick update on shipping", "Sent the demo video for {product}",
			"Reminded {first} to confirm the order"},
	},
	"message-in": {
		zh: []string{"{who}发来需求清单", "{who}问有没有现货", "语音聊了十分钟，对方在比价", "{who}发来了现场照片"},
		en: []string{"{first}: can we move the call to {day}?", "{first} asked if we have stock",
			"{first} sent over their requirements", "{first}: thanks, got it"},
	},
	"meeting": {
		zh: []string{"在{short}开会，讨论{product}方案", "方案评审会，对方技术团队参加", "线上会议演示系统，{n}人参加", "和{who}吃饭，聊了明年的计划"},
		en: []string{"Meeting at {short} on {product}", "Solution review with their tech team", "Online demo for {n} people",
			"Lunch with {first}: plans for next year"},
	},
	"visit": {
		zh: []string{"上门拜访{who}，见了采购总监", "去{short}工厂参观", "拜访客户，送了样品", "陪技术去现场调试"},
		en: []string{"Visited {short}, met the head of purchasing", "Site visit at the plant", "Dropped off samples", "On site with our engineer for setup"},
	},
	"note": {
		zh: []string{"客户预算紧张，年底前可能有机会", "{who}下个月休假，找替代联系人", "决策链：技术评估 → 采购 → 总经理签字",
			"对方在和竞争对手比价", "{who}喜欢微信沟通，不爱接电话"},
		en: []string{"Budget is tight; maybe Q4", "{first} is on leave next month; find a backup contact",
			"Decision chain: IT → procurement → CFO", "They are comparing us with a competitor", "{first} prefers email to calls"},
	},
	"complaint": {
		zh: []string{"投诉：{product}交货延迟两周", "投诉：发票抬头开错", "投诉：售后响应太慢", "投诉：到货有{n}件破损"},
		en: []string{"Complaint: {product} delivered two weeks late", "Complaint: invoice had the wrong address",
			"Complaint: support too slow to respond", "Complaint: {n} items arrived damaged"},
	},
	"praise": {
		zh: []string{"售后回访：对服务满意", "培训反馈很好，希望多一些实操", "满意度调查：愿意推荐给同行"},
		en: []string{"Happy with the service", "Training went well; wants more hands-on", "Would recommend us to peers"},
	},
	"criticism": {
		zh: []string{"满意度调查：交期需要改进", "反馈：价格偏高", "反馈：说明书不够清楚"},
		en: []string{"Delivery times need work", "Feels the price is high", "Manual is hard to follow"},
	},
}

var (
	cnWeekdays   = []string{"周一", "周二", "周三", "周四", "周五"}
	enWeekdays   = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	cnHonorifics = []string{"总", "经理", "工"}
)

// vars are the values a template may name.
type vars struct {
	g *generator
	p *person
	d *dealPlan // nil when the text is about no deal
}

func (v vars) value(key string) string {
	r := v.g.rng
	switch key {
	case "name":
		return v.p.name
	case "first":
		return v.p.given
	case "who": // how a Chinese rep speaks of a customer: 张总, 王经理
		if v.p.group.key == groupCN && chance(r, 0.6) {
			return v.p.family + oneOf(r, cnHonorifics)
		}
		return v.p.name
	case "short":
		return v.p.short
	case "deal":
		if v.d != nil {
			return v.d.title
		}
		return v.p.short
	case "product":
		if v.d != nil {
			return v.d.product
		}
		if v.p.chinese() {
			return oneOf(r, cnProducts)
		}
		return oneOf(r, enProducts)
	case "day":
		if v.p.chinese() {
			return oneOf(r, cnWeekdays)
		}
		return oneOf(r, enWeekdays)
	case "n":
		return fmt.Sprint(2 + r.IntN(19))
	}
	panic("demo: template names unknown value {" + key + "}")
}

// fill replaces each {key} in tmpl with its value.
func (v vars) fill(tmpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		b.WriteString(tmpl[:i])
		b.WriteString(v.value(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}
