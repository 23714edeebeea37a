//! RFC 5849 §3.5.1: the `Authorization` header — rendering and parsing.
//!
//! > Protocol parameters SHALL be included in the "Authorization" header field as follows:
//! > 1. Parameter names and values are encoded per Parameter Encoding (Section 3.6).
//! > 2. Each parameter's name is immediately followed by an "=" character (ASCII code 61), a """
//! >    character (ASCII code 34), the parameter value (MAY be empty), and another """ character.
//! > 3. Parameters are separated by a "," character (ASCII code 44) and OPTIONAL linear whitespace
//! >    per [RFC2617].
//! > 4. The OPTIONAL "realm" parameter MAY be added and interpreted per [RFC2617] section 1.2.
//!
//! The realm is an RFC 2617 quoted-string, not percent-encoded: `"` and `\` are escaped with `\`.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

use crate::encoding::{Text, scan_classes, validate_escapes};
use crate::invariant;
use crate::params::InlineList;
use crate::protocol::Name;

/// Appends `OAuth realm="…", name="enc(value)", …` to `out`: the one writer of the header. The
/// protocol parameters come first, each name written with its punctuation in one piece; then any
/// other parameters, their names encoded.
pub(crate) fn write_authorization<'s>(
    realm: Option<&str>,
    protocol: impl Iterator<Item = (Name, Text<'s>)>,
    other: impl Iterator<Item = (Text<'s>, Text<'s>)>,
    out: &mut String,
) {
    out.push_str("OAuth ");
    let mut first = true;
    if let Some(realm) = realm {
        write_realm(realm, out);
        first = false;
    }
    for (name, value) in protocol {
        let (alone, after) = name.header_field();
        out.push_str(if first { alone } else { after });
        first = false;
        value.write_encoded(out, false);
        out.push('"');
    }
    for (name, value) in other {
        if !first {
            out.push_str(", ");
        }
        first = false;
        name.write_encoded(out, false);
        out.push_str("=\"");
        value.write_encoded(out, false);
        out.push('"');
    }
}

/// Appends `realm="…"`, the realm as an RFC 2617 quoted-string.
pub(crate) fn write_realm(realm: &str, out: &mut String) {
    out.push_str("realm=\"");
    for c in realm.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Renders an `Authorization` header value from decoded protocol parameters.
///
/// ```
/// let header = oauth1_core::wire::render_authorization(Some("Photos"), &[("oauth_signature", "a+b=")]);
/// assert_eq!(header, r#"OAuth realm="Photos", oauth_signature="a%2Bb%3D""#);
/// ```
pub fn render_authorization(realm: Option<&str>, params: &[(&str, &str)]) -> String {
    let mut out = String::new();
    let params = params
        .iter()
        .map(|&(n, v)| (Text::Plain(n), Text::Plain(v)));
    write_authorization(realm, core::iter::empty(), params, &mut out);
    out
}

/// Limits that keep header parsing bounded on hostile input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderLimits {
    /// The longest header value accepted, in bytes.
    pub max_len: usize,
    /// The most parameters accepted (the realm included).
    pub max_params: usize,
}

impl Default for HeaderLimits {
    /// 8 KiB and 32 parameters: far more than any real OAuth header needs.
    fn default() -> Self {
        HeaderLimits {
            max_len: 8 * 1024,
            max_params: 32,
        }
    }
}

/// A parsed `Authorization: OAuth …` header value.
///
/// Names and values are kept as sent (percent-encoded); [`AuthorizationHeader::get`] decodes.
/// Two headers are equal when their realms and parameters, as sent and in order, are.
#[derive(Clone)]
pub struct AuthorizationHeader<'a> {
    /// The realm, unescaped, if present.
    pub(crate) realm: Option<Cow<'a, str>>,
    /// Every other parameter, in the order sent, still encoded: on the stack for the usual
    /// handful (a verifier parses one header per request), on the heap past 10.
    pub(crate) params: InlineList<(&'a str, &'a str), 10>,
    /// How each parameter's name and value read (escapes, verbatim, plain), found while parsing.
    pub(crate) kinds: InlineList<(TextKind, TextKind), 32>,
}

