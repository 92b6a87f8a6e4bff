package server_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolo-crm/rolo/model"
	"github.com/rolo-crm/rolo/store"
	"github.com/rolo-crm/rolo/sync/protocol"
	"github.com/rolo-crm/rolo/sync/server"
	"github.com/rolo-crm/rolo/sync/server/boltstore"
)

var ctx = context.Background()

var now = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

type fixture struct {
	t       *testing.T
	storage server.Storage
	srv     *httptest.Server
	// tokens: acme admin, acme user, globex admin
	acmeAdmin, acmeUser, globex string
	acmeUserID                  string
	log                         *bytes.Buffer
}

func newFixture(t *testing.T, opts server.Options) *fixture {
	t.Helper()
	st, err := boltstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, storage: st, log: &bytes.Buffer{}}
	issue := func(team, user string, admin bool) (string, server.Token) {
		text, tok, err := server.IssueToken(ctx, st, team, user, admin, now)
		if err != nil {
			t.Fatal(err)
		}
		return text, tok
	}
	f.acmeAdmin, _ = issue("acme", "boss", true)
	var u server.Token
	f.acmeUser, u = issue("acme", "li", false)
	f.acmeUserID = u.ID
	f.globex, _ = issue("globex", "sam", true)
	opts.Storage = st
	opts.Now = func() time.Time { return now }
	opts.Logger = slog.New(slog.NewJSONHandler(f.log, nil))
	if opts.Rate == 0 {
		opts.Rate = -1
	}
	f.srv = httptest.NewServer(server.New(opts).Handler())
	t.Cleanup(func() {
		f.srv.Close()
		st.Close()
	})
	return f
}

func (f *fixture) do(method, path, token string, body []byte) (int, []byte, http.Header) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data, resp.Header
}

func (f *fixture) want(status int, method, path, token string, body []byte) []byte {
	f.t.Helper()
	got, data, _ := f.do(method, path, token, body)
	if got != status {
		f.t.Fatalf("%s %s: %d %s, want %d", method, path, got, data, status)
	}
	if status >= 400 {
		var eb protocol.ErrorBody
		if err := json.Unmarshal(data, &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
			f.t.Fatalf("%s %s: error body %s is not {\"error\": {code, message}}", method, path, data)
		}
	}
	return data
}

var replicaA = store.Replica{0xa}

func contactOp(id model.ID, h store.HLC, name string) protocol.Op {
	return protocol.Op{
		OpID: protocol.OpID(replicaA, h), Replica: replicaA, Entity: model.EntityContact, ID: id, HLC: h,
		Groups: []string{"created", "name"}, Value: json.RawMessage(fmt.Sprintf(`{"created_at":"2026-11-01T00:00:00Z","name":%q}`, name)),
	}
}

