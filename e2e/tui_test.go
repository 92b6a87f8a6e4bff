package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmux drives the interactive interface in a real terminal: a tmux
// session on a private server, keys sent with send-keys, the screen read
// with capture-pane.
type tmux struct {
	t      *testing.T
	socket string
}

// newTmux starts rolo in a 120x40 tmux session with the environment's
// database and config. Without tmux the test is skipped, unless
// ROLO_REQUIRE_TMUX=1 (as scripts/test sets it) makes that a failure.
func newTmux(t *testing.T, e *env, args ...string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("ROLO_REQUIRE_TMUX") == "1" {
			t.Fatal("tmux is required (ROLO_REQUIRE_TMUX=1) but not installed")
		}
		t.Skip("tmux is not installed")
	}
	tm := &tmux{t: t, socket: fmt.Sprintf("rolo-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	vars := []string{
		"ROLO_DB=" + e.db, "ROLO_CONFIG=" + e.configPath(), "HOME=" + e.dir,
		"XDG_DATA_HOME=" + filepath.Join(e.dir, "data"), "XDG_CONFIG_HOME=" + filepath.Join(e.dir, "config"),
		"XDG_STATE_HOME=" + filepath.Join(e.dir, "state"),
		"LANG=en_US.UTF-8", "LC_ALL=", "TZ=Asia/Shanghai", "TERM=xterm-256color",
	}
	cmd := "env"
	for _, v := range vars {
		cmd += " " + shellQuote(v)
	}
	cmd += " " + shellQuote(bin)
	for _, a := range args {
		cmd += " " + shellQuote(a)
	}
	// Keep the pane after rolo exits, showing its exit code.
	cmd += "; echo ROLO-EXIT=$?; sleep 600"
	tm.run("new-session", "-d", "-s", "rolo", "-x", "120", "-y", "40", cmd)
	socket := strings.TrimSpace(tm.run("display-message", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
		os.Remove(socket)
	})
	return tm
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends keys as tmux names them ("Enter", "Escape", "S-Right").
func (tm *tmux) keys(keys ...string) {
	tm.t.Helper()
	tm.run(append([]string{"send-keys", "-t", "rolo"}, keys...)...)
}

// text types literal text.
func (tm *tmux) text(s string) {
	tm.t.Helper()
	tm.run("send-keys", "-t", "rolo", "-l", s)
}

func (tm *tmux) screen() string { return tm.run("capture-pane", "-p", "-t", "rolo") }

// waitFor polls the screen until cond holds, failing after a deadline
// (generous: the binary is built with the race detector).
func (tm *tmux) waitFor(what string, cond func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.screen()
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waiting for %s; the screen is:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *tmux) waitText(texts ...string) string {
	tm.t.Helper()
	return tm.waitFor(strings.Join(texts, ", "), func(s string) bool {
		for _, x := range texts {
			if !strings.Contains(s, x) {
				return false
			}
		}
		return true
	})
}

// next presses Enter in a form and waits for the focus to reach label.
func (tm *tmux) next(label string) {
	tm.t.Helper()
	tm.keys("Enter")
	tm.waitText("┃ " + label)
}

var han = regexp.MustCompile(`\p{Han}`)

func TestTUI(t *testing.T) {
	e := newEnv(t)
	e.ok("demo")
	tm := newTmux(t, e)
	tm.waitText("Overdue follow-ups (", "Open pipeline (")

	// Search from the start screen: "zw" finds Chinese names by initials.
	hits := e.list("contact", "list", "--search", "zw")
	if len(hits) == 0 || !han.MatchString(str(hits[0], "name")) {
		t.Fatalf("the demo has no Chinese contact matching zw: %v", hits)
	}
	tm.keys("/")
	tm.text("zw")
	s := tm.waitText("/ zw", fmt.Sprintf("%d/", len(hits)), str(hits[0], "name"))
	if !strings.Contains(s, "▸ "+str(hits[0], "name")) {
		t.Errorf("the first match %s is not selected:\n%s", str(hits[0], "name"), s)
	}
	tm.keys("Escape")
	tm.waitText("/ to search")

	// Create a contact through the form.
	tm.keys("n")
	tm.waitText("New contact", "┃ Name")
	tm.text("Tmux Person")
	tm.next("Emails")
	tm.text("tmux.person@example.com")
	tm.next("Phones")
	tm.text("+86 139 1234 5678")
	tm.next("Company")
	tm.next("Title")
	tm.next("Tags")
	tm.keys("Enter")
	tm.waitText("Created contact Tmux Person")

	// Move the first lead to the next stage on the board.
	leads := e.list("deal", "list", "--stage", "lead")
	if len(leads) == 0 {
		t.Fatal("the demo has no lead")
	}
	tm.keys("4")
	tm.waitText("Lead (", "▸"+firstCell(str(leads[0], "title")))
	tm.keys("S-Right")
	tm.waitText("Moved " + str(leads[0], "title"))

	// Complete the first follow-up of the agenda.
	open := e.list("task", "list")
	if len(open) == 0 {
		t.Fatal("the demo has no open follow-up")
	}
	tm.keys("5")
	tm.waitText("Overdue (", "▸")
	tm.keys("x")
	tm.waitText("Done: " + str(open[0], "title"))

	tm.keys("q")
	tm.waitText("ROLO-EXIT=0")

	// What the TUI did, as the CLI sees it.
	if l := e.list("contact", "list", "--search", "tmux.person@example.com"); len(l) != 1 || str(l[0], "name") != "Tmux Person" ||
		strings.Join(strs(l[0], "phones"), ",") != "+8613912345678" {
		t.Errorf("the contact made in the form: %v", l)
	}
	if d := e.object("deal", "show", str(leads[0], "id")); str(d, "stage") != "qualified" {
		t.Errorf("the moved deal is in %s", str(d, "stage"))
	}
	done := e.list("task", "list", "--done")
	found := false
	for _, x := range done {
		found = found || str(x, "id") == str(open[0], "id")
	}
	if !found {
		t.Errorf("the follow-up %s is not done", str(open[0], "id"))
	}
	if _, err := os.Stat(filepath.Join(e.dir, "state", "rolo", "rolo.log")); err != nil {
		t.Errorf("no log file: %v", err)
	}
}

// firstCell is how a board card starts: the first characters of a title,
// as many as fit a narrow column.
func firstCell(title string) string {
	r := []rune(title)
	return string(r[:min(len(r), 6)])
}
