//! The signed request and why signing can fail.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::Placement;
use crate::header::{HeaderLimits, parse_authorization_with};
use crate::invariant;
use crate::protocol::Name;
use crate::request::RequestError;
use crate::signature::SignatureError;

/// Where the parts of a signed request are in its buffer (byte offsets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parts {
    /// The base string ends and the signature begins here.
    pub(super) base_end: usize,
    /// The signature ends and the URL begins here.
    pub(super) signature_end: usize,
    /// The URL ends here; the header value or the body follows.
    pub(super) url_end: usize,
    /// The protocol parameters begin here (in the query or the body).
    pub(super) protocol_start: usize,
    /// Whether the signature is the secrets themselves (PLAINTEXT): `Debug` hides it.
    pub(super) secret_signature: bool,
}

/// A signed request: the protocol parameters in their placement, and every intermediate value a
/// person needs when a provider answers `signature_invalid`.
#[derive(Clone, PartialEq, Eq)]
pub struct Signed {
    pub(super) placement: Placement,
    /// The base string, the signature, the URL to send, then (header placement) the header
    /// value or (body placement) the body: one allocation.
    pub(super) buf: String,
    pub(super) parts: Parts,
}

impl Signed {
    /// A signed request whose parts lie in `buf` in order. The signer computes the offsets as
    /// it writes; every accessor relies on them.
    pub(super) fn new(placement: Placement, buf: String, parts: Parts) -> Self {
        let on_boundary = |i: usize| buf.is_char_boundary(i);
        debug_assert!(
            parts.base_end <= parts.signature_end
                && parts.signature_end <= parts.url_end
                && parts.url_end <= buf.len()
                && parts.signature_end <= parts.protocol_start
                && parts.protocol_start <= buf.len()
                && [
                    parts.base_end,
                    parts.signature_end,
                    parts.url_end,
                    parts.protocol_start
                ]
                .into_iter()
                .all(on_boundary),
            "signed parts out of order: {parts:?}"
        );
        Signed {
            placement,
            buf,
            parts,
        }
    }

    /// `buf[start..end]` (or to the end).
    fn part(&self, start: usize, end: Option<usize>) -> &str {
        // The offsets are the parts' bounds, which `Signed::new` checked: in order, within the
        // buffer and on char boundaries.
        invariant::some(match end {
            Some(end) => self.buf.get(start..end),
            None => self.buf.get(start..),
        })
    }

