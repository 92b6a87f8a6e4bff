package e164

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// region is what reading a number needs of one region's metadata (or of
// a non-geographical calling code's), with its patterns compiled.
type region struct {
	broken bool   // a pattern could not be compiled: leave the region's numbers to phonenumbers
	id     string // "US"; "001" for a non-geographical entity
	cc     int
	ccText string

	general                      desc
	types                        []desc // premium rate to voicemail, in the order phonenumbers tries them
	fixed, mobile                desc
	sameMobileAndFixedLine       bool
	leading                      *automaton // nil: the region has no leading digits
	natPrefix                    *automaton // nil: no national prefix
	natPrefixRe                  *regexp.Regexp
	natTransform                 string
	idd                          *automaton
	iddRe                        *regexp.Regexp
	generalLengths, localLengths []int32
}

// desc is a number type's description: the lengths it allows and its
// pattern.
type desc struct {
	lengths []int32
	pattern *automaton
}

// matches is phonenumbers' isNumberMatchingDesc.
func (d *desc) matches(nsn string) bool {
	if len(d.lengths) > 0 {
		found := false
		for _, l := range d.lengths {
			if int(l) == len(nsn) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return d.pattern.full(nsn)
}

// tables holds the regions read so far: a region's patterns are compiled
// the first time a number needs them.
var tables struct {
	once      sync.Once
	meta      map[string]*phonenumbers.PhoneMetadata
	nonGeo    map[int]*phonenumbers.PhoneMetadata
	ccRegions map[int][]string
	regions   sync.Map // id, or "001+" and a calling code -> *region (nil: no metadata)
}

func load() {
	tables.once.Do(func() {
		tables.meta = map[string]*phonenumbers.PhoneMetadata{}
		tables.nonGeo = map[int]*phonenumbers.PhoneMetadata{}
		tables.ccRegions = map[int][]string{}
		coll, err := phonenumbers.MetadataCollection()
		if err != nil {
			return
		}
		for _, m := range coll.GetMetadata() {
			if m.GetId() == nonGeoRegion {
				tables.nonGeo[int(m.GetCountryCode())] = m
			} else {
				tables.meta[m.GetId()] = m
			}
		}
		for cc := range phonenumbers.GetSupportedCallingCodes() {
			tables.ccRegions[cc] = phonenumbers.GetRegionCodesForCountryCode(cc)
		}
	})
}

const nonGeoRegion = "001"

// geoRegion returns the region with the given code, or nil when
// phonenumbers does not support it.
func geoRegion(id string) *region {
	if !phonenumbers.GetSupportedRegions()[id] {
		return nil
	}
	return cached(id, func() *phonenumbers.PhoneMetadata { return tables.meta[id] })
}

// regionOrCallingCode is phonenumbers' getMetadataForRegionOrCallingCode.
func regionOrCallingCode(cc int, id string) *region {
	if id == nonGeoRegion {
		return cached(nonGeoRegion+"+"+strconv.Itoa(cc), func() *phonenumbers.PhoneMetadata {
			if _, ok := tables.ccRegions[cc]; !ok {
				return nil
			}
			return tables.nonGeo[cc]
		})
	}
	return geoRegion(id)
}

func cached(key string, meta func() *phonenumbers.PhoneMetadata) *region {
	if r, ok := tables.regions.Load(key); ok {
		return r.(*region)
	}
	var r *region
	if m := meta(); m != nil {
		r = newRegion(m)
	}
	tables.regions.Store(key, r)
	return r
}

// newRegion compiles a region's patterns.
func newRegion(m *phonenumbers.PhoneMetadata) *region {
	ok := true
	auto := func(p string) *automaton {
		a := compile(p)
		ok = ok && a != nil
		return a
	}
	mk := func(d *phonenumbers.PhoneNumberDesc) desc {
		return desc{lengths: d.GetPossibleLength(), pattern: auto(d.GetNationalNumberPattern())}
	}
	r := &region{id: m.GetId(), cc: int(m.GetCountryCode()),
		general: mk(m.GetGeneralDesc()), fixed: mk(m.GetFixedLine()), mobile: mk(m.GetMobile()),
		sameMobileAndFixedLine: m.GetSameMobileAndFixedLinePattern(),
		generalLengths:         m.GetGeneralDesc().GetPossibleLength(),
		localLengths:           m.GetGeneralDesc().GetPossibleLengthLocalOnly(),
	}
	r.ccText = strconv.Itoa(r.cc)
	for _, d := range []*phonenumbers.PhoneNumberDesc{m.GetPremiumRate(), m.GetTollFree(), m.GetSharedCost(),
		m.GetVoip(), m.GetPersonalNumber(), m.GetPager(), m.GetUan(), m.GetVoicemail()} {
		if d == nil {
			return &region{broken: true}
		}
		r.types = append(r.types, mk(d))
	}
	if ld := m.GetLeadingDigits(); ld != "" {
		r.leading = auto(ld)
	}
	if np := m.GetNationalPrefixForParsing(); np != "" {
		r.natPrefix = auto(np)
		r.natPrefixRe = regexp.MustCompile("^(?:" + np + ")")
		r.natTransform = m.GetNationalPrefixTransformRule()
	}
	r.idd = auto(m.GetInternationalPrefix())
	r.iddRe = regexp.MustCompile(m.GetInternationalPrefix())
	if !ok {
		return &region{broken: true}
	}
	return r
}
