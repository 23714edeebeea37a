//! What verification hands out: the verified request, or a parsed one for inspection.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::method::UsedMethod;
use crate::encoding::{self, Text};
use crate::invariant;
use crate::protocol::Name;
use crate::signature::SignatureMethodName;

/// A request as [`Verifier::inspect`](crate::Verifier::inspect) parsed it: its protocol parameters and the signature base
/// string a provider computes. Nothing in it has been checked.
///
/// `Debug` hides `oauth_signature` (with PLAINTEXT it is the secrets themselves).
#[derive(Clone, PartialEq, Eq)]
pub struct Inspected {
    pub(super) params: Vec<(String, String)>,
    pub(super) realm: Option<String>,
    pub(super) base_string: String,
}

impl Inspected {
    /// The protocol parameters (`oauth_*`), decoded, in the order sent; `oauth_signature`
    /// included. Not secret: they travel in the clear.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// One protocol parameter, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header's realm, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.as_deref()
    }

    /// The signature base string (RFC 5849 §3.4.1) of the request, as a provider computes it.
    pub fn base_string(&self) -> &str {
        &self.base_string
    }
}

/// A request that passed verification: who signed it and what it carried.
///
/// Every text lives in one buffer (the base string first), so a `Verified` costs two
/// allocations whatever the request carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    pub(super) text: String,
    pub(super) base_end: usize,
    pub(super) consumer_key: Span,
    pub(super) token: Option<Span>,
    pub(super) callback: Option<Span>,
    pub(super) verifier: Option<Span>,
    pub(super) realm: Option<Span>,
    pub(super) signature_method: UsedMethod,
    pub(super) timestamp: Option<u64>,
    pub(super) nonce: Option<Span>,
    pub(super) params: Vec<(Span, Span)>,
    pub(super) signature: Span,
}

/// Where one text of a [`Verified`] lies in its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Span {
    /// This span's text in `text`, the buffer it was pushed to.
    pub(super) fn of(self, text: &str) -> &str {
        // `push_str` and `push_decoded` made the span of what they appended to this very buffer.
        invariant::some(text.get(self.start..self.end))
    }
}

/// Appends `s` to `text`; returns where it went.
pub(super) fn push_str(text: &mut String, s: &str) -> Span {
    let start = text.len();
    text.push_str(s);
    Span {
        start,
        end: text.len(),
    }
}

/// Appends the decoded value of `t` to `text` (invalid UTF-8 replaced, as
/// `String::from_utf8_lossy` does); returns where it went.
pub(super) fn push_decoded(text: &mut String, t: Text<'_>) -> Span {
    let start = text.len();
    match t {
        Text::Plain(s) | Text::Verbatim(s) => text.push_str(s),
        Text::Form(s) | Text::Percent(s) | Text::AsSent(s) => {
            let plus_is_space = matches!(t, Text::Form(_));
            // Decoded through a stack buffer, converted as `String::from_utf8_lossy` would
            // convert the whole (no allocation per value, whatever its bytes).
            let mut raw = s.as_bytes();
            let mut buf = [0u8; 64];
            let mut kept = 0;
            while !raw.is_empty() {
                let (len, used) = encoding::decode_into(raw, plus_is_space, &mut buf, kept);
                // `decode_into` took `used` bytes of `raw`, at least one (`kept` < 4 < 64).
                raw = invariant::some(raw.get(used..));
                kept = push_lossy(text, &mut buf, len, raw.is_empty());
            }
        }
    }
    Span {
        start,
        end: text.len(),
    }
}

