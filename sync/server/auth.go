package server

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// tokenPrefix starts every token, so a leaked one is easy to recognise
// (secret scanners) and to tell from other credentials.
const tokenPrefix = "rolo_"

var (
	teamRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	userRE = regexp.MustCompile(`^[^\x00-\x1f\x7f]{1,128}$`)
	idRE   = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

// CheckTeam validates a team name: 1-64 letters, digits, '.', '_' or '-',
// starting with a letter or digit.
func CheckTeam(team string) error {
	if !teamRE.MatchString(team) {
		return fmt.Errorf("team %q: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit", team)
	}
	return nil
}

// CheckUser validates a user name: 1-128 printable characters.
func CheckUser(user string) error {
	if !userRE.MatchString(user) {
		return fmt.Errorf("user %q: use 1-128 printable characters", user)
	}
	return nil
}

// NewToken makes a random token for a user of a team. It returns the
// token's text, which is shown once and never stored, and its stored
// form, which keeps only a hash.
func NewToken(team, user string, admin bool, now time.Time) (string, Token, error) {
	if err := CheckTeam(team); err != nil {
		return "", Token{}, err
	}
	if err := CheckUser(user); err != nil {
		return "", Token{}, err
	}
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", Token{}, err
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", Token{}, err
	}
	t := Token{ID: hex.EncodeToString(id[:]), Team: team, User: user, Admin: admin, CreatedAt: now.UTC()}
	text := tokenPrefix + t.ID + "_" + base64.RawURLEncoding.EncodeToString(secret[:])
	t.Hash = hashToken(text)
	return text, t, nil
}

func hashToken(text string) []byte {
	h := sha256.Sum256([]byte(text))
	return h[:]
}

// tokenID returns the id part of a token's text.
func tokenID(text string) (string, bool) {
	rest, ok := strings.CutPrefix(text, tokenPrefix)
	if !ok {
		return "", false
	}
	id, secret, ok := strings.Cut(rest, "_")
	if !ok || !idRE.MatchString(id) || len(secret) != 43 {
		return "", false
	}
	return id, true
}

// matches reports whether text is the token t stores, in constant time.
func (t *Token) matches(text string) bool {
	return subtle.ConstantTimeCompare(hashToken(text), t.Hash) == 1
}
