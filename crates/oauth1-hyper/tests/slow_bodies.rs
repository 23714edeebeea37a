//! G2 of security review issue 26, `VerifyLayer`'s part: a form body (whose parameters are signed)
//! is read before the signature is checked, so an unauthenticated client that declares a body and
//! sends it slowly, or never, held the request for as long as it liked; and a form declaring 1 TB
//! was not refused up front.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use oauth1_core::server::{ClientKeys, InMemoryNonceStore};
use oauth1_core::{CredentialStore, Verifier};
use oauth1_hyper::{Body, Rejection, VerifyLayer};
use tower_layer::Layer as _;
use tower_service::Service;

struct Clients;

impl CredentialStore for Clients {
    fn client(&self, key: &str) -> Option<ClientKeys> {
        (key == "client").then(|| ClientKeys::shared_secret("secret"))
    }
    fn token_secret(&self, _: &str, _: &str) -> Option<String> {
        None
    }
}

fn layer() -> VerifyLayer {
    VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
}

/// A body that sends one byte, then another every `every` (never finishing), or nothing more when
/// `every` is `None`: what a client trickling its body looks like to the server.
#[derive(Debug)]
struct Trickle {
    first: bool,
    every: Option<Pin<Box<tokio::time::Sleep>>>,
    period: Duration,
}

impl Trickle {
    fn stalled() -> Self {
        Trickle {
            first: true,
            every: None,
            period: Duration::ZERO,
        }
    }

    fn dripping(period: Duration) -> Self {
        Trickle {
            first: true,
            every: Some(Box::pin(tokio::time::sleep(period))),
            period,
        }
    }
}

impl http_body::Body for Trickle {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if std::mem::take(&mut self.first) {
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"a")))));
        }
        let period = self.period;
        match &mut self.every {
            // Nothing more, and no waker kept: only the layer's own timer can end the wait.
            None => Poll::Pending,
            Some(sleep) => {
                std::task::ready!(sleep.as_mut().poll(cx));
                sleep.as_mut().reset(tokio::time::Instant::now() + period);
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"a")))))
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

/// A form POST to `/api/echo` declaring `length` bytes, with `body`.
fn form_request<B>(length: u64, body: B) -> http::Request<B> {
    http::Request::post("http://127.0.0.1/api/echo")
        .header("host", "127.0.0.1")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", length.to_string())
        .body(body)
        .unwrap()
}

/// Runs `verify` for at most `wait`; how long it took and what it answered.
async fn verify_within<B>(
    layer: &VerifyLayer,
    request: http::Request<B>,
    wait: Duration,
) -> (Duration, Option<Result<http::Request<Body<B>>, Rejection>>)
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<oauth1_hyper::BoxError>,
{
    let started = Instant::now();
    let outcome = tokio::time::timeout(wait, layer.verify(request)).await.ok();
    (started.elapsed(), outcome)
}

