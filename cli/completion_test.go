package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/store"
)

// cliEnv is one user's files for in-process runs of rolo.
type cliEnv struct {
	t          *testing.T
	db, config string
}

func newCLIEnv(t *testing.T, configText string) *cliEnv {
	t.Helper()
	dir := t.TempDir()
	e := &cliEnv{t: t, db: filepath.Join(dir, "rolo.db"), config: filepath.Join(dir, "config.toml")}
	if err := os.WriteFile(e.config, []byte(configText), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs rolo in this process with the env's database and config.
func (e *cliEnv) run(args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"--db", e.db, "--config", e.config, "--lang", "en"}, args...)
	code = Run(context.Background(), all, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func (e *cliEnv) ok(args ...string) string {
	e.t.Helper()
	out, errs, code := e.run(args...)
	if code != 0 {
		e.t.Fatalf("rolo %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// complete runs cobra's __complete as the shell scripts do and returns
// the candidates (value, or value TAB description) without the directive.
func (e *cliEnv) complete(args ...string) []string {
	e.t.Helper()
	out := e.ok(append([]string{"__complete"}, args...)...)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if last := lines[len(lines)-1]; last != ":4" { // ShellCompDirectiveNoFileComp
		e.t.Fatalf("__complete %s: directive %q, want :4 (no file names)\n%s", strings.Join(args, " "), last, out)
	}
	return lines[:len(lines)-1]
}

const pipelineConfig = `currency = "CNY"
phone_region = "CN"

[[stages]]
key = "lead"
label = "线索"
probability = 10

[[stages]]
key = "quote"
label = "报价"
probability = 60

[[stages]]
key = "won"
probability = 100
won = true

[[stages]]
key = "lost"
probability = 0
lost = true
`

func completionFixture(t *testing.T) *cliEnv {
	e := newCLIEnv(t, pipelineConfig)
	e.ok("contact", "add", "--name", "Maria Garcia", "--email", "maria@acme.com", "--company", "Acme", "--tag", "vip")
	e.ok("contact", "add", "--name", "Mario Rossi", "--phone", "13800138001", "--tag", "Partner")
	e.ok("contact", "add", "--name", "Bob Marley", "--email", "bob@example.com", "--tag", "vip")
	e.ok("contact", "add", "--name", "张伟", "--phone", "13800138002")
	e.ok("contact", "add", "--name", "张伟", "--phone", "13800138003")
	e.ok("company", "add", "--name", "Aurora Foods", "--domain", "aurora.example")
	e.ok("deal", "add", "--title", "ERP rollout", "--contact", "maria@acme.com", "--amount", "12000", "--stage", "quote")
	e.ok("task", "add", "Send the quote", "--due", "2030-01-15", "--contact", "maria@acme.com")
	e.ok("log", "complaint", "--contact", "Bob Marley", "Late delivery")
	return e
}

func TestCompleteFromDatabase(t *testing.T) {
	e := completionFixture(t)
	var mariaID string
	for _, l := range strings.Split(e.ok("contact", "list", "--search", "maria", "--json"), "\n") {
		if i := strings.Index(l, `"id":"`); i >= 0 {
			mariaID = l[i+6 : i+32]
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"contact names with a description", []string{"contact", "show", "Mar"},
			[]string{"Maria Garcia\tAcme · maria@acme.com", "Mario Rossi\t+8613800138001"}},
		{"names are matched without case", []string{"contact", "show", "mari"},
			[]string{"Maria Garcia\tAcme · maria@acme.com", "Mario Rossi\t+8613800138001"}},
		{"a shared name is offered once, with its count", []string{"contact", "edit", "张"}, []string{"张伟\t2×"}},
		{"ids with the name as description", []string{"contact", "rm", strings.ToLower(mariaID[:24])}, []string{mariaID + "\tMaria Garcia"}},
		{"both contacts of a merge", []string{"contact", "merge", "Maria Garcia", "Bo"}, []string{"Bob Marley\tbob@example.com"}},
		{"--contact on another command", []string{"task", "add", "x", "--contact", "Bob"}, []string{"Bob Marley\tbob@example.com"}},
		{"companies", []string{"company", "show", "A"}, []string{"Acme", "Aurora Foods\taurora.example"}},
		{"--company", []string{"deal", "add", "--company", "Au"}, []string{"Aurora Foods\taurora.example"}},
		{"deals", []string{"deal", "show", "E"}, []string{"ERP rollout\tquote · ¥12,000.00 · Maria Garcia"}},
		{"stages come from config.toml", []string{"deal", "move", "ERP rollout", ""},
			[]string{"lead\t线索 · 10%", "quote\t报价 · 60%", "won\twon · 100%", "lost\tlost · 0%"}},
		{"--stage", []string{"deal", "list", "--stage", "q"}, []string{"quote\t报价 · 60%"}},
		{"open follow-ups", []string{"task", "done", "Se"}, []string{"Send the quote\t2030-01-15 · Maria Garcia"}},
		{"contact tags, most used first", []string{"contact", "list", "--tag", ""}, []string{"vip\t2×", "partner\t1×"}},
		{"--add-tag", []string{"contact", "edit", "Bob Marley", "--add-tag", "p"}, []string{"partner\t1×"}},
		{"deal tags are not contact tags", []string{"deal", "list", "--tag", ""}, nil},
		{"activity kinds", []string{"log", "c"}, []string{"call", "complaint"}},
		{"nothing after the kind", []string{"log", "call", ""}, nil},
		{"--status", []string{"deal", "list", "--status", ""}, []string{"open", "won", "lost"}},
		{"--priority", []string{"task", "add", "x", "--priority", "h"}, []string{"high"}},
		{"--kind", []string{"activity", "list", "--kind", "m"}, []string{"meeting", "message"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := e.complete(tc.args...); !slices.Equal(got, tc.want) {
				t.Errorf("__complete %q:\n got %q\nwant %q", tc.args, got, tc.want)
			}
		})
	}
}

func TestCompleteOpenComplaints(t *testing.T) {
	e := completionFixture(t)
	got := e.complete("activity", "resolve", "")
	if len(got) != 1 || !strings.Contains(got[0], "complaint · Bob Marley · Late delivery") {
		t.Fatalf("open complaints: %q", got)
	}
	id, _, _ := strings.Cut(got[0], "\t")
	e.ok("activity", "resolve", id)
	if got := e.complete("activity", "resolve", ""); len(got) != 0 {
		t.Errorf("a resolved complaint is still offered: %q", got)
	}
	if got := e.complete("activity", "rm", id[:4]); len(got) != 1 || !strings.HasPrefix(got[0], id+"\t") {
		t.Errorf("activity ids: %q", got)
	}
}

// A tab must neither wait for a busy database nor create one.
func TestCompleteOffersNothingWithoutTheDatabase(t *testing.T) {
	e := completionFixture(t)
	st, err := store.Open(e.db, store.Options{}) // holds the file's lock, as a long write would
	if err != nil {
		t.Fatal(err)
	}
	if got := e.complete("contact", "show", "Mar"); len(got) != 0 {
		t.Errorf("busy database: %q", got)
	}
	if got := e.complete("deal", "move", "x", "q"); !slices.Equal(got, []string{"quote\t报价 · 60%"}) {
		t.Errorf("stages need no database: %q", got)
	}
	st.Close()

	missing := newCLIEnv(t, "")
	if got := missing.complete("contact", "show", ""); len(got) != 0 {
		t.Errorf("no database: %q", got)
	}
	if _, err := os.Stat(missing.db); !os.IsNotExist(err) {
		t.Errorf("completion created %s", missing.db)
	}
}

func TestLooksLikeIDPrefix(t *testing.T) {
	for s, want := range map[string]bool{
		"01": true, "01jd8z": true, "7ZZZ": true, "": false, "8A": false, "Mar": false, "01I": false, "0 1": false, "张": false,
	} {
		if got := looksLikeIDPrefix(s); got != want {
			t.Errorf("looksLikeIDPrefix(%q) = %v", s, got)
		}
	}
}