/// Appends `buf[..len]` to `text` as UTF-8, each invalid sequence replaced by U+FFFD as
/// `String::from_utf8_lossy` replaces it. Unless `last`, a sequence cut off at the end (at most 3
/// bytes) is moved to the front of `buf` to be completed by the next bytes; returns its length.
fn push_lossy(text: &mut String, buf: &mut [u8; 64], len: usize, last: bool) -> usize {
    let mut at = 0;
    loop {
        let chunk = invariant::some(buf.get(at..len));
        let error = match core::str::from_utf8(chunk) {
            Ok(valid) => {
                text.push_str(valid);
                return 0;
            }
            Err(error) => error,
        };
        let valid = error.valid_up_to();
        // `valid` bytes of `chunk` are UTF-8, as `from_utf8` just said.
        text.push_str(invariant::some(
            chunk
                .get(..valid)
                .and_then(|v| core::str::from_utf8(v).ok()),
        ));
        match error.error_len() {
            Some(bad) => {
                text.push(char::REPLACEMENT_CHARACTER);
                at += valid + bad;
            }
            None if !last => {
                let cut = len - (at + valid);
                buf.copy_within(at + valid..len, 0);
                return cut;
            }
            None => {
                text.push(char::REPLACEMENT_CHARACTER);
                return 0;
            }
        }
    }
}

impl Verified {
    pub(super) fn get(&self, span: Span) -> &str {
        span.of(&self.text)
    }
    /// The client's `oauth_consumer_key`.
    pub fn consumer_key(&self) -> &str {
        self.get(self.consumer_key)
    }
    /// The `oauth_token`, if the request carried one.
    pub fn token(&self) -> Option<&str> {
        self.token.map(|s| self.get(s))
    }
    /// The `oauth_callback` (temporary-credential requests).
    pub fn callback(&self) -> Option<&str> {
        self.callback.map(|s| self.get(s))
    }
    /// The `oauth_verifier` (token requests). Named after the parameter, not the [`Verifier`](crate::Verifier)
    /// that checked the request.
    pub fn oauth_verifier(&self) -> Option<&str> {
        self.verifier.map(|s| self.get(s))
    }
    /// The header's `realm`, if any.
    pub fn realm(&self) -> Option<&str> {
        self.realm.map(|s| self.get(s))
    }
    /// The signature method used: a built-in method's canonical name (`"HMAC-SHA1"`) or a
    /// custom method's [`VerifyMethod::name`](super::VerifyMethod::name).
    pub fn signature_method(&self) -> &str {
        self.signature_method.name()
    }
    /// The built-in signature method used; `None` for a custom one.
    pub fn builtin_signature_method(&self) -> Option<SignatureMethodName> {
        self.signature_method.builtin()
    }
    /// The `oauth_timestamp` (absent only with PLAINTEXT).
    pub fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
    /// The `oauth_nonce` (absent only with PLAINTEXT).
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.map(|s| self.get(s))
    }
    /// The request's other parameters (query and form body), decoded, in the order received.
    ///
    /// ```
    /// # use oauth1_core::server::Verified;
    /// fn page(verified: &Verified) -> Option<&str> {
    ///     verified.params().find(|&(name, _)| name == "page").map(|(_, value)| value)
    /// }
    /// ```
    pub fn params(&self) -> Params<'_> {
        Params {
            text: &self.text,
            spans: self.params.iter(),
        }
    }
    /// The value of the first parameter (query or form body) called `name`, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params().find(|&(n, _)| n == name).map(|(_, v)| v)
    }
    /// The signature base string the provider computed.
    pub fn base_string(&self) -> &str {
        // The base string was written first; `base_end` is where it ends.
        invariant::some(self.text.get(..self.base_end))
    }
    /// The verified `oauth_signature`.
    pub fn signature(&self) -> &str {
        self.get(self.signature)
    }
}

/// The parameters of a [`Verified`] request: `(name, value)` pairs, decoded, in the order received.
#[derive(Clone)]
pub struct Params<'a> {
    pub(super) text: &'a str,
    pub(super) spans: core::slice::Iter<'a, (Span, Span)>,
}

impl<'a> Iterator for Params<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let &(name, value) = self.spans.next()?;
        Some((name.of(self.text), value.of(self.text)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.spans.size_hint()
    }
}

impl DoubleEndedIterator for Params<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let &(name, value) = self.spans.next_back()?;
        Some((name.of(self.text), value.of(self.text)))
    }
}

impl ExactSizeIterator for Params<'_> {}

