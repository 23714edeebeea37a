//! Server side: a tower layer that verifies incoming requests before the inner service sees them.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use oauth1_core::http::{Origin, TrustedProxies};
use oauth1_core::server::{AsyncCredentialStore, AsyncNonceStore, Blocking, Verified};
use oauth1_core::{CredentialStore, NonceStore, RequestError, Verifier, VerifyError};

use crate::body::ReadError;
use crate::rejection::Rejection;
use crate::{Body, BoxError};

/// A [`tower_layer::Layer`] that verifies every request (RFC 5849 §3.2) with the core's
/// [`Verifier`], the application's [`CredentialStore`] and [`NonceStore`] — or stores that look
/// up asynchronously ([`AsyncCredentialStore`], [`AsyncNonceStore`]: a database, Redis), set with
/// [`async_credentials`](Self::async_credentials) and [`async_nonces`](Self::async_nonces).
///
/// A request that verifies reaches the inner service with its [`Verified`] identity in the
/// request extensions (`request.extensions().get::<Verified>()`). One that does not is answered
/// here: 400 or 401 as §3.2 asks, an `oauth_problem=…` body and, for 401,
/// `WWW-Authenticate: OAuth realm="…"`.
///
/// Form bodies (whose parameters are signed) and bodies covered by `oauth_body_hash` are read
/// and handed on unchanged; other bodies stream untouched. A nonce store that cannot answer gets
/// 503 with `Retry-After`, never a pass.
///
/// # What the layer bounds, and what your server must
///
/// The layer reads a body before anyone is authenticated, so it bounds that read: a request whose
/// `Content-Length` is over [`body_limit`](Self::body_limit) (default 1 MiB) is answered 413 at
/// once, without reading; a body that grows past it while read, 400; one not all there within
/// [`body_timeout`](Self::body_timeout) (default 30 s) from the start of the read, 408. Both
/// answers say `Connection: close`. The timeout works on any executor: a timer thread of this
/// crate (one per process, started by the first read that has to wait) ends the wait.
///
/// Everything before and around that is your HTTP server's to bound — the layer sees a request
/// only once its headers are in:
/// - the time a client may take to send its headers, and to finish a TLS handshake (hyper:
///   `http1::Builder::header_read_timeout` with a timer; a timeout around the TLS accept);
/// - the number of connections, in all and per client address, and how long an idle keep-alive
///   connection stays open (hyper serves whatever you accept: cap it in your accept loop, or with
///   tower's `ConcurrencyLimitLayer`/`TimeoutLayer` in front);
/// - bodies the layer streams untouched (not a form, no `oauth_body_hash`): their size and time
///   are the inner service's to limit, as for any request (axum's `DefaultBodyLimit`,
///   `http_body_util::Limited`, a timeout around the read).
///
/// ```
/// use oauth1_core::{CredentialStore, Verifier};
/// use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
/// use oauth1_hyper::VerifyLayer;
///
/// struct Clients;
/// impl CredentialStore for Clients {
///     fn client(&self, key: &str) -> Option<ClientKeys> {
///         (key == "dpf43f3p2l4k3l03").then(|| ClientKeys::shared_secret("kd94hf93k423kf44"))
///     }
///     fn token_secret(&self, _key: &str, token: &str) -> Option<String> {
///         (token == "nnch734d00sl2jdk").then(|| "pfkkdhi9sl3r4s00".to_string())
///     }
/// }
///
/// let layer = VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
///     .scheme("https")
///     .realm("Photos");
/// // tower::ServiceBuilder::new().layer(layer).service(your_service), or
/// // axum::Router::new()…layer(layer)
/// # let _ = layer;
/// ```
pub struct VerifyLayer {
    shared: Arc<Shared>,
    settings: Arc<Settings>,
}

impl Clone for VerifyLayer {
    fn clone(&self) -> Self {
        VerifyLayer {
            shared: Arc::clone(&self.shared),
            settings: Arc::clone(&self.settings),
        }
    }
}

impl std::fmt::Debug for VerifyLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyLayer")
            .field("verifier", &self.shared.verifier)
            .field("origin", &self.settings.origin)
            .field("realm", &self.settings.realm)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
struct Shared {
    verifier: Verifier,
    stores: Stores,
}

