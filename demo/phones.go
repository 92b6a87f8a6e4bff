package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/rolo-crm/rolo/model"
)

// Phone numbers are written the way people type them, in international
// form so that they read the same whatever region rolo is configured for;
// the store keeps this text and adds the E.164 form.

// typed returns a phone as a user typed it in international form, with
// its E.164 number already worked out (every generated number is valid:
// TestPhonesAreValid checks them with model.NormalizePhone), so writing a
// large demo does not read each number again through phonenumbers.
func typed(text, label string) model.Phone {
	return model.Phone{Number: "+" + model.PhoneDigits(text), Original: text, Label: label}
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

var cnMobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139",
	"150", "151", "152", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182",
	"183", "186", "187", "188", "189", "199"}

func cnMobile(r *rand.Rand) string {
	p, n := oneOf(r, cnMobilePrefixes), digits(r, 8)
	if chance(r, 0.3) {
		return "+86 " + p + n
	}
	return "+86 " + p + " " + n[:4] + " " + n[4:]
}

var usAreas = []string{"212", "646", "415", "628", "512", "312", "617", "206", "310", "305", "404", "720"}

func usPhone(r *rand.Rand) string {
	return usNumber(r, oneOf(r, usAreas))
}

func usNumber(r *rand.Rand, area string) string {
	exch := fmt.Sprintf("%d%d%d", 2+r.IntN(8), r.IntN(10), 2+r.IntN(8)) // never N11
	line := digits(r, 4)
	switch r.IntN(3) {
	case 0:
		return "+1 (" + area + ") " + exch + "-" + line
	case 1:
		return "+1 " + area + "-" + exch + "-" + line
	}
	return "+1 " + area + " " + exch + " " + line
}

func ukMobile(r *rand.Rand) string {
	return fmt.Sprintf("+44 7%d%s %s", oneOf(r, []int{4, 5, 8, 9}), digits(r, 2), digits(r, 6))
}

func deMobile(r *rand.Rand) string {
	return "+49 " + oneOf(r, []string{"151", "152", "157", "176", "177", "178", "179"}) + " " + digits(r, 8)
}

func esMobile(r *rand.Rand) string {
	n := "6" + digits(r, 8)
	return "+34 " + n[:3] + " " + n[3:6] + " " + n[6:]
}

func frMobile(r *rand.Rand) string {
	n := oneOf(r, []string{"6", "7"}) + digits(r, 8)
	if n[0] == '6' {
		n = n[:1] + fmt.Sprint(r.IntN(9)) + n[2:] // 069 is not mobile
	} else {
		n = n[:1] + fmt.Sprint(3+r.IntN(6)) + n[2:] // 073-078 are
	}
	return fmt.Sprintf("+33 %s %s %s %s %s", n[:1], n[1:3], n[3:5], n[5:7], n[7:])
}

func inMobile(r *rand.Rand) string {
	n := fmt.Sprintf("%d", 7+r.IntN(3)) + digits(r, 9)
	return "+91 " + n[:5] + " " + n[5:]
}

func jpMobile(r *rand.Rand) string {
	return fmt.Sprintf("+81 %d0-%d%s-%s", 7+r.IntN(3), 1+r.IntN(9), digits(r, 3), digits(r, 4))
}

// landline returns a switchboard number in the place's city.
func landline(r *rand.Rand, p place) string {
	switch p.country {
	case "中国":
		n := 8
		if p.local > 0 {
			n = p.local
		}
		return fmt.Sprintf("+86 %s %d%s", p.area, 2+r.IntN(7), digits(r, n-1))
	case "United States":
		return usNumber(r, p.area)
	case "United Kingdom":
		if len(p.area) == 2 {
			return "+44 " + p.area + " 7" + digits(r, 3) + " " + digits(r, 4)
		}
		return "+44 " + p.area + " " + fmt.Sprint(2+r.IntN(7)) + digits(r, 2) + " " + digits(r, 4)
	case "Germany":
		return "+49 " + p.area + " " + fmt.Sprint(2+r.IntN(7)) + digits(r, 6)
	case "Spain":
		return "+34 " + p.area + " " + fmt.Sprint(2+r.IntN(7)) + digits(r, 2) + " " + digits(r, 2) + " " + digits(r, 2)
	case "France":
		n := fmt.Sprint(1+r.IntN(9)) + digits(r, 7)
		return fmt.Sprintf("+33 %s %s %s %s %s", p.area, n[:2], n[2:4], n[4:6], n[6:])
	}
	return ""
}
