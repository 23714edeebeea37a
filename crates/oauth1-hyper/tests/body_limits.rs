//! The edges of `VerifyLayer::body_limit`: a body the signature covers (a form) is read up to the
//! limit and no further, whether its length is declared or not, and a body that fails while read is
//! told apart from one that is too large; a body the signature does not cover is never read, so
//! the limit does not apply to it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use http_body_util::{BodyExt as _, Full};
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::{ClientCredentials, Request, Signer, Verifier, VerifyError};
use oauth1_hyper::{Rejection, VerifyLayer};
use support::{Clients, NOW, Recorder};
use tower_layer::Layer as _;
use tower_service::Service as _;

const LIMIT: usize = 64;
const URL: &str = "http://api.example.com/echo";
const FORM: &str = "application/x-www-form-urlencoded";

fn layer() -> VerifyLayer {
    VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new())
        .clock(|| NOW)
        .body_limit(LIMIT)
}

/// The `Authorization` value for a POST of `body` (of `content_type`) to [`URL`].
fn authorization(content_type: &str, body: &[u8], nonce: &str) -> String {
    let signer = Signer::hmac_sha1(&ClientCredentials::new("client", "secret"), None).unwrap();
    let request = Request::new("POST", URL).with_body(Some(content_type), body);
    let signed = signer.sign(&request, nonce, NOW).unwrap();
    signed.authorization().unwrap().to_string()
}

/// A signed form POST of `body`, its length declared or not.
fn form_post<B>(body_bytes: &[u8], body: B, declared: bool, nonce: &str) -> http::Request<B> {
    let mut builder = http::Request::post("/echo")
        .header("host", "api.example.com")
        .header("content-type", FORM)
        .header("authorization", authorization(FORM, body_bytes, nonce));
    if declared {
        builder = builder.header("content-length", body_bytes.len().to_string());
    }
    builder.body(body).unwrap()
}

/// A form of exactly `len` bytes.
fn form_of(len: usize) -> Vec<u8> {
    let mut form = b"a=".to_vec();
    form.resize(len, b'x');
    form
}

/// A body sent in frames, with no length known beforehand (as a chunked one), each frame a piece
/// of data or an error.
#[derive(Debug)]
struct Chunks(VecDeque<Result<Bytes, std::io::Error>>);

impl Chunks {
    fn of(bytes: &[u8]) -> Self {
        let half = bytes.len() / 2;
        Chunks(VecDeque::from([
            Ok(Bytes::copy_from_slice(&bytes[..half])),
            Ok(Bytes::copy_from_slice(&bytes[half..])),
        ]))
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(self.0.pop_front().map(|piece| piece.map(Frame::data)))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::default()
    }
}

#[tokio::test]
async fn a_form_declared_at_the_limit_is_read_and_one_byte_more_is_refused_unread() {
    let at_limit = form_of(LIMIT);
    let request = form_post(
        &at_limit,
        Full::new(Bytes::from(at_limit.clone())),
        true,
        "n1",
    );
    let recorder = Recorder::default();
    let response = layer().layer(recorder.clone()).call(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(recorder.seen(), vec![at_limit]);

    let over = form_of(LIMIT + 1);
    let request = form_post(&over, Full::new(Bytes::from(over.clone())), true, "n2");
    let rejection = layer().verify(request).await.unwrap_err();
    assert!(
        matches!(rejection, Rejection::DeclaredTooLarge { declared } if declared == LIMIT as u64 + 1),
        "{rejection:?}"
    );
}

#[tokio::test]
async fn an_undeclared_form_is_read_up_to_the_limit() {
    let at_limit = form_of(LIMIT);
    let request = form_post(&at_limit, Chunks::of(&at_limit), false, "n3");
    let verified = layer().verify(request).await.unwrap();
    let body = verified.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, at_limit);

    let over = form_of(LIMIT + 1);
    let request = form_post(&over, Chunks::of(&over), false, "n4");
    let rejection = layer().verify(request).await.unwrap_err();
    assert!(
        matches!(
            rejection,
            Rejection::Invalid(VerifyError::BodyTooLarge { limit: LIMIT })
        ),
        "{rejection:?}"
    );
}

#[tokio::test]
async fn a_form_that_fails_while_read_is_unreadable_not_too_large() {
    let form = form_of(10);
    let failing = Chunks(VecDeque::from([
        Ok(Bytes::from_static(b"a=")),
        Err(std::io::Error::other("connection reset")),
    ]));
    let request = form_post(&form, failing, false, "n5");
    let rejection = layer().verify(request).await.unwrap_err();
    assert!(
        matches!(rejection, Rejection::BodyUnreadable),
        "{rejection:?}"
    );
}

/// A JSON body without a body hash is not signed: the layer never reads it, so it streams through
/// to the service whole, however far past the limit.
#[tokio::test]
async fn a_body_the_signature_does_not_cover_is_passed_on_unread_past_the_limit() {
    let json = format!("{{\"text\":\"{}\"}}", "y".repeat(16 * LIMIT)).into_bytes();
    let request = http::Request::post("/echo")
        .header("host", "api.example.com")
        .header("content-type", "application/json")
        .header("content-length", json.len().to_string())
        .header(
            "authorization",
            authorization("application/json", &json, "n6"),
        )
        .body(Full::new(Bytes::from(json.clone())))
        .unwrap();
    let recorder = Recorder::default();
    let response = layer().layer(recorder.clone()).call(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(recorder.seen(), vec![json]);
}
