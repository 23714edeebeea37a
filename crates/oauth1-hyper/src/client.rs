//! Client side: a tower layer that signs every request (one in-memory request:
//! [`Signer::sign_http_now`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use oauth1_core::client::BuiltinMethod;
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{SignError, Signer};

use crate::{Body, BoxError, Error};
use oauth1_core::client::TransportError;

/// A [`tower_layer::Layer`] that signs every request with one [`Signer`] and its choices
/// (placement, realm, body hash …): for hyper-util's `Client` and any tower stack.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Each request gets a fresh nonce and the current time.
/// The signer may use any [`SignatureMethod`], a built-in one or one of the caller's own
/// ([`Signer::with_method`]).
#[derive(Debug)]
pub struct SigningLayer<M = BuiltinMethod> {
    signer: Arc<Signer<M>>,
    body_limit: usize,
}

impl<M> Clone for SigningLayer<M> {
    fn clone(&self) -> Self {
        SigningLayer {
            signer: Arc::clone(&self.signer),
            body_limit: self.body_limit,
        }
    }
}

impl<M: SignatureMethod> SigningLayer<M> {
    /// Signs with `signer`.
    pub fn new(signer: Signer<M>) -> Self {
        SigningLayer {
            signer: Arc::new(signer),
            body_limit: 16 << 20,
        }
    }

    /// The largest body read for signing (default 16 MiB); a larger one fails with
    /// [`SignError::BodyTooLarge`] and is not sent.
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }
}

impl<S, M> tower_layer::Layer<S> for SigningLayer<M> {
    type Service = SigningService<S, M>;

    fn layer(&self, inner: S) -> SigningService<S, M> {
        SigningService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`SigningLayer`] makes: signs, then calls the inner service with a [`Body`].
#[derive(Debug)]
pub struct SigningService<S, M = BuiltinMethod> {
    inner: S,
    layer: SigningLayer<M>,
}

impl<S: Clone, M> Clone for SigningService<S, M> {
    fn clone(&self) -> Self {
        SigningService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
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
        let layer = self.layer.clone();
        Box::pin(async move {
            let request = sign_streaming(&layer, request).await?;
            inner.call(request).await.map_err(Into::into)
        })
    }
}

/// Reads the body when the signature covers it, then the core's one client-side step.
async fn sign_streaming<B, M: SignatureMethod>(
    layer: &SigningLayer<M>,
    request: http::Request<B>,
) -> Result<http::Request<Body<B>>, Error>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let (mut parts, body) = request.into_parts();
    if !layer.signer.reads_body_of(&parts) {
        oauth1_core::http::sign_now(&layer.signer, &mut parts, &[])?;
        return Ok(http::Request::from_parts(parts, Body::Stream(body)));
    }
    let bytes = crate::body::read(body, layer.body_limit)
        .await
        .map_err(|e| match e.is::<http_body_util::LengthLimitError>() {
            true => Error::Sign(SignError::BodyTooLarge {
                limit: layer.body_limit,
            }),
            false => Error::Transport(TransportError(e)),
        })?;
    let (_, new_body) = oauth1_core::http::sign_now(&layer.signer, &mut parts, &bytes)?;
    let body = new_body.map_or(bytes, Bytes::from);
    Ok(http::Request::from_parts(parts, Body::buffered(body)))
}
