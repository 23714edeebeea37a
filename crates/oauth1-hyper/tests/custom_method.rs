//! A custom signature method through the hyper adapter: `SigningLayer<ToySigner>` signs, the
//! embedded provider's verifier (with the method's `VerifyMethod` registered) checks it, for a GET
//! with a query, a form POST in each placement and a JSON POST with a body hash; a provider
//! without the method refuses it, and a wrong secret gets the provider's 401.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oauth1_core::{Placement, SignConfig, Signer};
use oauth1_hyper::SigningLayer;
use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;
use tower_layer::Layer as _;
use tower_service::Service as _;

#[path = "../../oauth1-core/tests/support/toy.rs"]
mod toy;
use toy::{NAME, ToyCheck, ToySigner};

async fn provider(with_toy: bool) -> Provider {
    let config = ProviderConfig::new()
        .client("toy-client", "toy secret")
        .access_token("toy-token", "token secret", "toy-client");
    let config = if with_toy {
        config.custom_method(ToyCheck)
    } else {
        config
    };
    Provider::start(config).await.unwrap()
}

fn signer(client_secret: &str) -> Signer<ToySigner> {
    Signer::with_method(
        "toy-client",
        Some("toy-token"),
        ToySigner::new(client_secret, Some("token secret")),
    )
}

async fn send(
    signer: Signer<ToySigner>,
    config: SignConfig,
    request: http::Request<Full<Bytes>>,
) -> (u16, String) {
    let http = Client::builder(TokioExecutor::new()).build_http();
    let mut client = SigningLayer::with_config(signer, config).layer(http);
    let response = client.call(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_toy_method_signs_through_the_layer_and_the_provider_verifies_it() {
    let provider = provider(true).await;
    let url = provider.echo_url();

    let request = http::Request::get(format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, body) = send(signer("toy secret"), SignConfig::new(), request).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["signature_method"], NAME);
    assert_eq!(v["token"], "toy-token");
    assert_eq!(
        v["params"],
        serde_json::json!([["q", "café + crème"], ["page", "2"]])
    );

    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let request = http::Request::post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from_static(b"status=hello+world&a=1&a=")))
            .unwrap();
        let config = SignConfig::new().placement(placement);
        let (status, body) = send(signer("toy secret"), config, request).await;
        assert_eq!(status, 200, "{placement:?}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], NAME);
        let params = v["params"].as_array().unwrap();
        assert!(
            params.contains(&serde_json::json!(["status", "hello world"])),
            "{body}"
        );
    }

    let json = r#"{"text":"hello"}"#;
    let request = http::Request::post(&url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(json.as_bytes())))
        .unwrap();
    let (status, body) = send(signer("toy secret"), SignConfig::new().body_hash(), request).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["body"], json);

    // A wrong secret: the provider's 401.
    let request = http::Request::get(&url)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, body) = send(signer("wrong secret"), SignConfig::new(), request).await;
    assert_eq!(
        (status, body.as_str()),
        (401, "oauth_problem=signature_invalid")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_without_the_method_refuses_it() {
    let provider = provider(false).await;
    let request = http::Request::get(provider.echo_url())
        .body(Full::new(Bytes::new()))
        .unwrap();
    let (status, body) = send(signer("toy secret"), SignConfig::new(), request).await;
    assert_eq!(
        (status, body.as_str()),
        (400, "oauth_problem=signature_method_rejected")
    );
}

#[test]
fn sign_one_request_in_memory_with_a_toy_method() {
    let mut request = http::Request::get("https://api.example.com/items?page=2")
        .body(String::new())
        .unwrap();
    let signed =
        oauth1_hyper::sign(&signer("toy secret"), &SignConfig::new(), &mut request).unwrap();
    let authorization = request.headers()["authorization"].to_str().unwrap();
    assert!(
        authorization.contains(r#"oauth_signature_method="X-TOY-FNV""#),
        "{authorization}"
    );
    assert!(
        authorization.contains(signed.signature()),
        "{authorization}"
    );
}
