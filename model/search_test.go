package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"john", "john"},
		{"  José   García!! ", "jose garcia"},
		{"Ｊｏｈｎ　Ｓｍｉｔｈ３", "john smith3"},
		{"Straße", "strasse"},
		{"Müller, Zoë; Øre Łódź", "muller zoe ore lodz"},
		{"O'Brien-Smith, Jr.", "o brien-smith jr."},
		{"Tom@Example.COM", "tom@example.com"},
		{"+86 (138) 0013-8000", "+86 138 0013-8000"},
		{"a_b+c", "a_b+c"},
		{"张伟", "张伟"},
		{"约翰·史密斯", "约翰 史密斯"},
		{"张伟，销售部。", "张伟 销售部"},
		{"Ελλάς", "ελλασ"},
		{"ſ ı İ", "s i i"},
		{"Ёлка", "елка"},
		{"e\u0301", "e"},                 // decomposed accent
		{"zero\u200bwidth", "zerowidth"}, // format characters vanish
		{"a\x1fb\tc\nd", "a b c d"},      // control characters separate
		{"\xffbad\xfe", "bad"},           // invalid UTF-8 separates
		{"がぎ", "がぎ"},                     // kana keep their voicing
		{"Nguyễn Thị", "nguyen thi"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Fold(tt.want); got != tt.want {
			t.Errorf("Fold(%q) = %q, want it unchanged", tt.want, got)
		}
	}
}

// ypogegrammeni is the combining iota subscript: Fold drops it as an accent,
// but its upper case is a capital iota, so it alone folds apart from its
// upper case.
const ypogegrammeni = '\u0345'

func TestFoldRunes(t *testing.T) {
	for r := rune(0); r < 0x3100; r++ { // Latin, Greek, Cyrillic, punctuation, CJK symbols
		s := string(r)
		f := Fold(s)
		if Fold(f) != f {
			t.Errorf("Fold(%q) = %q, which folds again to %q", s, f, Fold(f))
		}
		if r != ypogegrammeni && (Fold(strings.ToUpper(s)) != f || Fold(strings.ToLower(s)) != f) {
			t.Errorf("Fold(%q) = %q, but its upper case folds to %q and its lower case to %q",
				s, f, Fold(strings.ToUpper(s)), Fold(strings.ToLower(s)))
		}
	}
}

func TestFoldFoldedDoesNotAllocate(t *testing.T) {
	s := "zhang wei 张伟 tom@example.com"
	if n := testing.AllocsPerRun(100, func() { Fold(s) }); n != 0 {
		t.Errorf("Fold of folded text allocates %v times", n)
	}
}

// search reports whether query finds a record whose haystack is made of the
// name's NameTerms and the other parts.
func search(name, query string, parts ...string) (match, prefix bool) {
	return MatchTerms(Haystack(append(NameTerms(name), parts...)...), QueryTerms(query))
}

func TestSearchNames(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  bool
	}{
		{"张伟", "zhang", true},
		{"张伟", "zhangwei", true},
		{"张伟", "zw", true},
		{"张伟", "ZW", true},
		{"张伟", "张", true},
		{"张伟", "伟", true},
		{"张伟", "wei", true},
		{"张伟", "Zhang Wei", true},
		{"张伟", "zhang wei", true},
		{"张伟", "zhan", true},
		{"张伟", "张伟", true},
		{"张伟", "ｚｗ", true},
		{"张伟", "wz", false},
		{"张伟", "wang", false},
		{"张伟", "张三", false},
		{"曾伟", "zeng", true},
		{"曾伟", "ceng", true},
		{"曾伟", "zengwei", true},
		{"曾伟", "cengwei", true},
		{"曾伟", "cw", true},
		{"吕布", "lv", true},
		{"吕布", "lubu", true},
		{"吕布", "lü", true},
		{"尉迟恭", "yuchi", true},
		{"尉迟恭", "ycg", true},
		{"王小明", "王", true},
		{"王小明", "小明", true},
		{"王小明", "王明", false},
		{"王小明", "xiaoming", true},
		{"王小明", "王xm", true},
		{"王小明", "wxm", true},
		{"張偉", "zhangwei", true}, // traditional characters have pinyin too
		{"José García", "jose", true},
		{"José García", "garcia", true},
		{"José García", "GARC", true},
		{"José García", "arci", true},
		{"José García", "García José", true},
		{"José García", "josegarcia", true},
		{"José García", "jg", false},
		{"Ｊｏｈｎ", "john", true},
		{"John", "ｊｏｈｎ", true},
		{"Tom 张", "tom", true},
		{"Tom 张", "zhang", true},
		{"Tom 张", "tom zhang", true},
		{"Tom 张", "tomzhang", true},
		{"Tom 张", "tz", true},
		{"Tom 张", "张", true},
		{"Müller", "muller", true},
		{"Müller", "MÜLLER", true},
		{"O'Brien", "obrien", true},
		{"O'Brien", "o'brien", true},
		{"Anything", "  ", true}, // no terms: everything matches
	}
	for _, tt := range tests {
		if got, _ := search(tt.name, tt.query); got != tt.want {
			t.Errorf("%q searching %q = %v, want %v (haystack %q)",
				tt.name, tt.query, got, tt.want, Haystack(NameTerms(tt.name)...))
		}
	}
}

