//! RFC 5849 §3.4.1.3: request parameters, their sources and their normalization.
//!
//! > The parameters from the following sources are collected into a single list of name/value
//! > pairs: the query component of the HTTP request URI […]; the OAuth HTTP "Authorization" header
//! > field […] excluding the "realm" parameter if present; the HTTP request entity-body, but only if
//! > […] the entity-body is single-part [and] follows the encoding requirements of the
//! > "application/x-www-form-urlencoded" content-type […]. The "oauth_signature" parameter MUST be
//! > excluded from the signature base string if present.
//!
//! Normalization (§3.4.1.3.2):
//! 1. encode every name and value (§3.6);
//! 2. sort by encoded name, using ascending byte value ordering; parameters with the same name are
//!    sorted by their encoded values;
//! 3. join each name and value with `=` (also when the value is empty);
//! 4. join the pairs with `&`.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::encoding::{Text, scan_classes};
use crate::invariant;

/// One name/value pair bound for the signature base string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Param<'a> {
    pub(crate) name: Text<'a>,
    pub(crate) value: Text<'a>,
}

impl<'a> Param<'a> {
    pub(crate) fn plain(name: &'a str, value: &'a str) -> Self {
        Param {
            name: Text::Plain(name),
            value: Text::Plain(value),
        }
    }

    /// §3.4.1.3.2 order: by encoded name, then by encoded value.
    pub(crate) fn cmp_normalized(&self, other: &Param<'_>) -> Ordering {
        self.name
            .cmp_encoded(other.name)
            .then_with(|| self.value.cmp_encoded(other.value))
    }
}

impl Default for Param<'_> {
    fn default() -> Self {
        Param::plain("", "")
    }
}

/// How many parameters a typical request has at most: lists that size stay on the stack.
pub(crate) const INLINE_PARAMS: usize = 24;

/// A list kept on the stack while it holds at most `N` items (the common case), so that signing
/// and verifying an ordinary request do not allocate for their parameters; on the heap beyond.
#[allow(
    clippy::large_enum_variant,
    reason = "the inline variant is the point: typical requests need no allocation for parameters"
)]
#[derive(Clone, Debug)]
pub(crate) enum InlineList<T, const N: usize> {
    Inline([T; N], usize),
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> InlineList<T, N> {
    /// A list for about `n` items: inline when they fit.
    pub(crate) fn with_capacity(n: usize) -> Self {
        if n <= N {
            InlineList::Inline([T::default(); N], 0)
        } else {
            InlineList::Heap(Vec::with_capacity(n))
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        match self {
            InlineList::Inline(items, len) => match items.get_mut(*len) {
                Some(slot) => {
                    *slot = item;
                    *len += 1;
                }
                None => self.spill(item),
            },
            InlineList::Heap(v) => v.push(item),
        }
    }

    /// More items than the capacity estimate: move to the heap.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, item: T) {
        if let InlineList::Inline(items, _) = self {
            let mut v = Vec::with_capacity(2 * N.max(1));
            v.extend_from_slice(items);
            v.push(item);
            *self = InlineList::Heap(v);
        }
    }

    /// Makes room for `n` items in all, on the heap when they do not fit inline: the list stays
    /// where it is (a list made with [`with_capacity`](Self::with_capacity) is a new one, moved
    /// into place).
    pub(crate) fn reserve_total(&mut self, n: usize) {
        if let InlineList::Inline(items, len) = self
            && n > N
        {
            let mut v = Vec::with_capacity(n);
            v.extend_from_slice(invariant::some(items.get(..*len)));
            *self = InlineList::Heap(v);
        }
    }

    #[inline]
    pub(crate) fn extend(&mut self, items: impl Iterator<Item = T>) {
        for item in items {
            self.push(item);
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            // `push` keeps `len` at most `N`, the array's length.
            InlineList::Inline(items, len) => invariant::some(items.get(..*len)),
            InlineList::Heap(v) => v,
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            // `push` keeps `len` at most `N`, the array's length.
            InlineList::Inline(items, len) => invariant::some(items.get_mut(..*len)),
            InlineList::Heap(v) => v,
        }
    }
}

/// Where a parameter of a request came from (§3.4.1.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Source {
    #[default]
    Query,
    Body,
    Header,
}

