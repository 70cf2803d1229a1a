package session

import (
	"errors"
	"strings"
	"time"
)

// TimeLayout is the one timestamp format the store writes: UTC, six fraction
// digits, "+00:00" — what Python's datetime.isoformat() gives for an aware
// UTC time.
const TimeLayout = "2006-01-02T15:04:05.000000+00:00"

// FormatTime formats t in the store's timestamp format.
func FormatTime(t time.Time) string {
	return t.UTC().Format(TimeLayout)
}

var errBadTime = errors.New("not an ISO 8601 timestamp")

// ParseTime reads any ISO 8601 timestamp the original tool or a person may
// have written: "Z" or a numeric offset, with or without a fraction (1 to 9
// digits), with "T" or a space between date and time, a bare date, and a
// naive time, which is taken as UTC.
func ParseTime(s string) (time.Time, error) {
	// Date: YYYY-MM-DD.
	if len(s) < 10 || !digits(s[0:4]) || s[4] != '-' || !digits(s[5:7]) || s[7] != '-' || !digits(s[8:10]) {
		return time.Time{}, errBadTime
	}
	year, month, day := atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return time.Time{}, errBadTime
	}
	if len(s) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
	}
	rest := s[10:]
	if rest[0] != 'T' && rest[0] != ' ' && rest[0] != 't' {
		return time.Time{}, errBadTime
	}
	rest = rest[1:]
	// Time: HH:MM[:SS[.fraction]].
	if len(rest) < 5 || !digits(rest[0:2]) || rest[2] != ':' || !digits(rest[3:5]) {
		return time.Time{}, errBadTime
	}
	hour, minute, sec, nsec := atoi(rest[0:2]), atoi(rest[3:5]), 0, 0
	rest = rest[5:]
	if len(rest) >= 3 && rest[0] == ':' {
		if !digits(rest[1:3]) {
			return time.Time{}, errBadTime
		}
		sec = atoi(rest[1:3])
		rest = rest[3:]
		if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
			n := 1
			for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
				n++
			}
			frac := rest[1:n]
			if len(frac) == 0 || len(frac) > 9 {
				return time.Time{}, errBadTime
			}
			nsec = atoi(frac)
			for i := len(frac); i < 9; i++ {
				nsec *= 10
			}
			rest = rest[n:]
		}
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errBadTime
	}
	// Offset: none (naive, UTC), Z, or ±HH:MM / ±HHMM / ±HH.
	offset := 0
	switch {
	case rest == "":
	case rest == "Z" || rest == "z":
	case rest[0] == '+' || rest[0] == '-':
		o := rest[1:]
		var oh, om int
		switch {
		case len(o) == 5 && digits(o[0:2]) && o[2] == ':' && digits(o[3:5]):
			oh, om = atoi(o[0:2]), atoi(o[3:5])
		case len(o) == 4 && digits(o):
			oh, om = atoi(o[0:2]), atoi(o[2:4])
		case len(o) == 2 && digits(o):
			oh = atoi(o)
		default:
			return time.Time{}, errBadTime
		}
		if oh > 23 || om > 59 {
			return time.Time{}, errBadTime
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, errBadTime
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// atoi converts a string of at most nine ASCII digits, checked by digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// SortKey is the ordering key of a timestamp: itself when it is already in
// the store's format (nearly always), else its instant in that format,
// whose text order is time order. One that does not parse is "" and sorts
// last.
func SortKey(ts string) string {
	if len(ts) == len(TimeLayout) && strings.HasSuffix(ts, "+00:00") && ts[10] == 'T' && ts[19] == '.' {
		return ts
	}
	t, err := ParseTime(ts)
	if err != nil || t.Year() < 1 || t.Year() > 9999 {
		return ""
	}
	return FormatTime(t)
}

// IsStale is the rule for a stale session: active, with a readable last
// heartbeat older than thresholdHours at now.
func IsStale(status Status, lastHeartbeat string, now time.Time, thresholdHours int) bool {
	if status != StatusActive {
		return false
	}
	hb, err := ParseTime(lastHeartbeat)
	return err == nil && now.Sub(hb) > time.Duration(thresholdHours)*time.Hour
}
