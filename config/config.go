// Package config reads rolo's config.toml: the pipeline stages, default
// currency and phone region, language and the settings of the other parts.
// An unknown key is a warning that names it; a bad value is an error that
// gives its line.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/xdg"

	"github.com/rolo-crm/rolo/model"
)

// Config is the content of config.toml after defaults are applied.
type Config struct {
	// Language of the interface: "en", "zh", or empty for the locale's.
	Language string `toml:"language"`
	// Currency is the ISO 4217 code of amounts that name none.
	Currency string `toml:"currency"`
	// PhoneRegion is the ISO 3166 region for numbers without a country code.
	PhoneRegion string `toml:"phone_region"`
	// Owner is put on new records: the user's name.
	Owner string `toml:"owner"`
	// QuietDays is after how many days without contact a customer counts as
	// going quiet.
	QuietDays int `toml:"quiet_days"`
	// Stages is the deal pipeline, in order.
	Stages []model.Stage `toml:"stages"`
	// Sync holds the team server settings.
	Sync Sync `toml:"sync"`
	// Keys rebinds TUI keys: action name to a comma-separated key list.
	Keys map[string]string `toml:"keys"`
	// Insight holds the thresholds of the reports.
	Insight Insight `toml:"insight"`
}

// Sync is the [sync] table.
type Sync struct {
	Server   string   `toml:"server"`
	Interval Duration `toml:"interval"`
}

// Duration is a time.Duration written as "5m" or "30s" in TOML.
type Duration struct{ time.Duration }

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 5m or 30s", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// DefaultPath is $XDG_CONFIG_HOME/rolo/config.toml.
func DefaultPath() string { return filepath.Join(xdg.ConfigHome, "rolo", "config.toml") }

// DefaultDBPath is $XDG_DATA_HOME/rolo/rolo.db.
func DefaultDBPath() string { return filepath.Join(xdg.DataHome, "rolo", "rolo.db") }

// Default returns the settings used when config.toml is absent, with the
// language and region taken from the locale.
func Default() *Config {
	lang, region := FromLocale()
	return &Config{
		Language:    lang,
		Currency:    CurrencyOf(region),
		PhoneRegion: region,
		QuietDays:   30,
		Stages:      model.DefaultPipeline().Stages,
		Sync:        Sync{Interval: Duration{5 * time.Minute}},
		Insight:     DefaultInsight(),
	}
}

// Pipeline returns the configured pipeline.
func (c *Config) Pipeline() model.Pipeline { return model.Pipeline{Stages: c.Stages} }

// Rules returns the normalisation rules for the store.
func (c *Config) Rules() model.Rules {
	return model.Rules{Region: c.PhoneRegion, Currency: c.Currency}
}

// Load reads the file at path over the defaults. A missing file is not an
// error unless required (the user named it with --config or ROLO_CONFIG).
// Warnings name keys that rolo does not know.
func Load(path string, required bool) (*Config, []string, error) {
	c := Default()
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return c, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read config: %w", err)
	}
	stagesDefault := c.Stages
	c.Stages = nil
	md, err := toml.Decode(string(src), c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, nil, fmt.Errorf("%s:%d: %s: %w", path, pe.Position.Line, pe.Message, model.ErrInvalid)
		}
		if m := decodeErr.FindStringSubmatch(err.Error()); m != nil {
			return nil, nil, fmt.Errorf("%s:%s: %s: %s: %w", path, m[1], m[2], m[3], model.ErrInvalid)
		}
		return nil, nil, fmt.Errorf("%s: %v: %w", path, err, model.ErrInvalid)
	}
	var warnings []string
	for _, k := range md.Undecoded() {
		warnings = append(warnings, fmt.Sprintf("%s:%d: unknown key %q is ignored", path, lineOf(string(src), k), k.String()))
	}
	if !md.IsDefined("stages") {
		c.Stages = stagesDefault
	}
	if err := c.validate(); err != nil {
		var fe *model.FieldError
		line := 0
		if errors.As(err, &fe) {
			line = lineOfField(string(src), fe.Field)
		}
		if line > 0 {
			return nil, warnings, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		return nil, warnings, fmt.Errorf("%s: %w", path, err)
	}
	return c, warnings, nil
}

