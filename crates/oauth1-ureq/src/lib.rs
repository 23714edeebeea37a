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

use oauth1_core::client::{BuiltinMethod, Clock, MAX_TOKEN_RESPONSE, TokenResponse};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, FlowError, SignError, Signed, Signer, TokenCredentials};
use ureq::SendBody;
use ureq::config::ConfigBuilder;
use ureq::http;
use ureq::middleware::{Middleware, MiddlewareNext};
use ureq::typestate::AgentScope;

pub use oauth1_core;

/// Why signing or a flow step failed: the core's one error shape for adapters, with ureq's
/// error as its transport error.
pub type Error = oauth1_core::client::Error<ureq::Error>;

/// Signs every request of a ureq agent with one [`Signer`] and its choices (placement, realm,
/// body hash …), a fresh nonce and the time of its [`Clock`] (the system clock unless
/// [`clock`](Self::clock) says otherwise).
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Signing failures surface as
/// [`ureq::Error::Other`] holding an [`Error`]. The signer may use any [`SignatureMethod`], a
/// built-in one or one of the caller's own ([`Signer::with_method`]).
///
/// # Clock skew
///
/// When the provider refuses a timestamp (401 `timestamp_refused`), the middleware corrects its
/// clock from the answer ([`Clock::read_answer`]: at most an hour by default) and keeps the
/// correction for the next requests. An agent made by [`agent`](Self::agent) also signs the
/// request again and sends it once more: a ureq middleware runs the rest of its chain once per
/// request, so the second send goes through a second agent of the same configuration. In an
/// agent made otherwise, the refusal is handed on. A request is sent again when its body was
/// read to be signed, or when it has none (checked for GET, HEAD, DELETE, OPTIONS and TRACE
/// only, whose bodies are empty as a rule, so that any other body keeps its length); a body
/// that streamed is not sent again: [`Error::NotResent`](oauth1_core::client::Error::NotResent).
///
/// The middleware sees a 401 only when statuses are answers
/// (`http_status_as_error(false)`); with ureq's default, the agent turns it into
/// [`ureq::Error::StatusCode`] before the middleware could read it, and nothing is corrected.
/// [`without_clock_correction`](Self::without_clock_correction) turns all of this off.
#[derive(Debug, Clone)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    signer: Signer<M>,
    body_limit: usize,
    clock: Clock,
    /// The agent that sends a request once more ([`agent`](Self::agent)).
    again: Option<ureq::Agent>,
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
            clock: Clock::system(),
            again: None,
        }
    }

    oauth1_core::__adapter_setters!(clock, body_limit);
}

impl<M: SignatureMethod + Send + Sync + 'static> SigningMiddleware<M> {
    /// An agent of the configuration `configure` makes from [`ureq::Agent::config_builder`],
    /// whose requests this middleware signs (last in its chain), and which sends a request once
    /// more when the provider refuses its timestamp (see [Clock skew](Self#clock-skew)). The
    /// second send goes through an agent `configure` makes too, without this middleware: the
    /// middlewares it adds see that request after it is signed, so they must not change what
    /// the signature covers.
    ///
    /// ```
    /// use oauth1_core::{ClientCredentials, Signer};
    /// use oauth1_ureq::SigningMiddleware;
    ///
    /// let signer = Signer::hmac_sha1(&ClientCredentials::new("key", "secret"), None)?;
    /// let agent = SigningMiddleware::new(signer).agent(|config| config.http_status_as_error(false));
    /// # let _ = agent;
    /// # Ok::<(), oauth1_core::SignError>(())
    /// ```
    pub fn agent(
        mut self,
        configure: impl Fn(ConfigBuilder<AgentScope>) -> ConfigBuilder<AgentScope>,
    ) -> ureq::Agent {
        self.again = Some(configure(ureq::Agent::config_builder()).build().new_agent());
        let config = configure(ureq::Agent::config_builder()).middleware(self);
        config.build().new_agent()
    }
}

/// A request as it can be signed again: its head before signing, and its body (empty for none).
type Again = Option<(http::request::Parts, Vec<u8>)>;

impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    fn handle(
        &self,
        request: http::Request<SendBody>,
        next: MiddlewareNext,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let (mut parts, body) = request.into_parts();
        let unsigned = self.clock.corrects().then(|| parts.clone());
        // Calls to `next` in each branch: SendBody's lifetime is invariant, so a rebuilt body
        // and the original cannot share one binding.
        if self.signer.reads_body_of(&parts) {
            let bytes = self.read(body)?;
            let again = unsigned.map(|parts| (parts, bytes.clone()));
            let request = self.sign(parts, bytes)?;
            return self.heal(next.handle(request)?, again);
        }
        self.clock
            .sign_parts(&self.signer, &mut parts, &[])
            .map_err(other)?;
        let Some(unsigned) = unsigned.filter(|p| no_body_as_a_rule(&p.method)) else {
            return self.heal(next.handle(http::Request::from_parts(parts, body))?, None);
        };
        // Whether the body is empty, which a second send can repeat: its first byte tells.
        let mut reader = body.into_reader();
        let mut first = [0u8; 1];
        let n = loop {
            match reader.read(&mut first) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                read => break read.map_err(ureq::Error::Io)?,
            }
        };
        if n == 0 {
            let request = http::Request::from_parts(parts, SendBody::none());
            return self.heal(next.handle(request)?, Some((unsigned, Vec::new())));
        }
        let mut body = std::io::Cursor::new(first).chain(reader);
        let request = http::Request::from_parts(parts, SendBody::from_reader(&mut body));
        self.heal(next.handle(request)?, None)
    }
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Reads a body to be signed, refusing more than the limit.
    fn read(&self, body: SendBody) -> Result<Vec<u8>, ureq::Error> {
        let limit = self.body_limit;
        let mut bytes = Vec::new();
        body.into_reader()
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(ureq::Error::Io)?;
        if bytes.len() > limit {
            return Err(other(SignError::BodyTooLarge { limit }));
        }
        Ok(bytes)
    }

    /// Signs a request whose body is in memory, as it will be sent.
    fn sign(
        &self,
        mut parts: http::request::Parts,
        bytes: Vec<u8>,
    ) -> Result<http::Request<SendBody<'static>>, ureq::Error> {
        let (_, new_body) = self
            .clock
            .sign_parts(&self.signer, &mut parts, &bytes)
            .map_err(other)?;
        let bytes = new_body.map_or(bytes, String::into_bytes);
        let body = match bytes.is_empty() {
            true => SendBody::none(),
            false => SendBody::from_owned_reader(std::io::Cursor::new(bytes)),
        };
        Ok(http::Request::from_parts(parts, body))
    }

    /// Hands the clock a 401 it may learn from; sends the request once more through the second
    /// agent when it corrected itself, else hands the answer on (read into memory, or untouched).
    fn heal(
        &self,
        response: http::Response<ureq::Body>,
        again: Again,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let status = response.status().as_u16();
        if !self.clock.reads(status, response.body().content_length()) {
            return Ok(response);
        }
        let (head, mut body) = response.into_parts();
        let mut rebuilt = ureq::Body::builder();
        if let Some(mime_type) = body.mime_type() {
            rebuilt = rebuilt.mime_type(mime_type);
        }
        if let Some(charset) = body.charset() {
            rebuilt = rebuilt.charset(charset);
        }
        let bytes = body
            .with_config()
            .limit(MAX_TOKEN_RESPONSE as u64)
            .read_to_vec()?;
        let date = head.headers.get(http::header::DATE);
        let date = date.and_then(|v| v.to_str().ok());
        let skew = self.clock.read_answer(status, date, &bytes);
        let resend = skew.resend(again.is_some());
        let resend = resend.map_err(|e| ureq::Error::Other(Box::new(Error::from(e))))?;
        match (resend, again, &self.again) {
            (true, Some((parts, body)), Some(agent)) => {
                let (parts, body) = self.sign(parts, body)?.into_parts();
                agent.run(http::Request::from_parts(parts, body))
            }
            _ => Ok(http::Response::from_parts(head, rebuilt.data(bytes))),
        }
    }
}

/// GET, HEAD, DELETE, OPTIONS and TRACE: methods whose requests carry no body as a rule (RFC 9110
/// §9.3), the only ones whose body the middleware looks into to know it is empty (which turns a
/// body that is not into one of unknown length).
fn no_body_as_a_rule(method: &http::Method) -> bool {
    use http::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
}

/// A signing failure as ureq's error.
fn other(e: SignError) -> ureq::Error {
    ureq::Error::Other(Box::new(Error::Sign(e)))
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
    let limit = MAX_TOKEN_RESPONSE as u64;
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
