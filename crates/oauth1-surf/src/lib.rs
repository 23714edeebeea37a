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
//! [`Request`](oauth1_core::Request) view (method, URL, content type, body). Every OAuth rule lives in
//! [`oauth1-core`](oauth1_core); this crate translates types and supplies the clock and the nonce.
//!
//! # Example
//!
//! The three legs and a signed call, against the embedded provider on 127.0.0.1:
//!
//! ```
//! use oauth1_core::{CallbackParams, ClientCredentials, Consumer, SignatureMethodName};
//! use oauth1_provider::{Provider, ProviderConfig};
//! use oauth1_surf::SigningMiddleware;
//!
//! # async_std::task::block_on(async {
//! let provider = Provider::start_blocking(ProviderConfig::new().client("demo-client", "demo-secret"))?;
//! let consumer = Consumer::new(
//!     ClientCredentials::new("demo-client", "demo-secret"),
//!     SignatureMethodName::HmacSha1,
//!     provider.endpoints(),
//! );
//! let client = surf::client();
//!
//! let temporary = oauth1_surf::request_token(&client, &consumer, "http://127.0.0.1:9/callback").await?;
//! let redirect = client.get(consumer.authorize_url(temporary.credentials())).await?;
//! let callback = CallbackParams::from_url(redirect.header("location").map(|v| v.as_str()).unwrap_or_default())?;
//! let token = oauth1_surf::access_token(&client, &consumer, temporary.credentials(), &callback.verifier).await?;
//!
//! // Every request this client sends is signed with the token credentials.
//! let signed = surf::client().with(SigningMiddleware::new(consumer.signer(Some(token.credentials()))?));
//! let answer = signed.get(format!("{}?hello=world", provider.echo_url())).recv_string().await?;
//! assert!(answer.contains(r#""screen_name":"ada""#));
//! # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
//! # }).unwrap();
//! ```

#![deny(missing_docs)]

// docs/surf.md is compiled and run here: this crate is a workspace of its own, outside the docs crate.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/surf.md")]
struct SurfGuide;

use std::sync::Arc;

use oauth1_core::{
    BuiltinMethod, Consumer, Placement, SignConfig, SignatureMethod, Signed, Signer,
    TokenCredentials, TokenResponse,
};
use surf::middleware::{Middleware, Next};
use surf::{Client, StatusCode};

pub use oauth1_core;

/// Signs every request of a surf client with one signer, a fresh nonce and the current time.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies are left untouched. Signing failures surface as a [`surf::Error`]
/// (status 500: the request never left) whose source is an [`Error`].
///
/// The signer may use any [`SignatureMethod`]: a built-in one (the default type parameter) or
/// one of the caller's own ([`Signer::with_method`]).
#[derive(Debug)]
pub struct SigningMiddleware<M = BuiltinMethod> {
    shared: Arc<(Signer<M>, SignConfig)>,
}

impl<M> Clone for SigningMiddleware<M> {
    fn clone(&self) -> Self {
        SigningMiddleware {
            shared: Arc::clone(&self.shared),
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
        }
    }
}

#[surf::utils::async_trait]
impl<M: SignatureMethod + Send + Sync + 'static> Middleware for SigningMiddleware<M> {
    async fn handle(
        &self,
        mut request: surf::Request,
        client: Client,
        next: Next<'_>,
    ) -> surf::Result<surf::Response> {
        let (signer, config) = &*self.shared;
        let content_type = request
            .header("Content-Type")
            .map(|v| v.last().as_str().to_string());
        let body = if config.reads_body(content_type.as_deref()) {
            let bytes = request.take_body().into_bytes().await?;
            Some(bytes)
        } else {
            None
        };
        let signed = sign(
            signer,
            config,
            &request,
            content_type.as_deref(),
            body.as_deref(),
        )
        .map_err(|e| surf::Error::new(StatusCode::InternalServerError, e))?;
        match signed.placement() {
            Placement::Header => {
                request.set_header("Authorization", signed.authorization().unwrap_or_default());
            }
            Placement::Body => {
                if content_type.is_none() {
                    request.set_header("Content-Type", oauth1_core::wire::FORM_CONTENT_TYPE);
                }
            }
            _ => {
                let url = surf::Url::parse(signed.url()).map_err(|e| {
                    surf::Error::new(StatusCode::InternalServerError, Error::Url(e))
                })?;
                *AsMut::<surf::http::Request>::as_mut(&mut request).url_mut() = url;
            }
        }
        // A body read to be signed goes out unchanged, or as the signed form (body placement).
        match (signed.body(), body) {
            (Some(form), _) => request.body_string(form.to_string()),
            (None, Some(bytes)) => request.body_bytes(bytes),
            (None, None) => {}
        }
        next.run(request, client).await
    }
}