func (c *Config) validate() error {
	switch c.Language {
	case "", "en", "zh":
	default:
		return &model.FieldError{Field: "language", Value: c.Language, Reason: "one of en, zh"}
	}
	c.Currency = strings.ToUpper(c.Currency)
	if !model.ValidCurrency(c.Currency) {
		return &model.FieldError{Field: "currency", Value: c.Currency, Reason: "not an ISO 4217 code such as CNY or USD"}
	}
	c.PhoneRegion = strings.ToUpper(c.PhoneRegion)
	if len(c.PhoneRegion) != 2 {
		return &model.FieldError{Field: "phone_region", Value: c.PhoneRegion, Reason: "not a two-letter region such as CN or US"}
	}
	if c.QuietDays < 1 {
		return &model.FieldError{Field: "quiet_days", Value: fmt.Sprint(c.QuietDays), Reason: "must be 1 or more"}
	}
	if c.Sync.Interval.Duration < 0 {
		return &model.FieldError{Field: "sync.interval", Reason: "cannot be negative"}
	}
	for i := range c.Stages {
		if c.Stages[i].Label == "" {
			c.Stages[i].Label = c.Stages[i].Key
		}
	}
	return c.Pipeline().Validate()
}

// lineOf finds the line where key is set, or 0.
func lineOf(src string, key toml.Key) int {
	if len(key) == 0 {
		return 0
	}
	return findKeyLine(src, key[len(key)-1], strings.Join(key[:len(key)-1], "."), -1)
}

// decodeErr matches the errors toml.Decode returns for a value of the
// wrong type, which carry the line only in their text.
var decodeErr = regexp.MustCompile(`^toml: line (\d+) \(last key "(.*?)"\): (.*)$`)

var indexedField = regexp.MustCompile(`^(\w+)\[(\d+)\]\.?(\w*)$`)

// lineOfField finds the line of a validation error's field: "currency",
// "sync.interval" or "stages[2].probability".
func lineOfField(src, field string) int {
	if m := indexedField.FindStringSubmatch(field); m != nil {
		var n int
		fmt.Sscan(m[2], &n)
		if m[3] == "" {
			return findKeyLine(src, "", m[1], n)
		}
		return findKeyLine(src, m[3], m[1], n)
	}
	table, key := "", field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		table, key = field[:i], field[i+1:]
	}
	return findKeyLine(src, key, table, -1)
}

// findKeyLine scans src for key inside table (the n-th [[table]] when
// n >= 0; the header line itself when key is empty).
func findKeyLine(src, key, table string, n int) int {
	current, seen := "", -1
	for i, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "[["):
			current = strings.TrimSpace(strings.Trim(t, "[]"))
			if current == table {
				seen++
				if key == "" && seen == n {
					return i + 1
				}
			}
			continue
		case strings.HasPrefix(t, "["):
			current = strings.TrimSpace(strings.Trim(t, "[]"))
			continue
		}
		if current != table || (n >= 0 && seen != n) {
			continue
		}
		if k, _, ok := strings.Cut(t, "="); ok && strings.Trim(strings.TrimSpace(k), `"`) == key {
			return i + 1
		}
	}
	return 0
}

// FromLocale returns the language ("en" or "zh") and phone region the
// environment's locale suggests (LC_ALL, LC_MESSAGES, LANG).
func FromLocale() (lang, region string) {
	loc := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(v); loc != "" {
			break
		}
	}
	loc, _, _ = strings.Cut(loc, ".")
	l, r, _ := strings.Cut(loc, "_")
	lang = "en"
	if strings.EqualFold(l, "zh") {
		lang = "zh"
	}
	region = strings.ToUpper(r)
	if len(region) != 2 {
		region = map[string]string{"zh": "CN"}[lang]
		if region == "" {
			region = "US"
		}
	}
	return lang, region
}

var regionCurrency = map[string]string{
	"CN": "CNY", "HK": "HKD", "TW": "TWD", "MO": "MOP", "SG": "SGD", "MY": "MYR", "US": "USD",
	"GB": "GBP", "JP": "JPY", "KR": "KRW", "IN": "INR", "AU": "AUD", "CA": "CAD", "NZ": "NZD",
	"CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "BR": "BRL", "MX": "MXN", "RU": "RUB",
	"DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR", "AT": "EUR",
	"IE": "EUR", "PT": "EUR", "FI": "EUR", "GR": "EUR",
}

// CurrencyOf returns the usual currency of a region (USD when unknown).
func CurrencyOf(region string) string {
	if c, ok := regionCurrency[strings.ToUpper(region)]; ok {
		return c
	}
	return "USD"
}
