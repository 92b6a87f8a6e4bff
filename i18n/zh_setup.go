package i18n

func init() { add(Chinese, zhSetup) }

// zhSetup holds the messages of the first run, rolo init and the
// environment checks of rolo doctor.
var zhSetup = map[string]string{
	"firstrun.welcome": `欢迎使用 rolo。

你的联系人、商机和待办都保存在一个属于你的文件里：
  %s
你的设置：
  %s %s
随时可以用 "rolo backup 文件" 备份；--db 或 $ROLO_DB 可以换用其他文件。

`,
	"firstrun.config.new":   "（开始时写入，所有设置均已注释）",
	"firstrun.config.kept":  "（已存在，保持不变）",
	"firstrun.menu":         "想怎样开始？\n  [d] 演示     浏览一份示例联系人、商机和待办\n  [i] 导入     导入 CSV、vCard 或 rolo JSON 文件（i 文件）\n  [e] 空白     从空数据库开始\n  [q] 退出     什么都不创建，直接离开\n> ",
	"firstrun.again":        "[d] 演示、[i] 导入 文件、[e] 空白 还是 [q] 退出？",
	"firstrun.unknown":      "%q 不是 d、i、e、q 之一。",
	"firstrun.failed":       "没有成功：%v",
	"firstrun.demo":         "正在打开演示数据。你自己的数据库（%s）还没有创建：再次运行 rolo 即可开始；rolo --db %s 可再次打开演示。",
	"firstrun.empty":        "已在 %s 创建空数据库。",
	"firstrun.import.ask":   "要导入的文件：",
	"init.written":          "已写入 %s：所有设置及其默认值都在里面，均已注释。",
	"init.exists":           "%s 已存在；--force 会替换它（旧文件保存为 .bak）",
	"init.database":         "数据库将是 %s。",
	"doctor.config.missing": "设置：没有 %s，使用默认值（rolo init 可写入带注释的设置文件）",
	"doctor.config.named":   "设置：%s 不存在",
	"doctor.config.warning": "设置：%s",
	"doctor.config.error":   "设置：%v",
	"doctor.term.none":      "终端：标准输出不是终端：不带参数运行 rolo 会显示帮助，而不是打开界面",
	"doctor.term.dumb":      "终端：TERM 是 %q：界面需要能移动光标的终端（xterm-256color、screen、tmux 等）",
	"doctor.term.colours":   "终端：颜色：%s",
	"doctor.term.nocolor":   "终端：颜色已关闭：设置了 NO_COLOR",
	"doctor.term.small":     "终端：%d×%d 太小：界面至少需要 %d×%d",
	"doctor.term.utf8":      "终端：区域设置（%s）不是 UTF-8：中文姓名和界面线条可能无法显示",
	"doctor.sync.off":       "同步：未设置团队服务器（rolo sync login，或 config.toml 的 [sync] server）：此数据库仅在本地",
	"doctor.sync.notoken":   "同步：没有 %s 的令牌：运行 rolo sync login --server %[1]s --token 令牌",
	"doctor.sync.bad":       "同步：%v",
	"doctor.sync.plain":     "同步：%s 是发往其他机器的明文 HTTP：令牌和数据未加密地经过网络（请用 https://）",
	"doctor.sync.interval":  "同步：间隔 %s 太短：每次同步都要往返服务器",
	"doctor.sync.ok":        "同步：服务器 %s，每 %s 一次",
}