func TestSearchOtherParts(t *testing.T) {
	parts := []string{"Maria.Garcia@Acme.com", "13800138000", "Acme 有限公司"}
	tests := []struct {
		query         string
		match, prefix bool
	}{
		{"acme", true, true},
		{"138", true, true},
		{"0013", true, false},
		{"garcia@acme", true, true},
		{"有限", true, true},
		{"公司", true, false},
		{"maria 138", true, true},
		{"maria 139", false, false},
		// No term matches across two parts: "8000" ends one, "acme" starts the next.
		{"8000acme", false, false},
		{"8000 acme", true, true},
	}
	for _, tt := range tests {
		match, prefix := search("Maria García", tt.query, parts...)
		if match != tt.match || prefix != tt.prefix {
			t.Errorf("search %q = %v, %v; want %v, %v", tt.query, match, prefix, tt.match, tt.prefix)
		}
	}
}

func TestMatchTerms(t *testing.T) {
	hay := Haystack("maria garcia", "abc", "def")
	tests := []struct {
		terms         []string
		match, prefix bool
	}{
		{[]string{"gar"}, true, true},
		{[]string{"arci"}, true, false},
		{[]string{"mar"}, true, true},
		{[]string{"arci", "mar"}, true, true},
		{[]string{"arci", "ia"}, true, false},
		{[]string{"a"}, true, true}, // "a" also starts "abc"
		{[]string{"ab"}, true, true},
		{[]string{"cd"}, false, false}, // across the part boundary
		{[]string{"c" + partSep + "d"}, true, false},
		{[]string{"gar", "xyz"}, false, false},
		{nil, true, false},
	}
	for _, tt := range tests {
		match, prefix := MatchTerms(hay, tt.terms)
		if match != tt.match || prefix != tt.prefix {
			t.Errorf("MatchTerms(%q, %q) = %v, %v; want %v, %v", hay, tt.terms, match, prefix, tt.match, tt.prefix)
		}
	}
}

// naiveMatchTerms is MatchTerms written plainly, for checking it.
func naiveMatchTerms(h string, terms []string) (match, prefix bool) {
	// A term found only after the marker of less likely readings matches
	// but makes no prefix match.
	alt, inAlt := strings.Index(h, AltMarker), false
	for _, t := range terms {
		first := strings.Index(h, t)
		if first < 0 {
			return false, false
		}
		if alt >= 0 && first > alt {
			inAlt = true
		}
		for i := 0; i+len(t) <= len(h); i++ {
			if h[i:i+len(t)] == t && (i == 0 || strings.IndexByte(partSep+" @.+-_", h[i-1]) >= 0) {
				prefix = true
			}
		}
	}
	return true, prefix && !inAlt
}

func TestMatchTermsAgreesWithNaive(t *testing.T) {
	queries := []string{"z", "zw", "zhang", "zhang wei", "王", "小", "garc", "ia", "a", "n", "ng", "anna", "138", "8000", "@example", "nomatch"}
	for _, h := range sampleHaystacks(200) {
		for _, q := range queries {
			terms := QueryTerms(q)
			for k := range len(h) {
				match, prefix := MatchTerms(h[k:], terms)
				wantMatch, wantPrefix := naiveMatchTerms(h[k:], terms)
				if match != wantMatch || prefix != wantPrefix {
					t.Fatalf("MatchTerms(%q, %q) = %v, %v; want %v, %v", h[k:], terms, match, prefix, wantMatch, wantPrefix)
				}
			}
		}
	}
}

