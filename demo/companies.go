package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/model"
)

// firm is a planned company.
type firm struct {
	rec     model.Company
	born    time.Time // raw creation time
	chinese bool
	short   string // what people call it: 华强电子, Acme Systems
	place   place
	weight  float64 // how much it buys: a few firms buy most
}

// Chinese company names: city + 字号 + industry + 有限公司, e.g. 深圳华强电子有限公司.
var cnBrands = []hanName{
	{"华强", "huaqiang"}, {"瑞丰", "ruifeng"}, {"鼎盛", "dingsheng"}, {"恒通", "hengtong"},
	{"金桥", "jinqiao"}, {"宏达", "hongda"}, {"新锐", "xinrui"}, {"博远", "boyuan"},
	{"天成", "tiancheng"}, {"永信", "yongxin"}, {"中科", "zhongke"}, {"联创", "lianchuang"},
	{"华美", "huamei"}, {"东方", "dongfang"}, {"创新", "chuangxin"}, {"光明", "guangming"},
	{"远航", "yuanhang"}, {"海纳", "haina"}, {"德胜", "desheng"}, {"万通", "wantong"},
	{"正泰", "zhengtai"}, {"锦华", "jinhua"}, {"嘉禾", "jiahe"}, {"星辰", "xingchen"},
	{"云帆", "yunfan"}, {"盛世", "shengshi"}, {"银河", "yinhe"}, {"长城", "changcheng"},
	{"泰和", "taihe"}, {"润泽", "runze"}, {"信达", "xinda"}, {"迅捷", "xunjie"},
	{"凯旋", "kaixuan"}, {"融通", "rongtong"}, {"华信", "huaxin"}, {"卓越", "zhuoyue"},
	{"启明", "qiming"}, {"安泰", "antai"}, {"宝利", "baoli"}, {"富华", "fuhua"},
	{"广源", "guangyuan"}, {"国盛", "guosheng"}, {"和信", "hexin"}, {"恒瑞", "hengrui"},
	{"金达", "jinda"}, {"明辉", "minghui"}, {"普天", "putian"}, {"青松", "qingsong"},
	{"三友", "sanyou"}, {"顺达", "shunda"}, {"腾飞", "tengfei"}, {"伟业", "weiye"},
	{"祥瑞", "xiangrui"}, {"亚信", "yaxin"}, {"益康", "yikang"}, {"智达", "zhida"},
	{"蓝海", "lanhai"}, {"飞鸿", "feihong"}, {"鑫源", "xinyuan"}, {"朗润", "langrun"},
}

// cnIndustry is the industry word in a Chinese company name.
type cnIndustry struct {
	word, code, industry string
}

var cnIndustries = []cnIndustry{
	{"电子", "dz", "电子制造"}, {"科技", "kj", "信息技术"}, {"贸易", "my", "贸易"},
	{"机械", "jx", "机械制造"}, {"医疗器械", "ylqx", "医疗器械"}, {"物流", "wl", "物流"},
	{"软件", "rj", "软件"}, {"新材料", "xcl", "新材料"}, {"食品", "sp", "食品饮料"},
	{"环保", "hb", "环保"}, {"建材", "jc", "建筑材料"}, {"自动化", "zdh", "工业自动化"},
	{"通信", "tx", "通信"}, {"医药", "yy", "医药"}, {"供应链", "gyl", "供应链管理"},
}

// English company names: prefix + kind + a legal form of the country.
var enPrefixes = []string{
	"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Northwind", "Contoso", "Fabrikam",
	"Blue Harbor", "Silverline", "Redwood", "Summit", "Pioneer", "Evergreen", "Atlas", "Beacon",
	"Cobalt", "Crescent", "Delta", "Falcon", "Granite", "Harbor", "Ironwood", "Juniper", "Keystone",
	"Lighthouse", "Meridian", "Nova", "Orion", "Pinnacle", "Quantum", "Riverside", "Sterling",
	"Titan", "Unity", "Vertex", "Willow", "Zenith", "Apex", "Bluebird", "Brightway", "Cascade",
	"Clearwater", "Copperfield", "Eastgate", "Foxglove", "Greenfield", "Highland", "Kingsbridge",
	"Lakeside", "Maple", "Northstar", "Oakridge", "Polaris", "Redstone", "Seaside", "Skyline",
	"Stonebridge", "Westwood", "Aurora", "Bayview", "Cedar", "Driftwood", "Emerald", "Frontier",
	"Golden Gate", "Horizon", "Ivy", "Jade", "Kestrel", "Lumen", "Mosaic", "Nimbus", "Oasis",
	"Paragon", "Quarry", "Rainier", "Sapphire", "Tidewater",
}

