//! RFC 5849 §3.6: percent encoding.
//!
//! > Existing percent-encoding methods do not guarantee a consistent construction of the signature
//! > base string. […] Characters in the unreserved character set as defined by [RFC3986],
//! > Section 2.3 (ALPHA, DIGIT, "-", ".", "_", "~") MUST NOT be encoded. All other characters MUST
//! > be encoded. The two hexadecimal characters used to represent encoded characters MUST be
//! > uppercase.
//!
//! Values are encoded as UTF-8 bytes first. This is never a form encoder: a space is `%20`, not `+`.
//!
//! Inside the crate, parameter names and values travel as [`Text`]: either plain text (to be
//! encoded as is) or text still in `application/x-www-form-urlencoded` form (to be decoded, with `+`
//! as a space, and then encoded). Both are encoded, compared and written straight into the output
//! buffer without an intermediate decoded copy.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt;

use crate::invariant;

/// Percent-encodes `input` per RFC 5849 §3.6.
///
/// ```
/// assert_eq!(oauth1_core::wire::percent_encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
/// assert_eq!(oauth1_core::wire::percent_encode("-._~"), "-._~");
/// assert_eq!(oauth1_core::wire::percent_encode("\u{3001}"), "%E3%80%81");
/// ```
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(input, &mut out);
    out
}

/// Decodes a percent-encoded string, refusing malformed escapes (`%`, `%4`, `%zz`).
///
/// `+` is kept as `+`: this is the inverse of [`percent_encode`], not a form decoder. The result is
/// bytes, because an escape may encode any byte; it borrows when `input` holds no escape.
///
/// ```
/// assert_eq!(&*oauth1_core::wire::percent_decode("a%20b%2B").unwrap(), b"a b+");
/// assert!(oauth1_core::wire::percent_decode("100%").is_err());
/// ```
pub fn percent_decode(input: &str) -> Result<Cow<'_, [u8]>, InvalidPercentEncoding> {
    validate_escapes(input.as_bytes())?;
    Ok(percent_encoding::percent_decode_str(input).into())
}

/// A `%` not followed by two hexadecimal digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPercentEncoding {
    /// Byte offset of the offending `%` in the input.
    pub position: usize,
}

impl fmt::Display for InvalidPercentEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid percent-encoding at byte {}: `%` must be followed by two hexadecimal digits",
            self.position
        )
    }
}

impl core::error::Error for InvalidPercentEncoding {}

/// Checks that every `%` in `input` starts a `%XX` escape.
pub(crate) fn validate_escapes(input: &[u8]) -> Result<(), InvalidPercentEncoding> {
    let mut i = 0;
    while let Some(offset) = input.get(i..).and_then(|rest| find_byte(rest, b'%')) {
        let at = i + offset;
        match (input.get(at + 1), input.get(at + 2)) {
            (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i = at + 3,
            _ => return Err(InvalidPercentEncoding { position: at }),
        }
    }
    Ok(())
}

/// Reads `bytes` from `at` while no byte's class (from `table`) has a bit of `stop`, OR-ing the
/// classes of the bytes read; returns where it stopped (`bytes.len()` at the end) and the OR.
///
/// Eight bytes at a time while a whole chunk passes: their classes are OR-ed without a branch per
/// byte, which is what the parsers' inner loops (form pairs, header values) spend their time on.
#[inline]
pub(crate) fn scan_classes<T>(bytes: &[u8], mut at: usize, table: &[T; 256], stop: T) -> (usize, T)
where
    T: Copy + Default + PartialEq + core::ops::BitOr<Output = T> + core::ops::BitAnd<Output = T>,
{
    let none = T::default();
    let mut class = none;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let c = chunk.iter().fold(none, |c, &b| c | table[usize::from(b)]);
        if c & stop != none {
            break;
        }
        class = class | c;
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        let c = table[usize::from(b)];
        if c & stop != none {
            break;
        }
        class = class | c;
        at += 1;
    }
    (at, class)
}

/// The position of the first `needle` in `haystack`, eight bytes at a time (a word compare per
/// chunk; most text holds no `%` at all, or a few far apart).
#[inline]
pub(crate) fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = LOW * u64::from(needle);
    let mut at = 0;
    while let Some(chunk) = haystack.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ pattern;
        // A zero byte in `x` (the needle in the chunk) sets its high bit here; no false
        // positive is possible without a true one before it.
        if x.wrapping_sub(LOW) & !x & HIGH != 0 {
            break;
        }
        at += 8;
    }
    haystack
        .get(at..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| at + i)
}