#[tokio::test]
async fn a_declared_terabyte_is_refused_before_reading() {
    let layer = layer();
    let (waited, outcome) = verify_within(
        &layer,
        form_request(999_999_999_999, Trickle::stalled()),
        Duration::from_secs(5),
    )
    .await;
    let rejection = outcome
        .unwrap_or_else(|| panic!("still reading after {waited:?}"))
        .unwrap_err();
    assert!(
        matches!(
            rejection,
            Rejection::DeclaredTooLarge {
                declared: 999_999_999_999
            }
        ),
        "{rejection:?}"
    );
    assert!(waited < Duration::from_secs(1), "{waited:?}");
    let response = layer.response::<String>(&rejection);
    assert_eq!(response.status(), http::StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.headers()["connection"], "close");
    assert!(
        response
            .body()
            .starts_with("oauth_problem=parameter_rejected")
    );
    // Through the service too: 413, and the inner service never called.
    let mut service = layer.layer(Inner);
    let response = service
        .call(form_request(999_999_999_999, Trickle::stalled()))
        .await
        .unwrap();
    assert_eq!(response.status(), http::StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_stalled_form_body_times_out() {
    let layer = layer().body_timeout(Duration::from_millis(500));
    let (waited, outcome) = verify_within(
        &layer,
        form_request(100_000, Trickle::stalled()),
        Duration::from_secs(5),
    )
    .await;
    let rejection = outcome
        .unwrap_or_else(|| panic!("still reading after {waited:?}"))
        .unwrap_err();
    assert!(
        matches!(rejection, Rejection::BodyTimedOut),
        "{rejection:?}"
    );
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    let response = layer.response::<String>(&rejection);
    assert_eq!(response.status(), http::StatusCode::REQUEST_TIMEOUT);
    assert_eq!(response.headers()["connection"], "close");
}

/// The timeout bounds the whole read, not the gap between two bytes: a byte every 50 ms keeps
/// arriving, and the read still ends at the timeout.
#[tokio::test]
async fn a_dripping_form_body_times_out_too() {
    let layer = layer().body_timeout(Duration::from_millis(700));
    let (waited, outcome) = verify_within(
        &layer,
        form_request(100_000, Trickle::dripping(Duration::from_millis(50))),
        Duration::from_secs(5),
    )
    .await;
    let rejection = outcome
        .unwrap_or_else(|| panic!("still reading after {waited:?}"))
        .unwrap_err();
    assert!(
        matches!(rejection, Rejection::BodyTimedOut),
        "{rejection:?}"
    );
    assert!(waited < Duration::from_secs(3), "{waited:?}");
}

/// The timer works on any executor, not only tokio's: a stalled body on a plain thread ends too.
#[test]
fn the_timeout_needs_no_tokio_runtime() {
    let layer = layer().body_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let outcome = block_on(layer.verify(form_request(10, Stalled)));
    assert!(
        matches!(outcome, Err(Rejection::BodyTimedOut)),
        "{outcome:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

/// A body whose bytes are all there is read and verified as before (here: unsigned, so 400).
#[tokio::test]
async fn a_complete_form_body_is_read_as_before() {
    let layer = layer().body_timeout(Duration::from_millis(200));
    let (_, outcome) = verify_within(
        &layer,
        form_request(3, http_body_util::Full::new(Bytes::from_static(b"a=b"))),
        Duration::from_secs(5),
    )
    .await;
    let rejection = outcome.unwrap().unwrap_err();
    assert!(matches!(rejection, Rejection::Invalid(_)), "{rejection:?}");
}

/// Never ready, never wakes.
#[derive(Debug)]
struct Stalled;

impl http_body::Body for Stalled {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Pending
    }
}

/// A minimal executor: polls on this thread, parks until woken.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    let started = Instant::now();
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "never woken");
        std::thread::park_timeout(Duration::from_secs(10));
    }
}

/// The inner service: answers 200; the tests check it is not reached.
#[derive(Clone)]
struct Inner;

impl<B> Service<http::Request<Body<B>>> for Inner {
    type Response = http::Response<String>;
    type Error = Infallible;
    type Future = std::future::Ready<Result<http::Response<String>, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Request<Body<B>>) -> Self::Future {
        std::future::ready(Ok(http::Response::new(String::from("reached"))))
    }
}

/// A waker that counts its wakes.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Polls `future` once with a waker of `count`; whether it is still pending.
fn poll_with<F: Future>(future: Pin<&mut F>, count: &Arc<Count>) -> bool {
    let waker = Waker::from(Arc::clone(count));
    future.poll(&mut Context::from_waker(&waker)).is_pending()
}

/// A read polled last with another waker (the task moved, or its executor gave a new one) is woken
/// through that one at the body timeout, not the first: the first may be gone, and the read would
/// then wait for its body for ever. No runtime here: the layer's own timer does the waking.
#[test]
fn the_body_timeout_wakes_the_waker_last_polled_with() {
    let layer = layer().body_timeout(Duration::from_millis(50));
    let mut read = std::pin::pin!(layer.verify(form_request(100, Trickle::stalled())));
    let (first, second) = (Arc::new(Count::default()), Arc::new(Count::default()));
    assert!(poll_with(read.as_mut(), &first));
    assert!(poll_with(read.as_mut(), &second));
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(first.0.load(Ordering::SeqCst), 0);
    assert_eq!(second.0.load(Ordering::SeqCst), 1);
    // And polled again, the read has timed out.
    let waker = Waker::from(second);
    let Poll::Ready(Err(rejection)) = read.as_mut().poll(&mut Context::from_waker(&waker)) else {
        panic!("the read did not end at its timeout");
    };
    assert!(
        matches!(rejection, Rejection::BodyTimedOut),
        "{rejection:?}"
    );
}

/// A read dropped before its timeout (the client went away) lets go of its task's waker at once:
/// the timer keeps only an empty slot until then, never the finished task's memory.
#[test]
fn a_dropped_read_lets_go_of_its_tasks_waker() {
    let layer = layer().body_timeout(Duration::from_secs(3600));
    let mut read = Box::pin(layer.verify(form_request(100, Trickle::stalled())));
    let count = Arc::new(Count::default());
    assert!(poll_with(read.as_mut(), &count));
    assert_eq!(Arc::strong_count(&count), 2, "the timer holds the waker");
    drop(read);
    assert_eq!(Arc::strong_count(&count), 1);
}