/// Where clients, tokens and nonces are looked up.
#[derive(Clone)]
enum Stores {
    /// Both answer at once ([`VerifyLayer::new`]): a request is verified in one call, with nothing
    /// to await (and no future to allocate per lookup).
    Sync(
        Arc<dyn CredentialStore + Send + Sync>,
        Arc<dyn NonceStore + Send + Sync>,
    ),
    /// At least one waits (a database, Redis): the core's asynchronous verification.
    Async(Arc<dyn AsyncCredentialStore>, Arc<dyn AsyncNonceStore>),
}

impl Stores {
    /// The stores as stores that wait, to replace one of them with a store that does.
    fn waiting(&self) -> (Arc<dyn AsyncCredentialStore>, Arc<dyn AsyncNonceStore>) {
        match self {
            Stores::Sync(credentials, nonces) => (
                Arc::new(Blocking(Arc::clone(credentials))),
                Arc::new(Blocking(Arc::clone(nonces))),
            ),
            Stores::Async(credentials, nonces) => (Arc::clone(credentials), Arc::clone(nonces)),
        }
    }
}

/// What the builder methods set; copy-on-write, so setting one on a layer never fails, even after
/// the layer was cloned.
#[derive(Clone)]
struct Settings {
    origin: Origin,
    realm: String,
    body_limit: usize,
    body_timeout: Duration,
    clock: fn() -> u64,
    allow_unsigned: bool,
    proxies: TrustedProxies,
}

impl VerifyLayer {
    /// Verifies with `verifier`, looking clients and tokens up in `credentials` and recording
    /// nonces in `nonces`. The scheme is `http` and the realm empty until set.
    pub fn new<C, N>(verifier: Verifier, credentials: C, nonces: N) -> Self
    where
        C: CredentialStore + Send + Sync + 'static,
        N: NonceStore + Send + Sync + 'static,
    {
        VerifyLayer::with(
            verifier,
            Stores::Sync(Arc::new(credentials), Arc::new(nonces)),
        )
    }

    /// A layer verifying with `verifier` and `stores`, every setting at its default.
    fn with(verifier: Verifier, stores: Stores) -> Self {
        VerifyLayer {
            shared: Arc::new(Shared { verifier, stores }),
            settings: Arc::new(Settings {
                origin: Origin::host_header("http"),
                realm: String::new(),
                body_limit: DEFAULT_BODY_LIMIT,
                body_timeout: DEFAULT_BODY_TIMEOUT,
                clock: oauth1_core::client::timestamp_now,
                allow_unsigned: false,
                proxies: TrustedProxies::new(),
            }),
        }
    }

    /// The scheme clients use to reach this server (`https` behind a TLS-terminating proxy): it is
    /// part of what they signed. The host is each request's `Host` header.
    #[must_use]
    pub fn scheme(self, scheme: &str) -> Self {
        let origin = Origin::host_header(scheme);
        self.map(|s| s.origin = origin)
    }

    /// Where clients reach this server, as they sign it ([`Origin`]): replaces
    /// [`scheme`](Self::scheme) and [`public_origin`](Self::public_origin).
    #[must_use]
    pub fn origin(self, origin: Origin) -> Self {
        self.map(|s| s.origin = origin)
    }

    /// The public origin clients sign (`https://api.example.com`), used whatever `Host` a proxy or
    /// load balancer forwards; a request whose absolute-form target names another host is refused.
    /// Replaces [`scheme`](Self::scheme).
    pub fn public_origin(self, origin: &str) -> Result<Self, RequestError> {
        let origin = Origin::fixed(origin)?;
        Ok(self.map(|s| s.origin = origin))
    }

    /// The realm named in `WWW-Authenticate` on 401 answers.
    #[must_use]
    pub fn realm(self, realm: impl Into<String>) -> Self {
        self.map(|s| s.realm = realm.into())
    }

    /// The largest body read to verify a request (default 1 MiB). A request declaring a larger
    /// one (`Content-Length`) is refused with 413 before anything is read; a body that turns out
    /// larger while read, with 400.
    #[must_use]
    pub fn body_limit(self, bytes: usize) -> Self {
        self.map(|s| s.body_limit = bytes)
    }

    /// The longest a body read to verify a request may take to arrive in full, from the start of
    /// the read (default 30 s): past it the request is refused with 408 and
    /// `Connection: close`. It bounds the whole read, however the bytes trickle in.
    #[must_use]
    pub fn body_timeout(self, timeout: Duration) -> Self {
        self.map(|s| s.body_timeout = timeout)
    }

