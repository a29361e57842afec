package access

import (
	"math"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter counts events per key (a client address) in token buckets: each key may have Burst events
// at once and then one every Every. Limits live in each instance's memory: behind a load balancer
// each instance allows its own share, which is enough to make guessing hopeless.
type Limiter struct {
	every time.Duration
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	calls   int
}

// NewLimiter allows burst events at once per key, then one every `every`. A nil clock is time.Now.
func NewLimiter(every time.Duration, burst int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{every: every, burst: burst, now: now, buckets: map[string]*rate.Limiter{}}
}

// Allow spends one event of key's allowance, or says how long until one is free.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, now := l.bucket(key), l.now()
	if b.AllowN(now, 1) {
		return true, 0
	}
	return false, l.wait(b, now)
}

// Take spends one event of key's allowance, as Allow does, and says where key stands after it, as
// the IETF draft RateLimit headers tell a client: the whole events left now, and how long until
// the allowance is full again (whole seconds, rounded up). Refused, it also says how long until
// one event is free.
func (l *Limiter) Take(key string) (ok bool, remaining int, reset, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, now := l.bucket(key), l.now()
	full := float64(l.burst)
	if !b.AllowN(now, 1) {
		return false, 0, l.until(b, now, full), l.wait(b, now)
	}
	return true, max(int(math.Floor(b.TokensAt(now)+tokenNoise)), 0), l.until(b, now, full), 0
}

// Blocked says whether key has nothing left, without spending: for limits that count failures
// only (a wrong invitation code), checked before the attempt and spent after a failure.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, now := l.bucket(key), l.now()
	if b.TokensAt(now) >= 1 {
		return false, 0
	}
	return true, l.wait(b, now)
}

// Spend counts one failure against key.
func (l *Limiter) Spend(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bucket(key).AllowN(l.now(), 1)
}

// wait is how long until the bucket holds one event again, at least a second.
func (l *Limiter) wait(b *rate.Limiter, now time.Time) time.Duration {
	return max(l.until(b, now, 1), time.Second)
}

// tokenNoise is how far short of a whole event a bucket may be and still count it as there: the
// buckets count in floating point, and 30 s at one event per 30 s may come to 0.9999999999.
const tokenNoise = 1e-9

// until is how long until the bucket holds n events, in whole seconds rounded up (at least one);
// 0 if it holds them now.
func (l *Limiter) until(b *rate.Limiter, now time.Time, n float64) time.Duration {
	missing := n - b.TokensAt(now)
	if missing <= tokenNoise {
		return 0
	}
	// Rounded to the millisecond first, so float noise cannot add a whole second.
	d := time.Duration(missing * float64(l.every)).Round(time.Millisecond)
	return max(time.Duration(math.Ceil(d.Seconds()))*time.Second, time.Second)
}

// bucket returns key's bucket, forgetting full buckets now and then so memory stays bounded by
// the clients of the last few minutes.
func (l *Limiter) bucket(key string) *rate.Limiter {
	l.calls++
	if l.calls%1024 == 0 {
		now := l.now()
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
	}
	key = limitKey(key)
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		b.SetBurstAt(l.now(), l.burst) // start full at the limiter's clock, not the system's
		l.buckets[key] = b
	}
	return b
}

// limitKey is the bucket an address counts against: an IPv4 address alone, but an IPv6 address's
// whole /64, since every IPv6 client is given a /64 and could otherwise take a new address for
// every guess.
func limitKey(address string) string {
	a, err := netip.ParseAddr(address)
	if err != nil || !a.Unmap().Is6() {
		return address
	}
	p, err := a.Prefix(64)
	if err != nil {
		return address
	}
	return p.String()
}
