//! Feature `http`: the origin a trusted proxy forwarded (RFC 7239 `Forwarded`, or the de-facto
//! `X-Forwarded-Proto` / `X-Forwarded-Host`), believed only from addresses the server names.

use core::fmt;
use core::net::IpAddr;
use std::string::String;
use std::vec::Vec;

use http::HeaderMap;

use super::Origin;
use crate::request::RequestError;

/// The proxies whose forwarding headers a server believes: addresses and CIDR ranges
/// (`10.0.0.0/8`, `192.0.2.7`, `fd00::/8`). From anyone else, `Forwarded` and
/// `X-Forwarded-*` are ignored: a client cannot choose the URL it is verified against.
///
/// ```
/// use oauth1_core::http::{Origin, TrustedProxies};
///
/// let proxies = TrustedProxies::new().with("10.0.0.0/8")?.with("192.0.2.7")?;
/// let mut headers = http::HeaderMap::new();
/// headers.insert("forwarded", "for=198.51.100.17;proto=https;host=api.example.com".parse()?);
/// let direct = Origin::host_header("http");
///
/// // From the load balancer: the origin the client reached.
/// let origin = proxies.origin_for(Some("10.1.2.3".parse()?), &headers, &direct)?;
/// assert_eq!((origin.scheme(), origin.authority()), ("https", Some("api.example.com")));
/// // From anyone else: the headers are ignored.
/// let origin = proxies.origin_for(Some("203.0.113.9".parse()?), &headers, &direct)?;
/// assert_eq!(origin, direct);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<(IpAddr, u8)>,
}

/// A trusted-proxy entry that is not an IP address or a CIDR range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCidr(pub String);

impl fmt::Display for InvalidCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not an IP address or CIDR range (10.0.0.0/8, 192.0.2.7, fd00::/8): {:?}",
            self.0
        )
    }
}

impl std::error::Error for InvalidCidr {}

impl TrustedProxies {
    /// No proxy is trusted: forwarding headers are always ignored.
    pub fn new() -> Self {
        Self::default()
    }

    /// Trusts `cidr`: an address (`192.0.2.7`, `::1`) or a range (`10.0.0.0/8`, `fd00::/8`).
    pub fn with(mut self, cidr: &str) -> Result<Self, InvalidCidr> {
        let invalid = || InvalidCidr(cidr.into());
        let (address, prefix) = match cidr.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (cidr, None),
        };
        let address: IpAddr = address.trim().parse().map_err(|_| invalid())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().map_err(|_| invalid())?
            }
            Some(_) => return Err(invalid()),
            None => max,
        };
        if prefix > max {
            return Err(invalid());
        }
        self.nets.push((address, prefix));
        Ok(self)
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// Whether `peer` is one of the trusted proxies (an IPv4 peer seen as an IPv4-mapped IPv6
    /// address counts as itself).
    pub fn contains(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
            v4 => v4,
        };
        self.nets
            .iter()
            .any(|&(net, prefix)| same_prefix(net, peer, prefix))
    }

    /// The origin the client reached, for verifying a request from `peer` (`None`: unknown):
    /// `origin` itself when it is fixed ([`Origin::fixed`] wins), when `peer` is not trusted, or
    /// when the request carries no forwarding header; else the scheme and host the proxy
    /// forwarded — RFC 7239 `Forwarded` (its last element, the one the trusted proxy added),
    /// then `X-Forwarded-Proto` / `X-Forwarded-Host` (their last values). A forwarded host that
    /// is not a host is refused ([`RequestError::InvalidHost`]).
    pub fn origin_for(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        origin: &Origin,
    ) -> Result<Origin, RequestError> {
        if origin.authority().is_some() || !peer.is_some_and(|p| self.contains(p)) {
            return Ok(origin.clone());
        }
        let (proto, host) = match forwarded(headers) {
            Some(pair) => pair,
            None => (
                last_value(headers, "x-forwarded-proto"),
                last_value(headers, "x-forwarded-host"),
            ),
        };
        let scheme = proto.unwrap_or_else(|| String::from(origin.scheme()));
        match host {
            Some(host) => Origin::fixed(&std::format!("{scheme}://{host}")),
            None => Ok(Origin::host_header(&scheme)),
        }
    }
}

/// Whether the first `prefix` bits of `a` and `b` agree (of one address family).
fn same_prefix(a: IpAddr, b: IpAddr, prefix: u8) -> bool {
    let (a, b, bits) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (
            u128::from(u32::from(a)) << 96,
            u128::from(u32::from(b)) << 96,
            32,
        ),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    let prefix = u32::from(prefix).min(bits);
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    (a & mask) == (b & mask)
}

/// `proto` and `host` of the last element of the last `Forwarded` header, if it has either.
fn forwarded(headers: &HeaderMap) -> Option<(Option<String>, Option<String>)> {
    let value = headers
        .get_all("forwarded")
        .iter()
        .next_back()?
        .to_str()
        .ok()?;
    let element = split_outside_quotes(value, ',').into_iter().next_back()?;
    let (mut proto, mut host) = (None, None);
    for pair in split_outside_quotes(element, ';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let value = unquote(value.trim());
        match name.trim().to_ascii_lowercase().as_str() {
            "proto" => proto = Some(value.to_ascii_lowercase()),
            "host" => host = Some(value),
            _ => {}
        }
    }
    (proto.is_some() || host.is_some()).then_some((proto, host))
}

