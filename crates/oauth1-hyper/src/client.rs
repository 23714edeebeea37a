//! Client side: a tower layer that signs every request (one in-memory request:
//! [`Signer::sign_http_now`]), and signs it again once when the provider refuses its timestamp.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::request::Parts;
use oauth1_core::client::{BuiltinMethod, Clock, MAX_TOKEN_RESPONSE};
use oauth1_core::crypto::SignatureMethod;
use oauth1_core::{SignError, Signer};

use crate::{Body, BoxError, Error};
use oauth1_core::client::TransportError;

/// A [`tower_layer::Layer`] that signs every request with one [`Signer`] and its choices
/// (placement, realm, body hash …): for hyper-util's `Client` and any tower stack.
///
/// Form bodies (and bodies covered by `oauth_body_hash`) are read to be signed and then sent
/// unchanged; other bodies stream untouched. Each request gets a fresh nonce and the time of the
/// layer's [`Clock`] (the system clock unless [`clock`](Self::clock) says otherwise).
/// The signer may use any [`SignatureMethod`], a built-in one or one of the caller's own
/// ([`Signer::with_method`]).
///
/// # Clock skew
///
/// When the provider refuses a timestamp (401 `timestamp_refused`), the layer corrects its clock
/// from the answer ([`Clock::read_answer`]: at most an hour by default), signs the request again
/// and sends it once more; the layer and its services keep the correction for the next requests.
/// A request whose body was streamed is not sent again: the service fails with
/// [`Error::NotResent`](oauth1_core::client::Error::NotResent) instead. The answer's body is
/// read for this only for a 401 of declared length; every other answer streams untouched.
/// [`without_clock_correction`](Self::without_clock_correction) turns this off.
#[derive(Debug)]
pub struct SigningLayer<M = BuiltinMethod> {
    signer: Arc<Signer<M>>,
    body_limit: usize,
    clock: Clock,
}

impl<M> Clone for SigningLayer<M> {
    fn clone(&self) -> Self {
        SigningLayer {
            signer: Arc::clone(&self.signer),
            body_limit: self.body_limit,
            clock: self.clock.clone(),
        }
    }
}

impl<M: SignatureMethod> SigningLayer<M> {
    /// Signs with `signer`.
    pub fn new(signer: Signer<M>) -> Self {
        SigningLayer {
            signer: Arc::new(signer),
            body_limit: 16 << 20,
            clock: Clock::system(),
        }
    }

    oauth1_core::__adapter_setters!(clock, body_limit);
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

impl<S, B, M, R> tower_service::Service<http::Request<B>> for SigningService<S, M>
where
    M: SignatureMethod + Send + Sync + 'static,
    S: tower_service::Service<http::Request<Body<B>>, Response = http::Response<R>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: http_body::Body<Data = Bytes> + Unpin + Send + 'static,
    B::Error: Into<BoxError>,
    R: http_body::Body<Data = Bytes> + Unpin + Send + 'static,
    R::Error: Into<BoxError>,
{
    type Response = http::Response<Body<R>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The inner service was made ready; keep that instance (tower's clone-and-swap idiom).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            let (request, again) = sign_streaming(&layer, request).await?;
            let response = inner.call(request).await.map_err(Into::into)?;
            heal(&layer, inner, response, again).await
        })
    }
}

/// A request as it can be signed again: its head before signing, and its body (empty for none).
type Again = Option<(Parts, Bytes)>;

/// Reads the body when the signature covers it, then the core's one client-side step; keeps what
/// a second send needs when the body is in memory.
async fn sign_streaming<B, M: SignatureMethod>(
    layer: &SigningLayer<M>,
    request: http::Request<B>,
) -> Result<(http::Request<Body<B>>, Again), Error>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let (mut parts, body) = request.into_parts();
    let unsigned = layer.clock.corrects().then(|| parts.clone());
    if !layer.signer.reads_body_of(&parts) {
        let again = unsigned.filter(|_| body.is_end_stream());
        layer.clock.sign_parts(&layer.signer, &mut parts, &[])?;
        let request = http::Request::from_parts(parts, Body::Stream(body));
        return Ok((request, again.map(|parts| (parts, Bytes::new()))));
    }
    let bytes = crate::body::read(body, layer.body_limit)
        .await
        .map_err(|e| match e.is::<http_body_util::LengthLimitError>() {
            true => Error::Sign(SignError::BodyTooLarge {
                limit: layer.body_limit,
            }),
            false => Error::Transport(TransportError(e)),
        })?;
    let again = unsigned.map(|parts| (parts, bytes.clone()));
    Ok((sign_buffered(layer, parts, bytes)?, again))
}

/// Signs a request whose body is in memory, as it will be sent.
fn sign_buffered<B, M: SignatureMethod>(
    layer: &SigningLayer<M>,
    mut parts: Parts,
    bytes: Bytes,
) -> Result<http::Request<Body<B>>, Error> {
    let (_, new_body) = layer.clock.sign_parts(&layer.signer, &mut parts, &bytes)?;
    let body = new_body.map_or(bytes, Bytes::from);
    Ok(http::Request::from_parts(parts, Body::buffered(body)))
}

/// Hands the clock a 401 it may learn from; sends the request once more when it corrected
/// itself, else hands the answer on (read into memory, or untouched).
async fn heal<S, B, M, R>(
    layer: &SigningLayer<M>,
    mut inner: S,
    response: http::Response<R>,
    again: Again,
) -> Result<http::Response<Body<R>>, BoxError>
where
    M: SignatureMethod,
    S: tower_service::Service<http::Request<Body<B>>, Response = http::Response<R>>,
    S::Error: Into<BoxError>,
    R: http_body::Body<Data = Bytes>,
    R::Error: Into<BoxError>,
{
    let length = response.body().size_hint().exact();
    if !layer.clock.reads(response.status().as_u16(), length) {
        return Ok(response.map(Body::Stream));
    }
    let (head, body) = response.into_parts();
    let bytes = crate::body::read(body, MAX_TOKEN_RESPONSE).await?;
    let date = head.headers.get(http::header::DATE);
    let date = date.and_then(|v| v.to_str().ok());
    let skew = layer.clock.read_answer(head.status.as_u16(), date, &bytes);
    let (parts, body) = match (skew.resend(again.is_some()).map_err(Error::from)?, again) {
        (true, Some(again)) => again,
        _ => return Ok(http::Response::from_parts(head, Body::buffered(bytes))),
    };
    let request = sign_buffered(layer, parts, body)?;
    std::future::poll_fn(|cx| inner.poll_ready(cx))
        .await
        .map_err(Into::into)?;
    let response = inner.call(request).await.map_err(Into::into)?;
    Ok(response.map(Body::Stream))
}
