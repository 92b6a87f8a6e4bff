package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFirstRun drives `rolo` in a terminal with no database: the welcome
// says where the data will live and offers a start; quitting creates
// nothing, an empty start creates the database and opens the interface.
func TestFirstRun(t *testing.T) {
	t.Run("quit", func(t *testing.T) {
		e := newEnv(t)
		tm := newTmux(t, e)
		tm.waitText("Welcome to rolo", e.db, "[d] demo", "[i] import", "[e] empty", "[q] quit")
		tm.text("q")
		tm.keys("Enter")
		tm.waitText("ROLO-EXIT=0")
		if _, err := os.Stat(e.db); !os.IsNotExist(err) {
			t.Errorf("quitting the welcome created %s", e.db)
		}
	})
	t.Run("empty start", func(t *testing.T) {
		e := newEnv(t)
		tm := newTmux(t, e)
		tm.waitText("Welcome to rolo", "(yours, kept as it is)")
		tm.text("e")
		tm.keys("Enter")
		tm.waitText("Today", "Contacts", "Deals")
		tm.keys("q")
		tm.waitText("ROLO-EXIT=0")
		if _, err := os.Stat(e.db); err != nil {
			t.Errorf("no database after an empty start: %v", err)
		}
		// The next start goes straight to the interface.
		tm2 := newTmux(t, e)
		tm2.waitText("Today", "Contacts")
		if strings.Contains(tm2.screen(), "Welcome to rolo") {
			t.Error("the welcome came again")
		}
	})
}

// TestBashCompletesNames runs the bash completion script that `rolo
// completion bash` prints, as bash does on a tab, and checks that it
// completes a contact's name from the database.
func TestBashCompletesNames(t *testing.T) {
	// Cobra's bash completion builds on the bash-completion package, as
	// every distribution's bash completion does (docs/install.md).
	const bashCompletion = "/usr/share/bash-completion/bash_completion"
	if _, err := os.Stat(bashCompletion); err != nil {
		if os.Getenv("ROLO_REQUIRE_BASH_COMPLETION") != "" {
			t.Fatalf("ROLO_REQUIRE_BASH_COMPLETION is set and %s is missing: %v", bashCompletion, err)
		}
		t.Skip("the bash-completion package is not installed")
	}
	e := newEnv(t)
	e.ok("contact", "add", "--name", "Maria Garcia", "--email", "maria@acme.com")
	e.ok("contact", "add", "--name", "Mario Rossi", "--email", "mario@rossi.it")
	e.ok("deal", "add", "--title", "ERP rollout", "--contact", "maria@acme.com")

	complete := func(line string) []string {
		t.Helper()
		script := `source ` + bashCompletion + `
source <(rolo completion bash)
line=$1
read -ra COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9
__start_rolo 2>/dev/null # compopt complains outside a real completion
printf '%s\n' "${COMPREPLY[@]}"`
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-c", script, "bash", line)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+":"+os.Getenv("PATH"), "ROLO_DB="+e.db, "ROLO_CONFIG="+e.configPath())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("complete %q: %v", line, err)
		}
		return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	}
	// One candidate is inserted, escaped for the shell.
	if got := complete("rolo contact show Maria"); !slices.Equal(got, []string{`Maria\ Garcia`}) {
		t.Errorf("rolo contact show Maria<TAB>: %q", got)
	}
	if got := complete("rolo deal move x ne"); !slices.Equal(got, []string{"negotiation"}) {
		t.Errorf("rolo deal move x ne<TAB>: %q", got)
	}
	// Several are offered for bash to list.
	got := complete("rolo contact show Mar")
	if len(got) != 2 || !strings.HasPrefix(got[0], "Maria") || !strings.HasPrefix(got[1], "Mario") {
		t.Errorf("rolo contact show Mar<TAB>: %q", got)
	}
}
