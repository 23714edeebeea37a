//! RFC 5849 §3.4.1: the request to sign or verify, as plain borrowed parts.
//!
//! [`Request`] is the neutral input of the signer and the verifier: an HTTP method, the absolute
//! request URL, and optionally the body with its `Content-Type`. It borrows everything and needs no
//! `std` and no HTTP crate, so every adapter (hyper, ureq, surf, …) can build one.

use core::fmt;

use crate::encoding::{InvalidPercentEncoding, validate_escapes};
use crate::invariant;

/// An HTTP request reduced to what OAuth 1.0a signs.
///
/// ```
/// use oauth1_core::Request;
///
/// let get = Request::new("GET", "https://api.example.com/items?limit=10");
/// let form = Request::new("POST", "https://api.example.com/items")
///     .with_body(Some("application/x-www-form-urlencoded"), b"name=widget");
/// let json = Request::new("POST", "https://api.example.com/items")
///     .with_body(Some("application/json"), br#"{"name":"widget"}"#);
/// # let _ = (get, form, json);
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Request<'a> {
    method: &'a str,
    url: &'a str,
    content_type: Option<&'a str>,
    body: Option<&'a [u8]>,
}

impl<'a> Request<'a> {
    /// A request with no body. `url` is the absolute URL the request is sent to.
    pub const fn new(method: &'a str, url: &'a str) -> Self {
        Request {
            method,
            url,
            content_type: None,
            body: None,
        }
    }

    /// Sets the body and its `Content-Type` header value.
    ///
    /// The body contributes parameters only when the content type's media type is
    /// `application/x-www-form-urlencoded` (RFC 5849 §3.4.1.3.1); any other body is signed only
    /// through `oauth_body_hash`, when that is asked for.
    #[must_use]
    pub const fn with_body(mut self, content_type: Option<&'a str>, body: &'a [u8]) -> Self {
        self.content_type = content_type;
        self.body = Some(body);
        self
    }

    /// Sets the body as an HTTP client or server holding `body` and `content_type` has it: a body
    /// counts if it is non-empty or typed (a `Content-Type` is given); an empty body without a
    /// `Content-Type` is no body (a plain GET). Adapters that hold a body buffer whether or not
    /// one was sent call this instead of choosing between [`with_body`](Self::with_body) and
    /// none themselves.
    ///
    /// ```
    /// use oauth1_core::Request;
    ///
    /// let get = Request::new("GET", "https://api.example.com/");
    /// assert_eq!(get.body(), None);
    /// assert_eq!(get.with_body_if_present(None, b"").body(), None);
    /// assert_eq!(get.with_body_if_present(Some("text/plain"), b"").body(), Some(&b""[..]));
    /// assert_eq!(get.with_body_if_present(None, b"x").body(), Some(&b"x"[..]));
    /// ```
    #[must_use]
    pub const fn with_body_if_present(self, content_type: Option<&'a str>, body: &'a [u8]) -> Self {
        if !body.is_empty() || content_type.is_some() {
            self.with_body(content_type, body)
        } else {
            self
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    #[must_use]
    pub const fn with_form_body(self, body: &'a [u8]) -> Self {
        self.with_body(Some(FORM_CONTENT_TYPE), body)
    }

    /// The HTTP method as given.
    pub const fn method(&self) -> &'a str {
        self.method
    }

    /// The request URL as given.
    pub const fn url(&self) -> &'a str {
        self.url
    }

    /// The `Content-Type` header value, if any.
    pub const fn content_type(&self) -> Option<&'a str> {
        self.content_type
    }

    /// The body, if any.
    pub const fn body(&self) -> Option<&'a [u8]> {
        self.body
    }

    /// Whether the body is a single-part `application/x-www-form-urlencoded` entity body.
    ///
    /// The media type is compared case-insensitively and its parameters (`; charset=utf-8`) are
    /// ignored. A request without a body has no form body.
    pub fn has_form_body(&self) -> bool {
        self.body.is_some() && self.content_type.is_some_and(is_form_content_type)
    }

    /// The form body as text, when the request has one (§3.4.1.3.1): valid UTF-8 with valid
    /// escapes, or an error saying which rule it breaks. The one check signer, verifier and
    /// `signature_base_string` apply.
    pub(crate) fn form_text(&self) -> Result<Option<&'a str>, RequestError> {
        let body = match self.body {
            Some(body) if self.has_form_body() => body,
            _ => return Ok(None),
        };
        let text = core::str::from_utf8(body).map_err(|_| RequestError::FormBodyNotUtf8)?;
        validate_escapes(body).map_err(|e| at(RequestPart::Body, e))?;
        Ok(Some(text))
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold credentials of the application's own; show its size only.
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field("body_len", &self.body.map(<[u8]>::len))
            .finish()
    }
}

