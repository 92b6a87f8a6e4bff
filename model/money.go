package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Money is an amount in the currency's minor units (cents, fen) and its
// ISO 4217 code. Money is never a float.
type Money struct {
	Minor    int64
	Currency string
}

// IsZero reports whether no amount is set.
func (m Money) IsZero() bool { return m.Minor == 0 && m.Currency == "" }

// minorDigits lists the currencies whose minor unit is not 1/100.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// MinorDigits returns how many decimal digits the currency's minor unit has.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// currencySymbols maps the prefixes and suffixes people write to ISO codes,
// longest first so "HK$" wins over "$".
var currencySymbols = []struct{ sym, code string }{
	{"US$", "USD"}, {"HK$", "HKD"}, {"NT$", "TWD"}, {"S$", "SGD"}, {"A$", "AUD"},
	{"C$", "CAD"}, {"NZ$", "NZD"}, {"R$", "BRL"}, {"RMB", "CNY"}, {"人民币", "CNY"},
	{"美元", "USD"}, {"港币", "HKD"}, {"欧元", "EUR"}, {"日元", "JPY"}, {"英镑", "GBP"},
	{"元", "CNY"}, {"块", "CNY"}, {"¥", "CNY"}, {"￥", "CNY"}, {"$", "USD"}, {"€", "EUR"},
	{"£", "GBP"}, {"₩", "KRW"}, {"₹", "INR"}, {"₽", "RUB"}, {"₫", "VND"}, {"₺", "TRY"},
}

// displaySymbols is how Format writes the common currencies.
var displaySymbols = map[string]string{
	"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "KRW": "₩",
	"INR": "₹", "HKD": "HK$", "TWD": "NT$", "SGD": "S$", "AUD": "A$", "CAD": "C$",
}

// ValidCurrency reports whether s has the form of an ISO 4217 code.
func ValidCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// ParseMoney reads an amount as people write it: "1200.50", "1,200.50",
// "¥3000", "-$5", "3000 CNY", "USD 12", "3万", "1.5k", "12,50 EUR",
// "1.200,50 EUR". The currency comes from a code or symbol in the text,
// else from def. Negative amounts parse; whether one is allowed is up to
// the record that holds it.
func ParseMoney(s, def string) (Money, error) {
	orig := s
	s = strings.TrimSpace(foldWidth(s))
	if s == "" {
		return Money{}, invalid("amount", orig, "model.amount.empty")
	}
	s, neg := strings.CutPrefix(s, "-") // "-$5": the sign may precede the symbol
	cur, rest := splitCurrency(strings.TrimSpace(s))
	if neg {
		rest = "-" + rest
	}
	if cur == "" {
		cur = strings.ToUpper(def)
	}
	if cur == "" {
		return Money{}, invalid("currency", "", "model.currency.none")
	}
	if !ValidCurrency(cur) {
		return Money{}, invalid("currency", cur, "model.currency.code")
	}
	minor, err := parseAmount(rest, MinorDigits(cur))
	if err != nil {
		return Money{}, invalidBy("amount", orig, err)
	}
	return Money{Minor: minor, Currency: cur}, nil
}

// splitCurrency takes a currency code or symbol off either end of s.
// Symbols match regardless of case ("rmb 3000").
func splitCurrency(s string) (code, rest string) {
	for _, cs := range currencySymbols {
		n := len(cs.sym)
		if len(s) >= n && strings.EqualFold(s[:n], cs.sym) {
			return cs.code, strings.TrimSpace(s[n:])
		}
		if len(s) >= n && strings.EqualFold(s[len(s)-n:], cs.sym) {
			return cs.code, strings.TrimSpace(s[:len(s)-n])
		}
	}
	fields := strings.Fields(s)
	if len(fields) == 2 {
		// Only a three-letter word is a code: "1.5 k" is a multiplier.
		a, b := strings.ToUpper(fields[0]), strings.ToUpper(fields[1])
		switch {
		case ValidCurrency(a):
			return a, fields[1]
		case ValidCurrency(b):
			return b, fields[0]
		}
	}
	if len(s) > 3 && isLetters(strings.ToUpper(s[len(s)-3:])) && !isLetters(s[len(s)-4:len(s)-3]) {
		return strings.ToUpper(s[len(s)-3:]), strings.TrimSpace(s[:len(s)-3])
	}
	if len(s) > 3 && isLetters(strings.ToUpper(s[:3])) && !isLetters(s[3:4]) {
		return strings.ToUpper(s[:3]), strings.TrimSpace(s[3:])
	}
	return "", s
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return s != ""
}

// parseAmount turns a decimal number with optional grouping, sign and
// multiplier suffix (k, m, 万, 亿) into minor units with the given digits.
func parseAmount(s string, digits int) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	neg := false
	if r, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, r
	}
	multExp := 0
	for _, suf := range []struct {
		s   string
		exp int
	}{{"万", 4}, {"亿", 8}, {"k", 3}, {"K", 3}, {"m", 6}, {"M", 6}} {
		if r, ok := strings.CutSuffix(s, suf.s); ok {
			multExp, s = suf.exp, r
			break
		}
	}
	s, err := normalizeSeparators(s)
	if err != nil {
		return 0, err
	}
	intPart, frac, _ := strings.Cut(s, ".")
	mantissa := intPart + frac
	if mantissa == "" {
		return 0, because("model.amount.nonumber")
	}
	for _, r := range mantissa {
		if r < '0' || r > '9' {
			return 0, because("model.amount.nan")
		}
	}
	// value = mantissa * 10^(multExp-len(frac)); minor = value * 10^digits.
	e := multExp - len(frac) + digits
	if e < 0 {
		cut := len(mantissa) + e
		if strings.Trim(mantissa[max(cut, 0):], "0") != "" {
			return 0, because("model.amount.decimals", digits)
		}
		mantissa = mantissa[:max(cut, 0)]
		e = 0
	}
	mantissa = strings.TrimLeft(mantissa, "0") + strings.Repeat("0", e)
	if strings.Trim(mantissa, "0") == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(mantissa, 10, 64)
	if err != nil {
		return 0, because("model.amount.large")
	}
	if neg {
		v = -v
	}
	return v, nil
}

