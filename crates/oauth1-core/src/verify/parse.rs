//! Reading a request for verification: its parameters, each tagged with where it came from,
//! and its protocol parameters, each once.

use alloc::borrow::Cow;
use alloc::string::String;

use super::*;
use crate::base_string::write_base_string;
use crate::encoding::Text;
use crate::header::{AuthorizationHeader, HeaderLimits, parse_authorization_into};
use crate::params::{
    self, INLINE_PARAMS, InlineList, Param, QueryReading, Source, max_request_params,
    request_params,
};
use crate::protocol::{Name, PREFIX, is_protocol};
use crate::request::{Request, Url, validate_method};

impl Verifier {
    /// Everything `verify` and `inspect` share: the URL, the form body, the header and every
    /// parameter tagged with its source, and the protocol parameters (each once, one source).
    pub(super) fn parse<'a>(
        &self,
        request: &Request<'a>,
        authorization: Option<&'a str>,
    ) -> Result<Parsed<'a>, VerifyError> {
        let mut parsed = Parsed::empty();
        self.parse_into(request, authorization, &mut parsed)?;
        Ok(parsed)
    }

    /// [`parse`](Self::parse) into `parsed` (empty), where the caller keeps it: the parse holds
    /// every parameter inline, a few kilobytes that `verify` need not move.
    pub(super) fn parse_into<'a>(
        &self,
        request: &Request<'a>,
        authorization: Option<&'a str>,
        parsed: &mut Parsed<'a>,
    ) -> Result<(), VerifyError> {
        debug_assert!(
            parsed.all.as_slice().is_empty(),
            "parsed into an empty parse only"
        );
        validate_method(request.method())?;
        let url = Url::parse(request.url())?;
        let form_body = self.form_body(request)?;

        // Parsed where it is kept (the parse is large): empty without a signed header.
        let mut header = AuthorizationHeader::empty();
        let signed_header = match authorization {
            Some(value) if is_oauth_scheme(value) => {
                let limits = HeaderLimits {
                    max_len: self.limits.max_header_len,
                    max_params: self.limits.max_params,
                };
                parse_authorization_into(value, limits, &mut header)
                    .map_err(VerifyError::Header)?;
                true
            }
            _ => false,
        };
        let signed = signed_header.then_some(&header);

        // A URL without a query has no query parameters (§3.4.1.3.1).
        let query = url.query.unwrap_or("");
        let header_count = signed.map_or(0, |h| h.params.as_slice().len());
        let count = max_request_params(query, form_body) + header_count;
        if count > self.limits.max_params {
            return Err(VerifyError::TooManyParameters {
                limit: self.limits.max_params,
            });
        }

        let mastercard = self.as_sent && signed.is_some_and(has_protocol_params);
        let reading = if mastercard {
            QueryReading::Mastercard
        } else {
            QueryReading::Form
        };

        // Every parameter, tagged with where it came from.
        let all = &mut parsed.all;
        all.reserve_total(count);
        all.extend(request_params(query, form_body, reading));
        if let Some(h) = signed {
            // §3.4.1.3.1: "The OAuth HTTP Authorization header field (Section 3.5.1) if present.
            // The header's content is parsed into a list of name/value pairs excluding the
            // "realm" parameter if present." Every parameter, then, not only the `oauth_` ones.
            all.extend((0..h.params.as_slice().len()).map(|i| {
                let value = match h.value(i) {
                    // Mastercard's convention: the text sent is the normalized value.
                    Text::Plain(raw) | Text::Percent(raw) if mastercard => Text::AsSent(raw),
                    value => value,
                };
                let p = Param {
                    name: h.name(i),
                    value,
                };
                (Source::Header, p)
            }));
        }

        // The list was sized from `count`, a bound of what it holds: more would have spilled.
        debug_assert!(all.as_slice().len() <= count, "{count} parameters at most");
        parsed.protocol.collect(all.as_slice())?;
        // Of the header only what is not in `all` is kept: the parsed header is large.
        parsed.realm = header.realm.take();
        parsed.url = url;
        parsed.form_body = form_body;
        parsed.signed_header = signed_header;
        Ok(())
    }

    pub(super) fn form_body<'a>(
        &self,
        request: &Request<'a>,
    ) -> Result<Option<&'a str>, VerifyError> {
        if !request.has_form_body() {
            return Ok(None);
        }
        let body_len = request.body().map_or(0, <[u8]>::len);
        if body_len > self.limits.max_form_body_len {
            return Err(VerifyError::BodyTooLarge {
                limit: self.limits.max_form_body_len,
            });
        }
        Ok(request.form_text()?)
    }
}