type enCompanyKind struct {
	word, industry string
}

var enCompanyKinds = []enCompanyKind{
	{"", ""}, {"Systems", "IT services"}, {"Logistics", "Logistics"}, {"Foods", "Food & beverage"},
	{"Analytics", "Data & analytics"}, {"Robotics", "Industrial automation"}, {"Medical", "Medical devices"},
	{"Software", "Software"}, {"Supply", "Wholesale"}, {"Energy", "Energy"}, {"Labs", "Biotech"},
	{"Trading", "Trading"}, {"Manufacturing", "Manufacturing"}, {"Consulting", "Consulting"},
	{"Retail", "Retail"}, {"Networks", "Telecommunications"}, {"Materials", "Materials"},
	{"Instruments", "Electronics"}, {"Health", "Healthcare"}, {"Partners", "Professional services"},
}

// enCountry is where an English-named company is registered.
type enCountry struct {
	places []place
	forms  []string // legal forms
	tld    string
}

var enCountries = newWeighted(
	w[enCountry]{enCountry{usPlaces, []string{"Inc.", "LLC", "Corp."}, ".com"}, 10},
	w[enCountry]{enCountry{ukPlaces, []string{"Ltd", "Ltd", "PLC"}, ".co.uk"}, 4},
	w[enCountry]{enCountry{dePlaces, []string{"GmbH", "GmbH", "AG"}, ".de"}, 3},
	w[enCountry]{enCountry{esPlaces, []string{"S.L.", "S.A."}, ".es"}, 2},
	w[enCountry]{enCountry{frPlaces, []string{"SAS", "SA"}, ".fr"}, 2},
)

var companySizes = newWeighted(
	w[string]{"1-10", 15}, w[string]{"11-50", 35}, w[string]{"51-200", 30},
	w[string]{"201-1000", 15}, w[string]{"1000+", 5},
)

var sizeFactor = map[string]float64{"1-10": 0.3, "11-50": 0.6, "51-200": 1, "201-1000": 2, "1000+": 4}

var (
	cnCompanyTags = newWeighted(w[string]{"重点客户", 4}, w[string]{"key-account", 2}, w[string]{"partner", 2},
		w[string]{"渠道商", 2}, w[string]{"reseller", 1}, w[string]{"供应商", 1}, w[string]{"国企", 1})
	enCompanyTags = newWeighted(w[string]{"key-account", 4}, w[string]{"partner", 3}, w[string]{"reseller", 2},
		w[string]{"distributor", 2}, w[string]{"enterprise", 2}, w[string]{"startup", 1})
)

// planFirms draws the companies, a bit more than half of them Chinese,
// each name used once.
func (g *generator) planFirms() {
	r := g.rng
	n := g.sizes.Companies
	cnCombos := len(cnPlaces) * len(cnBrands) * len(cnIndustries)
	enCombos := len(enPrefixes) * len(enCompanyKinds)
	cnOrder, enOrder := r.Perm(cnCombos), r.Perm(enCombos)
	// Every demo, however small, starts with 深圳华强电子有限公司, Acme Corp
	// and 杭州云帆科技有限公司, so the README can show them.
	promote(cnOrder, 0, cnCombo("深圳", "华强", "电子"))
	promote(cnOrder, 1, cnCombo("杭州", "云帆", "科技"))
	promote(enOrder, 0, slices.Index(enPrefixes, "Acme"))
	us := enCountries.items[0]
	var cn, en int
	g.firms = make([]firm, n)
	for i := range g.firms {
		f := &g.firms[i]
		if i == 0 || i == 2 || i > 2 && chance(r, 0.55) {
			form := "有限公司"
			if i > 2 && chance(r, 0.2) {
				form = "股份有限公司"
			}
			g.chineseFirm(f, cnOrder[cn%cnCombos], cn/cnCombos, form)
			cn++
		} else {
			country := us
			if i > 2 {
				country = enCountries.draw(r)
			}
			g.englishFirm(f, enOrder[en%enCombos], en/enCombos, country)
			en++
		}
		g.finishFirm(f)
	}
	sortBy(g.firms, func(f *firm) time.Time { return f.born })
	for i := range g.firms {
		f := &g.firms[i]
		f.rec.CreatedAt = g.clock(f.born)
		f.rec.ID = g.ids.New(f.rec.CreatedAt)
	}
}

