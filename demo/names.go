package demo

import "math/rand/v2"

// The people in the demo: about half Chinese names (surnames weighted by
// how common they are, so 王, 李 and 张 repeat a lot, as in a real book),
// half English and international ones. Pinyin is spelled out here because
// it makes the email addresses (zhang.wei37@163.com).

// hanName is a Chinese surname or given name with its pinyin.
type hanName struct {
	han, pinyin string
}

var chineseSurnames = newWeighted(
	w[hanName]{hanName{"王", "wang"}, 71}, w[hanName]{hanName{"李", "li"}, 70},
	w[hanName]{hanName{"张", "zhang"}, 67}, w[hanName]{hanName{"刘", "liu"}, 54},
	w[hanName]{hanName{"陈", "chen"}, 45}, w[hanName]{hanName{"杨", "yang"}, 31},
	w[hanName]{hanName{"黄", "huang"}, 22}, w[hanName]{hanName{"赵", "zhao"}, 20},
	w[hanName]{hanName{"吴", "wu"}, 19}, w[hanName]{hanName{"周", "zhou"}, 19},
	w[hanName]{hanName{"徐", "xu"}, 13}, w[hanName]{hanName{"孙", "sun"}, 13},
	w[hanName]{hanName{"马", "ma"}, 12}, w[hanName]{hanName{"朱", "zhu"}, 11},
	w[hanName]{hanName{"胡", "hu"}, 11}, w[hanName]{hanName{"郭", "guo"}, 11},
	w[hanName]{hanName{"何", "he"}, 10}, w[hanName]{hanName{"高", "gao"}, 10},
	w[hanName]{hanName{"林", "lin"}, 10}, w[hanName]{hanName{"罗", "luo"}, 9},
	w[hanName]{hanName{"郑", "zheng"}, 8}, w[hanName]{hanName{"梁", "liang"}, 7},
	w[hanName]{hanName{"谢", "xie"}, 6}, w[hanName]{hanName{"宋", "song"}, 5},
	w[hanName]{hanName{"唐", "tang"}, 5}, w[hanName]{hanName{"许", "xu"}, 4},
	w[hanName]{hanName{"韩", "han"}, 4}, w[hanName]{hanName{"冯", "feng"}, 4},
	w[hanName]{hanName{"邓", "deng"}, 4}, w[hanName]{hanName{"曹", "cao"}, 4},
	w[hanName]{hanName{"彭", "peng"}, 3}, w[hanName]{hanName{"曾", "zeng"}, 3},
	w[hanName]{hanName{"肖", "xiao"}, 3}, w[hanName]{hanName{"田", "tian"}, 3},
	w[hanName]{hanName{"董", "dong"}, 3}, w[hanName]{hanName{"袁", "yuan"}, 3},
	w[hanName]{hanName{"潘", "pan"}, 3}, w[hanName]{hanName{"于", "yu"}, 3},
	w[hanName]{hanName{"蒋", "jiang"}, 3}, w[hanName]{hanName{"蔡", "cai"}, 3},
	w[hanName]{hanName{"余", "yu"}, 3}, w[hanName]{hanName{"杜", "du"}, 2},
	w[hanName]{hanName{"叶", "ye"}, 2}, w[hanName]{hanName{"程", "cheng"}, 2},
	w[hanName]{hanName{"苏", "su"}, 2}, w[hanName]{hanName{"魏", "wei"}, 2},
	w[hanName]{hanName{"吕", "lv"}, 2}, w[hanName]{hanName{"丁", "ding"}, 2},
	w[hanName]{hanName{"任", "ren"}, 2}, w[hanName]{hanName{"沈", "shen"}, 2},
	w[hanName]{hanName{"姚", "yao"}, 2}, w[hanName]{hanName{"卢", "lu"}, 2},
	w[hanName]{hanName{"姜", "jiang"}, 2}, w[hanName]{hanName{"崔", "cui"}, 2},
	w[hanName]{hanName{"钟", "zhong"}, 2}, w[hanName]{hanName{"谭", "tan"}, 2},
	w[hanName]{hanName{"陆", "lu"}, 2}, w[hanName]{hanName{"汪", "wang"}, 2},
	w[hanName]{hanName{"范", "fan"}, 2}, w[hanName]{hanName{"金", "jin"}, 2},
	w[hanName]{hanName{"石", "shi"}, 1}, w[hanName]{hanName{"廖", "liao"}, 1},
	w[hanName]{hanName{"贾", "jia"}, 1}, w[hanName]{hanName{"夏", "xia"}, 1},
	w[hanName]{hanName{"韦", "wei"}, 1}, w[hanName]{hanName{"方", "fang"}, 1},
	w[hanName]{hanName{"白", "bai"}, 1}, w[hanName]{hanName{"孟", "meng"}, 1},
	w[hanName]{hanName{"秦", "qin"}, 1}, w[hanName]{hanName{"邱", "qiu"}, 1},
	w[hanName]{hanName{"江", "jiang"}, 1}, w[hanName]{hanName{"段", "duan"}, 1},
	w[hanName]{hanName{"雷", "lei"}, 1}, w[hanName]{hanName{"侯", "hou"}, 1},
	w[hanName]{hanName{"龙", "long"}, 1}, w[hanName]{hanName{"顾", "gu"}, 1},
	w[hanName]{hanName{"单", "shan"}, 1}, w[hanName]{hanName{"欧阳", "ouyang"}, 1},
	w[hanName]{hanName{"司马", "sima"}, 1}, w[hanName]{hanName{"上官", "shangguan"}, 1},
)