/// How the query's names and values enter the signature base string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryReading {
    /// RFC 5849 §3.4.1.3.1: "parsed into a list of name/value pairs by treating it as an
    /// "application/x-www-form-urlencoded" string", so `+` is a space, and each name and value is
    /// then encoded (§3.4.1.3.2).
    Form,
    /// Mastercard's signers (Java's `OAuth.extractQueryParams`; the C# and PHP signers read a
    /// query the same way): a query without a percent escape, as sent, is its own normalized form, its names and
    /// values taken as written (`colon:value` and a literal `plus+value` stay, and are encoded
    /// once in the base string); a query with one is percent-decoded, `+` a plus sign, and
    /// encoded as the RFC says.
    Mastercard,
}

/// The request's own parameters (§3.4.1.3.1), each with its source: the query's, then the form
/// body's. The one collector the signer, the verifier and `signature_base_string` read a request
/// with; the protocol parameters join them from where each finds them.
pub(crate) fn request_params<'a>(
    query: &'a str,
    form_body: Option<&'a str>,
    reading: QueryReading,
) -> impl Iterator<Item = (Source, Param<'a>)> {
    let body = form_body.map(form_pairs).into_iter().flatten();
    let mastercard = reading == QueryReading::Mastercard;
    let as_written = mastercard && query_is_as_written(query);
    form_pairs(query)
        .map(move |p| {
            let p = if mastercard {
                Param {
                    name: mastercard_text(p.name, as_written),
                    value: mastercard_text(p.value, as_written),
                }
            } else {
                p
            };
            (Source::Query, p)
        })
        .chain(body.map(|p| (Source::Body, p)))
}

/// Whether Mastercard's signers take `query` as written: it holds no percent escape as it is
/// sent (a byte a URI may not hold raw, such as a space, is sent escaped, so the provider sees an
/// escape there).
fn query_is_as_written(query: &str) -> bool {
    query
        .bytes()
        .all(|b| b != b'%' && crate::request::URI_RAW[usize::from(b)])
}

/// A query name or value as [`QueryReading::Mastercard`] reads it.
fn mastercard_text(text: Text<'_>, as_written: bool) -> Text<'_> {
    match text {
        Text::Plain(s) | Text::Form(s) if as_written => Text::AsSent(s),
        // Java's `URI.getQuery()` decodes escapes but leaves `+` alone.
        Text::Form(s) => Text::Percent(s),
        // Unreserved (`Verbatim`) text is its own normalized form under every reading.
        _ => text,
    }
}

/// How many parameters [`request_params`] may yield at most, for sizing a list once.
pub(crate) fn max_request_params(query: &str, form_body: Option<&str>) -> usize {
    max_form_pairs(query) + form_body.map_or(0, max_form_pairs)
}

/// Splits `application/x-www-form-urlencoded` text (a query or a form body) into pairs.
///
/// Escapes must have been validated. Empty segments (`a=1&&b=2`, a trailing `&`) carry no
/// parameter and are skipped; a segment without `=` is a name with an empty value.
pub(crate) fn form_pairs(text: &str) -> FormPairs<'_> {
    FormPairs { rest: text }
}

/// The pairs of form-encoded text, each with whether its name and value hold anything to decode
/// or encode.
#[derive(Clone, Debug)]
pub(crate) struct FormPairs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for FormPairs<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // One pass: the classes of the bytes OR-ed together, name and value apart; only `&`
            // and `=` need a branch. `end` and `eq` are on ASCII bytes: char boundaries.
            let bytes = self.rest.as_bytes();
            let (eq, name_class, value_class, end) = split_pair(bytes);
            let pair = invariant::some(self.rest.get(..end));
            // After the last pair (no `&`, `end` is the length) nothing is left.
            self.rest = self.rest.get(end + 1..).unwrap_or("");
            if pair.is_empty() {
                continue;
            }
            let (name, value) = match eq {
                // `i` is the pair's first `=`, before `end`.
                Some(i) => (
                    invariant::some(pair.get(..i)),
                    invariant::some(pair.get(i + 1..)),
                ),
                None => (pair, ""),
            };
            return Some(Param {
                name: form_text(name, name_class),
                value: form_text(value, value_class),
            });
        }
    }
}

