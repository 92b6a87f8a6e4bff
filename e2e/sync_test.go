package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/sync/server/pgstore/pgtest"
)

// teamServer is a `rolo serve` process on 127.0.0.1.
type teamServer struct {
	t       *testing.T
	e       *env     // whose environment runs the server commands
	storage []string // --data DIR or --postgres URL
	addr    string
	cmd     *exec.Cmd
	pushes  chan struct{} // a line for every push the access log shows
	exited  chan struct{}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func newTeamServer(t *testing.T, storage ...string) *teamServer {
	s := &teamServer{t: t, e: newEnv(t), storage: storage, addr: freeAddr(t)}
	t.Cleanup(s.kill)
	return s
}

// token creates a token and returns its text.
func (s *teamServer) token(team, user string, admin bool) string {
	args := append([]string{"serve", "token", "create", "--team", team, "--user", user}, s.storage...)
	if admin {
		args = append(args, "--admin")
	}
	m := s.e.object(args...)
	tok := str(m, "token")
	if !strings.HasPrefix(tok, "rolo_") {
		s.t.Fatalf("token create --json: %v", m)
	}
	return tok
}

func (s *teamServer) url() string { return "http://" + s.addr }

// start runs rolo serve and waits until it answers.
func (s *teamServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", s.addr}, s.storage...)...)
	s.cmd.Env = append(os.Environ(), "HOME="+s.e.dir, "XDG_DATA_HOME="+filepath.Join(s.e.dir, "data"), "XDG_CONFIG_HOME="+filepath.Join(s.e.dir, "config"))
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.pushes, s.exited = make(chan struct{}, 10000), make(chan struct{})
	go func() {
		defer close(s.exited)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"path":"/v1/sync/push"`) {
				s.pushes <- struct{}{}
			}
		}
		s.cmd.Wait()
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.url() + "/v1/status"); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatal("rolo serve did not answer within 30 s")
}

// kill stops the server the hard way (SIGKILL), as a crash would.
func (s *teamServer) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
	s.cmd = nil
}

// feed returns the op ids of the team's whole change feed.
func (s *teamServer) feed(token string) []string {
	s.t.Helper()
	var ids []string
	since := ""
	for {
		req, _ := http.NewRequest("GET", s.url()+"/v1/sync/changes?limit=10000&since="+since, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			s.t.Fatal(err)
		}
		var page struct {
			Ops []struct {
				OpID string `json:"op_id"`
			} `json:"ops"`
			Cursor  string `json:"cursor"`
			HasMore bool   `json:"has_more"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			s.t.Fatal(err)
		}
		for _, op := range page.Ops {
			ids = append(ids, op.OpID)
		}
		if !page.HasMore {
			return ids
		}
		since = page.Cursor
	}
}