func TestMatchTermsDoesNotAllocate(t *testing.T) {
	hay := Haystack(NameTerms("张伟")...)
	terms := QueryTerms("zhang w")
	if n := testing.AllocsPerRun(100, func() { MatchTerms(hay, terms) }); n != 0 {
		t.Errorf("MatchTerms allocates %v times", n)
	}
}

func TestQueryTerms(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{" - . ", nil},
		{"zw", []string{"zw"}},
		{"  Zhang   WEI ", []string{"zhang", "wei"}},
		{"王小明", []string{"王小明"}},
		{"王xm", []string{"王", "xm"}},
		{"tom张", []string{"tom", "张"}},
		{"张-伟", []string{"张", "伟"}},
		{"José, García", []string{"jose", "garcia"}},
		{"a a A", []string{"a"}},
		{"tom@acme.com", []string{"tom@acme.com"}},
	}
	for _, tt := range tests {
		if got := QueryTerms(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("QueryTerms(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
	if got := QueryTerms("  "); got != nil {
		t.Errorf("QueryTerms of whitespace = %#v, want nil", got)
	}
}

func TestNameTerms(t *testing.T) {
	tests := []struct {
		name string
		want []string // in order
	}{
		{"", nil},
		{" ,; ", nil},
		{"José García", []string{"jose garcia", "josegarcia"}},
		{"john", []string{"john"}},
		{"张伟", []string{"张伟", "zhang", "wei", "zhang wei", "zhangwei", "zw"}},
		{"Tom 张", []string{"tom 张", "tom张", "张", "zhang", "tom zhang", "tomzhang", "tz"}},
		{"张 伟", []string{"张 伟", "张伟", "zhang", "wei", "zhang wei", "zhangwei", "zw"}},
	}
	for _, tt := range tests {
		if got := NameTerms(tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("NameTerms(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestNameTermsSurnameReadingFirst(t *testing.T) {
	tests := []struct{ name, spaced, other string }{
		{"曾伟", "zeng wei", "cengwei"},
		{"单田芳", "shan tian fang", "dantianfang"},
		{"解放", "xie fang", "jiefang"},
		{"区志", "ou zhi", "quzhi"},
		{"仇英", "qiu ying", "chouying"},
		{"朴树", "piao shu", "pushu"},
		{"查良镛", "zha liang yong", "chaliangyong"},
		{"乐嘉", "yue jia", "lejia"},
		{"尉迟恭", "yu chi gong", "weichigong"},
		{"万俟卨", "mo qi xie", "wanqixie"},
	}
	for _, tt := range tests {
		terms := NameTerms(tt.name)
		if !slices.Contains(terms, tt.spaced) || !slices.Contains(terms, tt.other) {
			t.Errorf("NameTerms(%q) = %q, want %q and %q", tt.name, terms, tt.spaced, tt.other)
		}
		if spaced := terms[slices.IndexFunc(terms, func(s string) bool { return strings.Contains(s, " ") })]; spaced != tt.spaced {
			t.Errorf("NameTerms(%q) spells it %q first, want %q", tt.name, spaced, tt.spaced)
		}
	}
}

func TestNameTermsSurnamesAreOffered(t *testing.T) {
	for surname, readings := range surnames {
		i := 0
		for _, r := range surname {
			if !slices.Contains(hanReadings(r), readings[i]) {
				t.Errorf("surname %q: go-pinyin does not offer %q for %q (offers %q)", surname, readings[i], r, hanReadings(r))
			}
			i++
		}
		if i != len(readings) {
			t.Errorf("surname %q has %d readings for %d characters", surname, len(readings), i)
		}
	}
}

func TestNameTermsCapsHeteronyms(t *testing.T) {
	name := "朝长重行乐还朝长重行乐还" // every character has several readings
	terms := NameTerms(name)
	var joined int
	for _, s := range terms {
		if len(s) >= len("chaozhangzhongxinglehai") && !strings.Contains(s, " ") && !strings.ContainsFunc(s, isHan) {
			joined++
		}
	}
	if joined != maxPinyinCombos {
		t.Errorf("NameTerms(%q) gives %d full spellings, want %d: %q", name, joined, maxPinyinCombos, terms)
	}
}

func TestNameTermsAreFoldedAndDistinct(t *testing.T) {
	for _, name := range []string{"张伟", "Tom 张", "José García", "曾 Ｗｅｉ", "吕女士", "欸嗯"} {
		terms := NameTerms(name)
		for i, s := range terms {
			if s == "" || Fold(s) != s || slices.Contains(terms[:i], s) {
				t.Errorf("NameTerms(%q) = %q: term %q is empty, unfolded or repeated", name, terms, s)
			}
		}
	}
}

func TestHaystack(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{nil, ""},
		{[]string{"", " "}, ""},
		{[]string{"Tom@Example.com", "13800138000"}, "tom@example.com\x1f13800138000"},
		{[]string{"a", "A", "b"}, "a\x1fb"},
		// A part another holds at a word start adds nothing; one held mid-word does.
		{[]string{"zhang", "wei", "zhang wei", "zhangwei", "hang"}, "zhang wei\x1fzhangwei\x1fhang"},
		{[]string{"acme", "tom@acme.com"}, "tom@acme.com"},
	}
	for _, tt := range tests {
		if got := Haystack(tt.parts...); got != tt.want {
			t.Errorf("Haystack(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestSortKey(t *testing.T) {
	want := []string{"alice", "Bob", "Ötzi", "万达", "王芳", "曾小明", "张三", "张伟", "章伟", "Zhao", "赵六", "Zoe", "123 Corp", "@home"}
	got := slices.Clone(want)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	sort.SliceStable(got, func(i, j int) bool { return SortKey(got[i]) < SortKey(got[j]) })
	if !slices.Equal(got, want) {
		t.Errorf("sorted by SortKey: %q, want %q", got, want)
	}
	if SortKey("张伟") == SortKey("章伟") {
		t.Errorf("张伟 and 章伟 share a sort key")
	}
	if SortKey("") != "" {
		t.Errorf("SortKey(\"\") = %q, want \"\"", SortKey(""))
	}
}

// Benchmarks.

// benchHaystacks is a 100,000-contact book's haystacks, made once.
var benchHaystacks = sync.OnceValue(func() []string { return sampleHaystacks(100_000) })

// sampleHaystacks returns n haystacks like a contact book's: names (Chinese,
// English with accents, some mixed), emails, phone digits, companies.
func sampleHaystacks(n int) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢单")
	given := []rune("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红建国文辉力永健世广志义兴良海山仁波宁贵福生龙元全")
	firsts := []string{"James", "Mary", "José", "María", "John", "Linda", "Zoë", "Chloé", "Robert", "Patricia", "Michael", "Søren", "David", "Élodie", "William", "Tom"}
	lasts := []string{"Smith", "Johnson", "García", "Müller", "Brown", "Jones", "Martínez", "O'Brien", "Nguyễn", "Davis", "López", "Wilson", "Dubois", "Andersson"}
	companies := []string{"Acme Corp", "北京字节跳动科技有限公司", "Globex", "深圳市腾讯计算机系统有限公司", "Initech", "上海华为技术有限公司", "Umbrella Ltd", "杭州阿里巴巴网络科技有限公司", ""}
	hs := make([]string, n)
	for i := range hs {
		var name, email string
		switch kind := rng.IntN(10); {
		case kind < 6:
			g := string(given[rng.IntN(len(given))])
			if rng.IntN(3) > 0 {
				g += string(given[rng.IntN(len(given))])
			}
			name = string(surnames[rng.IntN(len(surnames))]) + g
			terms := NameTerms(name)
			spaced := terms[slices.IndexFunc(terms, func(s string) bool { return strings.Contains(s, " ") })]
			email = strings.ReplaceAll(spaced, " ", "") + "@example.cn"
		case kind < 9:
			name = firsts[rng.IntN(len(firsts))] + " " + lasts[rng.IntN(len(lasts))]
			email = strings.ReplaceAll(Fold(name), " ", ".") + "@example.com"
		default:
			name = firsts[rng.IntN(len(firsts))] + " " + string(surnames[rng.IntN(len(surnames))])
		}
		phone := fmt.Sprintf("1%d%09d", 3+rng.IntN(6), rng.IntN(1_000_000_000))
		hs[i] = Haystack(append(NameTerms(name), email, phone, companies[rng.IntN(len(companies))])...)
	}
	return hs
}

// BenchmarkMatchTerms times one search over 100,000 contacts (one keystroke).
func BenchmarkMatchTerms(b *testing.B) {
	hs := benchHaystacks()
	var bytes int
	for _, h := range hs {
		bytes += len(h)
	}
	b.Logf("%d haystacks, %d bytes on average", len(hs), bytes/len(hs))
	for _, q := range []string{"z", "zw", "zhang wei", "王", "garc", "garcia smith", "138001", "nomatch"} {
		terms := QueryTerms(q)
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, h := range hs {
					MatchTerms(h, terms)
				}
			}
		})
	}
}

func BenchmarkNameTerms(b *testing.B) {
	for _, name := range []string{"张伟", "曾小明", "欧阳娜娜", "José García", "北京字节跳动科技有限公司"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NameTerms(name)
			}
		})
	}
}