/// Splits the first pair of form text: where its `=` is (if any), the classes of its name and
/// value, and where the pair ends (at `&` or the end).
#[inline]
fn split_pair(bytes: &[u8]) -> (Option<usize>, u8, u8, usize) {
    let (at, name_class) = scan_classes(bytes, 0, &FORM_CLASS, DELIMITER);
    if bytes.get(at) != Some(&b'=') {
        return (None, name_class, 0, at);
    }
    // A second `=` belongs to the value.
    let (mut end, mut value_class) = (at + 1, 0);
    loop {
        let (stop, class) = scan_classes(bytes, end, &FORM_CLASS, DELIMITER);
        value_class |= class;
        end = stop;
        match bytes.get(end) {
            Some(b'=') => {
                // The `=` is part of the value, and encodes to `%3D`.
                value_class |= RESERVED;
                end += 1;
            }
            _ => return (Some(at), name_class, value_class, end),
        }
    }
}

/// Form text, by the classes of its bytes: with something to decode, unreserved only (it
/// encodes to itself), or plain.
fn form_text(s: &str, class: u8) -> Text<'_> {
    if class & CODED != 0 {
        Text::Form(s)
    } else if class & RESERVED == 0 {
        Text::Verbatim(s)
    } else {
        Text::Plain(s)
    }
}

/// `&` or `=`: where pairs and names end.
const DELIMITER: u8 = 1;
/// `%` or `+`: form text to decode.
const CODED: u8 = 4;
/// Not an RFC 3986 unreserved character.
const RESERVED: u8 = 8;

/// The classes of every byte of form-encoded text.
static FORM_CLASS: [u8; 256] = {
    let unreserved = crate::encoding::byte_table(b"-._~", false);
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        if !unreserved[b] {
            table[b] = RESERVED;
        }
        b += 1;
    }
    table[b'&' as usize] |= DELIMITER;
    table[b'=' as usize] |= DELIMITER;
    table[b'%' as usize] |= CODED;
    table[b'+' as usize] |= CODED;
    table
};

/// How many pairs `form_pairs` may yield at most, for sizing a list once.
pub(crate) fn max_form_pairs(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    // Counted in byte-sized lanes, 255 bytes at a time, so that the count vectorizes.
    let ampersands: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            usize::from(
                chunk
                    .iter()
                    .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'&'))),
            )
        })
        .sum();
    1 + ampersands
}

/// Sorts `params` into §3.4.1.3.2 order.
pub(crate) fn sort(params: &mut [Param<'_>]) {
    params.sort_unstable_by(Param::cmp_normalized);
}

/// Appends the normalized parameter string of sorted `params` to `out`, percent-encoded once more
/// when `twice` (as it stands inside the signature base string).
pub(crate) fn write_normalized(params: &[Param<'_>], out: &mut String, twice: bool) {
    let (eq, amp) = if twice { ("%3D", "%26") } else { ("=", "&") };
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            out.push_str(amp);
        }
        p.name.write_encoded(out, twice);
        out.push_str(eq);
        p.value.write_encoded(out, twice);
    }
}

