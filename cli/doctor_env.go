package cli

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/rolo-crm/rolo/config"
	"github.com/rolo-crm/rolo/sync"
)

// Below these sizes the interface's views are cramped.
const minTermWidth, minTermHeight = 80, 24

// minSyncInterval is the shortest background sync interval that does not
// keep the server busy for nothing.
const minSyncInterval = 30 * time.Second

// doctorEnvironment checks what lies around the database: config.toml,
// the terminal the interface would run in, and the sync settings. It
// returns one line per finding, each starting with its area ("config:",
// "terminal:", "sync:"), in the user's language; none of them is about
// the database's integrity.
func doctorEnvironment(a *app) []string {
	var out []string
	out = append(out, a.doctorConfig()...)
	out = append(out, a.doctorTerminal(os.Getenv, a.stdout)...)
	return append(out, a.doctorSync()...)
}

// doctorConfig reports a missing config file and its warnings (unknown
// keys) or error.
func (a *app) doctorConfig() []string {
	L := a.L()
	path, named := a.configFile()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if named {
			return []string{L.T("doctor.config.named", path)}
		}
		return []string{L.T("doctor.config.missing", path)}
	}
	_, warnings, err := config.Load(path, named)
	var out []string
	for _, w := range warnings {
		out = append(out, L.T("doctor.config.warning", w))
	}
	if err != nil {
		out = append(out, L.T("doctor.config.error", err))
	}
	return out
}

// doctorTerminal checks what the interface needs of the terminal that
// stdout is: cursor movement (TERM), colours, size and a UTF-8 locale.
func (a *app) doctorTerminal(getenv func(string) string, stdout io.Writer) []string {
	L := a.L()
	var out []string
	f, ok := stdout.(term.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		out = append(out, L.T("doctor.term.none"))
	} else if w, h, err := term.GetSize(f.Fd()); err == nil && (w < minTermWidth || h < minTermHeight) {
		out = append(out, L.T("doctor.term.small", w, h, minTermWidth, minTermHeight))
	}
	if t := getenv("TERM"); t == "" || t == "dumb" {
		out = append(out, L.T("doctor.term.dumb", t))
	}
	if getenv("NO_COLOR") != "" {
		out = append(out, L.T("doctor.term.nocolor"))
	} else if ok {
		env := []string{}
		for _, k := range []string{"TERM", "COLORTERM", "CLICOLOR", "CLICOLOR_FORCE", "TMUX", "TERM_PROGRAM"} {
			if v := getenv(k); v != "" {
				env = append(env, k+"="+v)
			}
		}
		out = append(out, L.T("doctor.term.colours", colorprofile.Detect(stdout, env)))
	}
	if loc := locale(getenv); loc != "" && !isUTF8(loc) {
		out = append(out, L.T("doctor.term.utf8", loc))
	}
	return out
}

// locale is the locale that decides the character set: LC_ALL, else
// LC_CTYPE, else LANG.
func locale(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}

func isUTF8(loc string) bool {
	l := strings.ToLower(loc)
	return strings.Contains(l, "utf-8") || strings.Contains(l, "utf8")
}

// doctorSync checks the sync settings: a server (config.toml's [sync]
// server, else the last rolo sync login's) whose URL parses and is not
// plain HTTP to another machine, a token for it, and a sensible interval.
func (a *app) doctorSync() []string {
	L := a.L()
	cfg, err := a.config()
	if err != nil {
		return nil // doctorConfig reports it
	}
	creds, err := sync.LoadCredentials(sync.CredentialsPath())
	if err != nil {
		return []string{L.T("doctor.sync.bad", err)}
	}
	server, token, err := sync.Target("", strings.TrimSpace(cfg.Sync.Server), creds)
	switch {
	case err != nil:
		return []string{L.T("doctor.sync.bad", err)}
	case server == "":
		return []string{L.T("doctor.sync.off")}
	}
	u, err := sync.ParseServerURL(server)
	if err != nil {
		return []string{L.T("doctor.sync.bad", err)}
	}
	var out []string
	if token == "" {
		out = append(out, L.T("doctor.sync.notoken", server))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		out = append(out, L.T("doctor.sync.plain", u))
	}
	iv := cfg.Sync.Interval.Duration
	if iv > 0 && iv < minSyncInterval {
		out = append(out, L.T("doctor.sync.interval", iv))
	}
	if len(out) == 0 {
		out = append(out, L.T("doctor.sync.ok", u, iv))
	}
	return out
}

// isLoopback reports whether host is this machine: localhost or a
// loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