/// The media type of a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Whether a `Content-Type` value names `application/x-www-form-urlencoded` (parameters
/// are ignored, the media type compared case-insensitively): only such bodies are signed
/// parameter by parameter (§3.4.1.3.1).
///
/// ```
/// assert!(oauth1_core::wire::is_form_content_type("Application/X-WWW-Form-URLEncoded; charset=utf-8"));
/// assert!(!oauth1_core::wire::is_form_content_type("multipart/form-data; boundary=x"));
/// ```
pub fn is_form_content_type(content_type: &str) -> bool {
    let media_type = split_at_byte(content_type, b';').0;
    media_type.trim().eq_ignore_ascii_case(FORM_CONTENT_TYPE)
}

/// Why a request cannot be signed or verified as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// The HTTP method is empty or holds a character that is not an RFC 9110 token character.
    InvalidMethod,
    /// The URL has no `scheme://` prefix (OAuth signs absolute URLs only).
    MissingScheme,
    /// The scheme does not start with a letter or holds characters other than letters, digits,
    /// `+`, `-` and `.`.
    InvalidScheme,
    /// The URL has an empty host.
    MissingHost,
    /// The host holds a character that is not allowed in a host.
    InvalidHost,
    /// The port is not a decimal number from 0 to 65535.
    InvalidPort,
    /// A `%` in the URL or a form body is not followed by two hexadecimal digits.
    InvalidPercentEncoding {
        /// Which part of the request holds it.
        part: RequestPart,
        /// Byte offset of the `%` within that part.
        position: usize,
    },
    /// An `application/x-www-form-urlencoded` body is not valid UTF-8.
    FormBodyNotUtf8,
    /// A request received in absolute form (`GET https://host/path`) names another scheme or
    /// host than the one the server is reached at (its configured scheme and `Host`, or its fixed
    /// public origin): the client signed for another server.
    AuthorityMismatch,
    /// The request carries more than one `Host` header (RFC 9112 §3.2: a server answers such a
    /// request 400): which one a proxy routed by and which one the signature covers may differ.
    DuplicateHost,
}

/// A part of a request, named in [`RequestError::InvalidPercentEncoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestPart {
    /// The URL's host.
    Host,
    /// The URL's path.
    Path,
    /// The URL's query.
    Query,
    /// The form-encoded body.
    Body,
}

impl fmt::Display for RequestPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RequestPart::Host => "URL host",
            RequestPart::Path => "URL path",
            RequestPart::Query => "URL query",
            RequestPart::Body => "form body",
        })
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidMethod => {
                f.write_str("invalid HTTP method: it must be a non-empty token such as GET or POST")
            }
            RequestError::MissingScheme => {
                f.write_str("the URL must be absolute, starting with a scheme such as `https://`")
            }
            RequestError::InvalidScheme => f.write_str("the URL's scheme is not valid"),
            RequestError::MissingHost => f.write_str("the URL has no host"),
            RequestError::AuthorityMismatch => {
                f.write_str("the request target names another scheme or host than this server's")
            }
            RequestError::InvalidHost => f.write_str("the URL's host holds an invalid character"),
            RequestError::DuplicateHost => {
                f.write_str("the request carries more than one Host header")
            }
            RequestError::InvalidPort => {
                f.write_str("the URL's port is not a number from 0 to 65535")
            }
            RequestError::InvalidPercentEncoding { part, position } => write!(
                f,
                "invalid percent-encoding in the {part} at byte {position}: `%` must be followed by two hexadecimal digits"
            ),
            RequestError::FormBodyNotUtf8 => {
                f.write_str("the application/x-www-form-urlencoded body is not valid UTF-8")
            }
        }
    }
}