// `kinds` is read off `params` while parsing: the realm and the parameters decide equality.
impl PartialEq for AuthorizationHeader<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.realm == other.realm && self.params.as_slice() == other.params.as_slice()
    }
}

impl Eq for AuthorizationHeader<'_> {}

impl<'a> AuthorizationHeader<'a> {
    /// The `realm` parameter, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// The parameters other than `realm`, names and values as sent (percent-encoded).
    pub fn params(&self) -> &[(&'a str, &'a str)] {
        self.params.as_slice()
    }

    /// Parameter `i`'s name, for comparing and decoding.
    pub(crate) fn name(&self, i: usize) -> Text<'a> {
        match (self.params.as_slice().get(i), self.kinds.as_slice().get(i)) {
            (Some(&(name, _)), Some(&(kind, _))) => kind.text(name),
            _ => Text::Plain(""),
        }
    }

    /// Parameter `i`'s value, for comparing and decoding.
    pub(crate) fn value(&self, i: usize) -> Text<'a> {
        match (self.params.as_slice().get(i), self.kinds.as_slice().get(i)) {
            (Some(&(_, value)), Some(&(_, kind))) => kind.text(value),
            _ => Text::Plain(""),
        }
    }

    /// The decoded value of the parameter `name` (given decoded), if present.
    pub fn get(&self, name: &str) -> Option<String> {
        // Decoded as parsed: `add` validated every escape, so each name and value decodes.
        (0..self.params.as_slice().len())
            .find(|&i| self.name(i).eq_str(name))
            .map(|i| String::from_utf8_lossy(&self.value(i).decoded()).into_owned())
    }
}

impl fmt::Debug for AuthorizationHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationHeader")
            .field("realm", &self.realm)
            .field("params", &self.params.as_slice())
            .finish()
    }
}

/// Parses an `Authorization` header value with the default [`HeaderLimits`].
///
/// The scheme `OAuth` is matched case-insensitively; parameters may come in any order, with
/// optional whitespace around `=` and `,`. Values must be quoted and validly percent-encoded; a
/// repeated name is an error.
///
/// ```
/// let header = oauth1_core::wire::parse_authorization(
///     r#"OAuth realm="Photos",oauth_consumer_key="dpf43f3p2l4k3l03" , oauth_signature="a%2Bb%3D""#,
/// ).unwrap();
/// assert_eq!(header.realm(), Some("Photos"));
/// assert_eq!(header.get("oauth_signature").as_deref(), Some("a+b="));
/// assert!(oauth1_core::wire::parse_authorization(r#"OAuth oauth_nonce=unquoted"#).is_err());
/// ```
pub fn parse_authorization(value: &str) -> Result<AuthorizationHeader<'_>, HeaderError> {
    parse_authorization_with(value, HeaderLimits::default())
}

/// Parses an `Authorization` header value within `limits`.
pub fn parse_authorization_with(
    value: &str,
    limits: HeaderLimits,
) -> Result<AuthorizationHeader<'_>, HeaderError> {
    let mut header = AuthorizationHeader::empty();
    parse_authorization_into(value, limits, &mut header)?;
    Ok(header)
}

impl AuthorizationHeader<'_> {
    /// A header with no realm and no parameter, to parse into.
    pub(crate) fn empty() -> Self {
        AuthorizationHeader {
            realm: None,
            params: InlineList::with_capacity(0),
            kinds: InlineList::with_capacity(0),
        }
    }
}

/// [`parse_authorization_with`] into `header` (empty), where the caller keeps it: the verifier
/// parses one header per request, and the parsed header is too large to move for nothing.
pub(crate) fn parse_authorization_into<'a>(
    value: &'a str,
    limits: HeaderLimits,
    header: &mut AuthorizationHeader<'a>,
) -> Result<(), HeaderError> {
    if value.len() > limits.max_len {
        return Err(HeaderError::TooLong {
            limit: limits.max_len,
        });
    }
    let value = value.trim_matches(is_lws);
    let bytes = value.as_bytes();
    let scheme_end = bytes
        .iter()
        .position(|&b| is_lws_byte(b))
        .unwrap_or(bytes.len());
    if !value
        .get(..scheme_end)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("OAuth"))
    {
        return Err(HeaderError::NotOAuth);
    }
    let mut at = scheme_end;
    let mut count = 0usize;
    let mut names = NameFilter::default();
    loop {
        at = skip(bytes, at, LWS | COMMA);
        if at >= bytes.len() {
            break;
        }
        count += 1;
        if count > limits.max_params {
            return Err(HeaderError::TooManyParams {
                limit: limits.max_params,
            });
        }
        let field;
        (field, at) = lex_field(value, at)?;
        header.add(field, &mut names)?;
        at = skip(bytes, at, LWS);
        if class_at(bytes, at) & (COMMA | END) == 0 {
            return Err(HeaderError::Malformed { at });
        }
    }
    Ok(())
}

