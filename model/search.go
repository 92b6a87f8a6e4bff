package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search works on folded text: a record's haystack (Haystack of NameTerms
// and the other searchable fields) and a query's terms (QueryTerms) both come
// from Fold, so a plain substring test decides a match. Chinese names are
// indexed by their Han text, which a substring test already searches by
// character, plus their pinyin and initials.

// partSep separates the parts of a haystack; Fold never leaves it in a term,
// so no term matches across two parts.
const partSep = "\x1f"

// maxPinyinCombos caps the spellings NameTerms makes from heteronyms: each
// ambiguous character multiplies them, and only the likeliest few are typed.
const maxPinyinCombos = 8

// Fold returns s in the form searches compare: lower case, accents removed
// (é->e, ü->u, ß->ss), full-width ASCII folded to ASCII (Ａ->a, ３->3), runs of
// whitespace, punctuation, symbols and control characters other than
// @ . + - _ collapsed to one space, trimmed. Han and other letters, digits and
// the marks of scripts other than Latin, Greek and Cyrillic are kept;
// invisible format characters (zero-width space, soft hyphen) are dropped and
// invalid UTF-8 separates words. Fold is idempotent and returns s itself,
// without allocating, when s is already folded.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for _, r := range s {
		a, c := foldRune(r)
		switch a {
		case foldDrop:
			continue
		case foldSep:
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, a)
		if c != 0 {
			b = utf8.AppendRune(b, c)
		}
	}
	return string(b)
}

// isFolded reports whether Fold(s) == s, without allocating.
func isFolded(s string) bool {
	space := true // at the start a space would be leading
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' && !space:
				space = true
				continue
			case foldASCII(c) != rune(c):
				return false
			}
			space = false
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if a, b := foldRune(r); a != r || b != 0 {
			return false // also catches invalid UTF-8: RuneError folds to a separator
		}
		i += n
		space = false
	}
	return s == "" || !space
}

// foldRune's results for a rune that separates words and one that vanishes.
const (
	foldSep  rune = -1
	foldDrop rune = -2
)

// foldRune returns the folded form of r: one rune, or two when the second is
// not 0 (ß -> ss), or foldSep or foldDrop.
func foldRune(r rune) (rune, rune) {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	switch {
	case r < utf8.RuneSelf:
		return foldASCII(byte(r)), 0
	case r >= 0x4E00 && r <= 0x9FFF: // the common Han block: no case, no accents
		return r, 0
	case isDiacritic(r):
		return foldDrop, 0
	}
	r = stripAccent(unicode.ToLower(unicode.ToUpper(r))) // ToUpper first: ſ, ı, ς fold with s, i, σ
	if r < utf8.RuneSelf {
		return foldASCII(byte(r)), 0
	}
	switch r {
	case 'ß':
		return 's', 's'
	case 'æ':
		return 'a', 'e'
	case 'œ':
		return 'o', 'e'
	case 'þ':
		return 't', 'h'
	case 'ø':
		return 'o', 0
	case 'đ', 'ð':
		return 'd', 0
	case 'ł':
		return 'l', 0
	case 'ħ':
		return 'h', 0
	}
	switch {
	case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
		return r, 0
	case unicode.Is(unicode.Cf, r): // zero-width spaces and joiners, soft hyphen
		return foldDrop, 0
	}
	return foldSep, 0
}

// foldASCII folds one ASCII byte.
func foldASCII(c byte) rune {
	switch {
	case c >= 'A' && c <= 'Z':
		return rune(c + 'a' - 'A')
	case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		return rune(c)
	case c == '@', c == '.', c == '+', c == '-', c == '_':
		return rune(c)
	}
	return foldSep
}

// isDiacritic reports whether r is a combining accent of the Latin, Greek and
// Cyrillic scripts; the marks other scripts spell with (kana voicing,
// Devanagari vowel signs) are kept.
func isDiacritic(r rune) bool {
	return r >= 0x0300 && r <= 0x036F || r >= 0x1AB0 && r <= 0x1AFF ||
		r >= 0x1DC0 && r <= 0x1DFF || r >= 0x20D0 && r <= 0x20FF || r >= 0xFE20 && r <= 0xFE2F
}

