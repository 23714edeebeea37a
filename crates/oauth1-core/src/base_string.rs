//! RFC 5849 §3.4.1: the signature base string and its base string URI.
//!
//! > The signature base string is constructed by concatenating together, in order, the following
//! > HTTP request elements:
//! > 1. The HTTP request method in uppercase. […]
//! > 2. An "&" character (ASCII code 38).
//! > 3. The base string URI from Section 3.4.1.2, after being encoded (Section 3.6).
//! > 4. An "&" character (ASCII code 38).
//! > 5. The request parameters as normalized in Section 3.4.1.3.2, after being encoded
//! >    (Section 3.6).
//!
//! Base string URI (§3.4.1.2): the scheme and host in lowercase; the port only when it is not the
//! scheme's default (80 for `http`, 443 for `https`); the path as sent, `/` when empty; no query and
//! no fragment.

use alloc::string::String;
use alloc::vec::Vec;

use crate::encoding::{encode_into, is_unreserved, push_prefixed_escape};
use crate::invariant;
use crate::params::{self, Param, QueryReading, request_params, write_normalized};
use crate::request::{Request, RequestError, URI_RAW, Url, validate_method};

/// The base string URI of `url` (RFC 5849 §3.4.1.2).
///
/// ```
/// use oauth1_core::wire::base_string_uri;
///
/// assert_eq!(base_string_uri("http://EXAMPLE.COM:80/r%20v/X?id=123").unwrap(), "http://example.com/r%20v/X");
/// assert_eq!(base_string_uri("https://www.example.net:8080/?q=1").unwrap(), "https://www.example.net:8080/");
/// ```
pub fn base_string_uri(url: &str) -> Result<String, RequestError> {
    let url = Url::parse(url)?;
    let mut out = String::with_capacity(url.without_fragment.len() + 1);
    write_base_uri(&url, &mut out, false);
    Ok(out)
}

/// The signature base string (§3.4.1.1) of `request` with the given protocol parameters.
///
/// The parameters are collected from the URL's query, the body when it is form-encoded, and
/// `protocol_params` (decoded names and values, `oauth_signature` left out by the caller).
///
/// ```
/// use oauth1_core::Request;
/// use oauth1_core::wire::signature_base_string;
///
/// let request = Request::new("get", "http://example.com?n=v");
/// assert_eq!(signature_base_string(&request, &[]).unwrap(), "GET&http%3A%2F%2Fexample.com%2F&n%3Dv");
/// ```
pub fn signature_base_string(
    request: &Request<'_>,
    protocol_params: &[(&str, &str)],
) -> Result<String, RequestError> {
    validate_method(request.method())?;
    let url = Url::parse(request.url())?;
    let body = request.form_text()?;
    // A URL without a query has no query parameters (§3.4.1.3.1).
    let mut all: Vec<Param<'_>> = request_params(url.query.unwrap_or(""), body, QueryReading::Form)
        .map(|(_, p)| p)
        .collect();
    all.extend(protocol_params.iter().map(|&(n, v)| Param::plain(n, v)));
    params::sort(&mut all);
    let mut out = String::new();
    write_base_string(request.method(), &url, &all, &mut out);
    Ok(out)
}

/// Appends the signature base string of a request to `out`.
///
/// `method` must have been validated as a token; `params` must be sorted.
pub(crate) fn write_base_string(
    method: &str,
    url: &Url<'_>,
    params: &[Param<'_>],
    out: &mut String,
) {
    // Methods arrive upper-case nearly always: one copy then.
    if method.bytes().any(|b| b.is_ascii_lowercase()) {
        for b in method.bytes() {
            out.push(char::from(b.to_ascii_uppercase()));
        }
    } else {
        out.push_str(method);
    }
    out.push('&');
    write_base_uri(url, out, true);
    out.push('&');
    write_normalized(params, out, true);
}

/// Appends the base string URI of `url`, percent-encoded once more when `encoded`.
pub(crate) fn write_base_uri(url: &Url<'_>, out: &mut String, encoded: bool) {
    if url.scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        for b in url.scheme.bytes() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
    } else {
        out.push_str(url.scheme);
    }
    out.push_str(if encoded { "%3A%2F%2F" } else { "://" });
    // The common host (lower-case letters, digits, `-` and `.`) is copied as is: it encodes to
    // itself.
    if url
        .host
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        out.push_str(url.host);
    } else {
        write_host(url.host, out, encoded);
    }
    if let Some(port) = url.significant_port() {
        out.push_str(if encoded { "%3A" } else { ":" });
        push_decimal(u64::from(port), out);
    }
    if url.path.is_empty() {
        out.push_str(if encoded { "%2F" } else { "/" });
    } else if encoded {
        // A path of URI characters only (the common case) is simply encoded once more.
        if url.wire_clean || url.path.bytes().all(|b| URI_RAW[usize::from(b)]) {
            encode_into(url.path, out);
        } else {
            for b in url.path.bytes() {
                push_uri_byte(b, out, true);
            }
        }
    } else {
        write_wire_uri(url.path, out);
    }
}

