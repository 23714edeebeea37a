//! The signed request and why signing can fail.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::Placement;
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
                && [parts.base_end, parts.signature_end, parts.url_end]
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

    /// `buf[start..end]` (or to the end): the offsets exist by construction ([`Signed::new`]).
    fn part(&self, start: usize, end: Option<usize>) -> &str {
        let part = match end {
            Some(end) => self.buf.get(start..end),
            None => self.buf.get(start..),
        };
        debug_assert!(
            part.is_some(),
            "signed part {start}..{end:?} out of the buffer"
        );
        part.unwrap_or_default()
    }

    /// Where the protocol parameters were placed.
    pub fn placement(&self) -> Placement {
        self.placement
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
        let decode = |s: &str| {
            String::from_utf8_lossy(&crate::encoding::percent_decode(s).unwrap_or_default())
                .into_owned()
        };
        match self.placement {
            Placement::Header => {
                crate::header::parse_authorization(self.authorization().unwrap_or_default())
                    .map(|h| {
                        h.params
                            .iter()
                            .map(|(n, v)| (decode(n), decode(v)))
                            .collect()
                    })
                    .unwrap_or_default()
            }
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
        // The method is a token without `&`, and the encoded parts hold no raw `&`.
        let part = self.base_string().split('&').nth(index).unwrap_or_default();
        String::from_utf8_lossy(&crate::encoding::percent_decode(part).unwrap_or_default())
            .into_owned()
    }
}

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

/// Why a request could not be signed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SignError {
    /// The method, URL or body is malformed.
    Request(RequestError),
    /// The signature could not be computed.
    Signature(SignatureError),
    /// Body placement was asked for, but the request has a body that is not
    /// `application/x-www-form-urlencoded` (§3.5.2).
    BodyNotForm,
    /// `oauth_body_hash` was asked for on a form-encoded body, whose parameters are signed already.
    BodyHashOnFormBody,
    /// `oauth_body_hash` was asked for with a signature method that has no digest (PLAINTEXT, a
    /// custom method): choose one with [`SignOptions::body_hash_with`](crate::SignOptions::body_hash_with).
    BodyHashNeedsAlgorithm,
    /// The realm holds a control or non-ASCII character, which an HTTP header cannot carry.
    InvalidRealm,
    /// An extra protocol parameter is empty or repeats another protocol parameter's name.
    InvalidExtraParameter(String),
    /// The URL's query or the form body already holds an `oauth_` parameter. Protocol parameters
    /// are added by the signer, once and in one place (§3.1); pass provider-specific ones with
    /// [`SignOptions::extra_params`](crate::SignOptions::extra_params).
    ProtocolParameterInRequest(String),
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Request(e) => e.fmt(f),
            SignError::Signature(e) => e.fmt(f),
            SignError::BodyNotForm => f.write_str(
                "body placement needs an application/x-www-form-urlencoded body (or none); use header placement for other bodies",
            ),
            SignError::BodyHashOnFormBody => write!(
                f,
                "{} must not be sent with a form-encoded body: its parameters are signed already",
                Name::BodyHash.as_str()
            ),
            SignError::BodyHashNeedsAlgorithm => write!(
                f,
                "this signature method has no digest for {}: choose one (sha1, sha256 or sha512)",
                Name::BodyHash.as_str()
            ),
            SignError::InvalidRealm => f.write_str("the realm must be printable ASCII"),
            SignError::ProtocolParameterInRequest(name) => write!(
                f,
                "the request already holds protocol parameter {name:?}; protocol parameters are added by the signer (use extra_params for provider-specific ones)"
            ),
            SignError::InvalidExtraParameter(name) => write!(
                f,
                "extra protocol parameter {name:?} is empty or repeats another protocol parameter"
            ),
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
