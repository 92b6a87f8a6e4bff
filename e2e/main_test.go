// Package e2e drives the built rolo binary the way a user or a script
// does: real processes, real files, exit codes and JSON on stdout.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rolo-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "rolo")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build rolo:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one user's environment: a database, a config file and a home.
type env struct {
	t      *testing.T
	dir    string
	db     string
	config string
	extra  []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	return &env{t: t, dir: dir, db: filepath.Join(dir, "rolo.db"), config: filepath.Join(dir, "config.toml")}
}

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
}

// run runs rolo with args; it fails the test if the process does not end
// within a minute (a hang is a bug).
func (e *env) run(args ...string) result {
	e.t.Helper()
	return e.runIn("", args...)
}

func (e *env) runIn(stdin string, args ...string) result {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(),
		"ROLO_DB="+e.db,
		"ROLO_CONFIG="+e.configPath(),
		"HOME="+e.dir,
		"XDG_DATA_HOME="+filepath.Join(e.dir, "data"),
		"XDG_CONFIG_HOME="+filepath.Join(e.dir, "config"),
		"XDG_STATE_HOME="+filepath.Join(e.dir, "state"),
		"LANG=en_US.UTF-8", "LC_ALL=", "TZ=Asia/Shanghai", "NO_COLOR=1",
	)
	cmd.Env = append(cmd.Env, e.extra...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		e.t.Fatalf("rolo %s did not finish within a minute", strings.Join(args, " "))
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatalf("run rolo: %v", err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// configPath returns the config file, written empty when absent so
// ROLO_CONFIG always names an existing file.
func (e *env) configPath() string {
	if _, err := os.Stat(e.config); err != nil {
		if err := os.WriteFile(e.config, []byte("currency = \"CNY\"\nphone_region = \"CN\"\n"), 0o600); err != nil {
			e.t.Fatal(err)
		}
	}
	return e.config
}

// ok runs rolo and fails the test unless it exits 0.
func (e *env) ok(args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("rolo %s: %s", strings.Join(args, " "), r)
	}
	return r
}

// fails runs rolo and fails the test unless it exits with code.
func (e *env) fails(code int, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != code {
		e.t.Fatalf("rolo %s: want exit %d, got %s", strings.Join(args, " "), code, r)
	}
	if r.stderr == "" {
		e.t.Errorf("rolo %s: exit %d without a message on stderr", strings.Join(args, " "), code)
	}
	if strings.HasPrefix(strings.TrimSpace(r.stdout), "{") || strings.HasPrefix(strings.TrimSpace(r.stdout), "[") {
		e.t.Errorf("rolo %s: an error must not print JSON on stdout: %s", strings.Join(args, " "), r.stdout)
	}
	return r
}

// object runs rolo with --json and decodes one object.
func (e *env) object(args ...string) map[string]any {
	e.t.Helper()
	r := e.ok(append(args, "--json")...)
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		e.t.Fatalf("rolo %s --json: not an object: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return m
}

// list runs rolo with --json and decodes an array of objects.
func (e *env) list(args ...string) []map[string]any {
	e.t.Helper()
	r := e.ok(append(args, "--json")...)
	var l []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		e.t.Fatalf("rolo %s --json: not an array: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return l
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func strs(m map[string]any, k string) []string {
	var out []string
	l, _ := m[k].([]any)
	for _, v := range l {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}
