// Package i18n holds every user-facing string of the CLI and the TUI, one
// catalogue per language. Code asks for a message by key; a key missing
// from a language falls back to English, and tests check that both
// catalogues hold the same keys.
package i18n

import (
	"fmt"
	"os"
	"strings"
)

// Lang is a UI language.
type Lang string

// The supported languages.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// catalogues holds each language's messages. Every area of the program
// keeps its messages in its own pair of files (en_cli.go, zh_cli.go, ...)
// that add them here at start-up.
var catalogues = map[Lang]map[string]string{English: {}, Chinese: {}}

// add puts an area's messages into a language's catalogue; a key defined
// twice is a programming error caught at start-up.
func add(l Lang, msgs map[string]string) {
	for k, v := range msgs {
		if _, dup := catalogues[l][k]; dup {
			panic("i18n: message " + k + " defined twice")
		}
		catalogues[l][k] = v
	}
}

// Parse reads "en" or "zh" (also "zh_CN", "zh-Hans", "en_US.UTF-8").
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(s)
	switch {
	case strings.HasPrefix(s, "zh"):
		return Chinese, true
	case strings.HasPrefix(s, "en"):
		return English, true
	}
	return English, false
}

// T returns the message for key, formatted with args like fmt.Sprintf.
func (l Lang) T(key string, args ...any) string {
	msg, ok := catalogues[l][key]
	if !ok {
		msg, ok = catalogues[English][key]
	}
	if !ok {
		fmt.Fprintf(os.Stderr, "i18n: no message %q\n", key)
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether language l has a message for key, without falling
// back to English.
func (l Lang) Has(key string) bool {
	_, ok := catalogues[l][key]
	return ok
}

// Msg is a message chosen before its language is known, such as a rule's
// reason for refusing a value: a key and its arguments. An argument that
// is itself a Msg is put into the same language.
type Msg struct {
	Key  string
	Args []any
}

// In returns m in language l.
func (m Msg) In(l Lang) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if n, ok := a.(Msg); ok {
			a = n.In(l)
		}
		args[i] = a
	}
	return l.T(m.Key, args...)
}

// N is T for a message about n things: when n is 1 and the language has
// a singular form (key + ".one", English only; Chinese has no plural),
// that form is used.
func (l Lang) N(key string, n int, args ...any) string {
	if n == 1 && l.Has(key+".one") {
		return l.T(key+".one", args...)
	}
	return l.T(key, args...)
}

// Keys lists the keys of a language's catalogue (for tests).
func Keys(l Lang) []string {
	out := make([]string, 0, len(catalogues[l]))
	for k := range catalogues[l] {
		out = append(out, k)
	}
	return out
}
