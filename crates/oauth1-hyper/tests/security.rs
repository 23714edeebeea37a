//! Regression tests for the security review's findings against `VerifyLayer` (F1, F4): each sends
//! the attack through the layer and checks what the inner service would have received.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::client::BodyHash;
use oauth1_core::server::InMemoryNonceStore;
use oauth1_core::{ClientCredentials, Placement, Request, SignatureMethodName, Signer, Verifier};
use oauth1_hyper::VerifyLayer;
use support::{Clients, NOW, Recorder};
use tower_layer::Layer as _;
use tower_service::Service as _;

fn layer() -> VerifyLayer {
    VerifyLayer::new(Verifier::new(), Clients, InMemoryNonceStore::new()).clock(|| NOW)
}

/// Signs `method url` with a body hash over `signed_body`, in `placement`; returns the
/// `Authorization` value (header placement) and the URL to send.
fn sign_hashed(placement: Placement, url: &str, signed_body: &[u8]) -> (Option<String>, String) {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let request = Request::new("POST", url).with_body(Some("application/json"), signed_body);
    let signed = signer
        .with_placement(placement)
        .with_body_hash(BodyHash::MethodDigest)
        .sign(&request, "nonce", NOW)
        .unwrap();
    (
        signed.authorization().map(str::to_string),
        signed.url().to_string(),
    )
}

async fn send(
    target: &str,
    authorization: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> (u16, Vec<Vec<u8>>) {
    let recorder = Recorder::default();
    let mut service = layer().layer(recorder.clone());
    let mut builder = http::Request::post(target)
        .header("host", "api.example.com")
        .header("content-type", content_type);
    if let Some(value) = authorization {
        builder = builder.header("authorization", value);
    }
    let request = builder
        .body(Full::new(Bytes::copy_from_slice(body)))
        .unwrap();
    let response = service.call(request).await.unwrap();
    let seen = recorder.seen();
    (response.status().as_u16(), seen)
}

/// The path and query of a signed URL: what a server receives in origin form.
fn origin_form(url: &str) -> &str {
    let rest = url.split_once("://").unwrap().1;
    &rest[rest.find('/').unwrap()..]
}

/// F1: `oauth%5Fbody%5Fhash` is a valid encoding of `oauth_body_hash`. The layer used to look for
/// the literal name, skip reading the body, and let the verifier hash an empty one: the service
/// then received a body nobody had signed.
#[tokio::test]
async fn an_encoded_body_hash_name_cannot_smuggle_a_body_in_the_header() {
    let (authorization, url) = sign_hashed(Placement::Header, "http://api.example.com/pay", b"");
    let authorization = authorization
        .unwrap()
        .replace("oauth_body_hash=", "oauth%5Fbody%5Fhash=");
    let (status, seen) = send(
        origin_form(&url),
        Some(&authorization),
        "application/json",
        br#"{"amount":1000000}"#,
    )
    .await;
    assert_eq!(status, 401, "the changed body must not pass");
    assert!(seen.is_empty(), "the service saw {seen:?}");

    // The same header with the body that was hashed passes, and the service sees that body.
    let (status, seen) = send(
        origin_form(&url),
        Some(&authorization),
        "application/json",
        b"",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(seen, vec![Vec::<u8>::new()]);
}

#[tokio::test]
async fn an_encoded_body_hash_name_cannot_smuggle_a_body_in_the_query() {
    let (_, url) = sign_hashed(Placement::Query, "http://api.example.com/pay", b"");
    let url = url.replace("oauth_body_hash=", "oauth%5Fbody%5Fhash=");
    for name in ["oauth%5Fbody%5Fhash=", "oauth%5fbody_hash="] {
        let target = origin_form(&url).replace("oauth%5Fbody%5Fhash=", name);
        let (status, seen) =
            send(&target, None, "application/json", br#"{"amount":1000000}"#).await;
        assert_eq!(status, 401, "{target}");
        assert!(seen.is_empty(), "the service saw {seen:?}");
    }
    let (status, seen) = send(origin_form(&url), None, "application/json", b"").await;
    assert_eq!(status, 200);
    assert_eq!(seen, vec![Vec::<u8>::new()]);
}

/// In the form placement the body is a form, always read and signed: a body hash there is refused
/// whatever its name's encoding.
#[tokio::test]
async fn an_encoded_body_hash_name_in_a_form_body_is_refused() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let request = Request::new("POST", "http://api.example.com/pay").with_form_body(b"amount=1");
    let signed = signer
        .with_placement(Placement::Body)
        .sign(&request, "nonce", NOW)
        .unwrap();
    let body = format!(
        "{}&oauth%5Fbody%5Fhash=2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D",
        signed.body().unwrap()
    );
    let (status, seen) = send(
        "/pay",
        None,
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    )
    .await;
    assert!(status == 400 || status == 401, "{status}");
    assert!(seen.is_empty());
}

/// F4: a request in absolute form chose the scheme and host it was verified against.
#[tokio::test]
async fn an_absolute_form_target_for_another_host_is_refused() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let signed = signer
        .sign(
            &Request::new("POST", "https://bank.example:8443/pay"),
            "nonce",
            NOW,
        )
        .unwrap();
    let (status, seen) = send(
        "https://bank.example:8443/pay",
        signed.authorization(),
        "application/json",
        b"",
    )
    .await;
    assert_eq!(status, 400);
    assert!(seen.is_empty());
}

/// Behind a proxy: with a fixed public origin, a request signed for it verifies whatever `Host`
/// the proxy forwards; without it, it does not.
#[tokio::test]
async fn a_fixed_public_origin_is_what_clients_sign() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        None,
    )
    .unwrap();
    let signed = signer
        .sign(
            &Request::new("GET", "https://api.example.com/items?x=1"),
            "nonce",
            NOW,
        )
        .unwrap();
    let request = || {
        http::Request::get("/items?x=1")
            .header("host", "10.0.0.5:8080")
            .header("authorization", signed.authorization().unwrap())
            .body(Full::new(Bytes::new()))
            .unwrap()
    };
    let mut plain = layer().layer(Recorder::default());
    assert_eq!(plain.call(request()).await.unwrap().status(), 401);
    let mut public = layer()
        .public_origin("https://api.example.com")
        .unwrap()
        .layer(Recorder::default());
    assert_eq!(public.call(request()).await.unwrap().status(), 200);
}