// stripAccent returns the base letter of an accented Latin, Greek or Cyrillic
// letter (é -> e), or r.
func stripAccent(r rune) rune {
	if !(r < 0x0530 || r >= 0x1E00 && r < 0x2000) {
		return r
	}
	var buf [utf8.UTFMax]byte
	d := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition()
	for len(d) > 0 {
		base, n := utf8.DecodeRune(d)
		if !unicode.IsMark(base) {
			return base
		}
		d = d[n:]
	}
	return r
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// NameTerms returns the searchable forms of a person's or company's name,
// each folded, de-duplicated, the folded name first: the folded name and the
// folded name without spaces; and when it contains Han characters the Han text
// alone, every tone-less pinyin reading of every Han character (heteronyms
// included: "zeng" and "ceng" for 曾; ü written v, and u too), the full pinyin
// with spaces ("zhang wei", likeliest readings only) and without ("zhangwei"),
// and the initials ("zw"). Spellings without spaces and initials come for up
// to maxPinyinCombos choices of readings, likeliest first: each character's
// first reading in go-pinyin, except that a leading surname takes its surname
// reading (曾 zeng, 单 shan, 尉迟 yuchi). Letters that are not Han pass
// through folded: "Tom 张" gives "tom zhang", "tomzhang" and "tz".
func NameTerms(name string) []string {
	primary, alternative := SplitNameTerms(name)
	return append(primary, alternative...)
}

// SplitNameTerms is NameTerms in two parts: the spellings of the likeliest
// reading of each character (the folded name, without spaces, the Han text,
// each character's first reading, the full pinyin and the initials of the
// likeliest combination), and the others, which other heteronym readings
// give. A record's haystack puts the second part after AltMarker, so that
// "zw" ranks 张伟 (zhang wei) before 丁伟, whose 丁 can also read zheng.
func SplitNameTerms(name string) (primary, alternative []string) {
	folded := Fold(name)
	if folded == "" {
		return nil, nil
	}
	ts := termSet{list: make([]string, 0, 12)}
	ts.add(folded)
	ts.add(strings.ReplaceAll(folded, " ", ""))
	if !strings.ContainsFunc(folded, isHan) {
		return ts.list, nil
	}
	ts.add(strings.Map(func(r rune) rune {
		if isHan(r) {
			return r
		}
		return -1
	}, folded))
	segs := nameSegments(folded)
	for _, s := range segs {
		if s.han {
			ts.add(s.readings[0])
		}
	}
	n := 0
	eachCombo(segs, maxPinyinCombos, func(pick []int) {
		spaced, joined, initials := spell(segs, pick, n == 0)
		if n == 0 {
			ts.add(spaced)
		}
		if n == 1 { // the rest are alternatives
			for _, s := range segs {
				if s.han {
					for _, r := range s.readings[1:] {
						ts.add(r)
					}
				}
			}
		}
		ts.add(joined)
		ts.add(initials)
		if n == 0 {
			primary = slices.Clone(ts.list)
		}
		n++
	})
	if n == 1 { // no other combination: add the other readings alone
		for _, s := range segs {
			if s.han {
				for _, r := range s.readings[1:] {
					ts.add(r)
				}
			}
		}
	}
	return primary, ts.list[len(primary):]
}

// BriefNameTerms returns the few searchable forms of a name that another
// record's haystack carries (a contact's company): the folded name and, for
// Han text, only the likeliest pinyin with and without spaces and its
// initials. NameTerms' every-reading forms stay with the name's own record.
func BriefNameTerms(name string) []string {
	folded := Fold(name)
	if folded == "" {
		return nil
	}
	ts := termSet{list: make([]string, 0, 4)}
	ts.add(folded)
	if !strings.ContainsFunc(folded, isHan) {
		ts.add(strings.ReplaceAll(folded, " ", ""))
		return ts.list
	}
	segs := nameSegments(folded)
	eachCombo(segs, 1, func(pick []int) {
		spaced, joined, initials := spell(segs, pick, true)
		ts.add(spaced)
		ts.add(joined)
		ts.add(initials)
	})
	return ts.list
}

// JoinHaystacks joins haystacks made by Haystack into one.
func JoinHaystacks(hs ...string) string {
	var b strings.Builder
	for _, h := range hs {
		if h == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(partSep)
		}
		b.WriteString(h)
	}
	return b.String()
}

// nameSegment is one unit of a name's pinyin spelling: a Han character with
// its readings, likeliest first, or a run of other letters as its own reading.
type nameSegment struct {
	readings []string
	han      bool // readings come from the pinyin dictionary
}

