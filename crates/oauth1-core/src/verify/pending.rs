//! Steps two and three of a verification: the looked-up keys checked, then the nonce recorded.

use alloc::borrow::{Cow, ToOwned};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::*;
use crate::encoding::Text;
use crate::invariant;
use crate::protocol::{Name, is_protocol};
use crate::request::Request;

/// A request that passed the checks needing no lookup ([`Verifier::begin`]): step two of a
/// verification takes the client's keys and the token's secret.
pub struct Pending<'a> {
    pub(super) head: Head<'a>,
    pub(super) parsed: Parsed<'a>,
}

/// What step one read of a request, beside its parsed parameters: what step two needs.
pub(super) struct Head<'a> {
    pub(super) verifier: &'a Verifier,
    pub(super) request: &'a Request<'a>,
    pub(super) authorization_len: usize,
    pub(super) consumer_key: Cow<'a, str>,
    pub(super) token: Option<Cow<'a, str>>,
    pub(super) method: MethodRef<'a>,
    pub(super) signature: Text<'a>,
    pub(super) timestamp: Option<u64>,
    pub(super) nonce: Option<Cow<'a, str>>,
    pub(super) body_hash: Option<Cow<'a, str>>,
    pub(super) now: u64,
}

impl fmt::Debug for Pending<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = &self.head;
        f.debug_struct("Pending")
            .field("consumer_key", &head.consumer_key)
            .field("token", &head.token)
            .field("signature_method", &head.method)
            .field("timestamp", &head.timestamp)
            .field("nonce", &head.nonce)
            .finish_non_exhaustive()
    }
}

impl Pending<'_> {
    /// `oauth_consumer_key`: the client to look up.
    pub fn consumer_key(&self) -> &str {
        &self.head.consumer_key
    }

    /// `oauth_token`, if the request carries one: the token to look up.
    pub fn token(&self) -> Option<&str> {
        self.head.token.as_deref()
    }

    /// The signature method the request names (allowed by the verifier): a built-in method's
    /// canonical name (`"HMAC-SHA1"`) or a custom method's [`VerifyMethod::name`].
    pub fn signature_method(&self) -> &str {
        self.head.method.name()
    }

    /// Step two: checks the signature (and the body hash) with what the lookups found: the
    /// client's keys (`None`: no such client) and the token's secret (`None`: no token was sent,
    /// or the token is unknown, expired or not this client's).
    ///
    /// An unknown client or token is checked against a dummy key all the same, so that the answer
    /// takes as long as for a known one; then it is refused.
    pub fn check(
        self,
        client: Option<ClientKeys>,
        token_secret: Option<String>,
    ) -> Result<Checked, VerifyError> {
        self.head.check(&self.parsed, client, token_secret)
    }
}

impl<'a> Head<'a> {
    /// [`Pending::check`], with the parsed request beside the head rather than in it:
    /// [`Verifier::verify`] keeps both where they were made (the parse holds every parameter
    /// inline: each move copies a few kilobytes).
    pub(super) fn check(
        &self,
        parsed: &Parsed<'a>,
        client: Option<ClientKeys>,
        token_secret: Option<String>,
    ) -> Result<Checked, VerifyError> {
        let verifier = self.verifier;
        let client_known = client.is_some();
        let token_known = self.token.is_none() || token_secret.is_some();
        let client = client.unwrap_or_else(|| ClientKeys::shared_secret(DUMMY_SECRET));
        let token_secret: Zeroizing<Option<String>> = Zeroizing::new(token_secret);

        // One buffer holds the base string and, once verified, every text `Verified` hands out.
        let mut text = base_string_of(
            self.request.method(),
            &parsed.url,
            parsed.all.as_slice(),
            &parsed.protocol,
            self.authorization_len + parsed.form_body.map_or(0, str::len),
        );
        let base_end = text.len();
        let signature = push_decoded(&mut text, self.signature);
        // `base_end` is where the base string ends in `text`, `signature` where it was pushed.
        let (base_string, signature_text) =
            (invariant::some(text.get(..base_end)), signature.of(&text));
        let check = verifier.check_signature(
            self.method,
            &client,
            // §3.4.2: without a token (or with an unknown one, refused below) the secret is empty.
            token_secret.as_deref().unwrap_or(""),
            base_string,
            signature_text,
        );
        let body_hash_ok = match (&self.body_hash, self.request.body()) {
            (Some(sent), Some(body)) => verifier.body_hash_matches(self.method, sent, body)?,
            // Refused by step one already: hashing "no body" would let any body through.
            (Some(_), None) => return Err(VerifyError::BodyNotGiven),
            (None, _) => true,
        };
        let outcome = Outcome {
            client_known,
            token_known,
            signature_valid: check?,
            body_hash_ok,
        };
        outcome.refusal(verifier, base_string)?;
        Ok(self.checked(parsed, text, base_end, signature))
    }

