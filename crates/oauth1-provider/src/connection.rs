//! Connections: accepting within the connection limit, TLS handshakes bounded in time, and
//! HTTP/1.1 on each connection with its header-read timeout. Bodies are bounded by the routes'
//! [`BodyReader`](crate::body::BodyReader).

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper_util::rt::{TokioIo, TokioTimer};
use oauth1_hyper::PeerAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use crate::ProviderConfig;
use crate::routes::App;

#[cfg(feature = "tls")]
pub(crate) use crate::tls::Tls;

/// Without the `tls` feature there is never a TLS server side.
#[cfg(not(feature = "tls"))]
pub(crate) enum Tls {}

impl Tls {
    /// The configured TLS server side, made now so that a bad certificate fails `start`; `None`
    /// for plain HTTP.
    pub(crate) fn from_config(config: &ProviderConfig) -> io::Result<Option<Tls>> {
        #[cfg(feature = "tls")]
        if let Some(source) = &config.tls {
            return Ok(Some(Tls::new(source)?));
        }
        let _ = config;
        Ok(None)
    }
}

/// The URL scheme clients use and sign: `https` with TLS.
pub(crate) fn scheme(tls: Option<&Tls>) -> &'static str {
    if tls.is_some() { "https" } else { "http" }
}

/// Serves `listener` until `shutdown` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    app: App,
    tls: Option<Tls>,
    mut shutdown: oneshot::Receiver<()>,
) {
    // At most `max_connections` at once: further ones wait in the listen backlog until one ends.
    let slots = Arc::new(Semaphore::new(app.limits.max_connections));
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some(Accepted { stream, peer, slot }) = accepted else {
            continue;
        };
        let app = app.clone();
        match &tls {
            None => {
                tokio::spawn(async move {
                    connection(stream, app, peer).await;
                    drop(slot);
                });
            }
            #[cfg(feature = "tls")]
            Some(tls) => {
                let acceptor = tls.acceptor.clone();
                tokio::spawn(async move {
                    // A failed or stalled handshake (an untrusting client, plain HTTP, a client
                    // that says nothing) ends only this connection.
                    let handshake = acceptor.accept(stream);
                    let timeout = app.limits.header_read_timeout;
                    if let Ok(Ok(stream)) = tokio::time::timeout(timeout, handshake).await {
                        connection(stream, app, peer).await;
                    }
                    drop(slot);
                });
            }
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
        }
    }
}

/// An accepted connection and the slot it holds until it ends.
struct Accepted {
    stream: TcpStream,
    peer: SocketAddr,
    slot: OwnedSemaphorePermit,
}

/// Waits for a free connection slot, then for a connection.
async fn accept(listener: &TcpListener, slots: &Arc<Semaphore>) -> Option<Accepted> {
    let slot = Arc::clone(slots).acquire_owned().await.ok()?;
    let (stream, peer) = listener.accept().await.ok()?;
    Some(Accepted { stream, peer, slot })
}

/// Serves HTTP/1.1 on one connection from `peer`, plain or TLS. A connection that takes longer
/// than the header-read timeout to send a request's headers is closed. Each request carries
/// `peer` as a [`PeerAddr`], for the verifier to know whether its `Forwarded` / `X-Forwarded-*`
/// headers come from a trusted proxy ([`ProviderConfig::trust_proxies`]).
async fn connection<S>(stream: S, app: App, peer: SocketAddr)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let timeout = app.limits.header_read_timeout;
    let service = hyper::service::service_fn(move |mut request: http::Request<_>| {
        let app = app.clone();
        request.extensions_mut().insert(PeerAddr(peer));
        async move { Ok::<_, Infallible>(app.handle(request, peer.ip()).await) }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}
