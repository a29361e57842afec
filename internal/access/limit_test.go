package access

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(30*time.Second, 3, clock.now) // 3 at once, then one every 30 s
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("attempt %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait != 30*time.Second {
		t.Errorf("fourth attempt: %v, wait %s; want refused, 30s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another address was refused")
	}
	clock.add(10 * time.Second)
	if ok, wait := l.Allow("a"); ok || wait != 20*time.Second {
		t.Errorf("after 10 s: %v, wait %s; want refused, 20s", ok, wait)
	}
	clock.add(20 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Error("after 30 s one attempt should be free")
	}
	// Blocked and Spend count failures only.
	f := NewLimiter(time.Minute, 2, clock.now)
	for i := range 2 {
		if blocked, _ := f.Blocked("c"); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		f.Spend("c")
	}
	if blocked, wait := f.Blocked("c"); !blocked || wait != time.Minute {
		t.Errorf("after 2 failures: blocked %v, wait %s; want true, 1m", blocked, wait)
	}
	clock.add(time.Minute)
	if blocked, _ := f.Blocked("c"); blocked {
		t.Error("still blocked after a minute")
	}
}

// TestLimiterTake follows buckets request by request, each row's figures worked out by hand: a
// bucket holds its burst, loses one per request taken, and gains one every `every`, up to the burst.
func TestLimiterTake(t *testing.T) {
	type step struct {
		name      string
		advance   time.Duration // on the clock before the request
		key       string
		ok        bool
		remaining int
		reset     time.Duration // until the bucket is full again, whole seconds up
		wait      time.Duration // refused only: until one request is free
	}
	cases := []struct {
		name  string
		every time.Duration
		burst int
		steps []step
	}{
		{"3 at once, then one every 30 s", 30 * time.Second, 3, []step{
			{"first of a full bucket", 0, "192.0.2.1", true, 2, 30 * time.Second, 0},
			{"second", 0, "192.0.2.1", true, 1, time.Minute, 0},
			{"third: the last", 0, "192.0.2.1", true, 0, 90 * time.Second, 0},
			{"fourth: refused", 0, "192.0.2.1", false, 0, 90 * time.Second, 30 * time.Second},
			{"a third of one back: 2 2/3 short of full", 10 * time.Second, "192.0.2.1", false, 0, 80 * time.Second, 20 * time.Second},
			{"one back", 20 * time.Second, "192.0.2.1", true, 0, 90 * time.Second, 0},
			{"one and a half back: half left", 45 * time.Second, "192.0.2.1", true, 0, 75 * time.Second, 0},
			{"full again after 75 s", 75 * time.Second, "192.0.2.1", true, 2, 30 * time.Second, 0},
			{"a refilled bucket holds its burst, no more", time.Hour, "192.0.2.1", true, 2, 30 * time.Second, 0},
			{"another address has its own bucket", 0, "192.0.2.2", true, 2, 30 * time.Second, 0},
			{"an IPv6 address", 0, "2001:db8:1:2::1", true, 2, 30 * time.Second, 0},
			{"another address of the same /64 shares its bucket", 0, "2001:db8:1:2:ffff:ffff:ffff:ffff", true, 1, time.Minute, 0},
			{"and a third", 0, "2001:db8:1:2:abcd::9", true, 0, 90 * time.Second, 0},
			{"and a fourth is refused", 0, "2001:db8:1:2::2", false, 0, 90 * time.Second, 30 * time.Second},
			{"the next /64 has its own bucket", 0, "2001:db8:1:3::1", true, 2, 30 * time.Second, 0},
		}},
		{"5 at once, then one every 400 ms: parts of a second round up", 400 * time.Millisecond, 5, []step{
			{"0.4 s short of full", 0, "198.51.100.7", true, 4, time.Second, 0},
			{"0.8 s short", 0, "198.51.100.7", true, 3, time.Second, 0},
			{"1.2 s short", 0, "198.51.100.7", true, 2, 2 * time.Second, 0},
			{"0.75 back: 1.75 left, 1.3 s short", 300 * time.Millisecond, "198.51.100.7", true, 1, 2 * time.Second, 0},
			{"0.25 back: 1 left, 1.6 s short", 100 * time.Millisecond, "198.51.100.7", true, 1, 2 * time.Second, 0},
			{"none left, 2 s short", 0, "198.51.100.7", true, 0, 2 * time.Second, 0},
			{"refused: one free in 0.4 s, said as 1", 0, "198.51.100.7", false, 0, 2 * time.Second, time.Second},
		}},
		{"the default, 6000 at once, then one every 10 ms", 10 * time.Millisecond, 6000, []step{
			{"10 ms short of full is said as a second", 0, "198.51.100.7", true, 5999, time.Second, 0},
			{"a bucket holds no more than its burst", time.Minute, "198.51.100.7", true, 5999, time.Second, 0},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
			l := NewLimiter(tc.every, tc.burst, clock.now)
			for _, s := range tc.steps {
				clock.add(s.advance)
				ok, remaining, reset, wait := l.Take(s.key)
				if ok != s.ok || remaining != s.remaining || reset != s.reset || wait != s.wait {
					t.Errorf("%s: Take(%s) = %v, %d left, full in %s, wait %s; want %v, %d, %s, %s",
						s.name, s.key, ok, remaining, reset, wait, s.ok, s.remaining, s.reset, s.wait)
				}
			}
		})
	}
}