func pushBody(t *testing.T, ops ...protocol.Op) []byte {
	b, err := json.Marshal(protocol.PushRequest{Ops: ops})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuth(t *testing.T) {
	f := newFixture(t, server.Options{})
	// The token with its last character changed (to one it is not).
	last := "Q"
	if strings.HasSuffix(f.acmeUser, last) {
		last = "R"
	}
	for _, tok := range []string{"", "nonsense", "rolo_0123456789abcdef_" + strings.Repeat("A", 43), f.acmeUser + "x", f.acmeUser[:len(f.acmeUser)-1] + last} {
		code, data, h := f.do("GET", "/v1/sync/changes", tok, nil)
		if code != http.StatusUnauthorized || !strings.Contains(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("token %q: %d %s", tok, code, data)
		}
	}
	f.want(200, "GET", "/v1/sync/changes", f.acmeUser, nil)
	// Status answers health checks without a token, and says more with one.
	var st protocol.Status
	json.Unmarshal(f.want(200, "GET", "/v1/status", "", nil), &st)
	if st.Status != "ok" || st.Team != "" || st.Epoch != "" {
		t.Fatalf("anonymous status: %+v", st)
	}
	json.Unmarshal(f.want(200, "GET", "/v1/status", f.acmeUser, nil), &st)
	if st.Team != "acme" || st.User != "li" || st.Epoch == "" {
		t.Fatalf("status with a token: %+v", st)
	}
	// Revocation takes effect at once.
	f.want(200, "DELETE", "/v1/admin/tokens/"+f.acmeUserID, f.acmeAdmin, nil)
	f.want(401, "GET", "/v1/sync/changes", f.acmeUser, nil)
	f.want(401, "POST", "/v1/sync/push", f.acmeUser, pushBody(t))
}

func TestTeamsAreIsolated(t *testing.T) {
	f := newFixture(t, server.Options{})
	id := model.NewID(now)
	var pr protocol.PushResponse
	json.Unmarshal(f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, contactOp(id, store.MakeHLC(now), "Maria"))), &pr)
	if pr.Accepted != 1 {
		t.Fatalf("push: %+v", pr)
	}
	f.want(200, "GET", "/v1/contacts/"+id.String(), f.acmeUser, nil)
	f.want(404, "GET", "/v1/contacts/"+id.String(), f.globex, nil)
	f.want(404, "GET", "/v1/contacts/not-an-id", f.acmeUser, nil)
	var page server.RecordsPage
	json.Unmarshal(f.want(200, "GET", "/v1/contacts", f.globex, nil), &page)
	if len(page.Items) != 0 {
		t.Fatalf("globex lists acme's contacts: %s", page.Items)
	}
	var ch protocol.ChangesResponse
	json.Unmarshal(f.want(200, "GET", "/v1/sync/changes", f.globex, nil), &ch)
	if len(ch.Ops) != 0 {
		t.Fatalf("globex pulls acme's ops: %+v", ch.Ops)
	}
	var snap protocol.SnapshotResponse
	json.Unmarshal(f.want(200, "GET", "/v1/snapshot", f.globex, nil), &snap)
	if len(snap.Ops) != 0 {
		t.Fatalf("globex's snapshot holds acme's ops: %+v", snap.Ops)
	}
	// An admin of another team cannot touch a team's tokens.
	f.want(404, "DELETE", "/v1/admin/tokens/"+f.acmeUserID, f.globex, nil)
	f.want(200, "GET", "/v1/sync/changes", f.acmeUser, nil)
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t, server.Options{MaxBody: 4096})
	ok := contactOp(model.NewID(now), store.MakeHLC(now), "Maria")
	for _, tc := range []struct {
		name   string
		body   string
		status int
	}{
		{"oversized", `{"ops":[` + strings.Repeat(`{"op_id":"x"},`, 1000) + `]}`, 413},
		{"not JSON", `{"ops":[`, 400},
		{"unknown field", `{"ops":[],"extra":1}`, 400},
		{"unknown op field", `{"ops":[{"op_id":"x","color":"red"}]}`, 400},
		{"trailing data", `{"ops":[]} {}`, 400},
		{"wrong type", `{"ops":{}}`, 400},
		{"bad entity", `{"ops":[{"entity":"planet"}]}`, 400},
		{"bad hlc", `{"ops":[{"hlc":"soon"}]}`, 400},
		{"empty", ``, 400},
		{"fine", string(pushBody(t, ok)), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.want(tc.status, "POST", "/v1/sync/push", f.acmeUser, []byte(tc.body))
		})
	}
	f.want(405, "GET", "/v1/sync/push", f.acmeUser, nil)
	f.want(404, "GET", "/v1/nothing", f.acmeUser, nil)
	f.want(400, "GET", "/v1/sync/changes?limit=0", f.acmeUser, nil)
	f.want(400, "GET", "/v1/sync/changes?since=garbage", f.acmeUser, nil)
	f.want(400, "GET", "/v1/sync/changes?exclude=zz", f.acmeUser, nil)
	f.want(400, "GET", "/v1/contacts?updated_since=yesterday", f.acmeUser, nil)
	f.want(400, "GET", "/v1/snapshot?after=1.2.3", f.acmeUser, nil)
	f.want(200, "GET", "/v1/status", "", nil) // still up
}

