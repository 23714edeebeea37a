//! Issue 29: behind a load balancer the server sees `http://10.0.0.5:8080/…` while the client
//! signed `https://api.example.com/…`; `Forwarded` / `X-Forwarded-*` say so, believed only from
//! trusted proxy addresses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use bytes::Bytes;
use http_body_util::Full;
use oauth1_core::http::TrustedProxies;
use oauth1_core::server::{FixedCredentials, InMemoryNonceStore};
use oauth1_core::{ClientCredentials, Request, Signer, Verifier, VerifyError};
use oauth1_hyper::{PeerAddr, Rejection, VerifyLayer};

fn layer() -> VerifyLayer {
    let credentials = FixedCredentials::new().with_client("client", "secret");
    VerifyLayer::new(Verifier::new(), credentials, InMemoryNonceStore::new())
        .trust_proxies(TrustedProxies::new().with("10.0.0.0/8").unwrap())
}

/// What the server receives for a GET the client signed for
/// `https://api.example.com/photos?size=original`, through a proxy at `peer`.
fn received(peer: &str, forwarding: &[(&str, &str)]) -> http::Request<Full<Bytes>> {
    let signer = Signer::hmac_sha1(&ClientCredentials::new("client", "secret"), None).unwrap();
    let signed = signer
        .sign_now(&Request::new(
            "GET",
            "https://api.example.com/photos?size=original",
        ))
        .unwrap();
    let mut request = http::Request::get("/photos?size=original")
        .header("host", "10.0.0.5:8080")
        .header("authorization", signed.authorization().unwrap());
    for &(name, value) in forwarding {
        request = request.header(name, value);
    }
    let mut request = request.body(Full::new(Bytes::new())).unwrap();
    let peer = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(PeerAddr(peer));
    request
}

fn signature_invalid(result: Result<impl Sized, Rejection>) -> bool {
    matches!(
        result,
        Err(Rejection::Invalid(VerifyError::SignatureInvalid(_)))
    )
}

#[tokio::test]
async fn forwarded_from_a_trusted_proxy_is_believed() {
    let forwarded = [(
        "forwarded",
        "for=198.51.100.17;proto=https;host=api.example.com",
    )];
    assert!(
        layer()
            .verify(received("10.1.2.3", &forwarded))
            .await
            .is_ok()
    );
    let x_forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "api.example.com"),
    ];
    assert!(
        layer()
            .verify(received("10.1.2.3", &x_forwarded))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_same_headers_from_anyone_else_are_ignored() {
    let forwarded = [("forwarded", "proto=https;host=api.example.com")];
    assert!(signature_invalid(
        layer().verify(received("203.0.113.9", &forwarded)).await
    ));
    let x_forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "api.example.com"),
    ];
    assert!(signature_invalid(
        layer().verify(received("203.0.113.9", &x_forwarded)).await
    ));
    // Without a trusted proxy configured, a trusted-looking address changes nothing either.
    let untrusting = VerifyLayer::new(
        Verifier::new(),
        FixedCredentials::new().with_client("client", "secret"),
        InMemoryNonceStore::new(),
    );
    assert!(signature_invalid(
        untrusting.verify(received("10.1.2.3", &forwarded)).await
    ));
}

#[tokio::test]
async fn a_fixed_public_origin_wins_and_a_bad_forwarded_host_is_a_400() {
    let wrong = [("forwarded", "proto=https;host=other.example")];
    let fixed = layer().public_origin("https://api.example.com").unwrap();
    assert!(fixed.verify(received("10.1.2.3", &wrong)).await.is_ok());
    let bad = [("x-forwarded-host", "a b")];
    let refused = layer().verify(received("10.1.2.3", &bad)).await;
    match refused {
        Err(Rejection::Invalid(e)) => assert_eq!(e.status(), 400, "{e}"),
        other => panic!("{other:?}"),
    }
}