    /// Where the protocol parameters were placed.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// What to send, and where: the value an HTTP client applies to its request, deciding
    /// nothing. [`oauth1_core::http::apply`](crate::http::apply) applies it to
    /// `http::request::Parts`.
    ///
    /// ```
    /// # #[cfg(feature = "sha1")] {
    /// use oauth1_core::client::Placed;
    /// use oauth1_core::{ClientCredentials, Placement, Request, Signer};
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?
    ///     .with_placement(Placement::Body);
    /// let signed = signer.sign(&Request::new("POST", "https://api.example.com/items"), "n", 1)?;
    /// match signed.placed() {
    ///     Placed::Header { authorization } => println!("Authorization: {authorization}"),
    ///     Placed::Query { url } => println!("send to {url}"),
    ///     Placed::Body { body, content_type } => {
    ///         assert_eq!(content_type, "application/x-www-form-urlencoded");
    ///         assert!(body.starts_with("oauth_consumer_key=key&"));
    ///     }
    /// }
    /// # }
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn placed(&self) -> Placed<'_> {
        match self.placement {
            Placement::Header => Placed::Header {
                authorization: self.part(self.parts.url_end, None),
            },
            Placement::Query => Placed::Query { url: self.url() },
            Placement::Body => Placed::Body {
                body: self.part(self.parts.url_end, None),
                content_type: crate::request::FORM_CONTENT_TYPE,
            },
        }
    }

    /// The signature base string (§3.4.1.1).
    pub fn base_string(&self) -> &str {
        self.part(0, Some(self.parts.base_end))
    }

    /// The signature, as computed (Base64 for HMAC and RSA), not percent-encoded.
    pub fn signature(&self) -> &str {
        self.part(self.parts.base_end, Some(self.parts.signature_end))
    }

    /// The `Authorization` header value, for header placement.
    pub fn authorization(&self) -> Option<&str> {
        (self.placement == Placement::Header).then(|| self.part(self.parts.url_end, None))
    }

    /// The URL to send the request to: with the protocol parameters in its query for query
    /// placement, and as given otherwise (less any fragment, with characters a URL may not hold
    /// percent-encoded).
    pub fn url(&self) -> &str {
        self.part(self.parts.signature_end, Some(self.parts.url_end))
    }

    /// The new `application/x-www-form-urlencoded` body, for body placement.
    pub fn body(&self) -> Option<&str> {
        (self.placement == Placement::Body).then(|| self.part(self.parts.url_end, None))
    }

    /// The base string URI (§3.4.1.2).
    pub fn base_string_uri(&self) -> String {
        self.base_string_part(1)
    }

    /// The normalized request parameters (§3.4.1.3.2).
    pub fn normalized_parameters(&self) -> String {
        self.base_string_part(2)
    }

    /// The protocol parameters as sent, `oauth_signature` included, not percent-encoded.
    pub fn oauth_params(&self) -> Vec<(String, String)> {
        // The signer percent-encoded every name and value it wrote (§3.6): each decodes.
        let decode = |s: &str| {
            let decoded = invariant::some(crate::encoding::percent_decode(s).ok());
            String::from_utf8_lossy(&decoded).into_owned()
        };
        match self.placement {
            // Header placement wrote a header, which parses: without limits, as it may be longer
            // or hold more parameters than a verifier's defaults take.
            Placement::Header => invariant::some(
                self.authorization()
                    .and_then(|value| parse_authorization_with(value, UNLIMITED).ok())
                    .map(|h| {
                        h.params()
                            .iter()
                            .map(|(n, v)| (decode(n), decode(v)))
                            .collect()
                    }),
            ),
            Placement::Query | Placement::Body => {
                let end = (self.placement == Placement::Query).then_some(self.parts.url_end);
                self.part(self.parts.protocol_start, end)
                    .split('&')
                    .map(|pair| {
                        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                        (decode(n), decode(v))
                    })
                    .collect()
            }
        }
    }

    fn base_string_part(&self, index: usize) -> String {
        // The method is a token without `&`, and the encoded parts hold no raw `&`: the base
        // string has exactly three parts.
        let part = invariant::some(self.base_string().split('&').nth(index));
        // The base string URI and the parameters were percent-encoded by the signer (§3.6).
        let decoded = invariant::some(crate::encoding::percent_decode(part).ok());
        String::from_utf8_lossy(&decoded).into_owned()
    }
}

/// No bounds: [`Signed::oauth_params`] reads back the header the signer wrote, whatever its size.
const UNLIMITED: HeaderLimits = HeaderLimits {
    max_len: usize::MAX,
    max_params: usize::MAX,
};

impl fmt::Debug for Signed {
    /// PLAINTEXT's signature is the shared secrets themselves: then the signature, and the output
    /// that carries it, are hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plaintext = self.parts.secret_signature;
        fn hide(plaintext: bool, s: Option<&str>) -> Option<&str> {
            if plaintext {
                s.map(|_| "<hidden: PLAINTEXT>")
            } else {
                s
            }
        }
        f.debug_struct("Signed")
            .field("placement", &self.placement)
            .field("base_string", &self.base_string())
            .field("signature", &hide(plaintext, Some(self.signature())))
            .field("url", &hide(plaintext, Some(self.url())))
            .field("authorization", &hide(plaintext, self.authorization()))
            .field("body", &hide(plaintext, self.body()))
            .finish()
    }
}

/// What a signed request sends, and where ([`Signed::placed`]): an HTTP client writes it into
/// its request and decides nothing.
///
/// `Debug` shows the variant and the lengths only: with PLAINTEXT the values carry the secrets
/// ([`Signed`]'s `Debug` shows them for the other methods).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Placed<'a> {
    /// Set the `Authorization` header to this value; the URL and the body stay as they are.
    Header {
        /// The `Authorization` header value (`OAuth …`).
        authorization: &'a str,
    },
    /// Send the request to this URL, which carries the protocol parameters in its query.
    Query {
        /// The URL to send the request to.
        url: &'a str,
    },
    /// Send this form body, with this `Content-Type` if the request has none.
    Body {
        /// The new `application/x-www-form-urlencoded` body: the request's form parameters, then
        /// the protocol parameters.
        body: &'a str,
        /// `application/x-www-form-urlencoded`.
        content_type: &'static str,
    },
}

impl fmt::Debug for Placed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = |s: &str| alloc::format!("<{} bytes>", s.len());
        match self {
            Placed::Header { authorization } => f
                .debug_struct("Header")
                .field("authorization", &len(authorization))
                .finish(),
            Placed::Query { url } => f.debug_struct("Query").field("url", &len(url)).finish(),
            Placed::Body { body, content_type } => f
                .debug_struct("Body")
                .field("body", &len(body))
                .field("content_type", content_type)
                .finish(),
        }
    }
}

