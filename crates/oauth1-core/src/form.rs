//! RFC 5849 §3.4.1.3.1: reading `application/x-www-form-urlencoded` text (a query component or a
//! form body) as decoded name/value pairs, for servers and tools that need the parameters
//! themselves rather than a signature over them.
//!
//! > The query component is parsed into a list of name/value pairs by treating it as an
//! > "application/x-www-form-urlencoded" string, separating the names and values and decoding
//! > them as defined by W3C.REC-html40-19980424, Section 17.13.4.
//!
//! The pairs are split by the same code the signer and the verifier use (`params::form_pairs`).

use alloc::string::String;
use alloc::vec::Vec;

use crate::encoding::{Text, validate_escapes};
use crate::params::form_pairs;

/// Splits form-encoded text into its name/value pairs, decoded, in the order sent.
///
/// Empty segments (`a=1&&b=2`, a trailing `&`) carry no pair; a segment without `=` is a name with
/// an empty value; repeated names are all kept. Each name and value is decoded as [`form_decode`]
/// does, so this never fails: it reads what a lenient server reads. (The verifier is strict
/// instead: an invalid escape in a signed request is `parameter_rejected`.)
///
/// ```
/// let pairs = oauth1_core::wire::parse_form("a=1&b=x+y%21&&c&a=2");
/// let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
/// assert_eq!(pairs, [("a", "1"), ("b", "x y!"), ("c", ""), ("a", "2")]);
/// ```
pub fn parse_form(text: &str) -> Vec<(String, String)> {
    form_pairs(text)
        .map(|p| (form_decode(p.name.raw()), form_decode(p.value.raw())))
        .collect()
}

/// Decodes one form-encoded name or value: `+` is a space and `%XX` the byte `XX`; bytes that are
/// not UTF-8 become U+FFFD. Text with an invalid escape (a `%` not followed by two hexadecimal
/// digits) is returned as it stands, with `+` read as a space.
///
/// ```
/// assert_eq!(oauth1_core::wire::form_decode("x+y%21"), "x y!");
/// assert_eq!(oauth1_core::wire::form_decode("100%+sure"), "100% sure");
/// ```
pub fn form_decode(text: &str) -> String {
    if validate_escapes(text.as_bytes()).is_err() {
        return text.replace('+', " ");
    }
    String::from_utf8_lossy(&Text::Form(text).decoded()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::borrow::ToOwned;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse_form(text)
    }

    fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn splits_like_the_signer() {
        assert_eq!(pairs(""), owned(&[]));
        assert_eq!(pairs("&&"), owned(&[]));
        assert_eq!(pairs("a"), owned(&[("a", "")]));
        assert_eq!(pairs("a="), owned(&[("a", "")]));
        assert_eq!(pairs("a=b=c"), owned(&[("a", "b=c")]));
        assert_eq!(pairs("=v"), owned(&[("", "v")]));
        assert_eq!(
            pairs("c2&a3=2+q&a3=a"),
            owned(&[("c2", ""), ("a3", "2 q"), ("a3", "a")])
        );
    }

    #[test]
    fn decodes_leniently() {
        assert_eq!(form_decode("a%20b+c%2B"), "a b c+");
        assert_eq!(form_decode("%zz+1"), "%zz 1");
        assert_eq!(form_decode("%"), "%");
        assert_eq!(form_decode("%FF"), "\u{FFFD}");
        assert_eq!(form_decode("%E3%80%81"), "\u{3001}");
        assert_eq!(pairs("%zz=%4"), owned(&[("%zz", "%4")]));
    }
}
