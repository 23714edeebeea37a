//! `VerifyLayer` and `VerifyService` as tower and hyper see them: readiness is the inner service's
//! (`SigningService`'s too), `Debug` shows the settings and no secret, the `Body` handed on tells
//! its length and its end, and each `Rejection` says what happened.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use http_body::Body as _;
use http_body_util::Full;
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::{Verifier, VerifyError};
use oauth1_hyper::{Body, Rejection, VerifyLayer};
use support::Clients;
use tower_layer::Layer as _;
use tower_service::Service;

/// An inner service that is ready or not, as told.
#[derive(Clone, Debug)]
struct Gate {
    open: bool,
}

impl Service<http::Request<Body<Full<Bytes>>>> for Gate {
    type Response = http::Response<String>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<http::Response<String>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        match self.open {
            true => Poll::Ready(Ok(())),
            false => Poll::Pending,
        }
    }

    fn call(&mut self, _: http::Request<Body<Full<Bytes>>>) -> Self::Future {
        Box::pin(async { Ok(http::Response::new(String::new())) })
    }
}

fn layer() -> VerifyLayer {
    VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new()).realm("Photos")
}

#[test]
fn the_service_is_ready_when_the_inner_one_is() {
    let mut cx = Context::from_waker(Waker::noop());
    let mut closed = layer().layer(Gate { open: false });
    assert!(closed.poll_ready(&mut cx).is_pending());
    let mut open = layer().layer(Gate { open: true });
    assert!(matches!(open.poll_ready(&mut cx), Poll::Ready(Ok(()))));
}

/// The client side's `SigningService` too: a request is signed only once the inner service can
/// take it.
#[test]
fn the_signing_service_is_ready_when_the_inner_one_is() {
    let signer = oauth1_core::Signer::hmac_sha1(
        &oauth1_core::ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let layer = oauth1_hyper::SigningLayer::new(signer);
    let mut cx = Context::from_waker(Waker::noop());
    let mut closed = layer.layer(Gate { open: false });
    let ready = Service::<http::Request<Full<Bytes>>>::poll_ready(&mut closed, &mut cx);
    assert!(ready.is_pending());
    let mut open = layer.layer(Gate { open: true });
    let ready = Service::<http::Request<Full<Bytes>>>::poll_ready(&mut open, &mut cx);
    assert!(matches!(ready, Poll::Ready(Ok(()))));
}

#[test]
fn debug_shows_the_settings_and_the_inner_service() {
    let layer = format!("{:?}", layer());
    assert!(
        layer.starts_with("VerifyLayer {") && layer.contains(r#"realm: "Photos""#),
        "{layer}"
    );
    let service = format!("{:?}", layer_of_gate());
    assert!(
        service.starts_with("VerifyService {")
            && service.contains("Gate { open: true }")
            && service.contains("VerifyLayer {"),
        "{service}"
    );
    assert!(!service.contains("secret"), "{service}");
}

fn layer_of_gate() -> oauth1_hyper::VerifyService<Gate> {
    layer().layer(Gate { open: true })
}

#[test]
fn a_body_handed_on_tells_its_length_and_its_end() {
    let read: Body<Full<Bytes>> = Body::buffered("a=1");
    assert_eq!(read.size_hint().exact(), Some(3));
    assert!(!read.is_end_stream());
    let empty: Body<Full<Bytes>> = Body::buffered(Bytes::new());
    assert_eq!(empty.size_hint().exact(), Some(0));
    assert!(empty.is_end_stream());
    let stream = Body::Stream(Full::new(Bytes::from_static(b"xyz")));
    assert_eq!(stream.size_hint().exact(), Some(3));
    assert!(!stream.is_end_stream());
}

#[test]
fn each_rejection_says_what_happened_and_only_a_core_one_has_a_source() {
    let invalid = Rejection::Invalid(VerifyError::BodyTooLarge { limit: 10 });
    assert_eq!(
        invalid.to_string(),
        VerifyError::BodyTooLarge { limit: 10 }.to_string()
    );
    assert!(std::error::Error::source(&invalid).is_some());
    for (rejection, text) in [
        (
            Rejection::BodyUnreadable,
            "the request body could not be read",
        ),
        (
            Rejection::DeclaredTooLarge { declared: 5 },
            "the request declares a body of 5 bytes, larger than the verification limit",
        ),
        (
            Rejection::BodyTimedOut,
            "the request body did not arrive within the verification time limit",
        ),
    ] {
        assert_eq!(rejection.to_string(), text);
        assert!(std::error::Error::source(&rejection).is_none());
    }
}