impl core::error::Error for RequestError {}

/// Checks that `method` is an RFC 9110 token (`GET`, `POST`, or an extension method).
pub(crate) fn validate_method(method: &str) -> Result<(), RequestError> {
    // RFC 9110 token characters, less `&` and `%`: the method stands unencoded in the signature base
    // string, where those two would make it ambiguous. No registered method uses them.
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(RequestError::InvalidMethod);
    }
    Ok(())
}

/// An absolute URL split into the parts RFC 5849 §3.4.1.2 needs. All parts borrow the input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Url<'a> {
    /// The scheme as given (not yet lower-cased).
    pub(crate) scheme: &'a str,
    /// The host as given (not yet lower-cased), IPv6 literals with their brackets.
    pub(crate) host: &'a str,
    /// The port, if one was written (an empty port counts as none).
    pub(crate) port: Option<u16>,
    /// The path as given, possibly empty.
    pub(crate) path: &'a str,
    /// The query without its `?`, if there is a `?`.
    pub(crate) query: Option<&'a str>,
    /// Everything before the fragment: what is sent on the wire.
    pub(crate) without_fragment: &'a str,
    /// Whether every byte of `without_fragment` may stand raw in a URI (then it is sent, and its
    /// path signed, as is).
    pub(crate) wire_clean: bool,
}

impl<'a> Url<'a> {
    /// Splits and checks an absolute URL.
    pub(crate) fn parse(url: &'a str) -> Result<Self, RequestError> {
        // Byte scans rather than substring searches: this runs once per signed request.
        let url = url.trim_ascii();
        let without_fragment = split_at_byte(url, b'#').0;
        let bytes = without_fragment.as_bytes();
        let colon = bytes.iter().position(|&b| matches!(b, b':' | b'/' | b'?'));
        let (scheme, rest) = match colon {
            // `i..i + 3` is `://`, checked here: ASCII within the text.
            Some(i) if bytes.get(i) == Some(&b':') && bytes.get(i + 1..i + 3) == Some(b"//") => (
                invariant::some(without_fragment.get(..i)),
                invariant::some(without_fragment.get(i + 3..)),
            ),
            _ => return Err(RequestError::MissingScheme),
        };
        let mut scheme_bytes = scheme.bytes();
        if scheme.is_empty() {
            return Err(RequestError::MissingScheme);
        }
        if !scheme_bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            || !scheme_bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            return Err(RequestError::InvalidScheme);
        }
        let authority_end = rest
            .bytes()
            .position(|b| b == b'/' || b == b'?')
            .unwrap_or(rest.len());
        // `authority_end` is at an ASCII `/` or `?`, or the end: a char boundary.
        let authority = invariant::some(rest.get(..authority_end));
        let path_and_query = invariant::some(rest.get(authority_end..));
        // RFC 5849 §3.4.1.2 keeps host and port; userinfo is never part of the base string URI.
        let host_port = match authority.bytes().rposition(|b| b == b'@') {
            // `at` is an ASCII `@` within `authority`.
            Some(at) => invariant::some(authority.get(at + 1..)),
            None => authority,
        };
        let (host, port) = split_host_port(host_port)?;
        if host.is_empty() {
            return Err(RequestError::MissingHost);
        }
        let bracketed = host.starts_with('[') && host.ends_with(']');
        // Brackets and colons belong to IPv6 literals only.
        let brackets_ok = bracketed || !host.bytes().any(|b| matches!(b, b'[' | b']' | b':'));
        if !brackets_ok || !host.bytes().all(|b| HOST_BYTE[usize::from(b)]) {
            return Err(RequestError::InvalidHost);
        }
        let (path, query) = split_at_byte(path_and_query, b'?');
        // One pass classifies every byte: most URLs hold no escape to validate and no byte that
        // must be encoded before sending.
        let class = bytes
            .iter()
            .fold(0u8, |class, &b| class | URL_CLASS[usize::from(b)]);
        let (percent, clean) = (class & PERCENT != 0, class & NOT_URI_RAW == 0);
        if percent {
            validate_escapes(host.as_bytes()).map_err(|e| at(RequestPart::Host, e))?;
            validate_escapes(path.as_bytes()).map_err(|e| at(RequestPart::Path, e))?;
            if let Some(query) = query {
                validate_escapes(query.as_bytes()).map_err(|e| at(RequestPart::Query, e))?;
            }
        }
        Ok(Url {
            scheme,
            host,
            port,
            path,
            query,
            without_fragment,
            wire_clean: clean,
        })
    }

    /// The port to keep in the base string URI: none when it is the scheme's default.
    pub(crate) fn significant_port(&self) -> Option<u16> {
        let default = if self.scheme.eq_ignore_ascii_case("http") {
            Some(80)
        } else if self.scheme.eq_ignore_ascii_case("https") {
            Some(443)
        } else {
            None
        };
        self.port.filter(|&p| Some(p) != default)
    }
}