// normalizeSeparators rewrites grouping and decimal separators so that the
// only one left is a "." before the decimals. A lone comma groups
// thousands when it reads as grouping ("1,200"); any other lone comma is a
// decimal comma ("12,50", "0,500", "1234,567"). Grouped digits must be
// grouped properly: "1.200.50" is a typo, not 120050.
func normalizeSeparators(s string) (string, error) {
	s = strings.ReplaceAll(s, "'", "")
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var group, dec string // the grouping separator and the decimal one
	switch {
	case commas == 0 && dots <= 1:
		return s, nil
	case commas == 0: // 1.200.000
		group = "."
	case dots == 0 && commas == 1 && validGrouping(s, ","): // 1,200
		group = ","
	case dots == 0 && commas == 1: // 12,50
		return strings.Replace(s, ",", ".", 1), nil
	case dots == 0: // 1,200,000
		group = ","
	case strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.'): // 1.200,50
		group, dec = ".", ","
	default: // 1,200.50
		group, dec = ",", "."
	}
	intPart, frac := s, ""
	if dec != "" {
		i := strings.LastIndex(s, dec)
		intPart, frac = s[:i], s[i+1:]
		if strings.Contains(intPart, dec) || strings.Contains(frac, group) {
			return "", because("model.amount.nan")
		}
	}
	if !validGrouping(intPart, group) {
		return "", because("model.amount.grouping")
	}
	intPart = strings.ReplaceAll(intPart, group, "")
	if dec == "" {
		return intPart, nil
	}
	return intPart + "." + frac, nil
}

// validGrouping reports whether sep splits s into digit groups the way
// people group them: a first group of one to three digits not starting
// with 0, and after it groups of three, where all but the last may also be
// of two (the Indian lakh: "1,20,000").
func validGrouping(s, sep string) bool {
	groups := strings.Split(s, sep)
	first, last := groups[0], groups[len(groups)-1]
	if len(groups) < 2 || len(first) < 1 || len(first) > 3 || first[0] == '0' || len(last) != 3 {
		return false
	}
	for _, g := range groups[1 : len(groups)-1] {
		if len(g) != 2 && len(g) != 3 {
			return false
		}
	}
	return true
}

// foldWidth turns full-width digits and punctuation (common in Chinese
// input) into their ASCII forms.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' && r != '￥' {
			return r - '！' + '!'
		}
		if r == '　' || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
}

// Decimal writes the amount as a plain decimal string with exactly the
// currency's minor digits: "1200.50", "-12.50", "3000" for JPY. ParseMoney
// with the same currency reads it back to the same Money.
func (m Money) Decimal() string {
	d := MinorDigits(m.Currency)
	sign, v := "", uint64(m.Minor)
	if m.Minor < 0 {
		sign, v = "-", -v // in uint64 so that the most negative int64 has a magnitude
	}
	if d == 0 {
		return sign + strconv.FormatUint(v, 10)
	}
	p := uint64(math.Pow10(d))
	return fmt.Sprintf("%s%d.%0*d", sign, v/p, d, v%p)
}

// Format writes the amount for people: symbol, grouped thousands and the
// currency's decimals ("¥3,000.00", "$1,200.50", "1,000.000 KWD").
func (m Money) Format() string {
	dec := m.Decimal()
	sign := ""
	if r, ok := strings.CutPrefix(dec, "-"); ok {
		sign, dec = "-", r
	}
	intPart, frac, hasFrac := strings.Cut(dec, ".")
	grouped := groupThousands(intPart)
	if hasFrac {
		grouped += "." + frac
	}
	if sym, ok := displaySymbols[m.Currency]; ok {
		return sign + sym + grouped
	}
	if m.Currency == "" {
		return sign + grouped
	}
	return sign + grouped + " " + m.Currency
}

// Short writes a compact amount for narrow columns: "¥1.2M", "$830K",
// "$9999". A value that rounds up to the next unit takes that unit
// ("$1.0M", not "$1000K").
func (m Money) Short() string {
	v := float64(m.Minor) / math.Pow10(MinorDigits(m.Currency))
	sym, ok := displaySymbols[m.Currency]
	if !ok && m.Currency != "" {
		sym = m.Currency + " "
	}
	abs, sign := math.Abs(v), ""
	if v < 0 && abs > 0.5 { // no "-$0"
		sign = "-"
	}
	switch {
	case abs >= 999.95e6:
		return fmt.Sprintf("%s%s%.1fB", sign, sym, abs/1e9)
	case abs >= 999.5e3:
		return fmt.Sprintf("%s%s%.1fM", sign, sym, abs/1e6)
	case abs >= 9999.5:
		return fmt.Sprintf("%s%s%.0fK", sign, sym, abs/1e3)
	default:
		return fmt.Sprintf("%s%s%.0f", sign, sym, abs)
	}
}

// String is Format.
func (m Money) String() string { return m.Format() }

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