// login stores the token in the user's environment (read from stdin).
func (e *env) login(server, token string) {
	e.t.Helper()
	r := e.runIn(token+"\n", "sync", "login", "--server", server)
	if r.code != 0 {
		e.t.Fatalf("sync login: %s", r)
	}
	if strings.Contains(r.stdout+r.stderr, token) {
		e.t.Fatal("sync login printed the token")
	}
	fi, err := os.Stat(filepath.Join(e.dir, "config", "rolo", "sync-credentials.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		e.t.Fatalf("the credentials file: %v, %v", fi, err)
	}
}

func syncStorages(t *testing.T) map[string]func(t *testing.T) []string {
	return map[string]func(t *testing.T) []string{
		"bbolt":    func(t *testing.T) []string { return []string{"--data", t.TempDir()} },
		"postgres": func(t *testing.T) []string { return []string{"--postgres", pgtest.URL(t)} },
	}
}

// TestSyncTwoReps is the story of issue 5 as a new user would try it: two
// reps on two databases and one rolo serve on loopback edit the same
// contact and deal offline, sync, and end with the same data, the
// overwritten values visible as conflicts.
func TestSyncTwoReps(t *testing.T) {
	for name, storage := range syncStorages(t) {
		t.Run(name, func(t *testing.T) {
			srv := newTeamServer(t, storage(t)...)
			liTok := srv.token("acme", "li", true)
			samTok := srv.token("acme", "sam", false)
			li, sam := newEnv(t), newEnv(t)
			li.fails(2, "sync") // no server yet: a usage error that says what to do
			srv.start()
			li.login(srv.url(), liTok)
			sam.login(srv.url(), samTok)

			c := li.object("contact", "add", "--name", "Maria Garcia", "--email", "maria@acme.com", "--company", "Acme Corp")
			d := li.object("deal", "add", "--title", "ERP rollout", "--contact", "maria@acme.com", "--amount", "12000", "--currency", "USD", "--stage", "proposal")
			li.ok("sync")
			sam.ok("sync")
			if got := sam.object("contact", "show", str(c, "id")); str(got, "name") != "Maria Garcia" || str(got, "company") != "Acme Corp" {
				t.Fatalf("sam's copy: %v", got)
			}

			// Offline, both edit the contact's title and the deal.
			li.ok("contact", "edit", str(c, "id"), "--title", "CTO", "--add-tag", "vip")
			sam.ok("contact", "edit", str(c, "id"), "--title", "Chief Technology Officer")
			li.ok("deal", "edit", str(d, "id"), "--amount", "15000")
			sam.ok("deal", "move", str(d, "id"), "negotiation")
			sam.ok("deal", "edit", str(d, "id"), "--amount", "16000")
			li.ok("sync")
			sam.ok("sync")
			li.ok("sync")

			for _, what := range [][]string{{"contact", "show", str(c, "id")}, {"deal", "show", str(d, "id")}} {
				a, b := li.object(what...), sam.object(what...)
				delete(a, "activities")
				delete(b, "activities")
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Fatalf("%v differs:\nli:  %v\nsam: %v", what, a, b)
				}
			}
			deal := li.object("deal", "show", str(d, "id"))
			if str(deal, "stage") != "negotiation" || str(deal, "amount") != "16000.00" {
				t.Fatalf("merged deal: %v", deal)
			}
			contact := li.object("contact", "show", str(c, "id"))
			if str(contact, "title") != "Chief Technology Officer" || len(strs(contact, "tags")) != 1 {
				t.Fatalf("merged contact: %v", contact)
			}
			for _, e := range []*env{li, sam} {
				cs := e.list("sync", "conflicts")
				groups := map[string]bool{}
				for _, x := range cs {
					groups[str(x, "group")] = true
				}
				if !groups["title"] || !groups["value"] {
					t.Errorf("conflicts: %v", cs)
				}
				if out := e.ok("sync", "conflicts").stdout; !strings.Contains(out, "Chief Technology Officer") || !strings.Contains(out, "CTO") {
					t.Errorf("conflicts table:\n%s", out)
				}
				st := e.object("sync", "status")
				if st["pending"] != 0.0 || st["conflicts"] == 0.0 || str(st, "server") != srv.url() || str(st, "last_sync") == "" {
					t.Errorf("status: %v", st)
				}
			}

			// The server stops: offline is a clear exit 1, and nothing is lost.
			srv.kill()
			li.ok("contact", "edit", str(c, "id"), "--source", "offline edit")
			r := li.fails(1, "sync")
			if !strings.Contains(r.stderr, "cannot reach") {
				t.Errorf("offline message: %s", r.stderr)
			}
			if st := li.object("sync", "status"); st["pending"] != 1.0 {
				t.Errorf("status offline: %v", st)
			}
			srv.start()
			li.ok("sync")
			sam.ok("sync")
			if got := sam.object("contact", "show", str(c, "id")); str(got, "source") != "offline edit" {
				t.Fatalf("the offline edit did not arrive: %v", got)
			}
		})
	}
}