// TestLimiterForgets: buckets that have refilled are dropped, so a flood of addresses cannot grow
// memory without bound.
func TestLimiterForgets(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(time.Second, 1, clock.now)
	for i := range 5000 {
		l.Allow(string(rune(0x1000 + i)))
	}
	clock.add(time.Minute)
	for range 1024 {
		l.Allow("later")
	}
	if n := len(l.buckets); n > 1100 {
		t.Errorf("%d buckets kept after every old one refilled", n)
	}
}

func TestClientAddress(t *testing.T) {
	ps, err := ParseProxies("10.0.0.0/8, 127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.5:1234", nil, "203.0.113.5"},
		{"203.0.113.5:1234", []string{"1.2.3.4"}, "203.0.113.5"}, // not a proxy: the header is ignored
		{"127.0.0.1:1234", []string{"198.51.100.9"}, "198.51.100.9"},
		{"[::1]:1234", []string{"198.51.100.9"}, "198.51.100.9"},
		{"10.1.2.3:80", []string{"1.1.1.1, 198.51.100.9, 10.9.9.9"}, "198.51.100.9"}, // the client wrote 1.1.1.1
		{"10.1.2.3:80", []string{"1.1.1.1", "198.51.100.9"}, "198.51.100.9"},         // two header lines
		{"10.1.2.3:80", []string{"10.2.2.2, 10.3.3.3"}, "10.2.2.2"},                  // all proxies
		{"10.1.2.3:80", []string{"not an address"}, "10.1.2.3"},
		{"10.1.2.3:80", nil, "10.1.2.3"},
		{"[::ffff:127.0.0.1]:9", []string{"198.51.100.9"}, "198.51.100.9"},
	}
	for _, tc := range cases {
		if got := ps.ClientAddress(tc.remote, tc.xff); got != tc.want {
			t.Errorf("ClientAddress(%s, %q) = %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "not-an-ip", "10.0.0.0/8,nope"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	if ps, _ := ParseProxies(""); len(ps) != 0 || ps.Trusts("127.0.0.1:1") {
		t.Error("an empty list trusts someone")
	}
}

// TestLimiterIPv6: every address of one IPv6 /64 shares a bucket; another /64 has its own.
func TestLimiterIPv6(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(time.Minute, 2, clock.now)
	for _, a := range []string{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"} {
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("%s refused within the burst", a)
		}
	}
	if ok, _ := l.Allow("2001:db8:1:2:abcd::9"); ok {
		t.Error("a third address of the same /64 was allowed: rotating addresses escapes the limit")
	}
	if ok, _ := l.Allow("2001:db8:1:3::1"); !ok {
		t.Error("another /64 was refused")
	}
	if ok, _ := l.Allow("192.0.2.1"); !ok {
		t.Error("an IPv4 address was refused")
	}
	for in, want := range map[string]string{"192.0.2.1": "192.0.2.1", "::ffff:192.0.2.1": "::ffff:192.0.2.1",
		"2001:db8::1": "2001:db8::/64", "not an address": "not an address"} {
		if got := limitKey(in); got != want {
			t.Errorf("limitKey(%q) = %q, want %q", in, got, want)
		}
	}
}
