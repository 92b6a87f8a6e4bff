package csvmap

import (
	"errors"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"\ufeffFirst Name": "first name", "  E-MAIL  Address ": "e-mail address", "first_name": "first name",
		"姓名*": "姓名", "手机：": "手机", "ＥＭＡＩＬ": "email", "Phone\tNumber": "phone number",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLayouts checks that each export's header row is recognised and
// that the columns that differ between exports mean the right thing.
func TestLayouts(t *testing.T) {
	for _, tc := range []struct {
		name, header, layout string
		want                 map[string]string // column: field
	}{
		{"google", "First Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Street,Custom Field 1 - Label,Custom Field 1 - Value,Notes",
			"google", map[string]string{"Labels": "tags", "E-mail 1 - Label": "email_label", "E-mail 1 - Value": "email", "Phone 1 - Value": "phone",
				"Address 1 - Street": "street", "Custom Field 1 - Label": "custom_key", "Custom Field 1 - Value": "custom_value", "Notes": "notes"}},
		{"google legacy", "Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title",
			"google-legacy", map[string]string{"Name": "name", "Group Membership": "tags", "E-mail 1 - Type": "email_label", "Organization 1 - Name": "company", "Organization 1 - Title": "title"}},
		{"outlook", "Title,First Name,Last Name,Company,Job Title,Business Street,Business City,Business Phone,Mobile Phone,E-mail Address,E-mail Display Name,Categories,Account,Priority",
			"outlook", map[string]string{"Title": "prefix", "Job Title": "title", "Business Street": "street:work", "Business City": "city:work",
				"Business Phone": "phone:work", "Mobile Phone": "phone:mobile", "E-mail Display Name": "ignore", "Categories": "tags", "Account": "custom:Account", "Priority": "custom:Priority"}},
		{"hubspot", "Record ID,First Name,Last Name,Email,Phone Number,Lifecycle Stage,Contact owner,Create Date",
			"hubspot", map[string]string{"Record ID": "custom:Record ID", "Phone Number": "phone:work", "Lifecycle Stage": "lifecycle", "Contact owner": "owner", "Create Date": "created_at"}},
		{"hubspot deals", "Record ID,Deal Name,Deal Stage,Amount,Close Date,Associated Contact,Associated Company,Pipeline",
			"hubspot-deals", map[string]string{"Deal Name": "deal.title", "Deal Stage": "deal.stage", "Amount": "deal.amount", "Associated Contact": "deal.contact",
				"Associated Company": "company", "Pipeline": "deal.custom:Pipeline"}},
		{"salesforce", "Id,IsDeleted,AccountId,LastName,FirstName,Email,MobilePhone,Title,LeadSource,MailingCity,SystemModstamp",
			"salesforce", map[string]string{"Id": "custom:salesforce_id", "IsDeleted": "deleted", "LastName": "last_name", "MobilePhone": "phone:mobile",
				"LeadSource": "source", "MailingCity": "city:mailing", "SystemModstamp": "ignore"}},
		{"pipedrive", "Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Contact person,Person - Email - Work,Organization - Name,Deal - Pipeline",
			"pipedrive", map[string]string{"Deal - Title": "deal.title", "Deal - Value": "deal.amount", "Deal - Contact person": "deal.contact",
				"Person - Email - Work": "email:work", "Organization - Name": "company", "Deal - Pipeline": "deal.custom:Deal - Pipeline"}},
		{"chinese", "姓名,手机,电话,邮箱,公司,职位,标签,备注,地址,生日,微信号,负责人",
			"plain", map[string]string{"姓名": "name", "手机": "phone:mobile", "电话": "phone", "邮箱": "email", "公司": "company", "职位": "title",
				"标签": "tags", "备注": "notes", "地址": "address", "生日": "birthday", "微信号": "custom:wechat", "负责人": "owner"}},
		{"chinese variants", "客户姓名,手机号码,电子邮箱,工作单位,职务,分组,说明,座机",
			"plain", map[string]string{"客户姓名": "name", "手机号码": "phone:mobile", "电子邮箱": "email", "工作单位": "company", "职务": "title",
				"分组": "tags", "说明": "notes", "座机": "phone:work"}},
		{"english", "Full Name,Mobile,E-mail,Organisation,Position,Tags,Comments,Phone 2,Shoe size",
			"plain", map[string]string{"Full Name": "name", "Mobile": "phone:mobile", "E-mail": "email", "Organisation": "company", "Position": "title",
				"Tags": "tags", "Comments": "notes", "Phone 2": "phone", "Shoe size": "custom:Shoe size"}},
		{"deal columns without a deal", "Name,Amount,Stage", "plain", map[string]string{"Amount": "custom:Amount", "Stage": "custom:Stage"}},
		{"rolo", "id,name,company_id,company,emails,phones,street,address_2_city,custom:wechat,created_at",
			"rolo-contacts", map[string]string{"id": "id", "company_id": "company_id", "emails": "email", "street": "street", "address_2_city": "city", "custom:wechat": "custom:wechat"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(strings.Split(tc.header, ","), nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.Layout != tc.layout {
				t.Errorf("layout %q, want %q", m.Layout, tc.layout)
			}
			for _, c := range m.Columns {
				if want, ok := tc.want[c.Header]; ok && c.Target.String() != want {
					t.Errorf("%q → %s, want %s", c.Header, c.Target, want)
				}
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	header := []string{"客户", "联系方式", "Remarks", "Home Street", "Home City"}
	m, err := New(header, []string{"客户=name", "联系方式=phone:mobile", "remarks=notes", "Home Street=street:home", "Home City=city:home"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"name", "phone:mobile", "notes", "street:home", "city:home"}
	for i, c := range m.Columns {
		if c.Target.String() != want[i] || !c.Recognised {
			t.Errorf("%q → %s, want %s", c.Header, c.Target, want[i])
		}
	}
	if m.Columns[3].Target.Group != m.Columns[4].Target.Group {
		t.Error("street:home and city:home must be one address")
	}
	for _, tc := range []struct{ spec, want string }{
		{"nosuch=name", `the file has no column "nosuch"`},
		{"客户=nobody", "unknown field"},
		{"客户=custom", "a custom field needs a key"},
		{"客户=name:x", "name takes no label"},
		{"=name", "use COLUMN=field"},
	} {
		_, err := New(header, []string{tc.spec})
		if !errors.Is(err, model.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.spec, err, tc.want)
		}
	}
}

func TestDealRows(t *testing.T) {
	for _, tc := range []struct {
		header string
		rows   bool
	}{
		{"Deal Name,Amount,Stage", true},
		{"Name,Email,Deal Name,Amount", false},
		{"Record ID,Deal Name,Deal Stage", true},
		{"Name,Email", false},
	} {
		m, err := New(strings.Split(tc.header, ","), nil)
		if err != nil || m.DealRows != tc.rows {
			t.Errorf("%s: DealRows %v, want %v (%v)", tc.header, m.DealRows, tc.rows, err)
		}
	}
}

func FuzzMapping(f *testing.F) {
	for _, h := range []string{"Name,Email", "First Name,Labels,E-mail 1 - Value", "Deal - Title,Person - Name", "姓名,手机", "id,name,emails,phones"} {
		f.Add(h, "Name=email")
	}
	f.Fuzz(func(t *testing.T, header, override string) {
		m, err := New(strings.Split(header, ","), []string{override})
		if err != nil {
			if !errors.Is(err, model.ErrInvalid) {
				t.Fatalf("error not marked invalid: %v", err)
			}
			return
		}
		if len(m.Columns) != len(strings.Split(header, ",")) {
			t.Fatalf("%d columns for %q", len(m.Columns), header)
		}
		for _, c := range m.Columns {
			if c.Target.Field == "" {
				t.Fatalf("column %q maps to nothing", c.Header)
			}
		}
	})
}
