package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/adrg/xdg"
)

// Credentials are the team-server tokens `rolo sync login` stores, in a
// file only the user can read. The TUI's background sync reads the same
// file.
type Credentials struct {
	// Default is the server of the last login.
	Default string `json:"default,omitempty"`
	// Servers maps a server URL to its token.
	Servers map[string]Credential `json:"servers"`
}

// Credential is one server's token.
type Credential struct {
	Token string `json:"token"`
}

// CredentialsPath is $XDG_CONFIG_HOME/rolo/sync-credentials.json.
func CredentialsPath() string { return filepath.Join(xdg.ConfigHome, "rolo", "sync-credentials.json") }

// LoadCredentials reads the file at path; a missing file holds nothing.
func LoadCredentials(path string) (*Credentials, error) {
	c := &Credentials{Servers: map[string]Credential{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.Servers == nil {
		c.Servers = map[string]Credential{}
	}
	return c, nil
}

// Save writes the file at path with 0600 permissions, atomically.
func (c *Credentials) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Target resolves which server to sync with and its token: server (a
// flag), else configured (config.toml's [sync] server), else the last
// login's; the token is $ROLO_SYNC_TOKEN, else the stored one. An empty
// server means none is set up.
func Target(server, configured string, creds *Credentials) (string, string, error) {
	if server == "" {
		server = configured
	}
	if server == "" {
		server = creds.Default
	}
	if server == "" {
		return "", "", nil
	}
	u, err := ParseServerURL(server)
	if err != nil {
		return "", "", err
	}
	token := os.Getenv("ROLO_SYNC_TOKEN")
	if token == "" {
		token = creds.Servers[u.String()].Token
	}
	return u.String(), token, nil
}