// nameSegments splits a folded name into segments, dropping runs of
// punctuation between them.
func nameSegments(folded string) []nameSegment {
	surname := leadingSurname(folded)
	segs := make([]nameSegment, 0, utf8.RuneCountInString(folded))
	start := -1 // start of the current run of other letters
	flush := func(end int) {
		if start >= 0 && strings.ContainsFunc(folded[start:end], isWordRune) {
			segs = append(segs, nameSegment{readings: []string{folded[start:end]}})
		}
		start = -1
	}
	for i, r := range folded {
		switch {
		case r == ' ':
			flush(i)
			continue
		case !isHan(r):
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		rs := hanReadings(r)
		if len(rs) == 0 { // a Han character the dictionary lacks spells itself
			segs = append(segs, nameSegment{readings: []string{string(r)}})
			continue
		}
		if i < len(surname) {
			preferReading(rs, surnames[surname][len(segs)])
		}
		segs = append(segs, nameSegment{readings: rs, han: true})
	}
	flush(len(folded))
	return segs
}

// isWordRune reports whether r is a letter or digit: what a term must hold.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// surnames maps surnames whose surname reading is not go-pinyin's first
// reading to that reading, one per character.
var surnames = map[string][]string{
	"曾": {"zeng"}, "单": {"shan"}, "解": {"xie"}, "区": {"ou"}, "仇": {"qiu"},
	"朴": {"piao"}, "查": {"zha"}, "乐": {"yue"}, "盖": {"ge"}, "缪": {"miao"},
	"覃": {"qin"}, "种": {"chong"}, "秘": {"bi"}, "翟": {"zhai"}, "召": {"shao"},
	"祭": {"zhai"}, "句": {"gou"}, "藏": {"zang"}, "员": {"yun"}, "阚": {"kan"},
	"薄": {"bo"}, "洗": {"xian"}, "长": {"chang"}, "繁": {"po"}, "隗": {"wei"},
	"折": {"she"}, "都": {"du"}, "重": {"chong"}, "蕃": {"pi"},
	"尉迟": {"yu", "chi"}, "万俟": {"mo", "qi"}, "单于": {"chan", "yu"},
	"澹台": {"tan", "tai"}, "长孙": {"zhang", "sun"},
}

// leadingSurname returns the key of surnames that folded starts with, the
// longest if several do, or "".
func leadingSurname(folded string) string {
	r1, n1 := utf8.DecodeRuneInString(folded)
	if !isHan(r1) {
		return ""
	}
	if r2, n2 := utf8.DecodeRuneInString(folded[n1:]); isHan(r2) {
		if _, ok := surnames[folded[:n1+n2]]; ok {
			return folded[:n1+n2]
		}
	}
	if _, ok := surnames[folded[:n1]]; ok {
		return folded[:n1]
	}
	return ""
}

// preferReading moves reading to the front of rs if rs offers it.
func preferReading(rs []string, reading string) {
	for i, r := range rs {
		if r == reading {
			copy(rs[1:i+1], rs[:i])
			rs[0] = reading
			return
		}
	}
}

// hanReadings returns the tone-less pinyin readings of r in go-pinyin's order
// (its likeliest first), ü written v, followed by the same readings with u
// for v (lv, then lu for 吕); nil when the dictionary lacks r.
func hanReadings(r rune) []string {
	dict, ok := hanDict(r)
	if !ok {
		return nil
	}
	rs := make([]string, 0, strings.Count(dict, ",")+2)
	for reading := range strings.SplitSeq(dict, ",") {
		rs = appendNew(rs, toneless(reading))
	}
	for _, reading := range rs {
		if strings.IndexByte(reading, 'v') >= 0 {
			rs = appendNew(rs, strings.ReplaceAll(reading, "v", "u"))
		}
	}
	return rs
}

//go:generate go run ./internal/genpinyin

// hanDict returns go-pinyin's readings of r, comma-separated with tone
// marks, from the table pinyin_table.go copies out of its dictionary.
func hanDict(r rune) (string, bool) {
	i, ok := slices.BinarySearch(hanRunes[:], int32(r))
	if !ok {
		return "", false
	}
	return hanDictReadings[i], true
}

// firstReading returns the first tone-less pinyin reading of r, or "".
func firstReading(r rune) string {
	dict, _ := hanDict(r)
	if i := strings.IndexByte(dict, ','); i >= 0 {
		dict = dict[:i]
	}
	return toneless(dict)
}

// toneless writes a pinyin reading in plain ASCII letters: tone marks dropped,
// ü written v as pinyin input methods do.
func toneless(reading string) string {
	b := make([]byte, 0, len(reading))
	for _, r := range reading {
		switch r {
		case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
			b = append(b, 'v')
			continue
		}
		if a, _ := foldRune(r); a >= 'a' && a <= 'z' {
			b = append(b, byte(a))
		}
	}
	return string(b)
}

// appendNew appends s to list unless it is empty or already there.
func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// eachCombo calls fn with up to limit picks of one reading per segment
// (pick[i] indexes segs[i].readings), likeliest first: in order of the sum of
// the picked indexes, so the first pick takes every segment's first reading.
// fn must not keep pick.
func eachCombo(segs []nameSegment, limit int, fn func(pick []int)) {
	pick := make([]int, len(segs))
	slack := make([]int, len(segs)+1) // slack[i]: the largest sum segs[i:] can add
	for i := len(segs) - 1; i >= 0; i-- {
		slack[i] = slack[i+1] + len(segs[i].readings) - 1
	}
	n := 0
	var walk func(i, sum int) bool // false once limit picks are made
	walk = func(i, sum int) bool {
		if i == len(segs) {
			fn(pick)
			n++
			return n < limit
		}
		for k := max(0, sum-slack[i+1]); k < len(segs[i].readings) && k <= sum; k++ {
			pick[i] = k
			if !walk(i+1, sum-k) {
				return false
			}
		}
		return true
	}
	for sum := 0; sum <= slack[0]; sum++ {
		if !walk(0, sum) {
			return
		}
	}
}

// spell writes a name with the picked readings: with spaces between segments
// (only when withSpaces), without, and as initials.
func spell(segs []nameSegment, pick []int, withSpaces bool) (spaced, joined, initials string) {
	var sb, jb, ib strings.Builder
	for i, s := range segs {
		r := s.readings[pick[i]]
		if withSpaces {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(r)
		}
		jb.WriteString(r)
		w := r[strings.IndexFunc(r, isWordRune):]
		c, _ := utf8.DecodeRuneInString(w)
		ib.WriteRune(c)
	}
	return sb.String(), jb.String(), ib.String()
}

// termSet collects distinct non-empty terms in the order they are added.
type termSet struct {
	list []string
	seen map[string]bool // made once list is too long to scan
}

func (t *termSet) add(s string) {
	switch {
	case s == "":
		return
	case t.seen != nil:
		if t.seen[s] {
			return
		}
		t.seen[s] = true
	case slices.Contains(t.list, s):
		return
	case len(t.list) >= 32:
		t.seen = make(map[string]bool, 2*len(t.list))
		for _, x := range t.list {
			t.seen[x] = true
		}
		t.seen[s] = true
	}
	t.list = append(t.list, s)
}

// sortLast starts the sort key of a name that does not start with a letter:
// U+10FFFF sorts after every other character.
const sortLast = "\U0010FFFF"

// SortKey returns a key that orders names, compared as strings, the way a user
// expects in a list: folded, with each Han character replaced by its first
// pinyin reading (a leading surname by its surname reading), a \x01 and the
// character itself, so 张伟 sorts among "zhang" names, before 章伟 and after
// 万 (wan); names that do not start with a letter sort after those that do.
func SortKey(name string) string {
	folded := Fold(name)
	if folded == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(3 * len(folded))
	if first, _ := utf8.DecodeRuneInString(folded); !unicode.IsLetter(first) {
		b.WriteString(sortLast)
	}
	surname, k := leadingSurname(folded), 0
	for i, r := range folded {
		if isHan(r) {
			reading := firstReading(r)
			if i < len(surname) {
				reading = surnames[surname][k]
				k++
			}
			if reading != "" {
				b.WriteString(reading)
				b.WriteByte('\x01')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// QueryTerms splits a search query into folded, distinct terms: at spaces, and
// where Han text meets other text ("王xm" is "王" and "xm"). A run of Han
// text stays one term, which a substring test finds anywhere in a name (王 and
// 小明 in 王小明). Terms without a letter or digit are dropped, so a query of
// only whitespace or punctuation gives nil.
func QueryTerms(q string) []string {
	var terms termSet
	add := func(t string) {
		if strings.ContainsFunc(t, isWordRune) {
			terms.add(t)
		}
	}
	for word := range strings.SplitSeq(Fold(q), " ") {
		start, han := 0, false
		for i, r := range word {
			if h := isHan(r); h != han {
				if i > start {
					add(word[start:i])
				}
				start, han = i, h
			}
		}
		add(word[start:])
	}
	return terms.list
}

// Haystack joins searchable parts into the one string MatchTerms matches
// QueryTerms' terms against: each part folded (Fold returns a folded part as
// it is), empty parts dropped, the rest separated by "\x1f" so no term matches
// across two parts. A part that another holds at the start of a word ("wei"
// in "zhang wei", a repeated part) is dropped too: every match and prefix
// match it gave, the other gives.
func Haystack(parts ...string) string {
	folded := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = Fold(p); p != "" {
			folded = append(folded, p)
		}
	}
	var b strings.Builder
	for i, p := range folded {
		if heldByAnother(folded, i) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(partSep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// heldByAnother reports whether a longer part, or an earlier equal one, holds
// parts[i] at the start of a word.
func heldByAnother(parts []string, i int) bool {
	p := parts[i]
	a := rarestByte(p)
	for j, q := range parts {
		if j == i || len(q) < len(p) || len(q) == len(p) && j > i {
			continue
		}
		if k := index(q, p, a, 0); k >= 0 && wordStart(q, p, a, k) {
			return true
		}
	}
	return false
}

// MatchTerms reports whether every term occurs in haystack (a match; true for
// no terms; an empty term is ignored), and whether one of them occurs at the
// start of a part or of a word within a part: after a space or one of
// @ . + - _ (a prefix match, which callers rank first), and none of them only
// after AltMarker. It does not allocate.
func MatchTerms(haystack string, terms []string) (match, prefix bool) {
	alt := strings.Index(haystack, AltMarker)
	inAlt := false
	for _, t := range terms {
		if t == "" {
			continue
		}
		a := rarestByte(t)
		i := index(haystack, t, a, 0)
		if i < 0 {
			return false, false
		}
		inAlt = inAlt || alt >= 0 && i > alt
		prefix = prefix || wordStart(haystack, t, a, i)
	}
	return true, prefix && !inAlt
}

// AltMarker is a part of a haystack after which come the spellings of
// less likely readings (SplitNameTerms): a term found only there is a
// match, but never a prefix match that MatchTerms ranks first.
const AltMarker = "\x1d"

// index returns the index of the first occurrence of t in h at or after from,
// or -1. It looks for t's byte at a, its rarest, which finds candidates faster
// than strings.Index's first byte when that is common: most pinyin ends in n,
// a, e, i or g.
func index(h, t string, a, from int) int {
	c, end := t[a], len(h)-len(t)+a+1 // end: past the last place t[a] can be
	for i := from + a; i < end; i++ {
		j := strings.IndexByte(h[i:end], c)
		if j < 0 {
			return -1
		}
		i += j
		if h[i-a:i-a+len(t)] == t {
			return i - a
		}
	}
	return -1
}

// wordStart reports whether t, found in h at i, occurs there or later at the
// start of a part or a word; a is t's rarest byte.
func wordStart(h, t string, a, i int) bool {
	for ; i >= 0; i = index(h, t, a, i+1) {
		if i == 0 || isWordBreak(h[i-1]) {
			return true
		}
	}
	return false
}

// isWordBreak reports whether a word starts after byte c of a haystack.
func isWordBreak(c byte) bool {
	switch c {
	case partSep[0], ' ', '@', '.', '+', '-', '_':
		return true
	}
	return false
}

// commonBytes lists the bytes of folded names, emails and phone numbers from
// the most to the least common (measured on English names and pinyin); bytes
// not listed, such as the trailing bytes of a Han character, count as rare.
const commonBytes = "\x1f naeilogmuhcsrt1x.yp@jd0b2345678z9kwfvq\xe4\xe5\xe6\xe7\xe8\xe9"

// byteCommonness ranks each byte: 0 is rare, higher is more common.
var byteCommonness = func() (rank [256]uint8) {
	for i := range len(commonBytes) {
		rank[commonBytes[i]] = uint8(len(commonBytes) - i)
	}
	return rank
}()

// rarestByte returns the index of the byte of t least common in haystacks;
// t must not be empty.
func rarestByte(t string) int {
	a := 0
	for i := 1; i < len(t); i++ {
		if byteCommonness[t[i]] < byteCommonness[t[a]] {
			a = i
		}
	}
	return a
}
