package csvmap

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Normalize puts a header in the form the dictionaries use: no BOM, no
// surrounding spaces or required-field stars, lower case, half-width
// letters, "_" read as a space and runs of spaces as one.
func Normalize(h string) string {
	h = strings.ReplaceAll(h, "\ufeff", "")
	h = width.Fold.String(h)
	h = strings.ToLower(h)
	h = strings.ReplaceAll(h, "_", " ")
	h = strings.Join(strings.Fields(h), " ")
	h = strings.Trim(h, "*:： ")
	return h
}

// t is shorthand for the dictionaries below.
func t(f Field, label string) Target { return Target{Field: f, Label: label} }

// common maps the headers of plain spreadsheets, in English and Chinese,
// and the columns the known exports share, to their fields. Layouts
// override it where a header means something else in their export
// (Outlook's "Title" is "Mr." or "Dr.").
var common = map[string]Target{}

func init() {
	add := func(tg Target, headers ...string) {
		for _, h := range headers {
			common[Normalize(h)] = tg
		}
	}
	add(t(Name, ""), "name", "full name", "fullname", "display name", "contact name", "contact", "person",
		"姓名", "名字", "联系人", "联系人姓名", "客户姓名", "全名")
	add(t(FirstName, ""), "first name", "firstname", "given name", "forename", "名")
	add(t(MiddleName, ""), "middle name", "middlename", "additional name")
	add(t(LastName, ""), "last name", "lastname", "surname", "family name", "姓")
	add(t(Prefix, ""), "prefix", "name prefix", "salutation", "称谓")
	add(t(Suffix, ""), "suffix", "name suffix")
	add(t(Nickname, ""), "nickname", "nick name", "昵称")

	add(t(Email, ""), "email", "e-mail", "emails", "email address", "e-mail address", "mail", "email 1",
		"e-mail 2 address", "e-mail 3 address", "email 2", "email 3", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮件地址", "邮箱地址")
	add(t(Email, "work"), "work email", "business email", "office email", "工作邮箱", "公司邮箱")
	add(t(Email, "home"), "home email", "personal email", "private email", "个人邮箱", "私人邮箱")

	add(t(Phone, ""), "phone", "phones", "telephone", "tel", "phone number", "telephone number", "primary phone",
		"电话", "电话号码", "联系电话")
	add(t(Phone, "mobile"), "mobile", "mobile phone", "mobile number", "mobile phone number", "cell", "cell phone",
		"cellphone", "手机", "手机号", "手机号码", "移动电话")
	add(t(Phone, "work"), "work phone", "business phone", "business phone 2", "office phone", "direct line",
		"办公电话", "公司电话", "单位电话", "工作电话", "座机", "固定电话", "固话")
	add(t(Phone, "home"), "home phone", "home phone 2", "家庭电话", "住宅电话", "家里电话")
	add(t(Phone, "main"), "company main phone", "main phone", "总机")
	add(t(Phone, "fax"), "fax", "business fax", "fax number", "传真")
	add(t(Phone, "home fax"), "home fax")
	add(t(Phone, "other fax"), "other fax")
	add(t(Phone, "other"), "other phone")
	add(t(Phone, "pager"), "pager")
	add(t(Phone, "car"), "car phone")
	add(t(Phone, "assistant"), "assistant's phone", "assistant phone")

	add(t(Company, ""), "company", "company name", "organization", "organisation", "organization name",
		"organisation name", "account name", "employer", "公司", "公司名称", "公司名", "单位", "工作单位",
		"单位名称", "企业", "企业名称", "所属公司", "机构")
	add(t(Title, ""), "title", "job title", "position", "designation", "职位", "职务", "岗位", "头衔", "职称")
	add(t(Department, ""), "department", "dept", "部门")
	add(t(Tags, ""), "tags", "tag", "labels", "label", "categories", "category", "groups", "group",
		"标签", "分组", "分类", "类别")
	add(t(Source, ""), "source", "lead source", "original source", "来源", "客户来源", "渠道")
	add(t(Owner, ""), "owner", "contact owner", "account owner", "负责人", "跟进人", "所属人", "归属人", "客户经理")
	add(t(Lifecycle, ""), "lifecycle", "lifecycle stage", "生命周期", "客户阶段")
	add(t(Birthday, ""), "birthday", "birth date", "birthdate", "date of birth", "dob", "生日", "出生日期", "出生年月")

	add(t(Address, ""), "address", "mailing address", "postal address", "地址", "通讯地址", "联系地址")
	add(t(Address, "work"), "work address", "business address", "office address", "公司地址", "办公地址")
	add(t(Address, "home"), "home address", "家庭地址", "住址")
	add(t(Street, ""), "street", "street address", "address line 1", "街道", "详细地址")
	add(t(City, ""), "city", "town", "城市", "市")
	add(t(Region, ""), "state", "province", "region", "state/province", "state/region", "省", "省份", "地区")
	add(t(Postcode, ""), "zip", "zip code", "postcode", "post code", "postal code", "邮编", "邮政编码")
	add(t(Country, ""), "country", "country/region", "国家", "国家/地区")
	add(t(AddrLabel, ""), "address label")

	add(t(Link, ""), "website", "web site", "web page", "url", "homepage", "home page", "personal web page",
		"linkedin", "links", "网址", "网站", "主页")
	add(t(Notes, ""), "notes", "note", "comments", "comment", "description", "remarks", "memo",
		"备注", "说明", "描述", "附注", "备忘")
	add(t(CreatedAt, ""), "created at", "created", "create date", "created date", "date created",
		"创建时间", "创建日期", "添加时间")

	add(t(Custom, "wechat"), "wechat", "weixin", "wechat id", "微信", "微信号")
	add(t(Custom, "qq"), "qq", "qq号")
	add(t(Custom, "whatsapp"), "whatsapp")
	add(t(Custom, "skype"), "skype")

	add(t(DealTitle, ""), "deal", "deal name", "deal title", "opportunity", "opportunity name", "商机", "商机名称")
	add(t(DealAmount, ""), "amount", "deal amount", "deal value", "金额", "商机金额", "合同金额")
	add(t(DealCurrency, ""), "currency", "deal currency code", "币种", "货币")
	add(t(DealStage, ""), "stage", "deal stage", "阶段", "销售阶段", "商机阶段")
	add(t(DealStatus, ""), "deal status", "商机状态")
	add(t(DealCloseDate, ""), "close date", "expected close date", "预计成交日期", "预计签单日期")
	add(t(DealLostReason, ""), "lost reason", "closed lost reason", "输单原因")
	add(t(DealOwner, ""), "deal owner")
}

// lookupCommon finds a header in the common dictionary, then tries the
// numbered forms people add ("Phone 2", "邮箱2").
func lookupCommon(norm string) (Target, bool) {
	if tg, ok := common[norm]; ok {
		return tg, true
	}
	trimmed := strings.TrimRightFunc(norm, func(r rune) bool { return unicode.IsDigit(r) || r == ' ' })
	if trimmed != norm && trimmed != "" {
		if tg, ok := common[trimmed]; ok && (tg.Field == Email || tg.Field == Phone || tg.Field == Link) {
			return tg, true
		}
	}
	return Target{}, false
}
