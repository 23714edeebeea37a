//! OAuth 1.0a (RFC 5849) for [ureq](https://docs.rs/ureq) 3: a [`ureq::middleware::Middleware`]
//! that signs every request an agent sends, and the three-legged flow.
//!
//! Every OAuth rule lives in [`oauth1-core`](oauth1_core) (re-exported as [`oauth1_core`]); this crate
//! translates types, reads the body when the signature covers it (form bodies, body hashes) and
//! supplies the clock and the nonce.
//!
//! # Example
//!
//! The three legs and a signed call, against the embedded provider on 127.0.0.1:
//!
//! ```
//! use oauth1_core::{CallbackParams, ClientCredentials, Consumer, SignatureMethodName};
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
//! let token = oauth1_ureq::access_token(&agent, &consumer, temporary.credentials(), &callback.verifier)?;
//!
//! // Every request this agent sends is signed with the token credentials.
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
use std::sync::Arc;

use oauth1_core::{
    BuiltinMethod, Consumer, SignConfig, SignatureMethod, Signed, Signer, TokenCredentials,
    TokenResponse,
};
use ureq::SendBody;
use ureq::http;
use ureq::middleware::{Middleware, MiddlewareNext};

pub use oauth1_core;

/// Signs every request of a ureq agent with one signer, a fresh nonce and the current time.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Signing failures surface as
/// [`ureq::Error::Other`] holding an [`Error`].
///
/// The signer may use any [`SignatureMethod`]: a built-in one (the default type parameter) or
/// one of the caller's own ([`Signer::with_method`]).
#[derive(Debug)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    shared: Arc<(Signer<M>, SignConfig)>,
    body_limit: usize,
}

/// The largest body read to be signed, unless [`SigningMiddleware::body_limit`] says otherwise
/// (16 MiB, as oauth1-hyper's `SigningLayer`).
pub const DEFAULT_BODY_LIMIT: usize = 16 << 20;

impl<M> Clone for SigningMiddleware<M> {
    fn clone(&self) -> Self {
        SigningMiddleware {
            shared: Arc::clone(&self.shared),
            body_limit: self.body_limit,
        }
    }
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Header placement, `oauth_version="1.0"`.
    pub fn new(signer: Signer<M>) -> Self {
        Self::with_config(signer, SignConfig::new())
    }

    /// With the given placement, realm, version and body-hash choices.
    pub fn with_config(signer: Signer<M>, config: SignConfig) -> Self {
        SigningMiddleware {
            shared: Arc::new((signer, config)),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body read into memory to be signed (a form, or a body under
    /// `oauth_body_hash`; default [`DEFAULT_BODY_LIMIT`]): a longer one is refused with
    /// [`Error::BodyTooLarge`] and never sent.
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
        let (signer, config) = &*self.shared;
        let (mut parts, body) = request.into_parts();
        // Two calls to `next`: SendBody's lifetime is invariant, so a rebuilt body and the
        // original cannot share one binding.
        if config.reads_body(content_type(&parts)) {
            let mut bytes = Vec::new();
            let limit = self.body_limit;
            body.into_reader()
                .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(ureq::Error::Io)?;
            if bytes.len() > limit {
                return Err(other(Error::BodyTooLarge { limit }));
            }
            let (_, new_body) = sign_parts(signer, config, &mut parts, &bytes).map_err(other)?;
            let bytes = new_body.map_or(bytes, String::into_bytes);
            let body = SendBody::from_owned_reader(std::io::Cursor::new(bytes));
            next.handle(http::Request::from_parts(parts, body))
        } else {
            sign_parts(signer, config, &mut parts, &[]).map_err(other)?;
            next.handle(http::Request::from_parts(parts, body))
        }
    }
}

/// Signs a request whose body is in memory as [`SigningMiddleware`] signs what an agent sends
/// (a fresh nonce, the current time, `config`'s choices), and returns it ready to send, with
/// what was signed: for callers that show or compare the base string, or the signed request,
/// before sending it with [`ureq::Agent::run`].
///
/// ```
/// use oauth1_core::{ClientCredentials, SignConfig, SignatureMethodName, Signer};
///
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("k", "s"), None)?;
/// let request = ureq::http::Request::post("https://api.example.com/items")
///     .header("content-type", "application/x-www-form-urlencoded")
///     .body(b"name=widget".to_vec())?;
/// let (request, signed) = oauth1_ureq::sign_request(&signer, &SignConfig::new(), request)?;
/// assert!(signed.base_string().starts_with("POST&https%3A%2F%2Fapi.example.com%2Fitems&name%3Dwidget"));
/// assert!(request.headers()["authorization"].to_str()?.starts_with("OAuth "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign_request<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: http::Request<Vec<u8>>,
) -> Result<(http::Request<Vec<u8>>, Signed), Error> {
    let (mut parts, bytes) = request.into_parts();
    let (signed, new_body) = sign_parts(signer, config, &mut parts, &bytes)?;
    let bytes = new_body.map_or(bytes, String::into_bytes);
    Ok((http::Request::from_parts(parts, bytes), signed))
}