    /// Believes `Forwarded` (RFC 7239) and `X-Forwarded-Proto` / `X-Forwarded-Host` from these
    /// proxies: a request whose [`PeerAddr`] is one of them is verified against the scheme and
    /// host the proxy forwarded ([`TrustedProxies::origin_for`]); from anyone else (or without a
    /// `PeerAddr`) those headers are ignored. A [`public_origin`](Self::public_origin) wins.
    #[must_use]
    pub fn trust_proxies(self, proxies: TrustedProxies) -> Self {
        self.map(|s| s.proxies = proxies)
    }

    /// Lets a request that carries no OAuth at all (no `Authorization: OAuth`, no `oauth_`
    /// parameter: [`Verifier::is_unsigned`]) reach the inner service unverified, with an
    /// [`Unsigned`] marker instead of a [`Verified`] identity in its extensions: for services
    /// that answer anonymous requests too. A request with any protocol parameter is verified and
    /// refused as always. With the `axum` feature, [`Identity`](crate::Identity) answers an
    /// unsigned request 401 with `WWW-Authenticate`, and `Option<Identity>` gives `None`.
    #[must_use]
    pub fn allow_unsigned(self) -> Self {
        self.map(|s| s.allow_unsigned = true)
    }

    /// The clock, in seconds since the Unix epoch (default: the system clock); tests fix it.
    #[must_use]
    pub fn clock(self, clock: fn() -> u64) -> Self {
        self.map(|s| s.clock = clock)
    }

    /// Verifies with `verifier` and stores that wait (a database, Redis). The scheme is `http` and
    /// the realm empty until set.
    pub fn with_async_stores(
        verifier: Verifier,
        credentials: impl AsyncCredentialStore + 'static,
        nonces: impl AsyncNonceStore + 'static,
    ) -> Self {
        VerifyLayer::with(
            verifier,
            Stores::Async(Arc::new(credentials), Arc::new(nonces)),
        )
    }

    /// Looks clients and tokens up in a store that waits (a database), instead of the one given to
    /// [`new`](Self::new).
    #[must_use]
    pub fn async_credentials(mut self, credentials: impl AsyncCredentialStore + 'static) -> Self {
        let shared = Arc::make_mut(&mut self.shared);
        let (_, nonces) = shared.stores.waiting();
        shared.stores = Stores::Async(Arc::new(credentials), nonces);
        self
    }

    /// Records nonces in a store that waits (Redis, shared by every instance), instead of the one
    /// given to [`new`](Self::new).
    #[must_use]
    pub fn async_nonces(mut self, nonces: impl AsyncNonceStore + 'static) -> Self {
        let shared = Arc::make_mut(&mut self.shared);
        let (credentials, _) = shared.stores.waiting();
        shared.stores = Stores::Async(credentials, Arc::new(nonces));
        self
    }

    fn map(mut self, f: impl FnOnce(&mut Settings)) -> Self {
        f(Arc::make_mut(&mut self.settings));
        self
    }

