// Package server is rolo's team server, started by `rolo serve`: the /v1
// REST API over a Storage (bbolt or PostgreSQL). It authenticates bearer
// tokens (teams never see each other's data), rate-limits each token,
// limits request bodies, logs every request, and merges pushed ops into
// the current state of each team's records with the same rules as the
// client (docs/sync-protocol.md).
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rolo-crm/rolo/sync/protocol"
)

// Defaults of Options.
const (
	DefaultMaxBody = 32 << 20
	DefaultRate    = 50
	DefaultBurst   = 200
)

// Options configure a Server.
type Options struct {
	Storage Storage
	// Logger receives the access log and errors (nothing when nil).
	Logger *slog.Logger
	// Now is the server's clock (time.Now when nil).
	Now func() time.Time
	// MaxBody bounds request bodies in bytes (DefaultMaxBody when 0).
	MaxBody int64
	// Rate and Burst limit each token's requests (DefaultRate requests a
	// second, bursts of DefaultBurst, when 0; Rate < 0 disables the limit).
	Rate  float64
	Burst int
	// BackupDir is where POST /v1/admin/backup writes (disabled when "").
	BackupDir string
	// Version is reported by /v1/status.
	Version string
}

// Server serves the /v1 API.
type Server struct {
	opts    Options
	st      Storage
	log     *slog.Logger
	limiter *limiter
	handler http.Handler
}

// New returns a server over opts.Storage.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Rate == 0 {
		opts.Rate = DefaultRate
	}
	if opts.Burst <= 0 {
		opts.Burst = DefaultBurst
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	s := &Server{opts: opts, st: opts.Storage, log: opts.Logger, limiter: newLimiter(opts.Rate, opts.Burst)}
	mux := http.NewServeMux()
	mux.Handle("/v1/status", methods{"GET": s.status})
	mux.Handle("/v1/sync/push", methods{"POST": s.authed(s.push)})
	mux.Handle("/v1/sync/changes", methods{"GET": s.authed(s.changes)})
	mux.Handle("/v1/snapshot", methods{"GET": s.authed(s.snapshot)})
	for _, e := range entityPaths {
		mux.Handle("/v1/"+e.path, methods{"GET": s.authed(s.listRecords)})
		mux.Handle("/v1/"+e.path+"/{id}", methods{"GET": s.authed(s.getRecord)})
	}
	mux.Handle("/v1/admin/tokens", methods{"GET": s.admin(s.listTokens), "POST": s.admin(s.createToken)})
	mux.Handle("/v1/admin/tokens/{id}", methods{"DELETE": s.admin(s.revokeToken)})
	mux.Handle("/v1/admin/backup", methods{"POST": s.admin(s.backup)})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, protocol.CodeNotFound, "no such endpoint: "+r.URL.Path)
	})
	s.handler = s.accessLog(mux)
	return s
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler { return s.handler }

// methods routes a path's requests by method, answering 405 in JSON.
type methods map[string]http.HandlerFunc

func (m methods) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, ok := m[r.Method]; ok {
		h(w, r)
		return
	}
	allowed := make([]string, 0, len(m))
	for k := range m {
		allowed = append(allowed, k)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeError(w, http.StatusMethodNotAllowed, protocol.CodeMethod, r.Method+" is not allowed on "+r.URL.Path)
}

// writeJSON writes v with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, protocol.CodeInternal, "encode the response")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	b, _ := json.Marshal(protocol.ErrorBody{Error: protocol.ErrorDetail{Code: code, Message: msg}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// internalError logs err and answers 500 without details.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	writeError(w, http.StatusInternalServerError, protocol.CodeInternal, "internal error; the server log has the details")
}

// caller is what the access log learns about a request as it is served.
type caller struct {
	team, user, token string
}

type callerKey struct{}

func callerOf(r *http.Request) *caller {
	c, _ := r.Context().Value(callerKey{}).(*caller)
	return c
}

// accessLog logs one structured line per request.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		c := &caller{}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
		attrs := []any{
			"method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "remote", r.RemoteAddr, "proto", r.Proto,
		}
		if c.team != "" {
			attrs = append(attrs, "team", c.team, "user", c.user, "token", c.token)
		}
		s.log.Info("request", attrs...)
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// authedFunc is a handler that knows the caller's token.
type authedFunc func(http.ResponseWriter, *http.Request, *Token)

// authenticate returns the valid token the request carries.
func (s *Server) authenticate(r *http.Request) (*Token, bool, error) {
	text, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, false, nil
	}
	id, ok := tokenID(strings.TrimSpace(text))
	if !ok {
		return nil, false, nil
	}
	t, err := s.st.Token(r.Context(), id)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !t.matches(strings.TrimSpace(text)) || !t.RevokedAt.IsZero() {
		return nil, false, nil
	}
	return &t, true, nil
}

// authed requires a valid token and takes one request from its rate.
func (s *Server) authed(h authedFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok, err := s.authenticate(r)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="rolo"`)
			writeError(w, http.StatusUnauthorized, protocol.CodeUnauthorized, "a valid token is needed: Authorization: Bearer TOKEN (rolo sync login)")
			return
		}
		if c := callerOf(r); c != nil {
			c.team, c.user, c.token = t.Team, t.User, t.ID
		}
		if ok, wait := s.limiter.allow(t.ID, s.opts.Now()); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			writeError(w, http.StatusTooManyRequests, protocol.CodeRateLimited, "too many requests for this token; retry after "+retryAfter(wait)+" s")
			return
		}
		h(w, r, t)
	}
}

// retryAfter gives a wait in whole seconds, rounded up.
func retryAfter(d time.Duration) string { return strconv.Itoa(int(d/time.Second) + 1) }

// admin requires an admin token.
func (s *Server) admin(h authedFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request, t *Token) {
		if !t.Admin {
			writeError(w, http.StatusForbidden, protocol.CodeForbidden, "this needs an admin token of the team")
			return
		}
		h(w, r, t)
	})
}

// status answers health checks; with a valid token it adds the team's
// position.
func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st := protocol.Status{Status: "ok", Version: s.opts.Version, Time: s.opts.Now().UTC()}
	t, ok, err := s.authenticate(r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if ok {
		if c := callerOf(r); c != nil {
			c.team, c.user, c.token = t.Team, t.User, t.ID
		}
		epoch, err := s.st.Epoch(r.Context())
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		seq, err := s.st.LastSeq(r.Context(), t.Team)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		st.Team, st.User, st.Admin, st.Epoch, st.Seq = t.Team, t.User, t.Admin, epoch, seq
		st.Cursor = protocol.Cursor{Epoch: epoch, Seq: seq}.String()
	}
	writeJSON(w, http.StatusOK, st)
}
