package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/rolo-crm/rolo/model"
)

// place is a city where companies and people have addresses.
type place struct {
	city, region, country string
	code                  string   // short pinyin code of a Chinese city (sz), used in domains
	area                  string   // landline area code without the trunk 0
	local                 int      // digits of a local number when not 8 (Chinese cities)
	postcodes             []string // a few real ones
	streets               []string // each with one %d for the number
}

func (p place) address(r *rand.Rand, label string) model.Address {
	return model.Address{
		Label:    label,
		Street:   fmt.Sprintf(oneOf(r, p.streets), 1+r.IntN(300)),
		City:     p.city,
		Region:   p.region,
		Postcode: oneOf(r, p.postcodes),
		Country:  p.country,
	}
}

var cnPlaces = []place{
	{city: "深圳", region: "广东省", country: "中国", code: "sz", area: "755", postcodes: []string{"518057", "518048", "518129", "518101"},
		streets: []string{"南山区科苑路%d号", "福田区深南大道%d号", "龙岗区坂田五和大道%d号", "宝安区西乡大道%d号"}},
	{city: "杭州", region: "浙江省", country: "中国", code: "hz", area: "571", postcodes: []string{"310012", "310051", "311121"},
		streets: []string{"西湖区文三路%d号", "滨江区江南大道%d号", "余杭区文一西路%d号"}},
	{city: "上海", region: "上海市", country: "中国", code: "sh", area: "21", postcodes: []string{"201203", "200233", "201108"},
		streets: []string{"浦东新区张江路%d号", "徐汇区宜山路%d号", "闵行区莘庄工业区春东路%d号"}},
	{city: "北京", region: "北京市", country: "中国", code: "bj", area: "10", postcodes: []string{"100080", "100022", "102206"},
		streets: []string{"海淀区中关村大街%d号", "朝阳区建国路%d号", "昌平区回龙观东大街%d号"}},
	{city: "广州", region: "广东省", country: "中国", code: "gz", area: "20", postcodes: []string{"510620", "510663"},
		streets: []string{"天河区天河路%d号", "黄埔区科学大道%d号"}},
	{city: "苏州", region: "江苏省", country: "中国", code: "su", area: "512", postcodes: []string{"215021", "215104"},
		streets: []string{"工业园区星湖街%d号", "吴中区东吴北路%d号"}},
	{city: "成都", region: "四川省", country: "中国", code: "cd", area: "28", postcodes: []string{"610041", "610094"},
		streets: []string{"高新区天府大道中段%d号", "武侯区人民南路四段%d号"}},
	{city: "武汉", region: "湖北省", country: "中国", code: "wh", area: "27", postcodes: []string{"430074", "430070"},
		streets: []string{"东湖高新区光谷大道%d号", "洪山区珞喻路%d号"}},
	{city: "南京", region: "江苏省", country: "中国", code: "nj", area: "25", postcodes: []string{"211100", "210019"},
		streets: []string{"江宁区双龙大道%d号", "建邺区江东中路%d号"}},
	{city: "厦门", region: "福建省", country: "中国", code: "xm", area: "592", local: 7, postcodes: []string{"361008", "361006"},
		streets: []string{"思明区软件园二期观日路%d号", "湖里区枋湖北二路%d号"}},
	{city: "东莞", region: "广东省", country: "中国", code: "dg", area: "769", postcodes: []string{"523808", "523000"},
		streets: []string{"松山湖高新区工业东路%d号", "南城区鸿福路%d号"}},
	{city: "宁波", region: "浙江省", country: "中国", code: "nb", area: "574", postcodes: []string{"315040", "315800"},
		streets: []string{"高新区聚贤路%d号", "北仑区新碶明州路%d号"}},
}

var usPlaces = []place{
	{city: "San Francisco", region: "CA", country: "United States", area: "415", postcodes: []string{"94105", "94107", "94111"},
		streets: []string{"%d Market Street", "%d Mission Street", "%d Folsom Street"}},
	{city: "New York", region: "NY", country: "United States", area: "212", postcodes: []string{"10001", "10013", "10017"},
		streets: []string{"%d Broadway", "%d Park Avenue South", "%d West 34th Street"}},
	{city: "Austin", region: "TX", country: "United States", area: "512", postcodes: []string{"78701", "78758"},
		streets: []string{"%d Congress Avenue", "%d Research Boulevard"}},
	{city: "Chicago", region: "IL", country: "United States", area: "312", postcodes: []string{"60601", "60607"},
		streets: []string{"%d North Michigan Avenue", "%d West Randolph Street"}},
	{city: "Boston", region: "MA", country: "United States", area: "617", postcodes: []string{"02110", "02210"},
		streets: []string{"%d Summer Street", "%d Atlantic Avenue"}},
	{city: "Seattle", region: "WA", country: "United States", area: "206", postcodes: []string{"98101", "98109"},
		streets: []string{"%d Pine Street", "%d Westlake Avenue North"}},
}

var ukPlaces = []place{
	{city: "London", country: "United Kingdom", area: "20", postcodes: []string{"EC1V 9HX", "SE1 9SG", "W1T 3JL"},
		streets: []string{"%d Old Street", "%d Borough High Street", "%d Tottenham Court Road"}},
	{city: "Manchester", country: "United Kingdom", area: "161", postcodes: []string{"M1 3BN", "M4 6JG"},
		streets: []string{"%d Deansgate", "%d Portland Street"}},
	{city: "Edinburgh", country: "United Kingdom", area: "131", postcodes: []string{"EH2 2ER", "EH3 9DR"},
		streets: []string{"%d George Street", "%d Lothian Road"}},
}

var dePlaces = []place{
	{city: "Berlin", country: "Germany", area: "30", postcodes: []string{"10115", "10785"},
		streets: []string{"Friedrichstraße %d", "Potsdamer Straße %d"}},
	{city: "München", region: "Bayern", country: "Germany", area: "89", postcodes: []string{"80331", "81829"},
		streets: []string{"Leopoldstraße %d", "Landsberger Straße %d"}},
	{city: "Hamburg", country: "Germany", area: "40", postcodes: []string{"20095", "22761"},
		streets: []string{"Mönckebergstraße %d", "Große Elbstraße %d"}},
}

var esPlaces = []place{
	{city: "Madrid", country: "Spain", area: "91", postcodes: []string{"28013", "28046"},
		streets: []string{"Calle de Alcalá %d", "Paseo de la Castellana %d"}},
	{city: "Barcelona", country: "Spain", area: "93", postcodes: []string{"08007", "08018"},
		streets: []string{"Carrer de Pallars %d", "Passeig de Gràcia %d"}},
}

var frPlaces = []place{
	{city: "Paris", country: "France", area: "1", postcodes: []string{"75002", "75011"},
		streets: []string{"%d rue de Rivoli", "%d boulevard Voltaire"}},
	{city: "Lyon", country: "France", area: "4", postcodes: []string{"69002", "69003"},
		streets: []string{"%d rue de la République", "%d cours Lafayette"}},
}