/// Bytes a URI may hold unencoded: unreserved, sub-delims, `:`, `@`, `/`, `?`, `%` (of escapes) and
/// the brackets of IPv6 literals.
pub(crate) static URI_RAW: [bool; 256] =
    crate::encoding::byte_table(b"-._~!$&'()*+,;=:@/?%[]", false);

const PERCENT: u8 = 1;
const NOT_URI_RAW: u8 = 2;

/// For each byte, `PERCENT` and `NOT_URI_RAW` (the [`URI_RAW`] complement), OR-ed over a URL in one
/// pass.
static URL_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if !URI_RAW[b] {
            table[b] |= NOT_URI_RAW;
        }
        b += 1;
    }
    table[b'%' as usize] |= PERCENT;
    table
};

/// Splits `s` at the first `sep` (an ASCII byte): before it, and after it if present.
fn split_at_byte(s: &str, sep: u8) -> (&str, Option<&str>) {
    // Eight bytes at a time: URLs are short, and a memchr's setup costs more than it saves.
    match crate::encoding::find_byte(s.as_bytes(), sep) {
        // `i` is where `find` found the ASCII `sep`: a char boundary, and so is `i + 1`.
        Some(i) => (invariant::some(s.get(..i)), s.get(i + 1..)),
        None => (s, None),
    }
}

/// Bytes a host may hold: unreserved, sub-delims, `%` (escapes), `:` and brackets (IPv6
/// literals), and any non-ASCII byte (internationalized names, sent percent-encoded).
static HOST_BYTE: [bool; 256] = crate::encoding::byte_table(b"-._~!$&'()*+,;=%[]:", true);

pub(crate) fn at(part: RequestPart, e: InvalidPercentEncoding) -> RequestError {
    RequestError::InvalidPercentEncoding {
        part,
        position: e.position,
    }
}