/// Whether `b` is an RFC 3986 unreserved character.
#[inline]
pub(crate) fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// RFC 3986 unreserved characters, as a lookup table: the encoders test every byte.
static UNRESERVED: [bool; 256] = byte_table(b"-._~", false);

/// A table of the ASCII letters and digits, the bytes of `extra`, and (if `non_ascii`) every byte
/// from 0x80: the character classes of URIs, for per-byte lookups.
pub(crate) const fn byte_table(extra: &[u8], non_ascii: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || (non_ascii && c >= 0x80);
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

/// The value of a hexadecimal digit (0 for any other byte), by table: decoding looks up two per
/// escape.
#[inline]
fn hex_value(b: u8) -> u8 {
    HEX_VALUE[usize::from(b)]
}

static HEX_VALUE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < table.len() {
        let b = i as u8;
        table[i] = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => 0,
        };
        i += 1;
    }
    table
};

/// The byte that the validated form text (`plus_is_space`) or percent text `raw` decodes to at
/// `at`, as [`Text::bytes`] decodes it, and how many bytes of `raw` it takes (3 for an escape, else
/// 1); `None` at the end of `raw`.
#[inline(always)]
pub(crate) fn decode_at(raw: &[u8], at: usize, plus_is_space: bool) -> Option<(u8, usize)> {
    let b = *raw.get(at)?;
    Some(match b {
        // Only validated text is decoded: every `%` is followed by two hexadecimal digits (a `%`
        // without two bytes after it is text, as `TextBytes` reads it).
        b'%' => match raw.get(at + 1..at + 3) {
            Some(&[h, l]) => {
                debug_assert!(h.is_ascii_hexdigit() && l.is_ascii_hexdigit());
                (hex_value(h) * 16 + hex_value(l), 3)
            }
            _ => (b, 1),
        },
        b'+' if plus_is_space => (b' ', 1),
        _ => (b, 1),
    })
}

/// Decodes validated form text (`plus_is_space`) or percent text from the start of `raw` into
/// `buf[from..]` ([`decode_at`]) until `raw` or `buf` is used up; returns where the decoded bytes
/// end in `buf` and how many bytes of `raw` they took.
pub(crate) fn decode_into(
    raw: &[u8],
    plus_is_space: bool,
    buf: &mut [u8],
    from: usize,
) -> (usize, usize) {
    let (mut i, mut j) = (0, from);
    while let Some(slot) = buf.get_mut(j) {
        let Some((byte, len)) = decode_at(raw, i, plus_is_space) else {
            break;
        };
        *slot = byte;
        i += len;
        j += 1;
    }
    (j, i)
}

/// Appends `input`, percent-encoded once, to `out`.
#[inline]
pub(crate) fn encode_into(input: &str, out: &mut String) {
    encode_runs(input, out, "%");
}

/// Appends `input`, percent-encoded twice, to `out`: `enc(enc(input))`.
///
/// The base string is `enc(normalized parameters)` where each name and value is itself `enc(..)`, so
/// a reserved byte becomes `%25XY`. Writing that directly saves building the inner string.
#[inline]
pub(crate) fn encode_twice_into(input: &str, out: &mut String) {
    encode_runs(input, out, "%25");
}

/// Copies runs of unreserved bytes whole and writes `prefix` + two hex digits for every other byte.
#[inline]
fn encode_runs(input: &str, out: &mut String, prefix: &str) {
    let bytes = input.as_bytes();
    if all_unreserved(bytes) {
        // The common case (keys, nonces, timestamps, most values): one copy.
        out.push_str(input);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_unreserved(b) {
            if start < i {
                // A run of unreserved ASCII: both ends are char boundaries. (An empty one may sit
                // inside a multi-byte character, escaped one byte at a time.)
                out.push_str(invariant::some(input.get(start..i)));
            }
            push_prefixed_escape(b, prefix, out);
            start = i + 1;
        }
    }
    // `start` is 0 or just past the last escaped byte, which ends its character.
    out.push_str(invariant::some(input.get(start..)));
}