/// The normalized parameter string of `params` in any order (§3.4.1.3.2).
///
/// `pairs` are plain (already decoded) names and values.
///
/// ```
/// let normalized = oauth1_core::wire::normalize_parameters(&[("a", "x y"), ("a", "x!y"), ("name", "")]);
/// assert_eq!(normalized, "a=x%20y&a=x%21y&name=");
/// ```
pub fn normalize_parameters(pairs: &[(&str, &str)]) -> String {
    let mut params: Vec<Param<'_>> = pairs.iter().map(|&(n, v)| Param::plain(n, v)).collect();
    sort(&mut params);
    let mut out = String::new();
    write_normalized(&params, &mut out, false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `reserve_total` keeps what fits inline, and moves a list that will not fit to the heap
    /// once, with room for all, keeping what it held.
    #[test]
    fn room_for_all_is_made_once() {
        let mut list: InlineList<u8, 4> = InlineList::with_capacity(0);
        list.push(7);
        list.reserve_total(4);
        assert!(matches!(list, InlineList::Inline(_, 1)));
        list.reserve_total(9);
        match &list {
            InlineList::Heap(v) => assert!(v.capacity() >= 9 && v == &[7]),
            InlineList::Inline(..) => panic!("nine items do not fit in four"),
        }
    }

    fn normalized_form(text: &str) -> String {
        let mut params: Vec<Param<'_>> = form_pairs(text).collect();
        sort(&mut params);
        let mut out = String::new();
        write_normalized(&params, &mut out, false);
        out
    }

    #[test]
    fn wiki_normalization_vectors() {
        assert_eq!(normalized_form("name"), "name=");
        assert_eq!(normalized_form("a=b"), "a=b");
        assert_eq!(normalized_form("a=b&c=d"), "a=b&c=d");
        assert_eq!(normalized_form("a=x!y&a=x+y"), "a=x%20y&a=x%21y");
        assert_eq!(normalized_form("x!y=a&x=a"), "x=a&x%21y=a");
    }

    #[test]
    fn sorts_by_name_then_value_not_joined_pairs() {
        // Sorting joined `k=v` strings would put `a2=…` before `a=…`.
        assert_eq!(normalize_parameters(&[("a2", "1"), ("a", "2")]), "a=2&a2=1");
        assert_eq!(
            normalize_parameters(&[("a", "b"), ("a", "a"), ("a", "")]),
            "a=&a=a&a=b"
        );
    }

    #[test]
    fn mastercard_reads_a_query_without_escapes_as_written() {
        let read = |query: &'static str| -> Vec<Param<'static>> {
            request_params(query, None, QueryReading::Mastercard)
                .map(|(_, p)| p)
                .collect()
        };
        let p = read("a=x+y&b=c:d&e=f");
        assert_eq!(p[0].value, Text::AsSent("x+y"));
        assert_eq!(p[1].value, Text::AsSent("c:d"));
        assert_eq!(p[2].value, Text::Verbatim("f"));
        // An escape anywhere: decoded, `+` a plus sign.
        let p = read("a=x+y&b=c:d&e=%20");
        assert_eq!(p[0].value, Text::Percent("x+y"));
        assert_eq!(p[1].value, Text::Plain("c:d"));
        // A byte sent escaped counts as an escape.
        assert_eq!(read("a=x+y&b=c d")[0].value, Text::Percent("x+y"));
        // The RFC reading is untouched, and a form body keeps it.
        let rfc: Vec<_> = request_params("a=x+y", Some("b=x+y"), QueryReading::Form).collect();
        let mastercard: Vec<_> =
            request_params("a=x", Some("b=x+y"), QueryReading::Mastercard).collect();
        assert_eq!(rfc[0].1.value, Text::Form("x+y"));
        assert_eq!(rfc[1].1.value, mastercard[1].1.value);
    }

    #[test]
    fn an_inline_list_stays_on_the_stack_up_to_n_and_keeps_every_item_beyond() {
        assert!(matches!(
            InlineList::<u8, 4>::with_capacity(4),
            InlineList::Inline(_, 0)
        ));
        assert!(matches!(
            InlineList::<u8, 4>::with_capacity(5),
            InlineList::Heap(_)
        ));
        // An estimate that was too small: the items past `N` move to the heap, none is lost.
        let mut list = InlineList::<u8, 4>::with_capacity(0);
        list.extend(0..10);
        assert!(matches!(list, InlineList::Heap(_)));
        assert_eq!(list.as_slice(), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        list.as_mut_slice().reverse();
        assert_eq!(list.as_slice()[0], 9);
    }

    #[test]
    fn a_second_equals_sign_belongs_to_the_value() {
        assert_eq!(normalized_form("a=x=y"), "a=x%3Dy");
        assert_eq!(normalized_form("a=x:y=z"), "a=x%3Ay%3Dz");
        // The escape before the `=` is still decoded.
        assert_eq!(normalized_form("a=%41=b"), "a=A%3Db");
        assert_eq!(normalized_form("a=="), "a=%3D");
    }

    #[test]
    fn skips_empty_segments() {
        assert_eq!(normalized_form("a=1&&b=2&"), "a=1&b=2");
        assert_eq!(normalized_form("="), "=");
        assert_eq!(max_form_pairs(""), 0);
        assert_eq!(max_form_pairs("a&b"), 2);
    }
}