fn split_host_port(host_port: &str) -> Result<(&str, Option<u16>), RequestError> {
    let (host, port) = if host_port.starts_with('[') {
        // IPv6 literal: the port, if any, follows the closing bracket.
        let close = host_port.find(']').ok_or(RequestError::InvalidHost)?;
        let (host, after) = host_port.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return Err(RequestError::InvalidHost),
        }
    } else {
        match host_port.bytes().rposition(|b| b == b':') {
            // `i` is an ASCII `:` within `host_port`.
            Some(i) => (invariant::some(host_port.get(..i)), host_port.get(i + 1..)),
            None => (host_port, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) => {
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(RequestError::InvalidPort);
            }
            // Leading zeros are allowed by RFC 3986; the value is what counts.
            let value = digits.trim_start_matches('0');
            if value.len() > 5 {
                return Err(RequestError::InvalidPort);
            }
            let n = value
                .bytes()
                .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
            Some(u16::try_from(n).map_err(|_| RequestError::InvalidPort)?)
        }
    };
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_parts() {
        let u = Url::parse("HTTP://user:pw@EXAMPLE.COM:80/r%20v/X?id=123#frag").unwrap();
        assert_eq!(u.scheme, "HTTP");
        assert_eq!(u.host, "EXAMPLE.COM");
        assert_eq!(u.port, Some(80));
        assert_eq!(u.significant_port(), None);
        assert_eq!(u.path, "/r%20v/X");
        assert_eq!(u.query, Some("id=123"));
        assert_eq!(
            u.without_fragment,
            "HTTP://user:pw@EXAMPLE.COM:80/r%20v/X?id=123"
        );

        let u = Url::parse("https://www.example.net:8080?q=1").unwrap();
        assert_eq!(
            (u.host, u.port, u.path, u.query),
            ("www.example.net", Some(8080), "", Some("q=1"))
        );
        assert_eq!(u.significant_port(), Some(8080));

        let u = Url::parse("http://[::1]:8080/").unwrap();
        assert_eq!((u.host, u.port), ("[::1]", Some(8080)));
        let u = Url::parse("http://[::1]/").unwrap();
        assert_eq!((u.host, u.port), ("[::1]", None));
        let u = Url::parse("http://h:/").unwrap();
        assert_eq!(u.port, None);
        let u = Url::parse("http://h:00443/").unwrap();
        assert_eq!(u.port, Some(443));
    }

    #[test]
    fn rejects_bad_urls() {
        assert_eq!(
            Url::parse("example.com/x"),
            Err(RequestError::MissingScheme)
        );
        assert_eq!(Url::parse("/x"), Err(RequestError::MissingScheme));
        assert_eq!(Url::parse("://x"), Err(RequestError::MissingScheme));
        assert_eq!(Url::parse("1ttp://x"), Err(RequestError::InvalidScheme));
        assert_eq!(Url::parse("http:///x"), Err(RequestError::MissingHost));
        assert_eq!(
            Url::parse("http://h:65536/"),
            Err(RequestError::InvalidPort)
        );
        assert_eq!(Url::parse("http://h:8x/"), Err(RequestError::InvalidPort));
        assert_eq!(
            Url::parse("http://h:99999999999999999999/"),
            Err(RequestError::InvalidPort)
        );
        assert_eq!(Url::parse("http://[::1/"), Err(RequestError::InvalidHost));
        assert_eq!(Url::parse("http://a b/"), Err(RequestError::InvalidHost));
        assert_eq!(Url::parse("http://]/"), Err(RequestError::InvalidHost));
        assert_eq!(Url::parse("http://a:b:80/"), Err(RequestError::InvalidHost));
        assert!(matches!(
            Url::parse("http://a%%41/"),
            Err(RequestError::InvalidPercentEncoding {
                part: RequestPart::Host,
                position: 1
            })
        ));
        assert!(matches!(
            Url::parse("http://h/%zz"),
            Err(RequestError::InvalidPercentEncoding {
                part: RequestPart::Path,
                position: 1
            })
        ));
        assert!(matches!(
            Url::parse("http://h/?a=%4"),
            Err(RequestError::InvalidPercentEncoding {
                part: RequestPart::Query,
                position: 2
            })
        ));
    }

    #[test]
    fn methods_are_tokens() {
        assert!(validate_method("GET").is_ok());
        assert!(validate_method("propfind").is_ok());
        assert_eq!(validate_method(""), Err(RequestError::InvalidMethod));
        assert_eq!(validate_method("G ET"), Err(RequestError::InvalidMethod));
        assert_eq!(validate_method("GÉT"), Err(RequestError::InvalidMethod));
        assert_eq!(validate_method("A&B"), Err(RequestError::InvalidMethod));
    }

    #[test]
    fn form_content_type_detection() {
        assert!(is_form_content_type("application/x-www-form-urlencoded"));
        assert!(is_form_content_type(
            "Application/X-WWW-Form-URLEncoded; charset=utf-8"
        ));
        assert!(!is_form_content_type("application/json"));
        assert!(!is_form_content_type("multipart/form-data; boundary=x"));
        let r = Request::new("POST", "http://h/").with_body(Some("application/json"), b"{}");
        assert!(!r.has_form_body());
        assert!(
            Request::new("POST", "http://h/")
                .with_form_body(b"a=1")
                .has_form_body()
        );
    }
}