func TestRejectedOps(t *testing.T) {
	f := newFixture(t, server.Options{})
	id := model.NewID(now)
	good := contactOp(id, store.MakeHLC(now), "Maria")
	ahead := contactOp(id, store.MakeHLC(now.Add(6*time.Minute)), "Future")
	wrongID := contactOp(id, store.MakeHLC(now)+1, "x")
	wrongID.OpID = "nope"
	badGroup := contactOp(id, store.MakeHLC(now)+2, "x")
	badGroup.Groups = []string{"color"}
	strayKey := contactOp(id, store.MakeHLC(now)+3, "x")
	strayKey.Groups = []string{"name"}
	badValue := contactOp(id, store.MakeHLC(now)+4, "x")
	badValue.Value = json.RawMessage(`[1,2]`)
	var pr protocol.PushResponse
	json.Unmarshal(f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, good, ahead, wrongID, badGroup, strayKey, badValue)), &pr)
	reasons := map[string]string{}
	for _, r := range pr.Rejected {
		reasons[r.OpID] = r.Reason
		if r.Message == "" {
			t.Errorf("rejection of %s has no message", r.OpID)
		}
	}
	want := map[string]string{
		ahead.OpID: protocol.ReasonClockAhead, "nope": protocol.ReasonInvalid, badGroup.OpID: protocol.ReasonInvalid,
		strayKey.OpID: protocol.ReasonInvalid, badValue.OpID: protocol.ReasonInvalid,
	}
	if pr.Accepted != 1 || len(reasons) != len(want) {
		t.Fatalf("push: %+v", pr)
	}
	for id, r := range want {
		if reasons[id] != r {
			t.Errorf("op %s: reason %q, want %q", id, reasons[id], r)
		}
	}
	// Pushing the same op again is harmless.
	pr = protocol.PushResponse{}
	json.Unmarshal(f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, good)), &pr)
	if pr.Duplicates != 1 || pr.Accepted != 0 || len(pr.Rejected) != 0 {
		t.Fatalf("the same op again: %+v", pr)
	}
}

func TestCursorReset(t *testing.T) {
	f := newFixture(t, server.Options{})
	f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, contactOp(model.NewID(now), store.MakeHLC(now), "Maria")))
	var ch protocol.ChangesResponse
	json.Unmarshal(f.want(200, "GET", "/v1/sync/changes", f.acmeUser, nil), &ch)
	if len(ch.Ops) != 1 || ch.HasMore {
		t.Fatalf("changes: %+v", ch)
	}
	f.want(200, "GET", "/v1/sync/changes?since="+ch.Cursor, f.acmeUser, nil)
	cur, _ := protocol.ParseCursor(ch.Cursor)
	ahead := protocol.Cursor{Epoch: cur.Epoch, Seq: cur.Seq + 1}
	body := f.want(410, "GET", "/v1/sync/changes?since="+ahead.String(), f.acmeUser, nil)
	if !strings.Contains(string(body), protocol.CodeCursorReset) {
		t.Fatalf("410 body: %s", body)
	}
	other := protocol.Cursor{Epoch: "0000000000000000", Seq: 1}
	f.want(410, "GET", "/v1/sync/changes?since="+other.String(), f.acmeUser, nil)
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, server.Options{Rate: 1, Burst: 3})
	for range 3 {
		f.want(200, "GET", "/v1/sync/changes", f.acmeUser, nil)
	}
	code, _, h := f.do("GET", "/v1/sync/changes", f.acmeUser, nil)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d, Retry-After %q", code, h.Get("Retry-After"))
	}
	f.want(200, "GET", "/v1/sync/changes", f.globex, nil) // another token has its own budget
}

func TestAdminTokens(t *testing.T) {
	f := newFixture(t, server.Options{BackupDir: t.TempDir()})
	f.want(403, "POST", "/v1/admin/tokens", f.acmeUser, []byte(`{"user":"x"}`))
	f.want(403, "POST", "/v1/admin/backup", f.acmeUser, nil)
	f.want(400, "POST", "/v1/admin/tokens", f.acmeAdmin, []byte(`{"user":""}`))
	var nt server.NewTokenResponse
	json.Unmarshal(f.want(201, "POST", "/v1/admin/tokens", f.acmeAdmin, []byte(`{"user":"wang"}`)), &nt)
	if nt.Team != "acme" || nt.User != "wang" || nt.Admin || !strings.HasPrefix(nt.Token, "rolo_") {
		t.Fatalf("new token: %+v", nt)
	}
	f.want(200, "GET", "/v1/sync/changes", nt.Token, nil)
	var list []server.TokenInfo
	json.Unmarshal(f.want(200, "GET", "/v1/admin/tokens", f.acmeAdmin, nil), &list)
	if len(list) != 3 {
		t.Fatalf("acme's tokens: %+v", list)
	}
	for _, ti := range list {
		if ti.Team != "acme" {
			t.Fatalf("another team's token listed: %+v", ti)
		}
	}
	if strings.Contains(f.log.String(), nt.Token) {
		t.Fatal("a token's text is in the log")
	}
	var br server.BackupResponse
	json.Unmarshal(f.want(200, "POST", "/v1/admin/backup", f.acmeAdmin, nil), &br)
	if br.Size == 0 {
		t.Fatalf("backup: %+v", br)
	}
	if _, err := os.Stat(br.File); err != nil {
		t.Fatal(err)
	}
}

