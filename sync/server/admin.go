package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/rolo-crm/rolo/sync/protocol"
)

// TokenInfo describes a token without its secret.
type TokenInfo struct {
	ID        string    `json:"id"`
	Team      string    `json:"team"`
	User      string    `json:"user"`
	Admin     bool      `json:"admin"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Info returns the token's public description.
func (t *Token) Info() TokenInfo {
	return TokenInfo{ID: t.ID, Team: t.Team, User: t.User, Admin: t.Admin, CreatedAt: t.CreatedAt, RevokedAt: t.RevokedAt}
}

// NewTokenResponse answers POST /v1/admin/tokens: the token's text is
// shown this once.
type NewTokenResponse struct {
	TokenInfo
	Token string `json:"token"`
}

// IssueToken makes and stores a token and returns its text.
func IssueToken(ctx context.Context, st Storage, team, user string, admin bool, now time.Time) (string, Token, error) {
	text, t, err := NewToken(team, user, admin, now)
	if err != nil {
		return "", t, err
	}
	return text, t, st.CreateToken(ctx, t)
}

type createTokenRequest struct {
	User  string `json:"user"`
	Admin bool   `json:"admin"`
}

// createToken issues a token for a user of the caller's team.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, t *Token) {
	var req createTokenRequest
	if !s.readBody(w, r, &req) {
		return
	}
	if err := CheckUser(req.User); err != nil {
		writeError(w, http.StatusBadRequest, protocol.CodeBadRequest, err.Error())
		return
	}
	text, nt, err := IssueToken(r.Context(), s.st, t.Team, req.User, req.Admin, s.opts.Now())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.log.Info("token created", "team", nt.Team, "user", nt.User, "admin", nt.Admin, "token", nt.ID, "by", t.ID)
	writeJSON(w, http.StatusCreated, NewTokenResponse{TokenInfo: nt.Info(), Token: text})
}

// listTokens lists the caller's team's tokens.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, t *Token) {
	ts, err := s.st.Tokens(r.Context(), t.Team)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]TokenInfo, 0, len(ts))
	for i := range ts {
		out = append(out, ts[i].Info())
	}
	writeJSON(w, http.StatusOK, out)
}

// revokeToken revokes a token of the caller's team.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, t *Token) {
	id := r.PathValue("id")
	target, err := s.st.Token(r.Context(), id)
	if errors.Is(err, ErrNotFound) || err == nil && target.Team != t.Team {
		writeError(w, http.StatusNotFound, protocol.CodeNotFound, "no token "+id+" in this team")
		return
	}
	if err == nil {
		err = s.st.RevokeToken(r.Context(), id, s.opts.Now())
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.log.Info("token revoked", "team", t.Team, "token", id, "by", t.ID)
	target.RevokedAt = s.opts.Now().UTC()
	writeJSON(w, http.StatusOK, target.Info())
}

// BackupResponse answers POST /v1/admin/backup.
type BackupResponse struct {
	File string `json:"file"`
	Size int64  `json:"size"`
}

// backup writes a hot backup of the whole data store into the server's
// backup directory (on the server, never to the caller: it holds every
// team's data).
func (s *Server) backup(w http.ResponseWriter, r *http.Request, t *Token) {
	b, ok := s.st.(Backuper)
	if !ok || s.opts.BackupDir == "" {
		writeError(w, http.StatusNotImplemented, protocol.CodeUnavailable,
			"this server makes no backups itself (PostgreSQL: use pg_dump; see docs/serve.md)")
		return
	}
	if err := os.MkdirAll(s.opts.BackupDir, 0o700); err != nil {
		s.internalError(w, r, err)
		return
	}
	name := filepath.Join(s.opts.BackupDir, fmt.Sprintf("rolo-server-%s.db", s.opts.Now().UTC().Format("20060102T150405.000Z")))
	size, err := b.BackupTo(r.Context(), name)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.log.Info("backup written", "file", name, "size", size, "by", t.ID)
	writeJSON(w, http.StatusOK, BackupResponse{File: name, Size: size})
}
