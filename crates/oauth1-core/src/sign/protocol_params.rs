//! The protocol parameters of one request, in rendering order, and how each is written in the
//! header, the query or the form body.

use alloc::string::String;

use crate::encoding::Text;
use crate::header::write_authorization;
use crate::params::Param;
use crate::protocol::Name;

use super::{Choices, Placement};

/// The protocol parameters of one request, in rendering order.
pub(super) struct ProtocolParams<'a> {
    /// Values by [`Name::index`]; `oauth_signature`'s slot stays empty until rendering.
    pub(super) values: [Option<Text<'a>>; Name::ALL.len()],
    pub(super) extra: &'a [(&'a str, &'a str)],
}

impl<'a> ProtocolParams<'a> {
    pub(super) fn count(&self) -> usize {
        self.values.iter().flatten().count() + self.extra.len()
    }

    /// Raw length of the names and values, for sizing buffers.
    pub(super) fn raw_len(&self) -> usize {
        Name::ALL
            .iter()
            .zip(&self.values)
            .filter_map(|(n, v)| Some(n.as_str().len() + (*v)?.raw().len()))
            .chain(self.extra.iter().map(|(n, v)| n.len() + v.len()))
            .sum()
    }

    /// The signed parameters (all but `oauth_signature`) as base-string entries. The names are
    /// unreserved text, copied without encoding.
    pub(super) fn signed(&self) -> impl Iterator<Item = Param<'a>> + '_ {
        Name::ALL
            .iter()
            .zip(&self.values)
            .filter_map(|(name, value)| {
                Some(Param {
                    name: Text::Verbatim(name.as_str()),
                    value: (*value)?,
                })
            })
            .chain(self.extra.iter().map(|&(n, v)| Param::plain(n, v)))
    }

    /// Appends the protocol parameters, `oauth_signature` included, in their placement: the
    /// header value, the URL's query (after the URL already in `out`) or the body. Returns where
    /// the URL ends and where the protocol parameters begin.
    pub(super) fn place(
        &self,
        choices: &Choices,
        query: Option<&str>,
        form_body: Option<&str>,
        signature: &str,
        out: &mut String,
    ) -> (usize, usize) {
        match choices.placement {
            Placement::Header => {
                let url_end = out.len();
                self.write_header(choices.realm.as_deref(), signature, out);
                (url_end, url_end)
            }
            Placement::Query => {
                out.push_str(match query {
                    None => "?",
                    Some(q) if q.is_empty() || q.ends_with('&') => "",
                    Some(_) => "&",
                });
                let protocol_start = out.len();
                self.write_form(signature, out);
                (out.len(), protocol_start)
            }
            Placement::Body => {
                let url_end = out.len();
                // A request without a form body gets one that holds the protocol parameters.
                let body = form_body.unwrap_or("");
                out.push_str(body);
                if !body.is_empty() && !body.ends_with('&') {
                    out.push('&');
                }
                let protocol_start = out.len();
                self.write_form(signature, out);
                (url_end, protocol_start)
            }
        }
    }

    /// The fixed protocol parameters as sent, `oauth_signature` included, in alphabetical order.
    pub(super) fn fixed<'s>(
        &'s self,
        signature: &'s str,
    ) -> impl Iterator<Item = (Name, Text<'s>)> + 's {
        Name::ALL
            .into_iter()
            .zip(&self.values)
            .filter_map(move |(name, &value)| {
                let value = match name {
                    Name::Signature => Text::Plain(signature),
                    _ => value?,
                };
                Some((name, value))
            })
    }

    /// The extra protocol parameters, after the fixed ones.
    pub(super) fn extra(&self) -> impl Iterator<Item = (Text<'a>, Text<'a>)> + '_ {
        self.extra
            .iter()
            .map(|&(n, v)| (Text::Plain(n), Text::Plain(v)))
    }

    /// Appends the `Authorization` header value.
    pub(super) fn write_header(&self, realm: Option<&str>, signature: &str, out: &mut String) {
        write_authorization(realm, self.fixed(signature), self.extra(), out);
    }

    /// Appends `name=enc(value)&…` for every protocol parameter, the signature included.
    pub(super) fn write_form(&self, signature: &str, out: &mut String) {
        let fixed = self
            .fixed(signature)
            .map(|(name, value)| (Text::Verbatim(name.as_str()), value));
        for (i, (name, value)) in fixed.chain(self.extra()).enumerate() {
            if i > 0 {
                out.push('&');
            }
            name.write_encoded(out, false);
            out.push('=');
            value.write_encoded(out, false);
        }
    }
}

/// Whether `text` can stand unencoded in a quoted `Authorization` header value and be read back
/// as itself: printable ASCII without `"`, `\`, `,` (which end or split the value) and `%`
/// (which a reader decodes).
pub(super) fn travels_unencoded(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\\' | b',' | b'%'))
}

/// Plain text, marked verbatim when it encodes to itself (checked once, used twice).
pub(super) fn classify(s: &str) -> Text<'_> {
    if crate::encoding::all_unreserved(s.as_bytes()) {
        Text::Verbatim(s)
    } else {
        Text::Plain(s)
    }
}