// TestSyncKillServerMidSync kills rolo serve while a big first sync
// pushes, starts it again, and syncs again: nothing lost, nothing doubled.
func TestSyncKillServerMidSync(t *testing.T) {
	for name, storage := range syncStorages(t) {
		t.Run(name, func(t *testing.T) {
			srv := newTeamServer(t, storage(t)...)
			tok := srv.token("acme", "li", false)
			srv.start()
			li, sam := newEnv(t), newEnv(t)
			li.ok("demo", "--contacts", "1500", "--seed", "3")
			li.login(srv.url(), tok)
			sam.login(srv.url(), tok)
			want := len(li.list("contact", "list"))

			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "sync")
			cmd.Env = append(os.Environ(), "ROLO_DB="+li.db, "ROLO_CONFIG="+li.configPath(), "HOME="+li.dir,
				"XDG_DATA_HOME="+filepath.Join(li.dir, "data"), "XDG_CONFIG_HOME="+filepath.Join(li.dir, "config"))
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			<-srv.pushes // the first batch is stored; the next is on its way
			// The sync holds the file only during its transactions: other
			// commands write meanwhile.
			li.ok("contact", "add", "--name", "Written during the sync")
			want++
			srv.kill()
			err := cmd.Wait()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Logf("the sync ended with %v before the kill took effect", err)
			}
			srv.start()
			li.ok("sync")
			sam.ok("sync")
			if got := len(sam.list("contact", "list")); got != want {
				t.Fatalf("sam has %d contacts, want %d", got, want)
			}
			seen := map[string]bool{}
			for _, id := range srv.feed(tok) {
				if seen[id] {
					t.Fatalf("op %s is twice in the server's feed", id)
				}
				seen[id] = true
			}
			if st := li.object("sync", "status"); st["pending"] != 0.0 {
				t.Fatalf("li still has changes to push: %v", st)
			}
			li.ok("doctor")
			sam.ok("doctor")
		})
	}
}

// TestServeTokens covers the token commands and the server's refusals.
func TestServeTokens(t *testing.T) {
	srv := newTeamServer(t, "--data", t.TempDir())
	srv.e.fails(2, "serve", "token", "create", "--team", "no spaces", "--user", "li", "--data", srv.storage[1])
	tok := srv.token("acme", "li", false)
	other := srv.token("globex", "sam", false)
	list := srv.e.list(append([]string{"serve", "token", "list"}, srv.storage...)...)
	if len(list) != 2 {
		t.Fatalf("token list: %v", list)
	}
	for _, tk := range list {
		if strings.Contains(fmt.Sprint(tk), "rolo_") {
			t.Fatalf("token list shows a token: %v", tk)
		}
	}
	var acmeID string
	for _, tk := range list {
		if str(tk, "team") == "acme" {
			acmeID = str(tk, "id")
		}
	}
	srv.e.ok(append([]string{"serve", "token", "revoke", acmeID}, srv.storage...)...)
	srv.e.fails(3, append([]string{"serve", "token", "revoke", "0000000000000000"}, srv.storage...)...)
	srv.start()
	for _, tc := range []struct {
		token string
		want  int
	}{{"", 401}, {tok, 401}, {other, 200}} {
		req, _ := http.NewRequest("GET", srv.url()+"/v1/sync/changes", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("token %.12q: %d, want %d", tc.token, resp.StatusCode, tc.want)
		}
	}
	e := newEnv(t)
	r := e.runIn(tok+"\n", "sync", "login", "--server", srv.url())
	if r.code != 1 || !strings.Contains(r.stderr, "refused") {
		t.Fatalf("login with a revoked token: %s", r)
	}
	// Log in, then out of a named server: sync then asks for a token.
	e.login(srv.url(), other)
	e.ok("sync")
	e.fails(3, "sync", "logout", "--server", "http://127.0.0.1:1")
	e.ok("sync", "logout", "--server", srv.url())
	if r := e.run("sync", "--server", srv.url()); r.code != 2 || !strings.Contains(r.stderr, "no token") {
		t.Fatalf("sync after logout: %s", r)
	}
	// An empty storage flag (an unset variable) is refused, not replaced
	// by the default storage.
	if r := srv.e.run("serve", "--postgres", "", "--addr", "127.0.0.1:0"); r.code != 2 || !strings.Contains(r.stderr, "--postgres is empty") {
		t.Fatalf("serve --postgres \"\": %s", r)
	}
	// Plain HTTP is for loopback only.
	r = srv.e.run("serve", "--addr", "0.0.0.0:0", "--data", t.TempDir())
	if r.code != 2 || !strings.Contains(r.stderr, "loopback") {
		t.Fatalf("plain HTTP on 0.0.0.0: %s", r)
	}
}
