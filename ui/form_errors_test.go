package ui

import (
	"testing"

	"github.com/rolo-crm/rolo/i18n"
)

// A rule of the model is shown next to its field in the interface
// language.
func TestFormErrorInChinese(t *testing.T) {
	d := drive(t, driveOptions{lang: i18n.Chinese})
	d.press("2")
	d.waitText("500/500")
	d.press("n")
	d.waitText("新建联系人", "┃ 姓名")
	d.typeText("测试")
	d.next("邮箱")
	d.typeText("not-an-email")
	d.press("enter")
	d.waitText("┃ 邮箱  ✗ not-an-email：不是有效的邮箱地址")
	d.press("esc")
	d.waitGone("新建联系人")
}