/// One `name="value"` of a header, as lexed: the texts and the classes of their bytes.
struct Field<'a> {
    name: &'a str,
    name_class: u16,
    raw: &'a str,
    value_class: u16,
    /// The value holds a quoted-pair (`\x`).
    escaped: bool,
}

/// The class of the byte at `at` ([`END`] past the end).
fn class_at(bytes: &[u8], at: usize) -> u16 {
    bytes.get(at).map_or(END, |&b| CLASS[usize::from(b)])
}

/// The first position from `at` whose byte is not of a class in `what`.
fn skip(bytes: &[u8], mut at: usize, what: u16) -> usize {
    while class_at(bytes, at) & what != 0 {
        at += 1;
    }
    at
}

/// Lexes the field that begins at `at` (a name, `=`, a quoted value); returns it and the position
/// after its closing quote. One pass over the bytes, classified by table; `at` is always on an
/// ASCII byte, so every slice falls on char boundaries.
fn lex_field(value: &str, mut at: usize) -> Result<(Field<'_>, usize), HeaderError> {
    let bytes = value.as_bytes();
    // Every position below is within `value` and on an ASCII byte (or its end): see above.
    let slice = |from: usize, to: usize| invariant::some(value.get(from..to));
    let name_start = at;
    let name_class;
    (at, name_class) = scan_classes(bytes, at, &CLASS, NOT_TOKEN);
    if at == name_start || class_at(bytes, at) & (EQUALS | COMMA | LWS | END) == 0 {
        return Err(HeaderError::Malformed { at: name_start });
    }
    let name = slice(name_start, at);
    let after_name = at;
    at = skip(bytes, at, LWS);
    if class_at(bytes, at) & EQUALS == 0 {
        return Err(HeaderError::Malformed { at: after_name });
    }
    at = skip(bytes, at + 1, LWS);
    if class_at(bytes, at) & QUOTE == 0 {
        return Err(HeaderError::Unquoted { at });
    }
    at += 1;
    let value_start = at;
    let (value_end, value_class) = scan_classes(bytes, at, &CLASS, QUOTE | BACKSLASH);
    at = value_end;
    let mut escaped = false;
    while class_at(bytes, at) & BACKSLASH != 0 {
        // A quoted-pair (realm only): skip the escaped byte, read on to the closing quote.
        escaped = true;
        at += 2;
        while class_at(bytes, at) & (QUOTE | BACKSLASH | END) == 0 {
            at += 1;
        }
    }
    if class_at(bytes, at) & QUOTE == 0 {
        return Err(HeaderError::Unterminated);
    }
    let field = Field {
        name,
        name_class,
        raw: slice(value_start, at),
        value_class,
        escaped,
    };
    Ok((field, at + 1))
}

impl<'a> AuthorizationHeader<'a> {
    /// Adds a lexed field: the realm, or a parameter whose escapes are valid and whose name
    /// (compared decoded) is new.
    fn add(&mut self, field: Field<'a>, names: &mut NameFilter) -> Result<(), HeaderError> {
        let Field {
            name,
            name_class,
            raw,
            value_class,
            escaped,
        } = field;
        let name_kind = TextKind::of(name_class);
        if name_kind == TextKind::Percent {
            validate_escapes(name.as_bytes())
                .map_err(|_| HeaderError::InvalidEncoding { name: name.into() })?;
        }
        // Names are compared decoded: `oauth_x%2By` and `oauth_x+y` are the same name.
        let decoded_name = name_kind.text(name);
        if decoded_name.eq_str("realm") {
            if self.realm.is_some() {
                return Err(HeaderError::Duplicate { name: name.into() });
            }
            self.realm = Some(if escaped {
                Cow::Owned(unescape(raw))
            } else {
                Cow::Borrowed(raw)
            });
            return Ok(());
        }
        if escaped {
            // Protocol values are percent-encoded; a backslash has no business in them.
            return Err(HeaderError::InvalidEncoding { name: name.into() });
        }
        let value_kind = TextKind::of(value_class);
        if value_kind == TextKind::Percent {
            validate_escapes(raw.as_bytes())
                .map_err(|_| HeaderError::InvalidEncoding { name: name.into() })?;
        }
        if names.may_have_seen(name_kind, name)
            && (0..self.params.as_slice().len()).any(|i| self.name(i).same_decoded(decoded_name))
        {
            return Err(HeaderError::Duplicate { name: name.into() });
        }
        self.params.push((name, raw));
        self.kinds.push((name_kind, value_kind));
        Ok(())
    }
}