impl Verifier {
    /// Whether `request` carries no OAuth protocol parameter anywhere: no `Authorization: OAuth`
    /// header, and no `oauth_` parameter in its query or form body. A server that serves
    /// anonymous requests too lets these through unverified (oauth1-hyper's
    /// `VerifyLayer::allow_unsigned`); a request with any protocol parameter is verified, and
    /// refused if it does not check out. A request the verifier cannot even parse is not
    /// "unsigned": verifying it says why it is refused.
    ///
    /// ```
    /// use oauth1_core::{Request, Verifier};
    ///
    /// let verifier = Verifier::new();
    /// let anonymous = Request::new("GET", "https://api.example.com/feed?page=2");
    /// assert!(verifier.is_unsigned(&anonymous, None));
    /// assert!(verifier.is_unsigned(&anonymous, Some("Basic dXNlcjpwYXNz")));
    /// assert!(!verifier.is_unsigned(&anonymous, Some(r#"OAuth oauth_consumer_key="k""#)));
    /// let in_query = Request::new("GET", "https://api.example.com/feed?oauth_token=t");
    /// assert!(!verifier.is_unsigned(&in_query, None));
    /// ```
    pub fn is_unsigned(&self, request: &Request<'_>, authorization: Option<&str>) -> bool {
        self.parse(request, authorization).is_ok_and(|parsed| {
            !parsed.signed_header
                && !parsed
                    .all
                    .as_slice()
                    .iter()
                    .any(|(_, p)| is_protocol(p.name))
        })
    }
}

impl Parsed<'_> {
    /// Nothing parsed yet: no URL, no parameter, every protocol slot empty.
    pub(super) fn empty() -> Self {
        Parsed {
            url: Url::default(),
            form_body: None,
            signed_header: false,
            realm: None,
            all: InlineList::with_capacity(0),
            protocol: ProtocolParams {
                known: [None; Name::ALL.len()],
                unknown: false,
            },
        }
    }
}

/// A request parsed for verification.
pub(super) struct Parsed<'a> {
    pub(super) url: Url<'a>,
    pub(super) form_body: Option<&'a str>,
    /// Whether an `Authorization: OAuth` header was sent (its parameters are in `all`).
    pub(super) signed_header: bool,
    /// The header's realm, unescaped.
    pub(super) realm: Option<Cow<'a, str>>,
    pub(super) all: InlineList<(Source, Param<'a>), INLINE_PARAMS>,
    pub(super) protocol: ProtocolParams<'a>,
}

