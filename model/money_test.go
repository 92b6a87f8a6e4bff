package model

import (
	"errors"
	"math"
	"testing"
)

// expectInvalid fails t unless err is a validation error naming field.
func expectInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want one wrapping ErrInvalid", err)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != field {
		t.Fatalf("err = %v, want it to name field %q", err, field)
	}
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in, def string
		want    Money
	}{
		{"1200.50", "USD", Money{120050, "USD"}},
		{"1,200.50", "CNY", Money{120050, "CNY"}},
		{"¥3000", "", Money{300000, "CNY"}},
		{"￥3,000", "", Money{300000, "CNY"}},
		{"3000 CNY", "USD", Money{300000, "CNY"}},
		{"3000CNY", "", Money{300000, "CNY"}},
		{"USD 12", "CNY", Money{1200, "USD"}},
		{"usd 12", "", Money{1200, "USD"}},
		{"EUR12", "", Money{1200, "EUR"}},
		{"3万", "CNY", Money{3000000, "CNY"}},
		{"3万元", "", Money{3000000, "CNY"}},
		{"1.5万", "CNY", Money{1500000, "CNY"}},
		{"1亿", "CNY", Money{10000000000, "CNY"}},
		{"1.5k", "USD", Money{150000, "USD"}},
		{"1.5K", "USD", Money{150000, "USD"}},
		{"1.5 k", "USD", Money{150000, "USD"}},
		{"2M", "USD", Money{200000000, "USD"}},
		{"1.5k USD", "", Money{150000, "USD"}},
		{"12,50 EUR", "", Money{1250, "EUR"}},
		{"1.200,50 EUR", "", Money{120050, "EUR"}},
		{"1 200,50 €", "", Money{120050, "EUR"}},
		{"1.200.000", "USD", Money{120000000, "USD"}},
		{"1,200,000", "USD", Money{120000000, "USD"}},
		{"1,200", "USD", Money{120000, "USD"}},
		{"1,5", "USD", Money{150, "USD"}},
		{"1,20,000", "INR", Money{12000000, "INR"}},
		{"1'200.50", "CHF", Money{120050, "CHF"}},
		{"$1,200.50", "", Money{120050, "USD"}},
		{"US$5", "", Money{500, "USD"}},
		{"HK$100", "", Money{10000, "HKD"}},
		{"100 HK$", "", Money{10000, "HKD"}},
		{"€5", "", Money{500, "EUR"}},
		{"RMB 3000", "", Money{300000, "CNY"}},
		{"rmb3000", "", Money{300000, "CNY"}},
		{"3000元", "", Money{300000, "CNY"}},
		{"3000 JPY", "", Money{3000, "JPY"}},
		{"3000日元", "", Money{3000, "JPY"}},
		{"3,000", "JPY", Money{3000, "JPY"}},
		{"3000.0", "JPY", Money{3000, "JPY"}},
		{"1,000.000 KWD", "", Money{1000000, "KWD"}},
		{"1.5 KWD", "", Money{1500, "KWD"}},
		{"1234,567 KWD", "", Money{1234567, "KWD"}}, // not grouping: 4 digits before the comma
		{"0,500 KWD", "", Money{500, "KWD"}},        // not grouping: a group never starts 0
		{"-12.50", "USD", Money{-1250, "USD"}},
		{"-$5", "", Money{-500, "USD"}},
		{"$-5", "", Money{-500, "USD"}},
		{"-5 USD", "", Money{-500, "USD"}},
		{"-0", "USD", Money{0, "USD"}},
		{"１２００．５０", "CNY", Money{120050, "CNY"}},
		{"１,２００元", "", Money{120000, "CNY"}},
		{"0", "usd", Money{0, "USD"}},
		{"12.340", "USD", Money{1234, "USD"}}, // trailing zeros are not extra precision
		{".5", "USD", Money{50, "USD"}},
		{"5.", "USD", Money{500, "USD"}},
		{"  7  ", "USD", Money{700, "USD"}},
		{"92233720368547758.07", "USD", Money{math.MaxInt64, "USD"}},
	}
	for _, tt := range tests {
		got, err := ParseMoney(tt.in, tt.def)
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %+v", tt.in, tt.def, got, err, tt.want)
		}
	}
}

func TestParseMoneyErrors(t *testing.T) {
	tests := []struct{ in, def, field string }{
		{"", "USD", "amount"},
		{"   ", "USD", "amount"},
		{"12.345", "USD", "amount"}, // too many decimals
		{"3000.5 JPY", "", "amount"},
		{"1.0001 KWD", "", "amount"},
		{"0.001", "USD", "amount"},
		{"abc", "USD", "amount"},
		{"1e5", "USD", "amount"},
		{"--5", "USD", "amount"},
		{"$", "", "amount"},
		{"k", "USD", "amount"},
		{"12 XY", "USD", "amount"},
		{"1.200.50", "USD", "amount"}, // misplaced grouping, not 120050
		{"1,2.50", "USD", "amount"},
		{"1,200,50", "USD", "amount"},
		{"1,2345,678", "USD", "amount"},
		{"0,200,000", "USD", "amount"},
		{"1,200.5.0", "USD", "amount"},
		{"1.200,50,3", "EUR", "amount"},
		{"99999999999999999999", "USD", "amount"},
		{"92233720368547758.08", "USD", "amount"},
		{"12", "", "currency"},
		{"12", "dollars", "currency"},
		{"12", "US", "currency"},
	}
	for _, tt := range tests {
		m, err := ParseMoney(tt.in, tt.def)
		if err == nil {
			t.Errorf("ParseMoney(%q, %q) = %+v, want an error", tt.in, tt.def, m)
			continue
		}
		t.Run(tt.in, func(t *testing.T) { expectInvalid(t, err, tt.field) })
	}
}

