//! OAuth 1.0a (RFC 5849) for [surf](https://docs.rs/surf) 2: a [`surf::middleware::Middleware`]
//! that signs every request a surf client sends, and the three-legged flow.
//!
//! **surf is unmaintained upstream** (RUSTSEC-2025-0036; its runtime async-std is discontinued,
//! RUSTSEC-2025-0052). This crate exists for applications already on surf; new code should prefer
//! `oauth1-hyper` or `oauth1-ureq`. It depends on surf with no HTTP backend: your application
//! picks one (`h1-client-no-tls`, `curl-client`, …). **Never enable `h1-client-rustls`**: it pulls
//! rustls 0.18 and ring 0.16, which carry known vulnerabilities.
//!
//! surf uses `http-types`, not the `http` crate, so this adapter hands the core its borrowed
//! [`Request`](oauth1_core::Request) view (method, URL, content type, body) and writes back what
//! the core placed ([`Placed`]). Every OAuth rule lives in
//! [`oauth1-core`](oauth1_core); this crate translates types and supplies the clock and the nonce.
//!
//! # Example
//!
//! The three legs and a signed call, against the embedded provider on 127.0.0.1 (a stand-in for a
//! real provider, as a dev-dependency). It needs these lines in `Cargo.toml`; `h1-client-no-tls`
//! speaks plain HTTP only (for HTTPS, a backend such as `curl-client`):
//!
//! ```toml
//! [dependencies]
//! oauth1-core = "0.2"
//! oauth1-surf = "0.2"
//! surf = { version = "2.3", default-features = false, features = ["h1-client-no-tls"] }
//! async-std = "1.13"
//!
//! [dev-dependencies]
//! oauth1-provider = "0.2"
//! ```
//!
//! ```
//! use oauth1_core::client::CallbackParams;
//! use oauth1_core::{ClientCredentials, Consumer, SignatureMethodName};
//! use oauth1_provider::{Provider, ProviderConfig};
//! use oauth1_surf::SigningMiddleware;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     async_std::task::block_on(async {
//!         let provider = Provider::start_blocking(ProviderConfig::new().client("demo-client", "demo-secret"))?;
//!         let consumer = Consumer::new(
//!             ClientCredentials::new("demo-client", "demo-secret"),
//!             SignatureMethodName::HmacSha1,
//!             provider.endpoints(),
//!         );
//!         let client = surf::client();
//!
//!         // 1. Temporary credentials; 2. the user approves (here: the provider redirects at once);
//!         // 3. token credentials.
//!         let temporary = oauth1_surf::request_token(&client, &consumer, "http://127.0.0.1:9/callback").await?;
//!         let redirect = client.get(consumer.authorize_url(temporary.credentials())).await?;
//!         let location = redirect.header("location").map(|v| v.as_str()).unwrap_or_default();
//!         let callback = CallbackParams::from_url(location)?;
//!         let verifier = callback.verifier_for(temporary.credentials())?;
//!         let token = oauth1_surf::access_token(&client, &consumer, temporary.credentials(), verifier).await?;
//!
//!         // Every request this client sends is signed with the token credentials.
//!         let signed = surf::client().with(SigningMiddleware::new(consumer.signer(Some(token.credentials()))?));
//!         let answer = signed.get(format!("{}?hello=world", provider.echo_url())).recv_string().await?;
//!         assert!(answer.contains(r#""screen_name":"ada""#));
//!         Ok(())
//!     })
//! }
//! ```

#![deny(missing_docs)]

// docs/surf.md is compiled and run here: this crate is a workspace of its own, outside the docs crate.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/surf.md")]
struct SurfGuide;

use oauth1_core::client::BuiltinMethod;
use oauth1_core::client::{Clock, MAX_TOKEN_RESPONSE, Placed, TokenResponse, TransportError};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{Consumer, SignError, Signed, Signer, TokenCredentials};
use surf::middleware::{Middleware, Next};
use surf::{Client, StatusCode};

pub use oauth1_core;

/// Why signing or a flow step failed: the core's one error shape for adapters, with surf's error
/// as its transport error.
pub type Error = oauth1_core::client::Error<TransportError>;

/// Signs every request of a surf client with one [`Signer`] and its choices (placement, realm,
/// body hash …), a fresh nonce and the time of its [`Clock`] (the system clock unless
/// [`clock`](Self::clock) says otherwise).
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed, up to
/// [`body_limit`](Self::body_limit), and then sent unchanged; other bodies are left untouched.
/// Signing failures surface as a [`surf::Error`]
/// (status 500: the request never left) whose source is an [`Error`]. The signer may use any
/// [`SignatureMethod`], a built-in one or one of the caller's own ([`Signer::with_method`]).
///
/// # Clock skew
///
/// When the provider refuses a timestamp (401 `timestamp_refused`), the middleware corrects its
/// clock from the answer ([`Clock::read_answer`]: at most an hour by default), signs the request
/// again and sends it once more; the middleware and its clones keep the correction for the next
/// requests. A request whose body was left untouched (and is not empty) is not sent again: it
/// fails with [`Error::NotResent`](oauth1_core::client::Error::NotResent) (status 500) instead.
/// Only a 401 of declared length is read for this; every other answer is handed on untouched.
/// [`without_clock_correction`](Self::without_clock_correction) turns this off.
#[derive(Debug, Clone)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    signer: std::sync::Arc<Signer<M>>,
    body_limit: usize,
    clock: Clock,
}