impl core::iter::FusedIterator for Params<'_> {}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl fmt::Debug for Inspected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(n, v)| {
                let shown = if n == Name::Signature.as_str() {
                    "<hidden>"
                } else {
                    v.as_str()
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("Inspected")
            .field("params", &params)
            .field("realm", &self.realm)
            .field("base_string", &self.base_string)
            .finish()
    }
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("consumer_key", &self.consumer_key())
            .field("token", &self.token())
            .field("signature_method", &self.signature_method)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce())
            .field("realm", &self.realm())
            .field("params", &self.params())
            .finish_non_exhaustive()
    }
}

/// What the provider computed, exposed on `signature_invalid` when
/// [`Verifier::expose_base_string`](crate::Verifier::expose_base_string) is on.
///
/// It holds the base string only, never the signature the provider expected: that would be a
/// valid signature of the caller's own, still unused request, readable wherever errors are
/// logged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exposed {
    /// The signature base string the provider computed.
    pub base_string: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    /// `push_decoded` converts as `String::from_utf8_lossy` does, whatever the bytes and wherever
    /// a sequence (valid, invalid or cut off) meets the edge of its 64-byte buffer.
    #[test]
    fn decoded_text_is_converted_as_from_utf8_lossy_converts_it() {
        let samples: [&[u8]; 6] = [
            "é ü 😀 ✓ ".as_bytes(),
            b"\xff\xfe",
            b"\xe2\x82",
            b"\xf0\x9f\x98",
            b"\xc3",
            b"abc",
        ];
        // Every prefix length 0..70 of padding moves each sample across the buffer's edge.
        let mut state = 0x2545_f491_u32;
        for pad in 0..70 {
            for round in 0..8 {
                let mut bytes: alloc::vec::Vec<u8> = core::iter::repeat_n(b'a', pad).collect();
                for _ in 0..4 {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let pick = (state >> 16) as usize;
                    bytes.extend_from_slice(samples[(pick + round) % samples.len()]);
                }
                let encoded: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
                let mut text = String::from("x");
                let span = push_decoded(&mut text, Text::Percent(&encoded));
                assert_eq!(span.start, 1);
                assert_eq!(
                    span.of(&text),
                    String::from_utf8_lossy(&bytes),
                    "{bytes:x?}"
                );
            }
        }
    }

    /// The same with text between the escapes, as form and percent text hold it: escapes, raw
    /// characters (multi-byte ones too) and `+` in any order, an unfinished sequence before a
    /// raw character included. (A decoder that copies the text between escapes whole, and
    /// converts each run of escapes apart, was tried against this test and measured: slower for
    /// values with an escape every few characters, the usual form text.)
    #[test]
    fn text_between_escapes_is_copied_as_decoding_it_would() {
        let pieces: [(&str, &[u8]); 8] = [
            ("é", "é".as_bytes()),
            ("😀", "😀".as_bytes()),
            ("a b", b"a b"),
            ("", b"\xff"),
            ("", b"\xe2\x82"),
            ("", b"\xf0\x9f\x98"),
            ("", b"\xc3"),
            ("+", b"+"),
        ];
        let mut state = 0x1234_5678_u32;
        for form in [false, true] {
            for _ in 0..2_000 {
                let mut raw = String::new();
                for _ in 0..6 {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let pick = (state >> 16) as usize;
                    let (text, bytes) = pieces[pick % pieces.len()];
                    if text.is_empty() || pick & 0x100 != 0 {
                        raw.extend(bytes.iter().map(|b| format!("%{b:02X}")));
                    } else {
                        raw.push_str(text);
                    }
                }
                let t = if form {
                    Text::Form(&raw)
                } else {
                    Text::Percent(&raw)
                };
                let mut text = String::new();
                let span = push_decoded(&mut text, t);
                let expected = t.bytes().collect::<alloc::vec::Vec<u8>>();
                assert_eq!(span.of(&text), String::from_utf8_lossy(&expected), "{raw}");
            }
        }
        // A `%` without two bytes after it is text.
        for raw in ["%", "a%", "a%4", "%4"] {
            let mut text = String::new();
            push_decoded(&mut text, Text::Percent(raw));
            assert_eq!(text, raw);
        }
    }
}
