//! Client side: a tower layer that signs every request, and a function that signs one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use oauth1_core::{BuiltinMethod, SignConfig, SignatureMethod, Signed, Signer};

use crate::{Body, BoxError, Error};

/// Signs one in-memory request in place with a fresh nonce and the current time.
///
/// Header placement sets `Authorization`, query placement rewrites the URI, body placement
/// replaces the body with the signed form. Returns the intermediate values, for debugging.
///
/// ```
/// use oauth1_core::{ClientCredentials, SignConfig, SignatureMethodName, Signer};
///
/// let signer = Signer::new(SignatureMethodName::HmacSha1, &ClientCredentials::new("key", "secret"), None)?;
/// let mut request = http::Request::get("https://api.example.com/1/items?page=2").body(String::new())?;
/// oauth1_hyper::sign(&signer, &SignConfig::new(), &mut request)?;
/// assert!(request.headers()["authorization"].to_str()?.starts_with("OAuth oauth_consumer_key=\"key\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sign<B, M: SignatureMethod>(
    signer: &Signer<M>,
    config: &SignConfig,
    request: &mut http::Request<B>,
) -> Result<Signed, Error>
where
    B: AsRef<[u8]> + From<String>,
{
    let content_type = content_type(request.headers());
    let options = config.options_for(content_type.as_deref());
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    Ok(signer.sign_http(request, &options, &nonce, oauth1_core::timestamp_now())?)
}

/// A [`tower_layer::Layer`] that signs every request with one signer: for hyper-util's `Client`
/// and any tower stack.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Each request gets a fresh nonce and the current time.
///
/// The signer may use any [`SignatureMethod`]: a built-in one (the default type parameter) or
/// one of the caller's own ([`Signer::with_method`]).
#[derive(Debug)]
pub struct SigningLayer<M = BuiltinMethod> {
    shared: Arc<Shared<M>>,
    body_limit: usize,
}

impl<M> Clone for SigningLayer<M> {
    fn clone(&self) -> Self {
        SigningLayer {
            shared: Arc::clone(&self.shared),
            body_limit: self.body_limit,
        }
    }
}

#[derive(Debug)]
struct Shared<M> {
    signer: Signer<M>,
    config: SignConfig,
}

impl<M: SignatureMethod> SigningLayer<M> {
    /// Signs with `signer`, header placement, `oauth_version="1.0"`.
    pub fn new(signer: Signer<M>) -> Self {
        Self::with_config(signer, SignConfig::new())
    }

    /// Signs with `signer` and the given placement, realm, version and body-hash choices.
    pub fn with_config(signer: Signer<M>, config: SignConfig) -> Self {
        SigningLayer {
            shared: Arc::new(Shared { signer, config }),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// The largest body read for signing (default 16 MiB); larger ones fail with
    /// [`Error::Body`].
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        // A clone of the layer made earlier keeps its own limit.
        self.body_limit = bytes;
        self
    }
}

const DEFAULT_BODY_LIMIT: usize = 16 << 20;

impl<S, M> tower_layer::Layer<S> for SigningLayer<M> {
    type Service = SigningService<S, M>;

    fn layer(&self, inner: S) -> SigningService<S, M> {
        SigningService {
            inner,
            shared: Arc::clone(&self.shared),
            body_limit: self.body_limit,
        }
    }
}

/// The service [`SigningLayer`] makes: signs, then calls the inner service with a [`Body`].
#[derive(Debug)]
pub struct SigningService<S, M = BuiltinMethod> {
    inner: S,
    shared: Arc<Shared<M>>,
    body_limit: usize,
}

impl<S: Clone, M> Clone for SigningService<S, M> {
    fn clone(&self) -> Self {
        SigningService {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
            body_limit: self.body_limit,
        }
    }
}

impl<S, B, M> tower_service::Service<http::Request<B>> for SigningService<S, M>
where
    M: SignatureMethod + Send + Sync + 'static,
    S: tower_service::Service<http::Request<Body<B>>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Unpin + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The inner service was made ready; keep that instance (tower's clone-and-swap idiom).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let shared = Arc::clone(&self.shared);
        let body_limit = self.body_limit;
        Box::pin(async move {
            let request = sign_streaming(&shared, body_limit, request).await?;
            inner.call(request).await.map_err(Into::into)
        })
    }
}

async fn sign_streaming<B, M: SignatureMethod>(
    shared: &Shared<M>,
    body_limit: usize,
    request: http::Request<B>,
) -> Result<http::Request<Body<B>>, Error>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let (mut parts, body) = request.into_parts();
    let content_type = content_type(&parts.headers);
    let options = shared.config.options_for(content_type.as_deref());
    let nonce = oauth1_core::nonce().map_err(|_| Error::Nonce)?;
    let timestamp = oauth1_core::timestamp_now();
    if shared.config.reads_body(content_type.as_deref()) {
        let bytes = crate::body::read(body, body_limit)
            .await
            .map_err(Error::Body)?;
        let signed = shared
            .signer
            .sign_parts(&parts, &bytes, &options, &nonce, timestamp)?;
        let new_body = oauth1_core::http::apply(&signed, &mut parts)?;
        let body = new_body.map_or(bytes, Bytes::from);
        Ok(http::Request::from_parts(parts, Body::buffered(body)))
    } else {
        let signed = shared
            .signer
            .sign_parts(&parts, &[], &options, &nonce, timestamp)?;
        oauth1_core::http::apply(&signed, &mut parts)?;
        Ok(http::Request::from_parts(parts, Body::Stream(body)))
    }
}

fn content_type(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}