/// Whether every byte is unreserved. Written without early exit or table lookups so that the
/// compiler vectorizes it: most strings pass, and then no per-byte branching is needed.
#[inline]
pub(crate) fn all_unreserved(bytes: &[u8]) -> bool {
    bytes.iter().fold(true, |ok, &b| {
        let lower = b | 0x20;
        ok & (lower.is_ascii_lowercase()
            | b.is_ascii_digit()
            | (b == b'-')
            | (b == b'.')
            | (b == b'_')
            | (b == b'~'))
    })
}

/// Appends `prefix` and the two upper-case hex digits of `b`.
#[inline]
pub(crate) fn push_prefixed_escape(b: u8, prefix: &str, out: &mut String) {
    out.push_str(prefix);
    // `percent_encode_byte` is a static table of "%XX": three ASCII bytes, the digits from 1.
    out.push_str(invariant::some(
        percent_encoding::percent_encode_byte(b).get(1..),
    ));
}

/// A parameter name or value as it was found in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Text<'a> {
    /// Plain text: its UTF-8 bytes are the value.
    Plain(&'a str),
    /// `application/x-www-form-urlencoded` text (query or form body) whose escapes were validated:
    /// `+` is a space and `%XX` a byte. Text with neither is stored as [`Text::Plain`]
    /// ([`Text::Verbatim`] when it holds unreserved characters only).
    Form(&'a str),
    /// Percent-encoded text whose escapes were validated: `%XX` is a byte and `+` is a plus sign.
    /// An `Authorization` header value, or a query name or value as Mastercard's signers read a
    /// query holding an escape.
    Percent(&'a str),
    /// Plain text known to hold only unreserved characters (protocol parameter names, the
    /// timestamp): it encodes to itself, once or twice, so it is copied as is.
    Verbatim(&'a str),
    /// Text in Mastercard's convention ("as sent"): the text as it stands in the request is its
    /// normalized form, so it is encoded once (not twice) in the base string, and sorted as it
    /// stands. A protocol value as it stands in the `Authorization` header (the signer sends it
    /// unencoded), or a query name or value of a query without escapes, as written. Its value
    /// decodes like [`Text::Percent`] (the signer makes it only of text without `%`, which
    /// decodes to itself).
    AsSent(&'a str),
}

impl<'a> Text<'a> {
    /// The text as found, before any decoding.
    pub(crate) fn raw(self) -> &'a str {
        match self {
            Text::Plain(s)
            | Text::Form(s)
            | Text::Percent(s)
            | Text::Verbatim(s)
            | Text::AsSent(s) => s,
        }
    }

    /// The decoded bytes.
    pub(crate) fn bytes(self) -> TextBytes<'a> {
        let (raw, decode, plus_is_space) = match self {
            Text::Plain(s) | Text::Verbatim(s) => (s, false, false),
            Text::Form(s) => (s, true, true),
            Text::Percent(s) | Text::AsSent(s) => (s, true, false),
        };
        TextBytes {
            raw: raw.as_bytes(),
            decode,
            plus_is_space,
        }
    }

    /// Whether the decoded value equals `s`.
    pub(crate) fn eq_str(self, s: &str) -> bool {
        match self {
            Text::Plain(p) | Text::Verbatim(p) => p == s,
            Text::Form(_) | Text::Percent(_) | Text::AsSent(_) => self.bytes().eq(s.bytes()),
        }
    }

    /// Whether two texts decode to the same bytes (without decoding when neither needs it).
    pub(crate) fn same_decoded(self, other: Text<'_>) -> bool {
        match (self, other) {
            (Text::Plain(a) | Text::Verbatim(a), Text::Plain(b) | Text::Verbatim(b)) => a == b,
            _ => self.bytes().eq(other.bytes()),
        }
    }

    /// The decoded value, borrowed when nothing needed decoding.
    pub(crate) fn decoded(self) -> Cow<'a, [u8]> {
        match self {
            Text::Plain(p) | Text::Verbatim(p) => Cow::Borrowed(p.as_bytes()),
            Text::Form(_) | Text::Percent(_) | Text::AsSent(_) => {
                Cow::Owned(self.bytes().collect::<Vec<u8>>())
            }
        }
    }

    /// Appends `enc(value)` (`twice == false`) or `enc(enc(value))` to `out`.
    #[inline(always)]
    pub(crate) fn write_encoded(self, out: &mut String, twice: bool) {
        // Verbatim text (protocol names, most protocol values) is the common case: a copy, inlined.
        if let Text::Verbatim(s) = self {
            out.push_str(s);
        } else {
            self.write_encoded_slow(out, twice);
        }
    }

    fn write_encoded_slow(self, out: &mut String, twice: bool) {
        match (self, twice) {
            (Text::Verbatim(s), _) => out.push_str(s),
            (Text::Plain(s), false) => encode_into(s, out),
            (Text::Plain(s), true) => encode_twice_into(s, out),
            (Text::Form(raw), _) => reencode(raw, true, twice, out),
            (Text::Percent(raw), _) => reencode(raw, false, twice, out),
            (Text::AsSent(raw), false) => out.push_str(raw),
            (Text::AsSent(raw), true) => encode_into(raw, out),
        }
    }

    /// Orders two values as their encoded forms compare byte by byte (RFC 5849 §3.4.1.3.2 sorts
    /// encoded names and values), without encoding them.
    ///
    /// An encoded reserved byte starts with `%` (0x25), which sorts before every unreserved
    /// character, and two escapes compare as their bytes do (upper-case hex keeps byte order), so
    /// the encoded order is the decoded byte order with every reserved byte ranked below every
    /// unreserved one. [`Text::AsSent`] is its own encoded form: it compares as it stands, as
    /// Mastercard's signers sort their parameter string.
    pub(crate) fn cmp_encoded(self, other: Text<'_>) -> Ordering {
        if matches!(self, Text::AsSent(_)) || matches!(other, Text::AsSent(_)) {
            return self.encoded_bytes().cmp(other.encoded_bytes());
        }
        let key = |b: u8| (is_unreserved(b), b);
        if let (Text::Verbatim(a), Text::Verbatim(b)) = (self, other) {
            // Unreserved text encodes to itself: its encoded order is its byte order.
            return a.as_bytes().cmp(b.as_bytes());
        }
        if let (Text::Plain(a) | Text::Verbatim(a), Text::Plain(b) | Text::Verbatim(b)) =
            (self, other)
        {
            // Fast path: skip the common prefix, then compare the first differing bytes' keys.
            let (a, b) = (a.as_bytes(), b.as_bytes());
            let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            return match (a.get(common), b.get(common)) {
                (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
                _ => a.len().cmp(&b.len()),
            };
        }
        self.bytes().map(key).cmp(other.bytes().map(key))
    }

    /// The bytes of the text's normalized form (§3.4.1.3.2: the encoded name or value), one at a
    /// time; [`Text::AsSent`] and [`Text::Verbatim`] stand for themselves.
    fn encoded_bytes(self) -> impl Iterator<Item = u8> + 'a {
        let (bytes, as_is) = match self {
            Text::AsSent(s) | Text::Verbatim(s) => (Text::Plain(s).bytes(), true),
            _ => (self.bytes(), false),
        };
        bytes.flat_map(move |b| {
            let (escape, len) = if as_is || is_unreserved(b) {
                ([b, 0, 0], 1)
            } else {
                // Upper-case hexadecimal digits (§3.6); `n` is a nibble.
                let hex = |n: u8| if n < 10 { b'0' + n } else { b'A' + n - 10 };
                ([b'%', hex(b >> 4), hex(b & 0xf)], 3)
            };
            escape.into_iter().take(len)
        })
    }
}

/// Appends `enc(decode(raw))` (or `enc(enc(decode(raw)))` when `twice`) for validated
/// percent- or form-encoded `raw`: runs of unreserved bytes are copied whole, escapes decoded and
/// written again in the canonical form (upper-case hex; none for unreserved bytes).
fn reencode(raw: &str, plus_is_space: bool, twice: bool, out: &mut String) {
    let bytes = raw.as_bytes();
    let prefix = if twice { "%25" } else { "%" };
    let (mut start, mut i) = (0, 0);
    while let Some(&b) = bytes.get(i) {
        if is_unreserved(b) {
            i += 1;
            continue;
        }
        if start < i {
            // A run of unreserved ASCII: both ends are char boundaries (as in `encode_runs`).
            out.push_str(invariant::some(raw.get(start..i)));
        }
        let (decoded, len) = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            // `raw` was validated: every `%` is followed by two hexadecimal digits.
            (b'%', Some(&h), Some(&l)) => {
                debug_assert!(h.is_ascii_hexdigit() && l.is_ascii_hexdigit());
                (hex_value(h) * 16 + hex_value(l), 3)
            }
            (b'+', _, _) if plus_is_space => (b' ', 1),
            _ => (b, 1),
        };
        if is_unreserved(decoded) {
            out.push(char::from(decoded));
        } else {
            push_prefixed_escape(decoded, prefix, out);
        }
        i += len;
        // A non-ASCII byte is copied by the escape above one byte at a time; `start` moves past
        // it together with `i`, so it stays on a char boundary once the sequence is done.
        start = i;
    }
    // `start` is 0 or where the last escape ended (within `raw`), which ends its character.
    out.push_str(invariant::some(raw.get(start..)));
}