/// The names a header parse has met, as a 64-bit filter, so that a name met for the first time
/// (the rule: a header holds each name once) needs no comparison with the ones before it. Each
/// name without escapes sets one bit, chosen by its length and its last two bytes (the ten
/// `oauth_` names of RFC 5849 and the body hash extension take ten different bits); a name whose
/// bit is set, and every name once one with escapes was met (`oauth_%6Eonce` is `oauth_nonce`),
/// is compared with all the others.
#[derive(Default)]
struct NameFilter {
    bits: u64,
    escapes: bool,
}

impl NameFilter {
    /// Records `name` (of `kind`); whether a name before it may decode to the same bytes.
    fn may_have_seen(&mut self, kind: TextKind, name: &str) -> bool {
        if kind == TextKind::Percent {
            self.escapes = true;
            return true;
        }
        let bytes = name.as_bytes();
        let byte = |i: usize| usize::from(bytes.get(i).copied().unwrap_or(0));
        let len = bytes.len();
        let bit = 1u64 << ((len + byte(len.wrapping_sub(1)) + 3 * byte(len.wrapping_sub(2))) % 64);
        let seen = self.bits & bit != 0;
        self.bits |= bit;
        seen || self.escapes
    }
}

/// How a header name or value is read: with escapes to decode, as unreserved text that encodes to
/// itself, or as plain text with other characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum TextKind {
    Percent,
    Verbatim,
    #[default]
    Plain,
}

impl TextKind {
    /// The kind of text whose bytes' classes OR to `class`.
    fn of(class: u16) -> Self {
        if class & PERCENT != 0 {
            TextKind::Percent
        } else if class & RESERVED == 0 {
            TextKind::Verbatim
        } else {
            TextKind::Plain
        }
    }

    fn text(self, raw: &str) -> Text<'_> {
        match self {
            TextKind::Percent => Text::Percent(raw),
            TextKind::Verbatim => Text::Verbatim(raw),
            TextKind::Plain => Text::Plain(raw),
        }
    }
}

const LWS: u16 = 1;
const COMMA: u16 = 2;
const EQUALS: u16 = 4;
const QUOTE: u16 = 8;
const BACKSLASH: u16 = 16;
/// Not a token character (what ends a name).
const NOT_TOKEN: u16 = 32;
const PERCENT: u16 = 64;
/// Not an RFC 3986 unreserved character.
const RESERVED: u16 = 128;
/// Past the end of the value (never a byte's class).
const END: u16 = 256;

/// The classes of every byte, for the parser's one pass.
static CLASS: [u16; 256] = {
    let token = crate::encoding::byte_table(b"!#$%&'*+-.^_`|~", false);
    let unreserved = crate::encoding::byte_table(b"-._~", false);
    let mut table = [0u16; 256];
    let mut b = 0;
    while b < 256 {
        let mut c = 0;
        if !token[b] {
            c |= NOT_TOKEN;
        }
        if !unreserved[b] {
            c |= RESERVED;
        }
        table[b] = c;
        b += 1;
    }
    table[b' ' as usize] |= LWS;
    table[b'\t' as usize] |= LWS;
    table[b'\r' as usize] |= LWS;
    table[b'\n' as usize] |= LWS;
    table[b',' as usize] |= COMMA;
    table[b'=' as usize] |= EQUALS;
    table[b'"' as usize] |= QUOTE;
    table[b'\\' as usize] |= BACKSLASH;
    table[b'%' as usize] |= PERCENT;
    table
};

