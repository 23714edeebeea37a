//! OAuth 1.0a (RFC 5849) for [ureq](https://docs.rs/ureq) 3: a [`ureq::middleware::Middleware`]
//! that signs every request an agent sends, and the three-legged flow.
//!
//! Every OAuth rule lives in [`oauth1-core`](oauth1_core) (re-exported as [`oauth1_core`]); this crate
//! translates types, reads the body when the signature covers it (form bodies, body hashes) and
//! supplies the clock and the nonce.
//!
//! # Example
//!
//! The three legs and a signed call, against the embedded provider on 127.0.0.1 (a stand-in for a
//! real provider, as a dev-dependency). It needs these lines in `Cargo.toml`; ureq's default
//! features bring HTTPS (rustls on *ring*, Mozilla's roots) for a real provider:
//!
//! ```toml
//! [dependencies]
//! oauth1-core = "0.2"
//! oauth1-ureq = "0.2"
//! ureq = "3"
//!
//! [dev-dependencies]
//! oauth1-provider = "0.2"
//! ```
//!
//! ```
//! use oauth1_core::client::CallbackParams;
//! use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
//! use oauth1_provider::{Provider, ProviderConfig};
//! use oauth1_ureq::SigningMiddleware;
//!
//! let provider = Provider::start_blocking(ProviderConfig::new().client("demo-client", "demo-secret"))?;
//! let consumer = Consumer::new(
//!     ClientCredentials::new("demo-client", "demo-secret"),
//!     SignatureMethodName::HmacSha1,
//!     provider.endpoints(),
//! );
//! let agent = ureq::Agent::new_with_defaults();
//!
//! // 1. Temporary credentials; 2. the user approves (here: the provider redirects at once);
//! // 3. token credentials.
//! let temporary = oauth1_ureq::request_token(&agent, &consumer, "http://127.0.0.1:9/callback")?;
//! let redirect = ureq::Agent::config_builder().max_redirects(0).build().new_agent()
//!     .get(&consumer.authorize_url(temporary.credentials()))
//!     .call()?;
//! let callback = CallbackParams::from_url(redirect.headers()["location"].to_str()?)?;
//! let verifier = callback.verifier_for(temporary.credentials())?;
//! let token = oauth1_ureq::access_token(&agent, &consumer, temporary.credentials(), verifier)?;
//!
//! // Every request this agent sends is signed with the token credentials and the consumer's
//! // choices (its realm, if it has one).
//! let signer = consumer.signer(Some(token.credentials()))?;
//! let agent: ureq::Agent = ureq::Agent::config_builder()
//!     .middleware(SigningMiddleware::new(signer))
//!     .build()
//!     .into();
//! let answer = agent.get(&provider.echo_url()).query("hello", "world").call()?.body_mut().read_to_string()?;
//! assert!(answer.contains(r#""screen_name":"ada""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

use std::io::Read as _;

use oauth1_core::client::BuiltinMethod;
use oauth1_core::client::TokenResponse;
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, FlowError, SignError, Signed, Signer, TokenCredentials};
use ureq::SendBody;
use ureq::http;
use ureq::middleware::{Middleware, MiddlewareNext};

pub use oauth1_core;

/// Why signing or a flow step failed: the core's one error shape for adapters, with ureq's
/// error as its transport error.
pub type Error = oauth1_core::client::Error<ureq::Error>;

/// Signs every request of a ureq agent with one [`Signer`] and its choices (placement, realm,
/// body hash …), a fresh nonce and the current time.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Signing failures surface as
/// [`ureq::Error::Other`] holding an [`Error`]. The signer may use any [`SignatureMethod`], a
/// built-in one or one of the caller's own ([`Signer::with_method`]).
#[derive(Debug, Clone)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    signer: Signer<M>,
    body_limit: usize,
}

/// The largest body read to be signed, unless [`SigningMiddleware::body_limit`] says otherwise
/// (16 MiB, as oauth1-hyper's `SigningLayer`).
pub const DEFAULT_BODY_LIMIT: usize = 16 << 20;

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs with `signer`.
    pub fn new(signer: Signer<M>) -> Self {
        SigningMiddleware {
            signer,
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body read into memory to be signed (a form, or a body under
    /// `oauth_body_hash`; default [`DEFAULT_BODY_LIMIT`]): a longer one is refused with
    /// [`SignError::BodyTooLarge`] and never sent.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    fn handle(
        &self,
        request: http::Request<SendBody>,
        next: MiddlewareNext,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let other = |e: SignError| ureq::Error::Other(Box::new(Error::Sign(e)));
        let (mut parts, body) = request.into_parts();
        // Two calls to `next`: SendBody's lifetime is invariant, so a rebuilt body and the
        // original cannot share one binding.
        if !self.signer.reads_body_of(&parts) {
            oauth1_core::http::sign_now(&self.signer, &mut parts, &[]).map_err(other)?;
            return next.handle(http::Request::from_parts(parts, body));
        }
        let limit = self.body_limit;
        let mut bytes = Vec::new();
        body.into_reader()
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(ureq::Error::Io)?;
        if bytes.len() > limit {
            return Err(other(SignError::BodyTooLarge { limit }));
        }
        let (_, new_body) =
            oauth1_core::http::sign_now(&self.signer, &mut parts, &bytes).map_err(other)?;
        let bytes = new_body.map_or(bytes, String::into_bytes);
        let body = SendBody::from_owned_reader(std::io::Cursor::new(bytes));
        next.handle(http::Request::from_parts(parts, body))
    }
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
pub fn request_token(
    agent: &ureq::Agent,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    consumer.request_token(callback, |signed| post(agent, &signed))
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub fn access_token(
    agent: &ureq::Agent,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    consumer.access_token(temporary, verifier, |signed| post(agent, &signed))
}

/// POSTs a signed flow request and reads the answer, error statuses included (their
/// `oauth_problem` is the point), at most one byte past what the core accepts: an endless
/// answer is refused, not buffered.
fn post(agent: &ureq::Agent, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = agent
        .post(signed.url())
        .config()
        .http_status_as_error(false)
        .build();
    if let Some(authorization) = signed.authorization() {
        request = request.header(http::header::AUTHORIZATION, authorization);
    }
    let mut response = request.send_empty().map_err(Error::Transport)?;
    let status = response.status().as_u16();
    let limit = oauth1_core::client::MAX_TOKEN_RESPONSE as u64;
    let body = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Error::Flow(FlowError::TooLarge),
            e => Error::Transport(e),
        })?;
    Ok((status, body))
}