/// Why a request could not be signed: the one error of signing, from building a
/// [`Signer`](crate::Signer) (a key that cannot be used) to writing the result into an HTTP
/// request.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignError {
    /// The method, URL or body is malformed.
    Request(RequestError),
    /// The key cannot be used or the signature could not be computed (building the signer, or
    /// signing).
    Signature(SignatureError),
    /// Body placement was asked for, but the request has a body that is not
    /// `application/x-www-form-urlencoded` (§3.5.2).
    BodyNotForm,
    /// `oauth_body_hash` was asked for with a signature method that has no digest (PLAINTEXT, a
    /// custom method): choose one with
    /// [`BodyHash::With`](crate::client::BodyHash::With).
    BodyHashNeedsAlgorithm,
    /// The realm holds a control or non-ASCII character, which an HTTP header cannot carry.
    InvalidRealm,
    /// An extra protocol parameter is empty, repeats another protocol parameter's name, or is
    /// `realm` with header placement (the header's `realm` is the realm, not a parameter).
    InvalidExtraParameter(String),
    /// The URL's query or the form body already holds an `oauth_` parameter. Protocol parameters
    /// are added by the signer, once and in one place (§3.1); pass provider-specific ones with
    /// [`Extras::params`](crate::client::Extras::params).
    ProtocolParameterInRequest(String),
    /// The operating system's random source failed to give a nonce.
    NonceUnavailable,
    /// The body the signature covers is longer than the limit an HTTP-client adapter reads into
    /// memory; the request was not sent.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The signature covers the body (a form, or `oauth_body_hash`), but the body is a stream
    /// the client cannot read without consuming it; the request was not sent.
    StreamingBody,
    /// PLAINTEXT with query placement, refused by a client that would leak the URL (the
    /// signature is both secrets).
    PlaintextInQuery,
    /// The `Authorization` value is not a valid HTTP header value for the client's HTTP library.
    InvalidHeaderValue,
    /// The signed URL is not a URI the client's HTTP library accepts.
    InvalidUri,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Request(e) => e.fmt(f),
            SignError::Signature(e) => e.fmt(f),
            SignError::BodyNotForm => f.write_str(
                "body placement needs an application/x-www-form-urlencoded body (or none); use header placement for other bodies",
            ),
            SignError::BodyHashNeedsAlgorithm => write!(
                f,
                "this signature method has no digest for {}: choose one (sha1, sha256 or sha512)",
                Name::BodyHash.as_str()
            ),
            SignError::InvalidRealm => f.write_str("the realm must be printable ASCII"),
            SignError::ProtocolParameterInRequest(name) => write!(
                f,
                "the request already holds protocol parameter {name:?}; protocol parameters are added by the signer (pass provider-specific ones as extra parameters)"
            ),
            SignError::InvalidExtraParameter(name) => write!(
                f,
                "extra protocol parameter {name:?} is empty, repeats another protocol parameter or is the header's realm"
            ),
            SignError::NonceUnavailable => {
                f.write_str("the operating system's random source failed to give a nonce")
            }
            SignError::BodyTooLarge { limit } => write!(
                f,
                "the body to sign is longer than the limit of {limit} bytes; raise the adapter's body limit"
            ),
            SignError::StreamingBody => f.write_str(
                "the signature covers this body (a form, or oauth_body_hash), but it is a stream; give the body as bytes",
            ),
            SignError::PlaintextInQuery => f.write_str(
                "the PLAINTEXT method would put both secrets into the URL's query; use header placement (or allow it explicitly)",
            ),
            SignError::InvalidHeaderValue => {
                f.write_str("the Authorization value is not a valid HTTP header value")
            }
            SignError::InvalidUri => {
                f.write_str("the signed URL is not a URI the HTTP library accepts")
            }
        }
    }
}

impl core::error::Error for SignError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            SignError::Request(e) => Some(e),
            SignError::Signature(e) => Some(e),
            _ => None,
        }
    }
}

impl From<RequestError> for SignError {
    fn from(e: RequestError) -> Self {
        SignError::Request(e)
    }
}

impl From<SignatureError> for SignError {
    fn from(e: SignatureError) -> Self {
        SignError::Signature(e)
    }
}

impl From<crate::signature::KeyError> for SignError {
    fn from(e: crate::signature::KeyError) -> Self {
        SignError::Signature(SignatureError::Key(e))
    }
}
