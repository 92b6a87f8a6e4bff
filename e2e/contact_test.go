package e2e

import (
	"slices"
	"strings"
	"testing"
)

func TestContactLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.object("contact", "add", "--name", "Maria Garcia", "--email", "Maria.Garcia@Acme.com",
		"--phone", "+1 415 555 0100", "--company", "Acme Corp", "--title", "CTO", "--tag", "vip", "--tag", "west")
	id := str(c, "id")
	if len(id) != 26 || str(c, "name") != "Maria Garcia" || str(c, "company") != "Acme Corp" {
		t.Fatalf("add: %v", c)
	}
	if got := strs(c, "emails"); !slices.Equal(got, []string{"maria.garcia@acme.com"}) {
		t.Errorf("emails are normalised: %v", got)
	}
	if got := strs(c, "phones"); !slices.Equal(got, []string{"+14155550100"}) {
		t.Errorf("phones are E.164: %v", got)
	}
	zw := e.object("contact", "add", "--name", "张伟", "--phone", "138 0013 8000", "--company", "华强电子", "--title", "采购经理")
	if got := strs(zw, "phones"); !slices.Equal(got, []string{"+8613800138000"}) {
		t.Errorf("CN phone with the config's region: %v", got)
	}
	e.ok("contact", "add", "--name", "张伟", "--email", "zhangwei2@163.com") // the same name is normal

	for _, q := range []string{"zw", "zhang", "zhangwei", "张", "伟"} {
		l := e.list("contact", "list", "--search", q)
		if len(l) != 2 || str(l[0], "name") != "张伟" {
			t.Errorf("search %q: %v", q, l)
		}
	}
	for _, q := range []string{"garcia", "GARC", "arci", "acme", "4155550100", "cto"} {
		l := e.list("contact", "list", "--search", q)
		if len(l) != 1 || str(l[0], "id") != id {
			t.Errorf("search %q: %v", q, l)
		}
	}
	if l := e.list("contact", "list", "--tag", "VIP"); len(l) != 1 {
		t.Errorf("tag filter ignores case: %v", l)
	}
	if l := e.list("contact", "list", "--limit", "2"); len(l) != 2 {
		t.Errorf("limit: %v", l)
	}
	if l := e.list("contact", "list", "--search", "nobody-has-this"); len(l) != 0 {
		t.Errorf("no match is an empty array: %v", l)
	}

	out := e.ok("contact", "list").stdout
	if !strings.Contains(out, "Maria Garcia") || !strings.Contains(out, "张伟") || !strings.Contains(out, "NAME") {
		t.Errorf("table output:\n%s", out)
	}
	if out := e.ok("contact", "list", "--lang", "zh").stdout; !strings.Contains(out, "姓名") {
		t.Errorf("--lang zh headers:\n%s", out)
	}

	show := e.object("contact", "show", "maria.garcia@acme.com")
	if str(show, "id") != id {
		t.Errorf("show by email: %v", show)
	}
	if out := e.ok("contact", "show", id).stdout; !strings.Contains(out, "CTO") || !strings.Contains(out, "Acme Corp") {
		t.Errorf("show:\n%s", out)
	}
	e.fails(2, "contact", "show", "张伟") // two contacts match

	ed := e.object("contact", "edit", id, "--title", "CEO", "--add-tag", "board", "--remove-tag", "west", "--add-email", "maria@home.net")
	if str(ed, "title") != "CEO" || !slices.Equal(strs(ed, "tags"), []string{"vip", "board"}) || len(strs(ed, "emails")) != 2 {
		t.Errorf("edit: %v", ed)
	}
	e.ok("contact", "rm", id)
	e.fails(3, "contact", "show", id)
	if l := e.list("contact", "list", "--search", "garcia"); len(l) != 0 {
		t.Errorf("deleted contact still found: %v", l)
	}
}

func TestContactBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "add", "--name", "Ann", "--email", "ann@example.com")
	r := e.fails(2, "contact", "add", "--name", "Bob", "--email", "not-an-email")
	if !strings.Contains(r.stderr, "email") || !strings.Contains(r.stderr, "not-an-email") {
		t.Errorf("the message names the field and value: %s", r.stderr)
	}
	e.fails(2, "contact", "add", "--email", "x@example.com")
	e.fails(2, "contact", "add", "--name", "   ")
	r = e.fails(2, "contact", "add", "--name", "Ann Two", "--email", "ANN@example.com")
	if !strings.Contains(r.stderr, "Ann") {
		t.Errorf("a duplicate email names the owner: %s", r.stderr)
	}
	e.ok("contact", "add", "--name", "Ann Two", "--email", "ann@example.com", "--allow-duplicate")
	e.fails(2, "contact", "add", "--name", "C", "--birthday", "31/12/1990")
	e.fails(2, "contact", "add", "--name", "C", "--lifecycle", "sleepy")
	e.fails(3, "contact", "show", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
	e.fails(3, "contact", "edit", "nobody@nowhere.org", "--title", "x")
	e.fails(2, "contact", "list", "--limit", "-1")
	e.fails(2, "contact", "frobnicate")
	e.fails(2, "contact", "add", "--name", "X", "--no-such-flag")
	if l := e.list("contact", "list"); len(l) != 2 {
		t.Errorf("rejected commands changed nothing: %v", l)
	}
}

func TestContactLifecycleStage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.ok("contact", "add", "--name", "Pinned Person", "--lifecycle", "stability")
	e.ok("contact", "add", "--name", "New Lead")
	l := e.list("contact", "list", "--lifecycle", "stability")
	if len(l) != 1 || str(l[0], "name") != "Pinned Person" {
		t.Errorf("--lifecycle stability: %v", l)
	}
	if l := e.list("contact", "list", "--lifecycle", "lead"); len(l) != 1 || str(l[0], "name") != "New Lead" {
		t.Errorf("a contact with no deals or activities is a lead: %v", l)
	}
	show := e.object("contact", "show", "Pinned Person")
	if str(show, "lifecycle_stage") != "stability" || str(show, "lifecycle") != "stability" {
		t.Errorf("show --json: %v", show)
	}
	if out := e.ok("contact", "show", "Pinned Person").stdout; !strings.Contains(out, "pinned by hand") {
		t.Errorf("show:\n%s", out)
	}
	e.fails(2, "contact", "list", "--lifecycle", "sleepy")
}