/// The signature base string of a parsed request: every parameter but `oauth_signature`; with
/// room for `extra` more bytes.
pub(super) fn base_string_of(
    method: &str,
    url: &Url<'_>,
    all: &[(Source, Param<'_>)],
    protocol: &ProtocolParams<'_>,
    extra: usize,
) -> String {
    let mut base_params: InlineList<Param<'_>, INLINE_PARAMS> =
        InlineList::with_capacity(all.len());
    if protocol.unknown {
        base_params.extend(
            all.iter()
                .filter(|(_, p)| !p.name.eq_str(Name::Signature.as_str()))
                .map(|&(_, p)| p),
        );
        params::sort(base_params.as_mut_slice());
    } else {
        // Every protocol parameter has its slot, and the slots are in alphabetical order: sort
        // the request's own parameters only, and move the protocol block into place (every
        // encoded `oauth_…` name sorts the same way against any name that does not), as the
        // signer does. Protocol names are unique, so their values never decide their order.
        base_params.extend(
            all.iter()
                .filter(|(_, p)| !is_protocol(p.name))
                .map(|&(_, p)| p),
        );
        let own = base_params.as_mut_slice();
        params::sort(own);
        let before = own.partition_point(|p| p.name.cmp_encoded(Text::Verbatim(PREFIX)).is_lt());
        let own_len = own.len();
        base_params.extend(
            Name::ALL
                .into_iter()
                .filter(|&name| name != Name::Signature)
                .filter_map(|name| {
                    let value = protocol.text(name)?;
                    Some(Param {
                        name: Text::Verbatim(name.as_str()),
                        value,
                    })
                }),
        );
        let block = base_params.as_slice().len() - own_len;
        if let Some(tail) = base_params.as_mut_slice().get_mut(before..) {
            tail.rotate_right(block);
        }
    }
    let base_params = base_params.as_mut_slice();
    debug_assert!(
        base_params.is_sorted_by(|a, b| a.cmp_normalized(b).is_le()),
        "the base string's parameters in §3.4.1.3.2 order"
    );
    let raw_len: usize = base_params
        .iter()
        .map(|p| p.name.raw().len() + p.value.raw().len() + 2)
        .sum();
    // An upper bound (a byte grows at most 5 times: `:` -> `%3A` -> `%253A`), asserted below so
    // that one too small fails the tests (issue 33). The `%2F` of an empty path fits in the room
    // `://` leaves (3 bytes counted 15 times, written as 9).
    let bound = method.len() + 5 * url.without_fragment.len() + 5 * raw_len;
    let mut base_string = String::with_capacity(bound + extra);
    write_base_string(method, url, base_params, &mut base_string);
    debug_assert!(
        base_string.len() <= bound,
        "a base string of {} bytes, over its bound {bound}",
        base_string.len()
    );
    base_string
}

/// Whether the header carries protocol parameters: Mastercard's convention covers only those
/// requests, the header being the one placement its signers use.
fn has_protocol_params(header: &AuthorizationHeader<'_>) -> bool {
    (0..header.params.as_slice().len()).any(|i| is_protocol(header.name(i)))
}

pub(super) fn is_oauth_scheme(value: &str) -> bool {
    value
        .trim_start()
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("oauth"))
}

/// The decoded value as text (invalid UTF-8 replaced), borrowed when nothing needed decoding.
pub(super) fn lossy(t: Text<'_>) -> Cow<'_, str> {
    match t {
        Text::Plain(s) | Text::Verbatim(s) => Cow::Borrowed(s),
        Text::Form(_) | Text::Percent(_) | Text::AsSent(_) => {
            Cow::Owned(String::from_utf8_lossy(&t.decoded()).into_owned())
        }
    }
}

pub(super) fn parse_timestamp(t: &str) -> Result<u64, VerifyError> {
    if t.is_empty() || t.len() > 19 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::ParameterRejected {
            name: Name::Timestamp.as_str(),
        });
    }
    t.parse().map_err(|_| VerifyError::ParameterRejected {
        name: Name::Timestamp.as_str(),
    })
}

/// The protocol parameters of a request, each at most once and all from one place. They stay
/// borrowed from the request: values are decoded only when one is needed.
pub(super) struct ProtocolParams<'a> {
    pub(super) known: [Option<Text<'a>>; Name::ALL.len()],
    /// Whether an `oauth_` name outside [`Name`] was sent (it has no slot).
    pub(super) unknown: bool,
}

impl<'a> ProtocolParams<'a> {
    /// Reads the protocol parameters of `all` into their slots (all empty before): each name
    /// once, from one source.
    pub(super) fn collect(&mut self, all: &[(Source, Param<'a>)]) -> Result<(), VerifyError> {
        let ProtocolParams { known, unknown } = self;
        debug_assert!(
            known.iter().all(Option::is_none),
            "collected into empty slots only"
        );
        let mut source = None;
        for (i, &(from, p)) in all.iter().enumerate() {
            if !is_protocol(p.name) {
                continue;
            }
            if source.is_some_and(|s| s != from) {
                return Err(VerifyError::ProtocolParametersSplit);
            }
            source = Some(from);
            let duplicate = match Name::of(p.name) {
                Some(name) => known
                    .get_mut(name.index())
                    .is_some_and(|v| v.replace(p.value).is_some()),
                // Other `oauth_` names are rare: compare them with the ones before.
                None => {
                    *unknown = true;
                    all.iter().take(i).any(|(_, q)| q.name.same_decoded(p.name))
                }
            };
            if duplicate {
                return Err(VerifyError::DuplicateParameter(lossy(p.name).into_owned()));
            }
        }
        Ok(())
    }

    /// A parameter's value, still in its transfer encoding.
    pub(super) fn text(&self, name: Name) -> Option<Text<'a>> {
        self.known.get(name.index()).copied().flatten()
    }

    pub(super) fn required(&self, name: Name) -> Result<Text<'a>, VerifyError> {
        self.text(name).ok_or(VerifyError::ParameterAbsent {
            name: name.as_str(),
        })
    }
}