func TestAccessLog(t *testing.T) {
	f := newFixture(t, server.Options{})
	f.want(200, "GET", "/v1/sync/changes", f.acmeUser, nil)
	f.want(401, "GET", "/v1/sync/changes", "", nil)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(f.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 || lines[0]["team"] != "acme" || lines[0]["status"] != 200.0 || lines[1]["status"] != 401.0 || lines[0]["path"] != "/v1/sync/changes" {
		t.Fatalf("access log: %v", lines)
	}
}

func TestReadEndpoints(t *testing.T) {
	f := newFixture(t, server.Options{})
	var ops []protocol.Op
	var ids []model.ID
	for i := range 5 {
		id := model.NewID(now)
		ids = append(ids, id)
		ops = append(ops, contactOp(id, store.MakeHLC(now)+store.HLC(i), fmt.Sprint("c", i)))
	}
	f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, ops...))
	var page server.RecordsPage
	json.Unmarshal(f.want(200, "GET", "/v1/contacts?limit=3", f.acmeUser, nil), &page)
	if len(page.Items) != 3 || page.Next != ids[2].String() {
		t.Fatalf("first page: %d items, next %q", len(page.Items), page.Next)
	}
	next := page.Next
	page = server.RecordsPage{}
	json.Unmarshal(f.want(200, "GET", "/v1/contacts?limit=3&after="+next, f.acmeUser, nil), &page)
	if len(page.Items) != 2 || page.Next != "" {
		t.Fatalf("second page: %d items, next %q", len(page.Items), page.Next)
	}
	var c model.Contact
	if err := json.Unmarshal(page.Items[1], &c); err != nil || c.Name != "c4" || c.ID != ids[4] {
		t.Fatalf("record %s: %v", page.Items[1], err)
	}
	// A deletion shows in the changes since a time.
	del := protocol.Op{OpID: protocol.OpID(replicaA, store.MakeHLC(now)+10), Replica: replicaA, Entity: model.EntityContact, ID: ids[0], HLC: store.MakeHLC(now) + 10, Deleted: true}
	f.want(200, "POST", "/v1/sync/push", f.acmeUser, pushBody(t, del))
	f.want(404, "GET", "/v1/contacts/"+ids[0].String(), f.acmeUser, nil)
	json.Unmarshal(f.want(200, "GET", "/v1/contacts?updated_since="+now.Add(-time.Second).Format(time.RFC3339), f.acmeUser, nil), &page)
	if len(page.Items) != 5 || !strings.Contains(string(page.Items[0]), `"deleted":true`) {
		t.Fatalf("changes since: %s", page.Items)
	}
	json.Unmarshal(f.want(200, "GET", "/v1/contacts?updated_since="+now.Add(time.Second).Format(time.RFC3339), f.acmeUser, nil), &page)
	if len(page.Items) != 0 {
		t.Fatalf("changes since later: %s", page.Items)
	}
}

