package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolo-crm/rolo/model"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadMissing(t *testing.T) {
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	c, warn, err := Load(filepath.Join(t.TempDir(), "none.toml"), false)
	if err != nil || len(warn) != 0 {
		t.Fatal(err, warn)
	}
	if c.Language != "zh" || c.PhoneRegion != "CN" || c.Currency != "CNY" {
		t.Errorf("defaults from locale: %+v", c)
	}
	if len(c.Stages) != 6 {
		t.Errorf("default stages: %v", c.Stages)
	}
	if _, _, err := Load(filepath.Join(t.TempDir(), "none.toml"), true); err == nil {
		t.Error("a required missing file must be an error")
	}
}

func TestLoadValues(t *testing.T) {
	p := write(t, `
language = "en"
currency = "usd"
phone_region = "us"
colour = "blue"

[[stages]]
key = "new"
probability = 5

[[stages]]
key = "done"
label = "Closed won"
probability = 100
won = true

[[stages]]
key = "dead"
lost = true

[sync]
server = "https://crm.example.com"
interval = "10m"
typo = 1
`)
	c, warn, err := Load(p, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Currency != "USD" || c.PhoneRegion != "US" || c.Sync.Interval.Minutes() != 10 {
		t.Errorf("values: %+v", c)
	}
	if keys := c.Pipeline().Keys(); strings.Join(keys, ",") != "new,done,dead" || c.Stages[0].Label != "new" {
		t.Errorf("stages: %+v", c.Stages)
	}
	if len(warn) != 2 || !strings.Contains(warn[0], `"colour"`) || !strings.Contains(warn[0], ":5:") ||
		!strings.Contains(warn[1], `"sync.typo"`) || !strings.Contains(warn[1], ":24:") {
		t.Errorf("warnings: %q", warn)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"syntax", "currency = \n", ":1:"},
		{"type", "language = \"en\"\nquiet_days = \"many\"\n", ":2:"},
		{"currency", "\n\ncurrency = \"dollars\"\n", ":3: currency \"DOLLARS\""},
		{"language", "language = \"fr\"\n", ":1: language"},
		{"duration", "[sync]\ninterval = \"soon\"\n", ":2:"},
		{"probability", "[[stages]]\nkey = \"a\"\n[[stages]]\nkey = \"b\"\nprobability = 150\n", ":5: stages[1].probability"},
		{"no won stage", "[[stages]]\nkey = \"a\"\n", "open stage, one won stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(write(t, tt.body), true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want it to contain %q", err, tt.want)
			}
		})
	}
	_, _, err := Load(write(t, "currency = \"dollars\"\n"), true)
	if !errors.Is(err, model.ErrInvalid) {
		t.Errorf("validation errors wrap model.ErrInvalid: %v", err)
	}
}

func TestFromLocale(t *testing.T) {
	for _, tt := range []struct{ all, lang, wantLang, wantRegion string }{
		{"", "en_GB.UTF-8", "en", "GB"},
		{"zh_TW.UTF-8", "en_US.UTF-8", "zh", "TW"},
		{"", "C", "en", "US"},
		{"", "zh", "zh", "CN"},
	} {
		t.Setenv("LC_ALL", tt.all)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tt.lang)
		if l, r := FromLocale(); l != tt.wantLang || r != tt.wantRegion {
			t.Errorf("LC_ALL=%q LANG=%q: got %s %s", tt.all, tt.lang, l, r)
		}
	}
}

// FuzzLoad feeds arbitrary files to Load: it must never panic, and a file
// it accepts must give a usable pipeline.
func FuzzLoad(f *testing.F) {
	f.Add("language = \"zh\"\ncurrency = \"CNY\"\n[[stages]]\nkey = \"a\"\n[[stages]]\nkey = \"w\"\nwon = true\n[[stages]]\nkey = \"l\"\nlost = true\n")
	f.Add("[sync]\ninterval = \"5m\"\nserver = \"https://x\"\n[keys]\nquit = \"q\"\n")
	f.Add("currency = 3\n")
	f.Fuzz(func(t *testing.T, body string) {
		p := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c, _, err := Load(p, true)
		if err != nil {
			return
		}
		if err := c.Pipeline().Validate(); err != nil {
			t.Errorf("accepted a config whose pipeline is invalid: %v", err)
		}
	})
}