/// The decoded bytes of a [`Text`].
#[derive(Clone, Debug)]
pub(crate) struct TextBytes<'a> {
    raw: &'a [u8],
    decode: bool,
    plus_is_space: bool,
}

impl Iterator for TextBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.raw.split_first()?;
        if !self.decode {
            self.raw = rest;
            return Some(first);
        }
        match (first, rest) {
            (b'+', _) if self.plus_is_space => {
                self.raw = rest;
                Some(b' ')
            }
            // Only validated text is decoded: every `%` is followed by two hexadecimal digits.
            (b'%', [h, l, tail @ ..]) => {
                debug_assert!(h.is_ascii_hexdigit() && l.is_ascii_hexdigit());
                self.raw = tail;
                Some(hex_value(*h) * 16 + hex_value(*l))
            }
            _ => {
                self.raw = rest;
                Some(first)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.raw.len();
        (if self.decode { n.div_ceil(3) } else { n }, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// The hex table gives each digit's value and 0 for every other byte.
    #[test]
    fn hex_values_by_table() {
        for b in 0..=u8::MAX {
            let expected = char::from(b).to_digit(16).map_or(0, |d| d as u8);
            assert_eq!(hex_value(b), expected, "{b:#04x}");
        }
    }

    /// `TextBytes::size_hint` bounds what it yields (issue 33: each of its mutants).
    #[test]
    fn decoded_bytes_size_hint_bounds_the_count() {
        for (text, hint, count) in [
            (Text::Plain("abcde"), (5, Some(5)), 5),
            (Text::Percent("%41%42%43"), (3, Some(9)), 3),
            (Text::Form("a+b%20c"), (3, Some(7)), 5),
        ] {
            let bytes = text.bytes();
            assert_eq!(bytes.size_hint(), hint, "{text:?}");
            assert_eq!(bytes.count(), count, "{text:?}");
        }
    }

    #[test]
    fn find_byte_and_scan_classes_match_a_byte_loop() {
        // Every length around the 8-byte chunks, the needle at every position, bytes that differ
        // from it by one bit (the word trick's near misses) and high bytes around it.
        for len in 0..40usize {
            for at in 0..=len {
                let mut hay: Vec<u8> = (0..len)
                    .map(|i| [b'%' ^ 1, b'%' ^ 0x80, 0xa5, b'a', 0x24][i % 5])
                    .collect();
                if let Some(b) = hay.get_mut(at) {
                    *b = b'%';
                }
                let expected = hay.iter().position(|&b| b == b'%');
                assert_eq!(find_byte(&hay, b'%'), expected, "{hay:?}");
                let table: [u8; 256] = core::array::from_fn(|b| if b == 0x25 { 1 } else { 2 });
                let (stop, class) = scan_classes(&hay, 0, &table, 1);
                assert_eq!(stop, expected.unwrap_or(len));
                assert_eq!(class, if stop > 0 { 2 } else { 0 });
            }
        }
    }

    #[test]
    fn wiki_encoding_vectors() {
        let cases = [
            ("abcABC123", "abcABC123"),
            ("-._~", "-._~"),
            ("%", "%25"),
            ("+", "%2B"),
            ("&=*", "%26%3D%2A"),
            ("\u{000A}", "%0A"),
            ("\u{0020}", "%20"),
            ("\u{007F}", "%7F"),
            ("\u{0080}", "%C2%80"),
            ("\u{3001}", "%E3%80%81"),
        ];
        for (input, expected) in cases {
            assert_eq!(percent_encode(input), expected, "{input:?}");
        }
    }

    #[test]
    fn all_unreserved_matches_the_table() {
        for b in 0..=255u8 {
            assert_eq!(all_unreserved(&[b]), is_unreserved(b), "{b}");
        }
        assert!(all_unreserved(b"abcXYZ019-._~"));
        assert!(!all_unreserved(b"abc def"));
    }

    #[test]
    fn twice_matches_encode_of_encode() {
        for s in ["a b", "%41", "ü&=", "plain", ""] {
            let mut twice = String::new();
            encode_twice_into(s, &mut twice);
            assert_eq!(twice, percent_encode(&percent_encode(s)));
        }
    }

    #[test]
    fn reencoding_matches_decoding_then_encoding() {
        let samples = [
            "",
            "a",
            "%41",
            "%4a%4A",
            "a+b",
            "%2B+%2b",
            "%C3%BC",
            "ü+%20x",
            "~-._",
            "%7E%2D",
            "a%25b",
            "€%E2%82%AC",
            "+",
            "%",
            "x%",
            "=&",
        ];
        for raw in samples {
            if validate_escapes(raw.as_bytes()).is_err() {
                continue;
            }
            for text in [Text::Form(raw), Text::Percent(raw)] {
                let decoded: Vec<u8> = text.bytes().collect();
                let decoded = String::from_utf8_lossy(&decoded);
                for twice in [false, true] {
                    let mut expected = percent_encode(&decoded);
                    if twice {
                        expected = percent_encode(&expected);
                    }
                    if decoded.contains('\u{FFFD}') {
                        continue; // not UTF-8 once decoded: compared on bytes elsewhere
                    }
                    let mut got = String::new();
                    text.write_encoded(&mut got, twice);
                    assert_eq!(got, expected, "{text:?} twice={twice}");
                }
            }
        }
    }

    #[test]
    fn form_text_decodes_plus_and_escapes() {
        let t = Text::Form("a+b%2B%C3%BC");
        assert_eq!(&*t.decoded(), "a b+ü".as_bytes());
        let mut once = String::new();
        t.write_encoded(&mut once, false);
        assert_eq!(once, "a%20b%2B%C3%BC");
        let mut twice = String::new();
        t.write_encoded(&mut twice, true);
        assert_eq!(twice, percent_encode(&once));
        assert!(t.eq_str("a b+ü"));
    }

    #[test]
    fn encoded_order_matches_sorting_encoded_strings() {
        let values = [
            "a", "a2", "A", "~", "%", " ", "x!y", "x y", "ü", "", "-", "z",
        ];
        for a in values {
            for b in values {
                let expected = percent_encode(a).cmp(&percent_encode(b));
                assert_eq!(
                    Text::Plain(a).cmp_encoded(Text::Plain(b)),
                    expected,
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn as_sent_text_sorts_as_it_stands() {
        // Every other kind sorts by its encoded form, which `encoded_bytes` spells out.
        for raw in ["a:b", "a+b%2B", "ü", "-._~", ""] {
            for text in [Text::Plain(raw), Text::Form(raw), Text::Percent(raw)] {
                let decoded = String::from_utf8_lossy(&text.decoded()).into_owned();
                let spelled: Vec<u8> = text.encoded_bytes().collect();
                assert_eq!(spelled, percent_encode(&decoded).into_bytes(), "{text:?}");
            }
        }
        // `0` (0x30) sorts before `:` (0x3A) as written; encoded, `%3A` comes first.
        assert!(Text::AsSent("a0").cmp_encoded(Text::AsSent("a:b")).is_lt());
        assert!(Text::Plain("a0").cmp_encoded(Text::Plain("a:b")).is_gt());
        assert!(
            Text::AsSent("a:b")
                .cmp_encoded(Text::Verbatim("a0"))
                .is_gt()
        );
        assert!(
            Text::AsSent("a%3Ab")
                .cmp_encoded(Text::Plain("a:b"))
                .is_eq()
        );
    }

    #[test]
    fn strict_decode_rejects_bad_escapes() {
        for bad in ["%", "%4", "%zz", "a%g1", "%%41"] {
            assert!(percent_decode(bad).is_err(), "{bad:?}");
        }
        assert_eq!(percent_decode("%41%42").unwrap().as_ref(), b"AB");
        let err = percent_decode("ab%x").unwrap_err();
        assert_eq!(err.position, 2);
        assert!(err.to_string().contains("byte 2"));
    }
}