fn is_lws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_lws_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Why an `Authorization` header value could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderError {
    /// The scheme is not `OAuth`.
    NotOAuth,
    /// The value is longer than the configured limit.
    TooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The value holds more parameters than the configured limit.
    TooManyParams {
        /// The limit.
        limit: usize,
    },
    /// Something other than `name="value"` pairs separated by commas.
    Malformed {
        /// Byte offset of the problem.
        at: usize,
    },
    /// A value is not enclosed in double quotes.
    Unquoted {
        /// Byte offset of the value.
        at: usize,
    },
    /// A quoted value has no closing quote.
    Unterminated,
    /// A name or value is not validly percent-encoded.
    InvalidEncoding {
        /// The parameter's name, as sent.
        name: String,
    },
    /// A parameter appears more than once.
    Duplicate {
        /// The parameter's name, as sent.
        name: String,
    },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::NotOAuth => {
                f.write_str("the Authorization header does not use the OAuth scheme")
            }
            HeaderError::TooLong { limit } => {
                write!(f, "the Authorization header is longer than {limit} bytes")
            }
            HeaderError::TooManyParams { limit } => {
                write!(
                    f,
                    "the Authorization header has more than {limit} parameters"
                )
            }
            HeaderError::Malformed { at } => {
                write!(
                    f,
                    "malformed Authorization header at byte {at}: expected name=\"value\" pairs separated by commas"
                )
            }
            HeaderError::Unquoted { at } => {
                write!(
                    f,
                    "Authorization header value at byte {at} is not in double quotes"
                )
            }
            HeaderError::Unterminated => {
                f.write_str("Authorization header value has no closing quote")
            }
            HeaderError::InvalidEncoding { name } => {
                write!(
                    f,
                    "Authorization header parameter {name:?} is not validly percent-encoded"
                )
            }
            HeaderError::Duplicate { name } => {
                write!(
                    f,
                    "Authorization header parameter {name:?} appears more than once"
                )
            }
        }
    }
}