func TestListenRefusesPlainHTTPOnNetwork(t *testing.T) {
	if _, err := server.Listen(server.ListenOptions{Addr: "0.0.0.0:0"}); !errors.Is(err, server.ErrPlainHTTP) {
		t.Fatalf("plain HTTP on 0.0.0.0: %v", err)
	}
	ln, err := server.Listen(server.ListenOptions{Addr: "0.0.0.0:0", Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if _, err := server.Listen(server.ListenOptions{Addr: "127.0.0.1:0", TLSCert: "x"}); err == nil {
		t.Fatal("a certificate without a key was accepted")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "rolo test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestTLSAndShutdown serves over TLS (HTTP/2 negotiated), then shuts
// down while a push is still being sent: the push completes.
func TestTLSAndShutdown(t *testing.T) {
	st, err := boltstore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tok, _, _ := server.IssueToken(ctx, st, "acme", "li", false, now)
	certFile, keyFile, pool := selfSigned(t)
	lo := server.ListenOptions{Addr: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile, ShutdownTimeout: 10 * time.Second}
	ln, err := server.Listen(lo)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Options{Storage: st, Now: func() time.Time { return now }})
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln, lo) }()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	base := "https://" + ln.Addr().String()
	resp, err := client.Get(base + "/v1/status")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Fatalf("protocol %s, want HTTP/2", resp.Proto)
	}
	// A push whose body arrives slowly, across the shutdown.
	body := pushBody(t, contactOp(model.NewID(now), store.MakeHLC(now), "Maria"))
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", base+"/v1/sync/push", pr)
	req.Header.Set("Authorization", "Bearer "+tok)
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	pw.Write(body[:10])
	time.Sleep(50 * time.Millisecond)
	stop()
	time.Sleep(50 * time.Millisecond)
	pw.Write(body[10:])
	pw.Close()
	resp = <-done
	if resp == nil || resp.StatusCode != 200 {
		t.Fatalf("the push in flight during shutdown: %v", resp)
	}
	resp.Body.Close()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if n, _ := st.LastSeq(ctx, "acme"); n != 1 {
		t.Fatalf("the push in flight was not stored (%d ops)", n)
	}
}

// FuzzPush sends arbitrary bodies to the push endpoint: the server
// answers 200, 400 or 413 and never fails or stops.
func FuzzPush(f *testing.F) {
	id := model.NewID(now)
	f.Add([]byte(`{"ops":[]}`))
	f.Add(mustJSON(protocol.PushRequest{Ops: []protocol.Op{contactOp(id, store.MakeHLC(now), "Maria")}}))
	del := protocol.Op{OpID: protocol.OpID(replicaA, 7), Replica: replicaA, Entity: model.EntityDeal, ID: id, HLC: 7, Deleted: true}
	f.Add(mustJSON(protocol.PushRequest{Ops: []protocol.Op{del}}))
	f.Add([]byte(`{"ops":[{"op_id":"x","replica":"00","entity":"contact","id":"","hlc":"1","groups":["name"],"value":{"name":{"a":[1,{"b":null}]}}}]}`))
	f.Add([]byte(`{"ops":[{"entity":"task","groups":["links"],"value":{"contact_id":"zz"}}]}`))
	dir := f.TempDir()
	st, err := boltstore.Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	tok, _, _ := server.IssueToken(ctx, st, "acme", "li", false, now)
	h := server.New(server.Options{Storage: st, Now: func() time.Time { return now }, Rate: -1, MaxBody: 1 << 16}).Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/v1/sync/push", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if c := rec.Code; c != 200 && c != 400 && c != 413 {
			t.Fatalf("status %d for %q: %s", c, body, rec.Body)
		}
		// Whatever was stored can be read back.
		for _, path := range []string{"/v1/snapshot", "/v1/contacts", "/v1/deals", "/v1/tasks", "/v1/sync/changes"} {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("GET %s after pushing %q: %d %s", path, body, rec.Code, rec.Body)
			}
		}
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestAPIDocumented: docs/api.yaml describes every endpoint the server
// serves.
func TestAPIDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/v1/status", "/v1/sync/push", "/v1/sync/changes", "/v1/snapshot", "/v1/admin/tokens", "/v1/admin/tokens/{id}", "/v1/admin/backup"}
	for _, e := range []string{"contacts", "companies", "deals", "tasks", "activities"} {
		paths = append(paths, "/v1/"+e, "/v1/"+e+"/{id}")
	}
	f := newFixture(t, server.Options{})
	for _, p := range paths {
		if !strings.Contains(string(doc), "\n  "+p+":") {
			t.Errorf("docs/api.yaml does not describe %s", p)
		}
		if code, _, _ := f.do("OPTIONS", strings.ReplaceAll(p, "{id}", "x"), f.acmeAdmin, nil); code != http.StatusMethodNotAllowed {
			t.Errorf("%s is documented but not served (%d)", p, code)
		}
	}
}
