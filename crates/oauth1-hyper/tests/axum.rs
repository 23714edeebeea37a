//! Feature `axum`: the verified identity as an extractor, behind `VerifyLayer` on a real axum
//! server on 127.0.0.1.
#![cfg(feature = "axum")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use axum::Router;
use axum::routing::get;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oauth1_core::server::{FixedCredentials, InMemoryNonceStore};
use oauth1_core::{ClientCredentials, Signer, Verifier};
use oauth1_hyper::{Identity, VerifyLayer};

async fn me(Identity(verified): Identity) -> String {
    format!("hello, {}", verified.consumer_key())
}

async fn feed(identity: Option<Identity>) -> String {
    match identity {
        Some(Identity(verified)) => format!("the feed of {}", verified.consumer_key()),
        None => String::from("the public feed"),
    }
}

/// A server with `/me` (an identity required) and `/feed` (optional), and its base URL.
async fn serve(layer: VerifyLayer) -> String {
    let app = Router::new()
        .route("/me", get(me))
        .route("/feed", get(feed))
        .layer(layer);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn layer() -> VerifyLayer {
    let credentials = FixedCredentials::new().with_client("client", "secret");
    VerifyLayer::new(Verifier::new(), credentials, InMemoryNonceStore::new()).realm("Example")
}

/// Sends a GET, signed with `secret` when given: status, `WWW-Authenticate`, body.
async fn get_url(url: &str, secret: Option<&str>) -> (u16, Option<String>, String) {
    let mut request = http::Request::get(url).body(Vec::new()).unwrap();
    if let Some(secret) = secret {
        let signer = Signer::hmac_sha1(&ClientCredentials::new("client", secret), None).unwrap();
        signer.sign_http_now(&mut request).unwrap();
    }
    let request = request.map(|body| Full::new(Bytes::from(body)));
    let client = Client::builder(TokioExecutor::new()).build_http();
    let answer = client.request(request).await.unwrap();
    let status = answer.status().as_u16();
    let challenge = answer
        .headers()
        .get(http::header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_string());
    let body = answer.into_body().collect().await.unwrap().to_bytes();
    (status, challenge, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_gets_the_identity_and_an_unsigned_request_gets_a_401_challenge() {
    let base = serve(layer().allow_unsigned()).await;
    let challenge = Some(String::from(r#"OAuth realm="Example""#));

    let (status, _, body) = get_url(&format!("{base}/me"), Some("secret")).await;
    assert_eq!((status, body.as_str()), (200, "hello, client"));

    // Unsigned: the handler is not called; 401 with the challenge.
    let (status, www, body) = get_url(&format!("{base}/me"), None).await;
    assert_eq!(
        (status, www, body.as_str()),
        (401, challenge.clone(), "oauth_problem=parameter_absent")
    );

    // A wrong signature is the layer's refusal, whatever the route.
    let (status, www, body) = get_url(&format!("{base}/feed"), Some("wrong")).await;
    assert_eq!(
        (status, www, body.as_str()),
        (401, challenge, "oauth_problem=signature_invalid")
    );

    // Option<Identity>: anonymous requests are served, signed ones identified.
    let (status, _, body) = get_url(&format!("{base}/feed"), None).await;
    assert_eq!((status, body.as_str()), (200, "the public feed"));
    let (status, _, body) = get_url(&format!("{base}/feed"), Some("secret")).await;
    assert_eq!((status, body.as_str()), (200, "the feed of client"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_unsigned_the_layer_refuses_an_unsigned_request_itself() {
    let base = serve(layer()).await;
    let (status, www, body) = get_url(&format!("{base}/feed"), None).await;
    assert_eq!(
        (status, www, body.as_str()),
        (
            400,
            None,
            "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_consumer_key"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_route_outside_any_layer_never_makes_up_an_identity() {
    let app = Router::new().route("/me", get(me));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let (status, www, _) = get_url(&format!("{base}/me"), Some("secret")).await;
    assert_eq!((status, www.as_deref()), (401, Some(r#"OAuth realm="""#)));
}

/// The extractor's rejection outside a verified request: a 401 challenge (above) and an error that
/// says what is missing.
#[tokio::test]
async fn the_rejection_says_what_is_missing() {
    use axum::extract::FromRequestParts as _;
    let (mut parts, ()) = http::Request::new(()).into_parts();
    let missing = Identity::from_request_parts(&mut parts, &())
        .await
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "the request carries no verified OAuth identity"
    );
}