var chineseGivenNames = newWeighted(
	w[hanName]{hanName{"伟", "wei"}, 6}, w[hanName]{hanName{"芳", "fang"}, 5},
	w[hanName]{hanName{"娜", "na"}, 5}, w[hanName]{hanName{"敏", "min"}, 5},
	w[hanName]{hanName{"静", "jing"}, 5}, w[hanName]{hanName{"丽", "li"}, 4},
	w[hanName]{hanName{"强", "qiang"}, 4}, w[hanName]{hanName{"磊", "lei"}, 4},
	w[hanName]{hanName{"军", "jun"}, 4}, w[hanName]{hanName{"洋", "yang"}, 4},
	w[hanName]{hanName{"勇", "yong"}, 4}, w[hanName]{hanName{"艳", "yan"}, 4},
	w[hanName]{hanName{"杰", "jie"}, 4}, w[hanName]{hanName{"娟", "juan"}, 3},
	w[hanName]{hanName{"涛", "tao"}, 3}, w[hanName]{hanName{"明", "ming"}, 3},
	w[hanName]{hanName{"超", "chao"}, 3}, w[hanName]{hanName{"秀英", "xiuying"}, 3},
	w[hanName]{hanName{"秀兰", "xiulan"}, 2}, w[hanName]{hanName{"霞", "xia"}, 2},
	w[hanName]{hanName{"平", "ping"}, 2}, w[hanName]{hanName{"刚", "gang"}, 2},
	w[hanName]{hanName{"桂英", "guiying"}, 2}, w[hanName]{hanName{"华", "hua"}, 2},
	w[hanName]{hanName{"鹏", "peng"}, 2}, w[hanName]{hanName{"玲", "ling"}, 2},
	w[hanName]{hanName{"飞", "fei"}, 2}, w[hanName]{hanName{"斌", "bin"}, 2},
	w[hanName]{hanName{"宇", "yu"}, 2}, w[hanName]{hanName{"浩", "hao"}, 2},
	w[hanName]{hanName{"凯", "kai"}, 2}, w[hanName]{hanName{"婷", "ting"}, 2},
	w[hanName]{hanName{"欣", "xin"}, 2}, w[hanName]{hanName{"文", "wen"}, 2},
	w[hanName]{hanName{"玮", "wei"}, 1}, w[hanName]{hanName{"琳", "lin"}, 1},
	w[hanName]{hanName{"辉", "hui"}, 1}, w[hanName]{hanName{"健", "jian"}, 1},
	w[hanName]{hanName{"颖", "ying"}, 1}, w[hanName]{hanName{"倩", "qian"}, 1},
	w[hanName]{hanName{"小明", "xiaoming"}, 1}, w[hanName]{hanName{"晓东", "xiaodong"}, 1},
	w[hanName]{hanName{"建华", "jianhua"}, 1}, w[hanName]{hanName{"建国", "jianguo"}, 1},
	w[hanName]{hanName{"志强", "zhiqiang"}, 1}, w[hanName]{hanName{"海燕", "haiyan"}, 1},
	w[hanName]{hanName{"国强", "guoqiang"}, 1}, w[hanName]{hanName{"婷婷", "tingting"}, 1},
	w[hanName]{hanName{"雪梅", "xuemei"}, 1}, w[hanName]{hanName{"俊杰", "junjie"}, 1},
	w[hanName]{hanName{"子涵", "zihan"}, 1}, w[hanName]{hanName{"浩然", "haoran"}, 1},
	w[hanName]{hanName{"欣怡", "xinyi"}, 1}, w[hanName]{hanName{"宇轩", "yuxuan"}, 1},
	w[hanName]{hanName{"梓萱", "zixuan"}, 1}, w[hanName]{hanName{"一鸣", "yiming"}, 1},
	w[hanName]{hanName{"思远", "siyuan"}, 1}, w[hanName]{hanName{"文博", "wenbo"}, 1},
	w[hanName]{hanName{"佳琪", "jiaqi"}, 1}, w[hanName]{hanName{"雨桐", "yutong"}, 1},
	w[hanName]{hanName{"振华", "zhenhua"}, 1}, w[hanName]{hanName{"春梅", "chunmei"}, 1},
	w[hanName]{hanName{"丽华", "lihua"}, 1}, w[hanName]{hanName{"永强", "yongqiang"}, 1},
	w[hanName]{hanName{"立新", "lixin"}, 1}, w[hanName]{hanName{"红梅", "hongmei"}, 1},
)