// cnCombo returns the combination number of a Chinese company name (see
// chineseFirm).
func cnCombo(city, brand, industry string) int {
	c := slices.IndexFunc(cnPlaces, func(p place) bool { return p.city == city })
	b := slices.IndexFunc(cnBrands, func(n hanName) bool { return n.han == brand })
	i := slices.IndexFunc(cnIndustries, func(n cnIndustry) bool { return n.word == industry })
	return c + len(cnPlaces)*(b+len(cnBrands)*i)
}

// promote moves the value v of the permutation order to position i.
func promote(order []int, i, v int) {
	j := slices.Index(order, v)
	order[i], order[j] = order[j], order[i]
}

// chineseFirm names f after combination k (city, brand and industry)
// with the legal form; a repeat round r > 0 (only in very large demos)
// makes it a branch office.
func (g *generator) chineseFirm(f *firm, k, round int, form string) {
	city := cnPlaces[k%len(cnPlaces)]
	brand := cnBrands[k/len(cnPlaces)%len(cnBrands)]
	ind := cnIndustries[k/len(cnPlaces)/len(cnBrands)]
	f.chinese, f.place, f.short = true, city, brand.han+ind.word
	f.rec.Name = city.city + brand.han + ind.word + form
	f.rec.Domain = city.code + brand.pinyin + ind.code
	if round > 0 {
		f.rec.Name += fmt.Sprintf("第%d分公司", round+1)
		f.rec.Domain += fmt.Sprint(round + 1)
	}
	f.rec.Domain += oneOf(g.rng, []string{".com", ".com.cn", ".cn"})
	f.rec.Industry = ind.industry
}

// englishFirm names f after combination k (prefix and kind), registered
// in country c; a repeat round r > 0 numbers the name.
func (g *generator) englishFirm(f *firm, k, round int, c enCountry) {
	prefix := enPrefixes[k%len(enPrefixes)]
	kind := enCompanyKinds[k/len(enPrefixes)]
	f.place = oneOf(g.rng, c.places)
	f.short = strings.TrimSpace(prefix + " " + kind.word)
	form := oneOf(g.rng, c.forms)
	if kind.word == "" && c.tld == ".com" {
		form = "Corp" // Acme Corp, Globex Corp
	}
	f.rec.Name = f.short + " " + form
	f.rec.Domain = strings.ToLower(strings.ReplaceAll(f.short, " ", ""))
	if round > 0 {
		f.rec.Name = fmt.Sprintf("%s %d %s", f.short, round+1, form)
		f.rec.Domain += fmt.Sprint(round + 1)
	}
	f.rec.Domain += c.tld
	f.rec.Industry = kind.industry
	if f.rec.Industry == "" {
		f.rec.Industry = oneOf(g.rng, []string{"Manufacturing", "Retail", "Software", "Consulting"})
	}
}

// finishFirm fills in what both kinds of company have.
func (g *generator) finishFirm(f *firm) {
	r := g.rng
	c := &f.rec
	c.Size = companySizes.draw(r)
	f.weight = pareto(r, 1.2, 300) * sizeFactor[c.Size]
	f.born = recent(r, g.now.AddDate(-4, 0, 0), g.now.AddDate(0, 0, -60), 0.8)
	if chance(r, 0.7) {
		c.Phone = landline(r, f.place)
	}
	if chance(r, 0.85) {
		c.Address = f.place.address(r, "office")
	}
	tags := enCompanyTags
	if f.chinese {
		tags = cnCompanyTags
		c.Owner = chineseReps.draw(r)
	} else {
		c.Owner = englishReps.draw(r)
	}
	c.Tags = []string{}
	if f.weight > 8 || chance(r, 0.2) {
		c.Tags = append(c.Tags, tags.draw(r))
	}
	if chance(r, 0.1) {
		if f.chinese {
			c.Custom = map[string]string{"credit_code": "91" + digits(r, 4) + "00" + strings.ToUpper(fmt.Sprintf("%010x", r.Uint64()>>24))}
		} else {
			c.Custom = map[string]string{"account_no": fmt.Sprintf("AC-%05d", r.IntN(100000))}
		}
	}
}
