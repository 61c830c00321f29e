//! Network identifiers: IP addresses, MAC addresses and URLs.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use super::contact::is_domain;

/// Whether `s` is an IPv4 address in dotted-quad form (no leading zeros),
/// optionally with a `/prefix` of at most 32.
pub fn is_ipv4(s: &str) -> bool {
    let (addr, prefix) = split_prefix(s);
    Ipv4Addr::from_str(addr).is_ok() && prefix.is_none_or(|p| p <= 32)
}

/// Whether `s` is an IPv6 address (RFC 4291 text forms, including `::`
/// compression and an embedded IPv4 tail), optionally with a `%zone` and a
/// `/prefix` of at most 128.
pub fn is_ipv6(s: &str) -> bool {
    let (addr, prefix) = split_prefix(s);
    let addr = match addr.split_once('%') {
        Some((a, zone)) if !zone.is_empty() && zone.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-') => a,
        Some(_) => return false,
        None => addr,
    };
    addr.contains(':') && Ipv6Addr::from_str(addr).is_ok() && prefix.is_none_or(|p| p <= 128)
}

/// Whether `s` is an IPv4 or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

/// `addr/prefix` split; a prefix that is not a number makes the whole
/// string invalid (returned as the address so the parse fails).
fn split_prefix(s: &str) -> (&str, Option<u32>) {
    match s.split_once('/') {
        Some((a, p)) if !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) => (a, p.parse().ok()),
        Some(_) => (s, None),
        None => (s, None),
    }
}

/// Whether `s` is a MAC address: six hex pairs joined by one kind of
/// separator (`:` or `-`), or three groups of four joined by `.` (Cisco).
/// The all-zero and broadcast addresses identify no device and are not
/// counted.
pub fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    let mut value = [0u8; 12];
    let ok = match b.len() {
        17 => {
            let sep = b[2];
            (sep == b':' || sep == b'-') && (0..6).all(|i| b[i * 3].is_ascii_hexdigit() && b[i * 3 + 1].is_ascii_hexdigit() && (i == 5 || b[i * 3 + 2] == sep))
        }
        14 => (0..3).all(|i| (0..4).all(|j| b[i * 5 + j].is_ascii_hexdigit()) && (i == 2 || b[i * 5 + 4] == b'.')),
        _ => false,
    };
    if !ok {
        return false;
    }
    let mut n = 0;
    for &c in b {
        if c.is_ascii_hexdigit() {
            value[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    !(value.iter().all(|&c| c == b'0') || value.iter().all(|&c| c == b'f'))
}

/// Whether `s` is an http(s) or ftp URL with a host that is a domain name
/// or an IP address.
pub fn is_url(s: &str) -> bool {
    url_parts(s).is_some()
}

/// Whether `s` is a URL whose authority carries a password
/// (`scheme://user:password@host`).
pub fn is_url_with_credentials(s: &str) -> bool {
    let Some(rest) = s.split_once("://").filter(|(scheme, _)| !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')).map(|(_, r)| r) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => !host.is_empty() && userinfo.split_once(':').is_some_and(|(u, p)| !u.is_empty() && !p.is_empty()),
        None => false,
    }
}

fn url_parts(s: &str) -> Option<&str> {
    let lower_ok = |p: &str| s.len() > p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    let rest = ["https://", "http://", "ftp://"].iter().find(|p| lower_ok(p)).map(|p| &s[p.len()..])?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        let (h, _) = inner.split_once(']')?;
        return is_ipv6(h).then_some(h);
    } else {
        host_port.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host_port, |(h, _)| h)
    };
    (is_domain(host.as_bytes()) || is_ipv4(host)).then_some(host)
}

/// Generic top-level domains common enough that a bare `name.tld` in text
/// is taken as a domain, plus the country-code second levels (`co.uk`).
const BARE_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "ai", "app", "dev", "site", "online", "shop", "store", "tech", "xyz", "cloud", "me", "tv", "us", "uk", "de", "fr",
    "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "br", "ru", "cn", "jp", "kr", "in", "au", "ca", "mx", "ar", "il", "eu", "ie", "nz", "za",
];

/// Whether `s` is a bare domain name such as `example.com` or
/// `example.co.uk`, with a top-level domain from a fixed list.
pub fn is_bare_domain(s: &str) -> bool {
    if !is_domain(s.as_bytes()) {
        return false;
    }
    let tld = s.rsplit('.').next().unwrap_or("");
    BARE_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ips() {
        for ok in ["192.168.0.1", "10.0.0.0/8", "::1", "::", "fe80::1%eth0", "2001:db8::192.168.1.1", "2001:db8::/32"] {
            assert!(is_ip(ok), "{ok}");
        }
        for bad in ["192.168.0", "256.1.1.1", "01.1.1.1", "12:34:56", "2001::db8::1", "1.2.3.4/33", "fe80::1%"] {
            assert!(!is_ip(bad), "{bad}");
        }
    }

    #[test]
    fn macs() {
        assert!(is_mac("00:1A:2B:3C:4D:5E"));
        assert!(is_mac("00-1a-2b-3c-4d-5e"));
        assert!(is_mac("0012.3456.789A"));
        assert!(!is_mac("00:1A:2B-3C:4D:5E"));
        assert!(!is_mac("00:00:00:00:00:00"));
        assert!(!is_mac("FF:FF:FF:FF:FF:FF"));
        assert!(!is_mac("ZZ:1A:2B:3C:4D:5E"));
    }

    #[test]
    fn urls() {
        assert!(is_url("https://example.com/a?b=c"));
        assert!(is_url("http://[2001:db8::1]:8080/x"));
        assert!(!is_url("http://localhost"));
        assert!(is_url_with_credentials("postgres://app:s3cret@db.internal:5432/prod"));
        assert!(!is_url_with_credentials("https://user@example.com/"));
        assert!(is_bare_domain("example.co.uk"));
        assert!(!is_bare_domain("www.example"));
    }
}