/// The last comma-separated value of the last `name` header, trimmed, if not empty.
fn last_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    let last = value.rsplit(',').next()?.trim();
    (!last.is_empty()).then(|| last.to_ascii_lowercase())
}

/// `s` split at `separator` where it stands outside a quoted string (RFC 7230 quoted-string).
fn split_outside_quotes(s: &str, separator: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                // `start` and `i` are char boundaries: both come from `char_indices`.
                parts.push(crate::invariant::some(s.get(start..i)));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    // `start` is 0 or just past a separator: a char boundary.
    parts.push(crate::invariant::some(s.get(start..)));
    parts
}

/// A token, or a quoted string's content with its escapes undone.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return String::from(value);
    };
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            c => {
                out.push(c);
                escaped = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for &(name, value) in pairs {
            map.append(name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn cidrs_parse_and_match() {
        let p = TrustedProxies::new()
            .with("10.0.0.0/8")
            .unwrap()
            .with("2001:db8::/32")
            .unwrap()
            .with("192.0.2.7")
            .unwrap();
        assert!(p.contains("10.255.0.1".parse().unwrap()));
        assert!(!p.contains("11.0.0.1".parse().unwrap()));
        assert!(p.contains("2001:db8::1".parse().unwrap()));
        assert!(p.contains("192.0.2.7".parse().unwrap()));
        assert!(!p.contains("192.0.2.8".parse().unwrap()));
        assert!(p.contains("::ffff:10.0.0.1".parse().unwrap()));
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/x",
            "host",
            "10.0.0.0/+8",
        ] {
            assert!(TrustedProxies::new().with(bad).is_err(), "{bad}");
        }
        assert!(
            TrustedProxies::new()
                .with("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_and_reads_its_last_element() {
        let trusted = TrustedProxies::new().with("10.0.0.0/8").unwrap();
        let peer = Some("10.0.0.1".parse().unwrap());
        let direct = Origin::host_header("http");
        let h = headers(&[
            (
                "forwarded",
                r#"for=1.2.3.4;host=evil.example, for="[2001:db8::1]";proto=HTTPS;host="api.example.com:8443""#,
            ),
            ("x-forwarded-proto", "http"),
            ("x-forwarded-host", "other.example"),
        ]);
        let o = trusted.origin_for(peer, &h, &direct).unwrap();
        assert_eq!(
            (o.scheme(), o.authority()),
            ("https", Some("api.example.com:8443"))
        );
        let h = headers(&[
            ("x-forwarded-proto", "http, https"),
            ("x-forwarded-host", "a.example, api.example.com"),
        ]);
        let o = trusted.origin_for(peer, &h, &direct).unwrap();
        assert_eq!(
            (o.scheme(), o.authority()),
            ("https", Some("api.example.com"))
        );
        // Only a scheme: the host stays the request's `Host`.
        let h = headers(&[("x-forwarded-proto", "https")]);
        assert_eq!(
            trusted.origin_for(peer, &h, &direct).unwrap(),
            Origin::host_header("https")
        );
        // A host that is no host.
        let h = headers(&[("x-forwarded-host", "a b/c")]);
        assert!(trusted.origin_for(peer, &h, &direct).is_err());
        // A fixed origin wins; no peer, or an untrusted one, changes nothing.
        let fixed = Origin::fixed("https://public.example").unwrap();
        assert_eq!(trusted.origin_for(peer, &h, &fixed).unwrap(), fixed);
        assert_eq!(trusted.origin_for(None, &h, &direct).unwrap(), direct);
        let untrusted = Some("203.0.113.9".parse().unwrap());
        assert_eq!(trusted.origin_for(untrusted, &h, &direct).unwrap(), direct);
    }

    /// Issue 33 (cargo mutants): quoted strings, their escapes, and an element with a scheme or
    /// a host only.
    #[test]
    fn forwarded_reads_quoted_strings_as_rfc_7230_writes_them() {
        let trusted = TrustedProxies::new().with("10.0.0.0/8").unwrap();
        let peer = Some("10.0.0.1".parse().unwrap());
        let direct = Origin::host_header("http");
        let origin = |forwarded: &str| {
            let h = headers(&[
                ("forwarded", forwarded),
                ("x-forwarded-host", "other.example"),
            ]);
            trusted.origin_for(peer, &h, &direct)
        };
        let good = Origin::fixed("https://good.example").unwrap();
        // A `,` or `;` inside a quoted string separates nothing.
        assert_eq!(
            origin(r#"proto=https;host=good.example;for="x,host=evil.example""#).unwrap(),
            good
        );
        assert_eq!(
            origin(r#"for="a;host=evil.example";proto=https;host=good.example"#).unwrap(),
            good
        );
        // An escaped quote does not end the string; a backslash outside one escapes nothing.
        assert_eq!(
            origin(r#"proto=https;host=good.example;for="a\",host=evil.example""#).unwrap(),
            good
        );
        assert_eq!(
            origin(r#"proto=https;host=good.example;for=x\"y, z"#).unwrap(),
            good
        );
        // Escapes are undone in a quoted value: `\.` is `.`, `\\` one backslash (no host).
        assert_eq!(origin(r#"proto=https;host="good\.example""#).unwrap(), good);
        assert!(origin(r#"proto=https;host="good.exa\\\\mple""#).is_err());
        // A scheme alone, or a host alone, is the element's: X-Forwarded-Host is not read.
        assert_eq!(origin("proto=https").unwrap(), Origin::host_header("https"));
        assert_eq!(
            origin("host=good.example").unwrap(),
            Origin::fixed("http://good.example").unwrap()
        );
    }
}
