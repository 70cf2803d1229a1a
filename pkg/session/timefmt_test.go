package session

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{in: "2026-02-10T14:30:05.123456+00:00", want: utc("2026-02-10T14:30:05.123456Z")},
		{in: "2026-02-10T14:30:05Z", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10T14:30:05z", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10T16:30:05+02:00", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10T09:30:05-0500", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10T16:30:05+02", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10T14:30:05", want: utc("2026-02-10T14:30:05Z")},
		{in: "2026-02-10 14:30:05.5", want: utc("2026-02-10T14:30:05.5Z")},
		{in: "2026-02-10T14:30:05.123456789Z", want: utc("2026-02-10T14:30:05.123456789Z")},
		{in: "2026-02-10T14:30", want: utc("2026-02-10T14:30:00Z")},
		{in: "2026-02-10", want: utc("2026-02-10T00:00:00Z")},
		{in: "2024-02-29T00:00:00Z", want: utc("2024-02-29T00:00:00Z")},
		{in: "", bad: true},
		{in: "yesterday", bad: true},
		{in: "2026-02-30T00:00:00Z", bad: true},
		{in: "2026-13-01", bad: true},
		{in: "2026-02-10T24:00:00Z", bad: true},
		{in: "2026-02-10T14:30:05.Z", bad: true},
		{in: "2026-02-10T14:30:05.1234567890Z", bad: true},
		{in: "2026-02-10T14:30:05+25:00", bad: true},
		{in: "2026-02-10T14:30:05 UTC", bad: true},
		{in: "2026-02-10T14:30:05Z\n", bad: true},
		{in: "2026-02-10X14:30:05", bad: true},
	} {
		have, err := ParseTime(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseTime(%q): want an error, have %v", tc.in, have)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tc.in, err)
			continue
		}
		if !have.Equal(tc.want) {
			t.Errorf("ParseTime(%q): want %v, have %v", tc.in, tc.want, have)
		}
	}
}

func TestFormatTime(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 2, 10, 14, 30, 5, 123456789, time.UTC), "2026-02-10T14:30:05.123456+00:00"},
		{time.Date(2026, 2, 10, 14, 30, 5, 0, time.UTC), "2026-02-10T14:30:05.000000+00:00"},
		{time.Date(2026, 2, 10, 16, 30, 5, 0, time.FixedZone("x", 2*3600)), "2026-02-10T14:30:05.000000+00:00"},
	} {
		if want, have := tc.want, FormatTime(tc.in); want != have {
			t.Errorf("FormatTime(%v): want %q, have %q", tc.in, want, have)
		}
	}
}

// FuzzParseTime checks that ParseTime never panics, and that what it accepts
// survives a round trip through the store's own format.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2026-02-10T14:30:05.123456+00:00", "2026-02-10T14:30:05Z", "2026-02-10", "2026-02-10 14:30", "2026-02-10T14:30:05-0500", "0000-01-01T00:00:00+23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseTime(s)
		if err != nil || v.Year() < 1 || v.Year() > 9999 {
			return
		}
		back, err := ParseTime(FormatTime(v))
		if err != nil {
			t.Fatalf("ParseTime(FormatTime(%v)) from %q: %v", v, s, err)
		}
		if !back.Equal(v.Truncate(time.Microsecond)) {
			t.Fatalf("round trip of %q: %v became %v", s, v, back)
		}
	})
}

func TestSortKeyAndIsStale(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"2026-02-10T14:30:05.123456+00:00", "2026-02-10T14:30:05.123456+00:00"},
		{"2026-02-10T15:30:05+01:00", "2026-02-10T14:30:05.000000+00:00"},
		{"2026-02-10", "2026-02-10T00:00:00.000000+00:00"},
		{"soon", ""},
	} {
		if have := SortKey(tc.in); have != tc.want {
			t.Errorf("SortKey(%q): want %q, have %q", tc.in, tc.want, have)
		}
	}
	now := time.Date(2026, 2, 11, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		status Status
		hb     string
		want   bool
	}{
		{StatusActive, "2026-02-09T23:00:00Z", true},
		{StatusActive, "2026-02-10T01:00:00Z", false},
		{StatusParked, "2026-01-01T00:00:00Z", false},
		{StatusActive, "garbage", false},
	} {
		if have := IsStale(tc.status, tc.hb, now, 24); have != tc.want {
			t.Errorf("IsStale(%s, %q): want %v, have %v", tc.status, tc.hb, tc.want, have)
		}
	}
}