    /// The verified request: its texts appended to `text`, after the base string and the
    /// signature.
    fn checked(
        &self,
        parsed: &Parsed<'a>,
        mut text: String,
        base_end: usize,
        signature: Span,
    ) -> Checked {
        let Parsed {
            realm,
            all,
            protocol,
            ..
        } = parsed;
        // Sized once for every parameter (the protocol ones are left out, a few slots spare): a
        // filtered iterator would grow the list two or three times on a form body.
        let mut params: Vec<(Span, Span)> = Vec::with_capacity(all.as_slice().len());
        params.extend(
            all.as_slice()
                .iter()
                .filter(|(_, p)| !is_protocol(p.name))
                .map(|&(_, p)| {
                    (
                        push_decoded(&mut text, p.name),
                        push_decoded(&mut text, p.value),
                    )
                }),
        );
        let mut push = |s: &str| push_str(&mut text, s);
        let consumer_key = push(&self.consumer_key);
        let token = self.token.as_deref().map(&mut push);
        let nonce = self.nonce.as_deref().map(&mut push);
        let realm = realm.as_deref().map(&mut push);
        let callback = protocol
            .text(Name::Callback)
            .map(|t| push_decoded(&mut text, t));
        let verifier_param = protocol
            .text(Name::Verifier)
            .map(|t| push_decoded(&mut text, t));
        Checked {
            verified: Verified {
                text,
                base_end,
                consumer_key,
                token,
                callback,
                verifier: verifier_param,
                realm,
                signature_method: self.method.to_owned(),
                timestamp: self.timestamp,
                nonce,
                params,
                signature,
            },
            expires_at: self
                .timestamp
                .map(|ts| ts.saturating_add(self.verifier.window)),
            now: self.now,
        }
    }
}

/// What step two found, all of it computed before any answer is chosen (so that an unknown
/// client costs as much as a known one).
struct Outcome {
    client_known: bool,
    token_known: bool,
    signature_valid: bool,
    body_hash_ok: bool,
}

impl Outcome {
    /// The refusal, if any: unknown credentials first (or `signature_invalid` when the verifier
    /// conceals them), then the signature, then the body hash.
    fn refusal(&self, verifier: &Verifier, base_string: &str) -> Result<(), VerifyError> {
        let exposed = || {
            verifier.expose_base_string.then(|| {
                Box::new(Exposed {
                    base_string: base_string.to_owned(),
                })
            })
        };
        if !self.client_known || !self.token_known {
            return Err(if verifier.conceal_unknown_credentials {
                VerifyError::SignatureInvalid(exposed())
            } else if !self.client_known {
                VerifyError::ConsumerKeyUnknown
            } else {
                VerifyError::TokenRejected
            });
        }
        if !self.signature_valid {
            return Err(VerifyError::SignatureInvalid(exposed()));
        }
        if !self.body_hash_ok {
            return Err(VerifyError::BodyHashInvalid);
        }
        Ok(())
    }
}

/// A request whose signature checked out ([`Pending::check`]); step three records its nonce.
#[derive(Debug)]
pub struct Checked {
    pub(super) verified: Verified,
    pub(super) expires_at: Option<u64>,
    pub(super) now: u64,
}

impl Checked {
    /// The nonce use to record in the [`NonceStore`] (RFC 5849 §3.3), or `None` when the request
    /// carries no nonce and timestamp (PLAINTEXT may omit them).
    pub fn nonce_use(&self) -> Option<NonceUse<'_>> {
        let v = &self.verified;
        match (v.timestamp, v.nonce(), self.expires_at) {
            (Some(timestamp), Some(nonce), Some(expires_at)) => Some(NonceUse {
                consumer_key: v.consumer_key(),
                token: v.token(),
                timestamp,
                nonce,
                expires_at,
                now: self.now,
            }),
            _ => None,
        }
    }

    /// Step three: the verified request, given what the nonce store answered for
    /// [`nonce_use`](Self::nonce_use) (`None` when there was no nonce use to record).
    /// `Ok(false)` is a replay ([`VerifyError::NonceUsed`]); a store that could not answer refuses
    /// the request ([`VerifyError::StoreUnavailable`]), never accepts it.
    pub fn finish(
        self,
        fresh: Option<Result<bool, StoreUnavailable>>,
    ) -> Result<Verified, VerifyError> {
        match (self.nonce_use().is_some(), fresh) {
            (false, _) | (true, Some(Ok(true))) => Ok(self.verified),
            (true, Some(Ok(false))) => Err(VerifyError::NonceUsed),
            (true, Some(Err(StoreUnavailable))) => Err(VerifyError::StoreUnavailable),
            // A nonce that was never recorded cannot be taken as fresh.
            (true, None) => Err(VerifyError::StoreUnavailable),
        }
    }
}