func BenchmarkHaystack(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Haystack(append(NameTerms("张伟"), "zhang.wei@example.cn", "13800138000", "Acme Corp")...)
	}
}

// Fuzz targets.

// maxFuzzLen bounds fuzz inputs: names and queries are short, and the
// checks below cost the input's length squared.
const maxFuzzLen = 1 << 10

func FuzzNameTerms(f *testing.F) {
	for _, s := range []string{"张伟", "Tom 张", "José García", "Ｊｏｈｎ", "曾 小明", "尉迟恭", "吕", "a.张-伟", "\xff张", "ß", "İ", "e\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > maxFuzzLen {
			t.Skip()
		}
		folded := Fold(name)
		if Fold(folded) != folded {
			t.Fatalf("Fold(%q) = %q, which folds again to %q", name, folded, Fold(folded))
		}
		if !utf8.ValidString(folded) || strings.HasPrefix(folded, " ") || strings.HasSuffix(folded, " ") || strings.Contains(folded, "  ") {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8 or stray spaces", name, folded)
		}
		if !strings.ContainsRune(name, ypogegrammeni) && Fold(strings.ToUpper(name)) != folded {
			t.Fatalf("Fold(%q) = %q, but its upper case folds to %q", name, folded, Fold(strings.ToUpper(name)))
		}
		terms := NameTerms(name)
		for i, s := range terms {
			if s == "" || Fold(s) != s || slices.Contains(terms[:i], s) {
				t.Fatalf("NameTerms(%q) = %q: term %q is empty, unfolded or repeated", name, terms, s)
			}
		}
		// Whatever the name, a query made of it finds it, and as a prefix.
		hay := Haystack(terms...)
		q := QueryTerms(folded)
		if match, prefix := MatchTerms(hay, q); !match || len(q) > 0 && !prefix {
			t.Fatalf("query %q does not find %q (haystack %q): match %v, prefix %v", q, name, hay, match, prefix)
		}
		// Every Han character is found by its likeliest reading.
		for _, r := range folded {
			if reading := firstReading(r); isHan(r) && reading != "" {
				if match, _ := MatchTerms(hay, []string{reading}); !match {
					t.Fatalf("%q: reading %q of %q not in haystack %q", name, reading, r, hay)
				}
			}
		}
	})
}