/// Signs `parts` (with `body`, read or empty) and writes the signature into them; returns what
/// was signed and the new body (body placement), if any.
fn sign_parts<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    parts: &mut http::request::Parts,
    body: &[u8],
) -> Result<(Signed, Option<String>), Error> {
    let options = config.options_for(content_type(parts));
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = signer.sign_parts(parts, body, &options, &nonce, oauth1_core::timestamp_now())?;
    let new_body = oauth1_core::http::apply(&signed, parts)?;
    Ok((signed, new_body))
}

fn content_type(parts: &http::request::Parts) -> Option<&str> {
    parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

fn other(e: Error) -> ureq::Error {
    ureq::Error::Other(Box::new(e))
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
pub fn request_token(
    agent: &ureq::Agent,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = consumer.temporary_request(callback, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(agent, &signed)?;
    Ok(consumer.read_temporary(status, &body)?)
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub fn access_token(
    agent: &ureq::Agent,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed =
        consumer.token_request(temporary, verifier, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(agent, &signed)?;
    Ok(consumer.read_token(status, &body)?)
}

/// POSTs a signed flow request and reads the answer, error statuses included (their
/// `oauth_problem` is the point).
fn post(agent: &ureq::Agent, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = agent
        .post(signed.url())
        .config()
        .http_status_as_error(false)
        .build();
    if let Some(authorization) = signed.authorization() {
        request = request.header(http::header::AUTHORIZATION, authorization);
    }
    let mut response = request.send_empty().map_err(Error::Http)?;
    let status = response.status().as_u16();
    // At most one byte past what the core accepts: an endless answer is refused, not buffered.
    let limit = oauth1_core::client::MAX_TOKEN_RESPONSE as u64;
    let body = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => Error::Flow(oauth1_core::FlowError::TooLarge),
            e => Error::Http(e),
        })?;
    Ok((status, body))
}

/// Why signing or a flow step failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be signed (bad URL, method, key …).
    Sign(oauth1_core::SignError),
    /// The signed request could not be written back into the `http` request.
    Apply(oauth1_core::http::HttpSignError),
    /// The operating system's random source failed to give a nonce.
    Nonce,
    /// Sending the request or reading the response failed.
    Http(ureq::Error),
    /// The body to be signed is longer than the middleware's
    /// [`body_limit`](SigningMiddleware::body_limit); it was not sent.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The provider's answer to a flow step was an error or could not be read.
    Flow(oauth1_core::FlowError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sign(e) => write!(f, "cannot sign the request: {e}"),
            Error::Apply(e) => write!(f, "cannot write the signature into the request: {e}"),
            Error::Nonce => f.write_str("the operating system's random source failed"),
            Error::Http(e) => write!(f, "HTTP request failed: {e}"),
            Error::BodyTooLarge { limit } => write!(
                f,
                "the body to sign is longer than the limit of {limit} bytes; raise it with SigningMiddleware::body_limit"
            ),
            Error::Flow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sign(e) => Some(e),
            Error::Apply(e) => Some(e),
            Error::Http(e) => Some(e),
            Error::Flow(e) => Some(e),
            Error::Nonce | Error::BodyTooLarge { .. } => None,
        }
    }
}

impl From<oauth1_core::SignError> for Error {
    fn from(e: oauth1_core::SignError) -> Self {
        Error::Sign(e)
    }
}

impl From<oauth1_core::http::HttpSignError> for Error {
    fn from(e: oauth1_core::http::HttpSignError) -> Self {
        match e {
            oauth1_core::http::HttpSignError::Sign(e) => Error::Sign(e),
            other => Error::Apply(other),
        }
    }
}

impl From<oauth1_core::FlowError> for Error {
    fn from(e: oauth1_core::FlowError) -> Self {
        Error::Flow(e)
    }
}