/// The core's view of a surf request, signed.
fn sign<M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: &surf::Request,
    content_type: Option<&str>,
    body: Option<&[u8]>,
) -> Result<Signed, Error> {
    let url = request.url().as_str();
    let method = request.method().to_string();
    let core = oauth1_core::Request::new(&method, url)
        .with_body_if_present(content_type, body.unwrap_or_default());
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    Ok(signer.sign(
        &core,
        &config.options_for(content_type),
        &nonce,
        oauth1_core::timestamp_now(),
    )?)
}

/// §2.1: asks for temporary credentials, with `oauth_callback` (an absolute URI, or `oob`).
pub async fn request_token(
    client: &Client,
    consumer: &Consumer,
    callback: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed = consumer.temporary_request(callback, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed).await?;
    Ok(consumer.read_temporary(status, &body)?)
}

/// §2.3: exchanges the temporary credentials and the verifier for token credentials.
pub async fn access_token(
    client: &Client,
    consumer: &Consumer,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenResponse, Error> {
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let signed =
        consumer.token_request(temporary, verifier, &nonce, oauth1_core::timestamp_now())?;
    let (status, body) = post(client, &signed).await?;
    Ok(consumer.read_token(status, &body)?)
}

async fn post(client: &Client, signed: &Signed) -> Result<(u16, Vec<u8>), Error> {
    let mut request = client.post(signed.url());
    if let Some(authorization) = signed.authorization() {
        request = request.header("Authorization", authorization);
    }
    let mut response = request.await.map_err(Error::Http)?;
    let status = u16::from(response.status());
    // At most one byte past what the core accepts: an endless answer is refused, not buffered.
    let limit = oauth1_core::client::MAX_TOKEN_RESPONSE;
    let mut body = Vec::new();
    use futures_lite::AsyncReadExt as _;
    (&mut response)
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .await
        .map_err(|e| Error::Http(surf::Error::from(e)))?;
    if body.len() > limit {
        return Err(Error::Flow(oauth1_core::FlowError::TooLarge));
    }
    Ok((status, body))
}

/// Why signing or a flow step failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be signed (bad URL, method, key …).
    Sign(oauth1_core::SignError),
    /// The signed URL is not one surf accepts.
    Url(surf::http::url::ParseError),
    /// The operating system's random source failed to give a nonce.
    Nonce,
    /// Sending the request or reading the response failed.
    Http(surf::Error),
    /// The provider's answer to a flow step was an error or could not be read.
    Flow(oauth1_core::FlowError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sign(e) => write!(f, "cannot sign the request: {e}"),
            Error::Url(e) => write!(f, "the signed URL is not valid for surf: {e}"),
            Error::Nonce => f.write_str("the operating system's random source failed"),
            Error::Http(e) => write!(f, "HTTP request failed: {e}"),
            Error::Flow(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sign(e) => Some(e),
            Error::Url(e) => Some(e),
            Error::Flow(e) => Some(e),
            Error::Http(_) | Error::Nonce => None,
        }
    }
}

impl From<oauth1_core::SignError> for Error {
    fn from(e: oauth1_core::SignError) -> Self {
        Error::Sign(e)
    }
}

impl From<oauth1_core::FlowError> for Error {
    fn from(e: oauth1_core::FlowError) -> Self {
        Error::Flow(e)
    }
}