func TestMoneyDecimal(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{120050, "USD"}, "1200.50"},
		{Money{300000, "CNY"}, "3000.00"},
		{Money{3000, "JPY"}, "3000"},
		{Money{1000000, "KWD"}, "1000.000"},
		{Money{12345, "CLF"}, "1.2345"},
		{Money{-1250, "USD"}, "-12.50"},
		{Money{5, "USD"}, "0.05"},
		{Money{-5, "USD"}, "-0.05"},
		{Money{-3000, "JPY"}, "-3000"},
		{Money{}, "0.00"},
		{Money{math.MaxInt64, "USD"}, "92233720368547758.07"},
		{Money{math.MinInt64, "USD"}, "-92233720368547758.08"},
		{Money{math.MinInt64, "JPY"}, "-9223372036854775808"},
	}
	for _, tt := range tests {
		if got := tt.m.Decimal(); got != tt.want {
			t.Errorf("%+v.Decimal() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{300000, "CNY"}, "¥3,000.00"},
		{Money{120050, "USD"}, "$1,200.50"},
		{Money{1000000, "KWD"}, "1,000.000 KWD"},
		{Money{3000, "JPY"}, "JP¥3,000"},
		{Money{100000, "KRW"}, "₩100,000"},
		{Money{-120050, "USD"}, "-$1,200.50"},
		{Money{5, "EUR"}, "€0.05"},
		{Money{99999, "GBP"}, "£999.99"},
		{Money{123456789, "CHF"}, "1,234,567.89 CHF"},
		{Money{1250, ""}, "12.50"},
		{Money{123456789012, "HKD"}, "HK$1,234,567,890.12"},
	}
	for _, tt := range tests {
		if got := tt.m.Format(); got != tt.want {
			t.Errorf("%+v.Format() = %q, want %q", tt.m, got, tt.want)
		}
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestMoneyShort(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{120000000, "CNY"}, "¥1.2M"},
		{Money{83000000, "USD"}, "$830K"},
		{Money{999900, "USD"}, "$9999"},
		{Money{999950, "USD"}, "$10K"},       // rounds up: not "$10000"
		{Money{99999999, "USD"}, "$1.0M"},    // not "$1000K"
		{Money{99999999999, "USD"}, "$1.0B"}, // not "$1000.0M"
		{Money{250000000000, "USD"}, "$2.5B"},
		{Money{-500, "USD"}, "-$5"},
		{Money{-40, "USD"}, "$0"}, // no "-$0"
		{Money{0, "USD"}, "$0"},
		{Money{1200, "CHF"}, "CHF 12"},
		{Money{3000, "JPY"}, "JP¥3000"},
		{Money{1200, ""}, "12"},
	}
	for _, tt := range tests {
		if got := tt.m.Short(); got != tt.want {
			t.Errorf("%+v.Short() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestMoneyIsZero(t *testing.T) {
	if !(Money{}).IsZero() {
		t.Error("Money{} is not zero")
	}
	if (Money{Currency: "USD"}).IsZero() || (Money{Minor: 1}).IsZero() {
		t.Error("a Money with an amount or a currency is zero")
	}
}

func TestMinorDigits(t *testing.T) {
	for cur, want := range map[string]int{"USD": 2, "CNY": 2, "JPY": 0, "KRW": 0, "KWD": 3, "BHD": 3, "CLF": 4, "": 2, "XYZ": 2} {
		if got := MinorDigits(cur); got != want {
			t.Errorf("MinorDigits(%q) = %d, want %d", cur, got, want)
		}
	}
}

func TestValidCurrency(t *testing.T) {
	for s, want := range map[string]bool{"USD": true, "CNY": true, "usd": false, "US": false, "USDT": false, "": false, "U1D": false, "ÜSD": false} {
		if got := ValidCurrency(s); got != want {
			t.Errorf("ValidCurrency(%q) = %v, want %v", s, got, want)
		}
	}
}

// Every amount Decimal writes reads back to itself.
func TestMoneyDecimalRoundTrip(t *testing.T) {
	for _, cur := range []string{"USD", "JPY", "KWD", "CLF"} {
		for _, minor := range []int64{0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, 123456789, -123456789, math.MaxInt64, math.MinInt64 + 1} {
			m := Money{minor, cur}
			got, err := ParseMoney(m.Decimal(), cur)
			if err != nil || got != m {
				t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %+v", m.Decimal(), cur, got, err, m)
			}
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{
		"1200.50", "1,200.50", "¥3000", "3000 CNY", "USD 12", "3万", "1.5k", "12,50 EUR",
		"1.200,50 EUR", "-$5", "1,20,000", "1'200.50", "１２００．５０", "0,500 KWD", "1.200.50", "",
	} {
		for _, def := range []string{"USD", "JPY", "KWD", ""} {
			f.Add(s, def)
		}
	}
	f.Fuzz(func(t *testing.T, s, def string) {
		m, err := ParseMoney(s, def)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseMoney(%q, %q) error %v does not wrap ErrInvalid", s, def, err)
			}
			return
		}
		if !ValidCurrency(m.Currency) {
			t.Fatalf("ParseMoney(%q, %q) = %+v: not a currency code", s, def, m)
		}
		again, err := ParseMoney(m.Decimal(), m.Currency)
		if err != nil || again != m {
			t.Fatalf("ParseMoney(%q, %q) = %+v, but its Decimal %q reads as %+v, %v", s, def, m, m.Decimal(), again, err)
		}
		_, _ = m.Format(), m.Short()
	})
}
