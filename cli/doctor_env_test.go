package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/adrg/xdg"
)

// doctorApp is an app whose config.toml holds text ("" for no file).
func doctorApp(t *testing.T, text string) *app {
	t.Helper()
	// Stored sync logins live under $XDG_CONFIG_HOME: use an empty one.
	t.Cleanup(xdg.Reload) // runs after Setenv's restore
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	xdg.Reload()
	var out bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &out)
	a.lang = "en"
	a.configPath = filepath.Join(t.TempDir(), "config.toml")
	if text != "" {
		if err := os.WriteFile(a.configPath, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func hasLine(lines []string, parts ...string) bool {
	return slices.ContainsFunc(lines, func(l string) bool {
		for _, p := range parts {
			if !strings.Contains(l, p) {
				return false
			}
		}
		return true
	})
}

func TestDoctorConfig(t *testing.T) {
	got := doctorApp(t, "currency = \"CNY\"\ncolour = \"blue\"\n").doctorConfig()
	if len(got) != 1 || !hasLine(got, "config:", `unknown key "colour"`, ":2:") {
		t.Errorf("unknown key: %q", got)
	}
	if got := doctorApp(t, "currency = \"CNY\"\n").doctorConfig(); len(got) != 0 {
		t.Errorf("a good config: %q", got)
	}
	if got := doctorApp(t, "").doctorConfig(); !hasLine(got, "config:", "does not exist") {
		t.Errorf("a named config that is missing: %q", got)
	}
	bad := doctorApp(t, "quiet_days = 0\n").doctorConfig()
	if !hasLine(bad, "config:", "quiet_days", ":1") {
		t.Errorf("a bad value: %q", bad)
	}
}

func TestDoctorTerminal(t *testing.T) {
	a := doctorApp(t, "")
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, tc := range []struct {
		name string
		vars map[string]string
		want [][]string // each: the parts of one expected line
		not  []string
	}{
		{"a usable terminal", map[string]string{"TERM": "xterm-256color", "LANG": "en_US.UTF-8"},
			[][]string{{"terminal:", "not a terminal"}}, []string{"TERM", "UTF-8", "NO_COLOR"}},
		{"dumb", map[string]string{"TERM": "dumb", "LANG": "zh_CN.utf8"},
			[][]string{{"terminal:", `TERM is "dumb"`}}, []string{"UTF-8"}},
		{"no TERM", map[string]string{}, [][]string{{"terminal:", `TERM is ""`}}, nil},
		{"NO_COLOR", map[string]string{"TERM": "xterm", "NO_COLOR": "1"}, [][]string{{"terminal:", "NO_COLOR"}}, nil},
		{"not UTF-8", map[string]string{"TERM": "xterm", "LANG": "en_US.UTF-8", "LC_ALL": "C"},
			[][]string{{"terminal:", "(C)", "UTF-8"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := a.doctorTerminal(env(tc.vars), &bytes.Buffer{})
			for _, parts := range tc.want {
				if !hasLine(got, parts...) {
					t.Errorf("want a line with %q in %q", parts, got)
				}
			}
			for _, s := range tc.not {
				if hasLine(got, s) {
					t.Errorf("unexpected %q in %q", s, got)
				}
			}
		})
	}
}

func TestDoctorSync(t *testing.T) {
	t.Setenv("ROLO_SYNC_TOKEN", "")
	got := doctorApp(t, "[sync]\nserver = \"https://nobody.example.com\"\n").doctorSync()
	if !hasLine(got, "sync:", "no token for https://nobody.example.com", "rolo sync login") {
		t.Errorf("no token: got %q", got)
	}
	t.Setenv("ROLO_SYNC_TOKEN", "rolo_test")
	for _, tc := range []struct {
		config string
		want   []string
	}{
		{``, []string{"sync:", "local only"}},
		{"[sync]\nserver = \"https://crm.example.com\"\n", []string{"sync:", "https://crm.example.com", "5m0s"}},
		{"[sync]\nserver = \"http://127.0.0.1:7420\"\ninterval = \"1m\"\n", []string{"sync:", "http://127.0.0.1:7420", "1m0s"}},
		{"[sync]\nserver = \"http://10.1.2.3:7420\"\n", []string{"sync:", "plain HTTP", "https://"}},
		{"[sync]\nserver = \"ftp://crm.example.com\"\n", []string{"sync:", "ftp://crm.example.com"}},
		{"[sync]\nserver = \"https://crm.example.com\"\ninterval = \"5s\"\n", []string{"sync:", "interval 5s"}},
	} {
		got := doctorApp(t, "currency = \"USD\"\n"+tc.config).doctorSync()
		if !hasLine(got, tc.want...) {
			t.Errorf("%q: want a line with %q, got %q", tc.config, tc.want, got)
		}
	}
}

func TestDoctorEnvironment(t *testing.T) {
	a := doctorApp(t, "currency = \"USD\"\n")
	got := doctorEnvironment(a)
	for _, area := range []string{"terminal:", "sync:"} {
		if !hasLine(got, area) {
			t.Errorf("no %s line in %q", area, got)
		}
	}
}