/// The largest body read to be signed, unless [`SigningMiddleware::body_limit`] says otherwise
/// (16 MiB, as the other adapters' middlewares).
pub const DEFAULT_BODY_LIMIT: usize = 16 << 20;

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Signs with `signer`.
    pub fn new(signer: Signer<M>) -> Self {
        SigningMiddleware {
            signer: std::sync::Arc::new(signer),
            body_limit: DEFAULT_BODY_LIMIT,
            clock: Clock::system(),
        }
    }

    oauth1_core::__adapter_setters!(clock, body_limit);
}

#[surf::utils::async_trait]
impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    async fn handle(
        &self,
        mut request: surf::Request,
        client: Client,
        next: Next<'_>,
    ) -> surf::Result<surf::Response> {
        let content_type = request
            .header("Content-Type")
            .map(|v| v.last().as_str().to_string());
        let body = match self.signer.reads_body(content_type.as_deref()) {
            true => Some(self.read(request.take_body()).await?),
            false => None,
        };
        // The request as it can be signed again: unsigned, its body in memory or empty.
        let in_memory = body.is_some() || request.is_empty() == Some(true);
        let again = (self.clock.corrects() && in_memory).then(|| (request.clone(), body.clone()));
        self.sign(&mut request, content_type.as_deref(), body)?;
        let mut response = next.run(request, client.clone()).await?;
        let status = u16::from(response.status());
        let length = response.len().and_then(|n| u64::try_from(n).ok());
        if !self.clock.reads(status, length) {
            return Ok(response);
        }
        let bytes = response.body_bytes().await?;
        let date = response.header("Date").map(|v| v.last().as_str());
        let skew = self.clock.read_answer(status, date, &bytes);
        let resend = skew.resend(again.is_some()).map_err(Error::from);
        let resend = resend.map_err(|e| surf::Error::new(StatusCode::InternalServerError, e))?;
        match (resend, again) {
            (true, Some((mut request, body))) => {
                self.sign(&mut request, content_type.as_deref(), body)?;
                next.run(request, client).await
            }
            _ => {
                response.set_body(bytes);
                Ok(response)
            }
        }
    }
}

impl<M: SignatureMethod> SigningMiddleware<M> {
    /// Reads a body to be signed, refusing one past the limit: at once when its length is known,
    /// else one byte past the limit into the read.
    async fn read(&self, body: surf::Body) -> surf::Result<Vec<u8>> {
        use futures_lite::AsyncReadExt as _;
        let limit = self.body_limit;
        let too_large = || {
            let e = Error::Sign(SignError::BodyTooLarge { limit });
            surf::Error::new(StatusCode::InternalServerError, e)
        };
        if body.len().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        body.take(cap).read_to_end(&mut bytes).await?;
        match bytes.len() > limit {
            true => Err(too_large()),
            false => Ok(bytes),
        }
    }

    /// Signs `request` (whose body is `body` when it was read to be signed) at the clock's time
    /// and writes what the core placed into it.
    fn sign(
        &self,
        request: &mut surf::Request,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> surf::Result<()> {
        let failed =
            |e: SignError| surf::Error::new(StatusCode::InternalServerError, Error::Sign(e));
        let method = request.method().to_string();
        let core = oauth1_core::Request::new(&method, request.url().as_str())
            .with_body_if_present(content_type, body.as_deref().unwrap_or_default());
        let signed = self.clock.sign_now(&self.signer, &core).map_err(failed)?;
        // What goes where is the core's value; this only writes it into surf's request.
        let form = match signed.placed() {
            Placed::Header { authorization } => {
                request.set_header("Authorization", authorization);
                None
            }
            Placed::Query { url } => {
                let url = surf::Url::parse(url).map_err(|_| failed(SignError::InvalidUri))?;
                *AsMut::<surf::http::Request>::as_mut(request).url_mut() = url;
                None
            }
            Placed::Body {
                body,
                content_type: form,
            } => {
                if content_type.is_none() {
                    request.set_header("Content-Type", form);
                }
                Some(body.to_string())
            }
        };
        // A body read to be signed goes out unchanged, or as the signed form (body placement).
        match (form, body) {
            (Some(form), _) => request.body_string(form),
            (None, Some(bytes)) => request.body_bytes(bytes),
            (None, None) => {}
        }
        Ok(())
    }
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
pub async fn request_token(
    client: &Client,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| post(client, signed);
    consumer.request_token_async(callback, send).await
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub async fn access_token(
    client: &Client,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let send = |signed| post(client, signed);
    consumer.access_token_async(temporary, verifier, send).await
}

/// POSTs a signed flow request and reads the answer, at most one byte past what the core
/// accepts: an endless answer is refused (by the core), not buffered.
async fn post(client: &Client, signed: Signed) -> Result<(u16, Vec<u8>), Error> {
    use futures_lite::AsyncReadExt as _;
    let transport = |e: surf::Error| Error::Transport(TransportError(e.into()));
    let mut request = client.post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header("Authorization", authorization);
    }
    let mut response = request.await.map_err(transport)?;
    let status = u16::from(response.status());
    let mut body = Vec::new();
    (&mut response)
        .take(MAX_TOKEN_RESPONSE as u64 + 1)
        .read_to_end(&mut body)
        .await
        .map_err(|e| transport(surf::Error::from(e)))?;
    Ok((status, body))
}
