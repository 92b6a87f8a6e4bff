package i18n

func init() { add(Chinese, zhInterchange) }

var zhInterchange = map[string]string{
	"import.read":            "从 %[2]s 读取了 %[1]d 条记录（%[3]s）",
	"import.layout":          "识别为 %s 导出文件",
	"import.columns":         "列：",
	"import.column":          "  %-28s → %s",
	"import.column.custom":   "  %-28s → %s（未识别：保存为自定义字段）",
	"import.summary":         "新建 %d，更新 %d，无变化 %d，与文件中前面的记录合并 %d，跳过 %d，拒绝 %d",
	"import.records":         "%s的记录：",
	"import.records.written": "已写入",
	"import.records.planned": "将要写入",
	"import.records.line":    "  %-12s 新建 %d，更新 %d",
	"import.dryrun":          "试运行：没有写入任何内容。",
	"import.conflicts":       "冲突，保留了数据库中的值（%d 个）：",
	"import.conflict":        "  %s:%d  %s %s：%s：保留 %q，文件中为 %q",
	"import.more":            "  ……还有 %d 个（--json 会全部列出）",
	"import.errors":          "拒绝了 %d 条记录：",
	"import.errors.skipped":  "因错误跳过了 %d 条记录（--skip-errors）：",
	"import.warning":         "警告：%s",
	"import.progress":        "写入中",
	"noun.companies":         "公司",
	"noun.contacts":          "联系人",
	"noun.deals":             "商机",
	"noun.tasks":             "待办",
	"noun.activities":        "活动",

	"export.written":  "已导出 %s 到 %s",
	"export.counts":   "%d 个%s",
	"export.none":     "没有记录",
	"export.csv.dir":  "导出全部类型的 CSV 时每种记录写一个文件：请用 -o 目录，或用 --entity contacts（或 companies、deals、tasks、activities）导出单个文件",
	"export.entity":   "%s 导出只包含%s",
	"merge.done":      "已将 %s 合并到 %s：转移了 %d 个商机、%d 个待办和 %d 条活动；已删除 %s",
	"merge.conflicts": "两个联系人都有这些字段，保留了 %s 的值：",
	"merge.conflict":  "  %s：保留 %q，而不是 %q",
	"merge.self":      "不能把联系人合并到它自己",
}
