package access

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Proxies are the addresses whose forwarding headers are believed. From anyone else a forwarding
// header is ignored: otherwise a client could name any address and escape its limits.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses and networks (10.0.0.0/8, 127.0.0.1, ::1).
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: want an address or a network such as 10.0.0.0/8", f)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an address or a network such as 10.0.0.0/8", f)
		}
		ps = append(ps, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return ps, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Trusts says whether the peer of a connection (host:port) is a trusted proxy.
func (ps Proxies) Trusts(remoteAddr string) bool {
	a, ok := peer(remoteAddr)
	return ok && ps.trusts(a)
}

// ClientAddress is the address limits and the audit log use. It is the connection's peer, unless
// the peer is a trusted proxy: then the right-most address of X-Forwarded-For that is not itself a
// trusted proxy (addresses further left were written by the client and prove nothing).
func (ps Proxies) ClientAddress(remoteAddr string, forwardedFor []string) string {
	a, ok := peer(remoteAddr)
	if !ok {
		return remoteAddr
	}
	if !ps.trusts(a) {
		return a.String()
	}
	var hops []string
	for _, h := range forwardedFor {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return a.String() // a malformed chain is not believed
		}
		if !ps.trusts(hop) {
			return hop.Unmap().String()
		}
		a = hop
	}
	return a.Unmap().String()
}

func peer(remoteAddr string) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// IsLoopback says whether a host name is this machine: localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}

// LocalPath keeps a return address only when it is a path on this service ("/x", but not
// "//host" or "/\host", which browsers read as another site, nor a URL with a scheme), so
// sign-in cannot be used to send people elsewhere; otherwise it is "".
func LocalPath(p string) string {
	if p == "" || len(p) > 500 || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return ""
	}
	return p
}