/// Appends a host that needs more than a copy: lower-cased, but not the hex digits of its escapes
/// (a non-ASCII host is sent percent-encoded with upper-case hex, and both ends must sign the same
/// bytes), and encoded for the base string.
fn write_host(host: &str, out: &mut String, encoded: bool) {
    let mut escape = 0;
    for b in host.bytes() {
        let b = if escape > 0 {
            escape -= 1;
            b.to_ascii_uppercase()
        } else {
            if b == b'%' {
                escape = 2;
            }
            b.to_ascii_lowercase()
        };
        push_uri_byte(b, out, encoded);
    }
}

/// Appends one byte of a URI as sent on the wire (`encoded == false`) or as it stands in the base
/// string (`encoded == true`).
///
/// A byte that may not appear raw in a URI (a space, a quote, a non-ASCII byte, …) is sent
/// percent-encoded, so it is signed that way too: oauthlib#650 signed a raw space and providers
/// rejected the request.
#[inline]
fn push_uri_byte(b: u8, out: &mut String, encoded: bool) {
    let allowed_raw = URI_RAW[usize::from(b)];
    if is_unreserved(b) || (allowed_raw && !encoded) {
        out.push(char::from(b));
    } else if encoded && !allowed_raw {
        // enc("%XY") = "%25XY"
        push_prefixed_escape(b, "%25", out);
    } else {
        push_prefixed_escape(b, "%", out);
    }
}

/// Appends the URL as sent on the wire (no fragment).
pub(crate) fn write_wire_url(url: &Url<'_>, out: &mut String) {
    if url.wire_clean {
        out.push_str(url.without_fragment);
    } else {
        write_wire_uri(url.without_fragment, out);
    }
}

/// Appends the URI text `s` as sent on the wire: raw bytes a URI may not hold get encoded.
pub(crate) fn write_wire_uri(s: &str, out: &mut String) {
    if s.bytes().all(|b| URI_RAW[usize::from(b)]) {
        out.push_str(s);
        return;
    }
    for b in s.bytes() {
        if b == b'#' {
            // Only a fragment begins with `#`; it is never sent.
            break;
        }
        push_uri_byte(b, out, false);
    }
}

/// Appends the decimal form of `n`.
pub(crate) fn push_decimal(n: u64, out: &mut String) {
    out.push_str(decimal(n, &mut [0; 20]));
}

/// Formats `n` in decimal into `buf`, without allocating.
pub(crate) fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    // `i` is the last index written: within the 20 bytes.
    let digits = invariant::some(buf.get(i..));
    // Every byte written is an ASCII digit.
    invariant::some(core::str::from_utf8(digits).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{form_pairs, sort};

    fn encode(s: &str) -> String {
        crate::encoding::percent_encode(s)
    }

    #[test]
    fn uri_raw_table() {
        for b in 0..=255u8 {
            let expected = is_unreserved(b) || b"!$&'()*+,;=:@/?%[]".contains(&b);
            assert_eq!(URI_RAW[usize::from(b)], expected, "{b}");
        }
    }

    #[test]
    fn reference_base_string_uris() {
        assert_eq!(
            base_string_uri("http://EXAMPLE.COM:80/r%20v/X?id=123").unwrap(),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            base_string_uri("https://www.example.net:8080/?q=1").unwrap(),
            "https://www.example.net:8080/"
        );
        assert_eq!(
            base_string_uri("http://example.com").unwrap(),
            "http://example.com/"
        );
        assert_eq!(
            base_string_uri("https://example.com:443/a#frag").unwrap(),
            "https://example.com/a"
        );
        assert_eq!(
            base_string_uri("http://example.com:443/").unwrap(),
            "http://example.com:443/"
        );
        assert_eq!(
            base_string_uri("https://example.com:80/").unwrap(),
            "https://example.com:80/"
        );
        assert_eq!(
            base_string_uri("http://example.com/a b").unwrap(),
            "http://example.com/a%20b"
        );
        assert_eq!(
            base_string_uri("http://example.com/ü").unwrap(),
            "http://example.com/%C3%BC"
        );
        assert_eq!(
            base_string_uri("http://u:p@Example.com:8080/").unwrap(),
            "http://example.com:8080/"
        );
    }

    #[test]
    fn encoded_uri_is_encoding_of_uri() {
        for u in [
            "http://EXAMPLE.COM:80/r%20v/X?id=123",
            "http://h/a b/ü;x=1",
            "http://[::1]:81/",
        ] {
            let url = Url::parse(u).unwrap();
            let mut plain = String::new();
            write_base_uri(&url, &mut plain, false);
            let mut encoded = String::new();
            write_base_uri(&url, &mut encoded, true);
            assert_eq!(encoded, encode(&plain), "{u}");
        }
    }

    #[test]
    fn wiki_base_string_vectors() {
        for u in ["http://example.com/", "http://example.com"] {
            let url = Url::parse(u).unwrap();
            let mut params: Vec<_> = form_pairs("n=v").collect();
            sort(&mut params);
            let mut out = String::new();
            write_base_string("get", &url, &params, &mut out);
            assert_eq!(out, "GET&http%3A%2F%2Fexample.com%2F&n%3Dv");
        }
    }

    #[test]
    fn decimal() {
        for n in [0u64, 7, 10, 137131201, u64::MAX] {
            let mut s = String::new();
            push_decimal(n, &mut s);
            assert_eq!(s, alloc::format!("{n}"));
        }
    }
}