    /// Verifies one request, reading its body when the signature covers it. On success returns
    /// the request to hand on (identity in its extensions); on failure, the error and the
    /// request's parts are dropped.
    pub async fn verify<B>(
        &self,
        request: http::Request<B>,
    ) -> Result<http::Request<Body<B>>, Rejection>
    where
        B: http_body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        let (mut parts, body) = request.into_parts();
        // The core decides which bodies the signature covers; a body it was not given is refused
        // by the verifier if the request says it is hashed, so a skipped body never passes.
        // A request that says it has no body (no `Content-Length`, or 0, and not chunked) has
        // nothing to read: the verifier gets it as read and empty, which is what reading it would
        // give, without parsing the header a second time to find out whether it is signed.
        let (body, bytes) = if http_body::Body::is_end_stream(&body) {
            (Some(body), Some(Bytes::new()))
        } else if covers_body(&parts) {
            let declared = declared_length(&parts.headers, &body);
            if declared > self.settings.body_limit as u64 {
                return Err(Rejection::DeclaredTooLarge { declared });
            }
            let read = crate::body::read_within(
                body,
                self.settings.body_limit,
                self.settings.body_timeout,
            );
            match read.await {
                Ok(bytes) => (None, Some(bytes)),
                Err(ReadError::TimedOut) => return Err(Rejection::BodyTimedOut),
                // The core's answer to a body past the limit, as the verifier itself gives it.
                Err(ReadError::TooLarge) => {
                    return Err(Rejection::Invalid(VerifyError::BodyTooLarge {
                        limit: self.settings.body_limit,
                    }));
                }
                Err(ReadError::Failed) => return Err(Rejection::BodyUnreadable),
            }
        } else {
            (Some(body), None)
        };
        let verified = self.verify_received(&parts, bytes.as_deref()).await;
        match verified.map_err(Rejection::Invalid)? {
            Some(verified) => {
                parts.extensions.insert(verified);
            }
            None => {
                let realm = self.settings.realm.clone();
                parts.extensions.insert(Unsigned { realm });
            }
        }
        let body = match (body, bytes) {
            (Some(stream), _) => Body::Stream(stream),
            (None, bytes) => Body::buffered(bytes.unwrap_or_default()),
        };
        Ok(http::Request::from_parts(parts, body))
    }

    /// The core's verification: in one call with stores that answer at once, else its three
    /// steps with the stores' lookups awaited between them;
    /// `None` for a request that carries no OAuth at all, when the layer lets those through.
    async fn verify_received(
        &self,
        parts: &http::request::Parts,
        body: Option<&[u8]>,
    ) -> Result<Option<Verified>, VerifyError> {
        let shared = &*self.shared;
        let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0.ip());
        let origin = (self.settings.proxies)
            .origin_for(peer, &parts.headers, &self.settings.origin)
            .map_err(VerifyError::Request)?;
        let url = oauth1_core::http::absolute_url(parts, &origin).map_err(VerifyError::Request)?;
        let request = oauth1_core::http::received(parts, &url, body);
        let authorization = oauth1_core::http::authorization(&parts.headers);
        if self.settings.allow_unsigned && shared.verifier.is_unsigned(&request, authorization) {
            return Ok(None);
        }
        let now = (self.settings.clock)();
        let verifier = &shared.verifier;
        match &shared.stores {
            Stores::Sync(credentials, nonces) => verifier
                .verify(&request, authorization, &**credentials, &**nonces, now)
                .map(Some),
            Stores::Async(credentials, nonces) => {
                let verify =
                    verifier.verify_async(&request, authorization, &**credentials, &**nonces, now);
                verify.await.map(Some)
            }
        }
    }

    /// The response for a rejected request.
    pub fn response<R: From<String>>(&self, rejection: &Rejection) -> http::Response<R> {
        rejection.response(&self.settings.realm)
    }
}

const DEFAULT_BODY_LIMIT: usize = 1 << 20;
/// Long enough for 1 MiB over a slow mobile link (about 300 kbit/s); short enough that a client
/// holding the read open does not hold it for minutes.
const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);

/// What the request says it will send: the larger of `Content-Length` and the body's own lower
/// bound.
fn declared_length<B: http_body::Body>(headers: &http::HeaderMap, body: &B) -> u64 {
    let header = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    header.max(body.size_hint().lower())
}

fn covers_body(parts: &http::request::Parts) -> bool {
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    oauth1_core::server::body_is_signed(
        header(CONTENT_TYPE),
        header(AUTHORIZATION),
        parts.uri.query(),
    )
}

impl<S> tower_layer::Layer<S> for VerifyLayer {
    type Service = VerifyService<S>;

    fn layer(&self, inner: S) -> VerifyService<S> {
        VerifyService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`VerifyLayer`] makes.
pub struct VerifyService<S> {
    inner: S,
    layer: VerifyLayer,
}

impl<S: Clone> Clone for VerifyService<S> {
    fn clone(&self) -> Self {
        VerifyService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: std::fmt::Debug> std::fmt::Debug for VerifyService<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyService")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

impl<S, B, R> tower_service::Service<http::Request<B>> for VerifyService<S>
where
    S: tower_service::Service<http::Request<Body<B>>, Response = http::Response<R>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    R: From<String>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<R>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            match layer.verify(request).await {
                Ok(request) => inner.call(request).await,
                Err(rejection) => Ok(layer.response(&rejection)),
            }
        })
    }
}

/// The address a request came from, as the server accepted its connection: insert it into the
/// request's extensions for [`VerifyLayer::trust_proxies`] to know whether a forwarding header
/// comes from a trusted proxy (hyper: in the `service_fn` of each accepted connection; axum:
/// from `ConnectInfo<SocketAddr>` with a small middleware).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub std::net::SocketAddr);

/// What a [`VerifyLayer`] that [allows unsigned requests](VerifyLayer::allow_unsigned) puts in
/// the extensions of a request that carries no OAuth: the realm to challenge it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    /// The layer's realm, for `WWW-Authenticate: OAuth realm="…"`.
    pub realm: String,
}

/// The identity a [`VerifyLayer`] put in a request's extensions.
pub fn verified<B>(request: &http::Request<B>) -> Option<&Verified> {
    request.extensions().get::<Verified>()
}