func FuzzQueryTerms(f *testing.F) {
	for _, s := range []string{"zw", "  ", "王xm", "Zhang Wei", "-张.", "tom@acme.com", "\x1f", "ｚ　ｗ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if len(q) > maxFuzzLen {
			t.Skip()
		}
		terms := QueryTerms(q)
		folded := Fold(q)
		for _, s := range terms {
			if Fold(s) != s || strings.ContainsAny(s, " "+partSep) || !strings.Contains(folded, s) ||
				!strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
				t.Fatalf("QueryTerms(%q) = %q: bad term %q", q, terms, s)
			}
		}
		if match, prefix := MatchTerms(Haystack(q), terms); !match || len(terms) > 0 && !prefix {
			t.Fatalf("QueryTerms(%q) = %q do not find their own haystack %q: %v, %v", q, terms, Haystack(q), match, prefix)
		}
	})
}

func FuzzMatchTerms(f *testing.F) {
	f.Add("maria garcia\x1fabc", "gar", "arci")
	f.Add("zhang wei\x1fzhangwei\x1fzw", "wei", "ngw")
	f.Fuzz(func(t *testing.T, h, t1, t2 string) {
		terms := []string{t1, t2}
		if t1 == "" || t2 == "" {
			terms = QueryTerms(t1 + " " + t2)
		}
		match, prefix := MatchTerms(h, terms)
		wantMatch, wantPrefix := naiveMatchTerms(h, terms)
		if match != wantMatch || prefix != wantPrefix {
			t.Fatalf("MatchTerms(%q, %q) = %v, %v; want %v, %v", h, terms, match, prefix, wantMatch, wantPrefix)
		}
	})
}