// A nameGroup is where a person comes from: how their names, phone
// numbers and personal email addresses look.
type nameGroup struct {
	key      string
	weight   int // among the non-Chinese names
	chinese  bool
	firsts   []string
	lasts    weighted[string]
	phone    func(*rand.Rand) string
	personal []string // personal email domains
	place    []place
}

// Group keys that the featured people refer to.
const (
	groupCN   = "cn"
	groupCNEn = "cn-en"
	groupUS   = "us"
	groupUK   = "uk"
	groupDE   = "de"
	groupES   = "es"
)

// Garcia is about 1 % of all contacts (from the US and Spanish groups), so
// that `contact list --search garcia` is a realistic benchmark.
var nameGroups = []*nameGroup{
	{key: groupCN, chinese: true, phone: cnMobile,
		personal: []string{"163.com", "163.com", "qq.com", "qq.com", "qq.com", "126.com", "foxmail.com", "sina.com", "gmail.com", "outlook.com"},
		place:    cnPlaces},
	{key: groupCNEn, weight: 10, chinese: true, phone: cnMobile,
		firsts: []string{"Kevin", "Tony", "Jack", "Linda", "Amy", "Eric", "Vivian", "Cindy", "Jason", "Peter", "Michael", "Grace", "Sunny", "Leo", "Helen", "Frank", "Coco", "Alex"},
		lasts: newWeighted(w[string]{"Zhang", 6}, w[string]{"Wang", 7}, w[string]{"Li", 7}, w[string]{"Liu", 5},
			w[string]{"Chen", 5}, w[string]{"Yang", 3}, w[string]{"Huang", 2}, w[string]{"Zhao", 2},
			w[string]{"Wu", 2}, w[string]{"Zhou", 2}, w[string]{"Lin", 2}, w[string]{"Xu", 1}, w[string]{"Sun", 1}),
		personal: []string{"qq.com", "163.com", "gmail.com", "outlook.com"},
		place:    cnPlaces},
	{key: groupUS, weight: 36, phone: usPhone,
		firsts: []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Sarah", "William", "Emily", "Daniel", "Jessica", "Matthew", "Ashley", "Chris", "Megan", "Brian", "Laura", "Kevin", "Rachel", "José", "Maria", "Carlos", "Ana"},
		lasts: newWeighted(w[string]{"Smith", 10}, w[string]{"Johnson", 8}, w[string]{"Williams", 7}, w[string]{"Brown", 6},
			w[string]{"Jones", 6}, w[string]{"Garcia", 4}, w[string]{"Miller", 5}, w[string]{"Davis", 5},
			w[string]{"Rodriguez", 4}, w[string]{"Martinez", 4}, w[string]{"Wilson", 4}, w[string]{"Anderson", 4},
			w[string]{"Taylor", 4}, w[string]{"Thomas", 3}, w[string]{"Moore", 3}, w[string]{"Martin", 3},
			w[string]{"Lee", 3}, w[string]{"Jackson", 3}, w[string]{"Thompson", 3}, w[string]{"White", 3},
			w[string]{"Harris", 3}, w[string]{"Clark", 3}, w[string]{"Lewis", 3}, w[string]{"Robinson", 3},
			w[string]{"Walker", 3}, w[string]{"Young", 2}, w[string]{"Allen", 2}, w[string]{"King", 2},
			w[string]{"Wright", 2}, w[string]{"Scott", 2}, w[string]{"Hill", 2}, w[string]{"Green", 2},
			w[string]{"Adams", 2}, w[string]{"Baker", 2}, w[string]{"Nelson", 2}, w[string]{"Carter", 2},
			w[string]{"Mitchell", 2}, w[string]{"Roberts", 2}, w[string]{"Turner", 2}, w[string]{"Phillips", 2},
			w[string]{"Campbell", 2}, w[string]{"Parker", 2}, w[string]{"Evans", 2}, w[string]{"Edwards", 2},
			w[string]{"Collins", 2}, w[string]{"Stewart", 2}, w[string]{"Morris", 2}, w[string]{"Cook", 2},
			w[string]{"Rogers", 2}, w[string]{"Nguyen", 2}, w[string]{"Kim", 2}, w[string]{"Patel", 2}),
		personal: []string{"gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "hotmail.com"},
		place:    usPlaces},
	{key: groupUK, weight: 14, phone: ukMobile,
		firsts: []string{"Oliver", "Amelia", "Harry", "Charlotte", "George", "Olivia", "James", "Emily", "Jack", "Sophie", "Seán", "Siobhán", "Aoife", "Niamh", "Ciarán", "Thomas", "Hannah", "Rhys"},
		lasts: newWeighted(w[string]{"Smith", 6}, w[string]{"Jones", 5}, w[string]{"Taylor", 4}, w[string]{"Brown", 4},
			w[string]{"Williams", 4}, w[string]{"Wilson", 3}, w[string]{"Evans", 3}, w[string]{"Thomas", 3},
			w[string]{"Roberts", 2}, w[string]{"Walsh", 2}, w[string]{"O'Brien", 3}, w[string]{"O'Connor", 2},
			w[string]{"O'Sullivan", 2}, w[string]{"Murphy", 3}, w[string]{"Kelly", 2}, w[string]{"Byrne", 2},
			w[string]{"McCarthy", 2}, w[string]{"MacDonald", 2}, w[string]{"Campbell", 2}, w[string]{"Stewart", 2}),
		personal: []string{"gmail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk"},
		place:    ukPlaces},
	{key: groupDE, weight: 10, phone: deMobile,
		firsts: []string{"Jürgen", "Lukas", "Anna", "Katrin", "Stefan", "Jörg", "Sabine", "Thomas", "Julia", "Maximilian", "Lena", "Felix", "Sophie", "Uwe", "Björn", "Günter"},
		lasts: newWeighted(w[string]{"Müller", 8}, w[string]{"Schmidt", 6}, w[string]{"Schneider", 5}, w[string]{"Fischer", 4},
			w[string]{"Weber", 4}, w[string]{"Meyer", 3}, w[string]{"Wagner", 3}, w[string]{"Becker", 3},
			w[string]{"Schulz", 3}, w[string]{"Hoffmann", 3}, w[string]{"Schäfer", 2}, w[string]{"Koch", 2},
			w[string]{"Bauer", 2}, w[string]{"Richter", 2}, w[string]{"Klein", 2}, w[string]{"Wolf", 2},
			w[string]{"Schröder", 2}, w[string]{"Neumann", 2}, w[string]{"Zimmermann", 2}, w[string]{"Krüger", 1},
			w[string]{"Hartmann", 1}, w[string]{"Lange", 1}, w[string]{"Weiß", 1}),
		personal: []string{"gmx.de", "web.de", "t-online.de", "gmail.com"},
		place:    dePlaces},
	{key: groupES, weight: 10, phone: esMobile,
		firsts: []string{"José", "María", "Carlos", "Lucía", "Javier", "Sofía", "Mateo", "Ana", "Alejandro", "Carmen", "Pablo", "Marta", "Diego", "Elena"},
		lasts: newWeighted(w[string]{"García", 6}, w[string]{"Fernández", 6}, w[string]{"López", 6}, w[string]{"Martínez", 6},
			w[string]{"Rodríguez", 6}, w[string]{"González", 6}, w[string]{"Hernández", 4}, w[string]{"Sánchez", 5},
			w[string]{"Pérez", 5}, w[string]{"Gómez", 3}, w[string]{"Díaz", 3}, w[string]{"Moreno", 3},
			w[string]{"Álvarez", 3}, w[string]{"Romero", 3}, w[string]{"Navarro", 2}, w[string]{"Torres", 2}),
		personal: []string{"gmail.com", "hotmail.es", "yahoo.es", "outlook.es"},
		place:    esPlaces},
	{key: "fr", weight: 6, phone: frMobile,
		firsts: []string{"Chloé", "Léa", "Manon", "Camille", "Louis", "Hugo", "Gabriel", "Jules", "Élodie", "François", "Hélène", "Amélie", "Théo", "Margaux"},
		lasts: newWeighted(w[string]{"Martin", 5}, w[string]{"Bernard", 4}, w[string]{"Dubois", 4}, w[string]{"Thomas", 3},
			w[string]{"Robert", 3}, w[string]{"Richard", 3}, w[string]{"Petit", 3}, w[string]{"Durand", 3},
			w[string]{"Leroy", 2}, w[string]{"Moreau", 2}, w[string]{"Simon", 2}, w[string]{"Laurent", 2},
			w[string]{"Lefèvre", 2}, w[string]{"Michel", 2}, w[string]{"Garnier", 1}, w[string]{"Rousseau", 1}),
		personal: []string{"gmail.com", "orange.fr", "free.fr", "laposte.net"},
		place:    frPlaces},
	{key: "in", weight: 9, phone: inMobile,
		firsts: []string{"Priya", "Raj", "Amit", "Anjali", "Rahul", "Sneha", "Vikram", "Deepa", "Arjun", "Kavya", "Rohan", "Neha"},
		lasts: newWeighted(w[string]{"Patel", 5}, w[string]{"Sharma", 5}, w[string]{"Singh", 5}, w[string]{"Kumar", 4},
			w[string]{"Gupta", 3}, w[string]{"Shah", 3}, w[string]{"Reddy", 2}, w[string]{"Iyer", 2},
			w[string]{"Nair", 2}, w[string]{"Mehta", 2}, w[string]{"Rao", 2}, w[string]{"Joshi", 2}),
		personal: []string{"gmail.com", "yahoo.co.in", "outlook.com", "rediffmail.com"},
		place:    usPlaces},
	{key: "jp", weight: 5, phone: jpMobile,
		firsts: []string{"Hiroshi", "Yuki", "Takashi", "Aiko", "Kenji", "Haruka", "Satoshi", "Yumi", "Daisuke", "Naoko"},
		lasts: newWeighted(w[string]{"Tanaka", 3}, w[string]{"Sato", 3}, w[string]{"Suzuki", 3}, w[string]{"Takahashi", 2},
			w[string]{"Watanabe", 2}, w[string]{"Ito", 2}, w[string]{"Yamamoto", 2}, w[string]{"Nakamura", 2},
			w[string]{"Kobayashi", 1}, w[string]{"Kato", 1}),
		personal: []string{"gmail.com", "yahoo.co.jp", "docomo.ne.jp", "outlook.jp"},
		place:    usPlaces},
}

var chineseGroup = groupByKey(groupCN)

// groupByKey returns the group with the given key.
func groupByKey(key string) *nameGroup {
	for _, g := range nameGroups {
		if g.key == key {
			return g
		}
	}
	panic("demo: no name group " + key)
}

// The non-Chinese groups, drawn by their weights.
var foreignGroups = func() weighted[*nameGroup] {
	var ws []w[*nameGroup]
	for _, g := range nameGroups {
		if g.weight > 0 {
			ws = append(ws, w[*nameGroup]{g, g.weight})
		}
	}
	return newWeighted(ws...)
}()

// featured people come first in every demo, however small, so the README
// can show them: a search for "zw" finds 张伟, "garcia" finds José García.
var featured = []struct {
	group, family, given string
}{
	{groupCN, "张", "伟"}, {groupES, "García", "José"}, {groupCN, "王", "磊"},
	{groupUS, "Smith", "John"}, {groupCN, "李", "娜"}, {groupUK, "O'Brien", "Seán"},
	{groupCN, "张", "敏"}, {groupDE, "Müller", "Jürgen"}, {groupCN, "王", "静"},
	{groupCN, "张", "小明"}, {groupUS, "Garcia", "Maria"}, {groupCN, "陈", "晓东"},
	{groupCN, "王", "建国"}, {groupCNEn, "Zhang", "Kevin"}, {groupCN, "张", "秀英"},
}

// pinyinOf returns the pinyin the tables give for a surname or given name.
func pinyinOf(t weighted[hanName], han string) string {
	for _, n := range t.items {
		if n.han == han {
			return n.pinyin
		}
	}
	panic("demo: no pinyin for " + han)
}

// The sales reps who own the records: the demo is one small team's book.
var (
	chineseReps = newWeighted(w[string]{"王芳", 5}, w[string]{"李强", 3}, w[string]{"陈静", 2}, w[string]{"赵磊", 1})
	englishReps = newWeighted(w[string]{"Sarah Lin", 3}, w[string]{"Mike Chen", 2}, w[string]{"Emma Walsh", 1})
)