impl core::error::Error for HeaderError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_equal_when_realm_and_parameters_are() {
        let parse = |v| parse_authorization(v).unwrap();
        let a = parse(r#"OAuth realm="r", oauth_a="1", oauth_b="2""#);
        assert_eq!(a, parse(r#"OAuth realm="r",oauth_a="1",  oauth_b="2""#));
        assert_ne!(a, parse(r#"OAuth realm="s", oauth_a="1", oauth_b="2""#));
        assert_ne!(a, parse(r#"OAuth oauth_a="1", oauth_b="2""#));
        assert_ne!(a, parse(r#"OAuth realm="r", oauth_a="1", oauth_b="3""#));
        assert_ne!(a, parse(r#"OAuth realm="r", oauth_b="2", oauth_a="1""#));
    }

    #[test]
    fn round_trip() {
        let params = [
            ("oauth_consumer_key", "key"),
            ("oauth_signature", "a+b/c="),
            ("oauth_nonce", "ü x"),
        ];
        let header = render_authorization(Some(r#"Ex"am\ple"#), &params);
        let parsed = parse_authorization(&header).unwrap();
        assert_eq!(parsed.realm(), Some(r#"Ex"am\ple"#));
        for (n, v) in params {
            assert_eq!(parsed.get(n).as_deref(), Some(v));
        }
    }

    #[test]
    fn accepts_any_order_case_and_whitespace() {
        let h = parse_authorization("oauth  oauth_nonce = \"a\" ,\toauth_token=\"\",realm=\"r\"")
            .unwrap();
        assert_eq!(h.params(), &[("oauth_nonce", "a"), ("oauth_token", "")]);
        assert_eq!(h.realm(), Some("r"));
        assert!(parse_authorization("OAuth").unwrap().params().is_empty());
    }

    #[test]
    fn rejects_malformed() {
        let bad = [
            ("Basic abc", HeaderError::NotOAuth),
            (
                r#"OAuth a="1", a="2""#,
                HeaderError::Duplicate { name: "a".into() },
            ),
            (
                r#"OAuth realm="1", realm="2""#,
                HeaderError::Duplicate {
                    name: "realm".into(),
                },
            ),
            (r#"OAuth a="1"#, HeaderError::Unterminated),
            (r#"OAuth a=1"#, HeaderError::Unquoted { at: 8 }),
            (
                r#"OAuth a="%zz""#,
                HeaderError::InvalidEncoding { name: "a".into() },
            ),
            (
                r#"OAuth a="x\"y""#,
                HeaderError::InvalidEncoding { name: "a".into() },
            ),
            (r#"OAuth a"#, HeaderError::Malformed { at: 7 }),
            (r#"OAuth a="1" b="2""#, HeaderError::Malformed { at: 12 }),
            (r#"OAuth ="1""#, HeaderError::Malformed { at: 6 }),
        ];
        for (input, expected) in bad {
            assert_eq!(parse_authorization(input).unwrap_err(), expected, "{input}");
        }
    }

    #[test]
    fn the_ten_protocol_names_take_ten_bits_of_the_name_filter() {
        // What the filter is for: a header of distinct protocol names compares none of them.
        let mut filter = NameFilter::default();
        for name in crate::protocol::Name::ALL.map(|n| n.as_str()) {
            assert!(!filter.may_have_seen(TextKind::Verbatim, name), "{name}");
        }
        assert_eq!(filter.bits.count_ones(), 10);
        assert!(
            filter.may_have_seen(TextKind::Verbatim, "oauth_nonce"),
            "met before"
        );
        assert!(!filter.escapes);
        assert!(filter.may_have_seen(TextKind::Percent, "oauth_%6Eonce"));
        assert!(filter.escapes, "from now on every name is compared");
        assert!(filter.may_have_seen(TextKind::Plain, "a b"));
    }

    #[test]
    fn a_repeated_name_is_found_however_it_is_written_and_wherever_it_stands() {
        // Every protocol name repeated, after other names and before; written with an escape
        // before or after its plain twin (the name filter's two ways of finding it).
        for name in crate::protocol::Name::ALL.map(|n| n.as_str()) {
            let escaped = name.replacen('o', "%6F", 1);
            for (first, second) in [(name, name), (&*escaped, name), (name, &*escaped)] {
                for filler in ["", r#"x="1", oauth_other="2", "#] {
                    let header = alloc::format!(r#"OAuth {first}="a", {filler}{second}="b""#);
                    let error = parse_authorization(&header).unwrap_err();
                    assert_eq!(
                        error,
                        HeaderError::Duplicate {
                            name: second.into()
                        },
                        "{header}"
                    );
                }
            }
        }
        // Two different escapes of one name, and nothing unescaped before them.
        let header = r#"OAuth oauth_%6Eonce="a", oauth_n%6Fnce="b""#;
        let error = parse_authorization(header).unwrap_err();
        assert_eq!(
            error,
            HeaderError::Duplicate {
                name: "oauth_n%6Fnce".into()
            }
        );
        // Names that share a filter bit are compared, and are not taken for each other.
        let names = [
            "ab",
            "ba",
            "a",
            "b",
            "oauth_x",
            "oauth_y",
            "xoauth_nonce",
            "oauth_nonce_",
        ];
        let header: String = names
            .iter()
            .map(|n| alloc::format!(r#"{n}="v", "#))
            .collect();
        let header = alloc::format!("OAuth {header}");
        assert_eq!(
            parse_authorization(&header).unwrap().params().len(),
            names.len()
        );
        let many: String = (0..32).map(|i| alloc::format!("p{i}=\"v\",")).collect();
        let many = alloc::format!("OAuth {many}");
        let parsed = parse_authorization(&many).unwrap();
        assert_eq!(parsed.params().len(), 32, "32 names, many sharing bits");
    }

    #[test]
    fn limits() {
        let long = alloc::format!("OAuth a=\"{}\"", "x".repeat(10_000));
        assert_eq!(
            parse_authorization(&long).unwrap_err(),
            HeaderError::TooLong { limit: 8192 }
        );
        let many: String = (0..40).map(|i| alloc::format!("p{i}=\"v\",")).collect();
        let many = alloc::format!("OAuth {many}");
        assert_eq!(
            parse_authorization(&many).unwrap_err(),
            HeaderError::TooManyParams { limit: 32 }
        );
    }
}
