//! oauth1-hyper end to end against oauth1-provider on 127.0.0.1: the three legs (callback URI and
//! `oob`), then signed GET / form POST / JSON POST (with and without body hash) for HMAC-SHA1,
//! HMAC-SHA256 and RSA-SHA256, and a wrong secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use oauth1_core::{
    CallbackParams, ClientCredentials, Consumer, FlowError, RsaPrivateKey, RsaPublicKey,
    SignConfig, SignatureMethodName, Signer, TokenCredentials,
};
use oauth1_hyper::{Error, SigningLayer};
use oauth1_provider::{Provider, ProviderConfig};
use serde_json::Value;
use tower_layer::Layer as _;
use tower_service::Service as _;

type HttpClient = Client<HttpConnector, Full<Bytes>>;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

fn rsa_private() -> RsaPrivateKey {
    RsaPrivateKey::from_pem(&std::fs::read_to_string(format!("{KEYS}rsa2048.pem")).unwrap())
        .unwrap()
}

fn rsa_public() -> RsaPublicKey {
    RsaPublicKey::from_pem(&std::fs::read_to_string(format!("{KEYS}rsa2048.pub.pem")).unwrap())
        .unwrap()
}

async fn provider() -> Provider {
    let config = ProviderConfig::new()
        .client("hmac-client", "hmac-secret")
        .rsa_client("rsa-client", rsa_public());
    Provider::start(config).await.unwrap()
}

fn http() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// The client under a signing layer sends the layer's body type.
fn signing_http() -> Client<HttpConnector, oauth1_hyper::Body<Full<Bytes>>> {
    Client::builder(TokioExecutor::new()).build_http()
}

fn consumer(provider: &Provider, method: SignatureMethodName) -> Consumer {
    let client = if method.is_rsa() {
        ClientCredentials::with_rsa_key("rsa-client", rsa_private())
    } else {
        ClientCredentials::new("hmac-client", "hmac-secret")
    };
    Consumer::new(client, method, provider.endpoints())
}

async fn get(client: &HttpClient, url: &str) -> (u16, Option<String>, String) {
    let response = client
        .request(
            http::Request::get(url)
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, location, String::from_utf8(body.to_vec()).unwrap())
}

/// The three legs; returns the token credentials.
async fn three_legs(provider: &Provider, consumer: &Consumer, callback: &str) -> TokenCredentials {
    let client = http();
    let temporary = oauth1_hyper::request_token(&client, consumer, callback)
        .await
        .unwrap();
    assert_eq!(temporary.callback_confirmed(), Some(true));
    let (status, location, body) =
        get(&client, &consumer.authorize_url(temporary.credentials())).await;
    let verifier = if callback == "oob" {
        assert_eq!(status, 200);
        body.rsplit("application: ")
            .next()
            .unwrap()
            .trim()
            .to_string()
    } else {
        assert_eq!(status, 302);
        let location = location.unwrap();
        assert!(location.starts_with(callback), "{location}");
        let params = CallbackParams::from_url(&location).unwrap();
        assert_eq!(params.token, temporary.credentials().token());
        params.verifier
    };
    let token = oauth1_hyper::access_token(&client, consumer, temporary.credentials(), &verifier)
        .await
        .unwrap();
    assert_eq!(token.get("user_id"), Some("1"));
    assert_eq!(token.get("screen_name"), Some("ada"));
    // Temporary credentials are single-use.
    let again =
        oauth1_hyper::access_token(&client, consumer, temporary.credentials(), &verifier).await;
    assert!(
        matches!(&again, Err(Error::Flow(FlowError::Problem(p))) if p.problem == "token_rejected"),
        "{again:?}"
    );
    let _ = provider;
    token.into_credentials()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_legged_flow_with_a_callback_uri_and_with_oob() {
    let provider = provider().await;
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        three_legs(&provider, &consumer, "http://127.0.0.1:9/callback?state=x").await;
        three_legs(&provider, &consumer, "oob").await;
    }
}

async fn echo(
    provider: &Provider,
    signer: Signer,
    config: SignConfig,
    request: http::Request<Full<Bytes>>,
) -> (u16, String) {
    let _ = provider;
    let mut client = SigningLayer::with_config(signer, config).layer(signing_http());
    let response = client.call(request).await.unwrap();
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_requests_for_each_method_and_body() {
    let provider = provider().await;
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        let token = three_legs(&provider, &consumer, "oob").await;
        let signer = || consumer.signer(Some(&token)).unwrap();
        let url = provider.echo_url();

        // GET with a query (reserved and unicode characters).
        let request = http::Request::get(format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let (status, body) = echo(&provider, signer(), SignConfig::new(), request).await;
        assert_eq!(status, 200, "{method}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], method.as_str());
        assert_eq!(v["token"], token.token());
        assert_eq!(v["screen_name"], "ada");
        assert_eq!(
            v["params"],
            serde_json::json!([["q", "café + crème"], ["page", "2"]])
        );

        // POST with a form body: its parameters are signed and it arrives unchanged.
        for placement in [
            oauth1_core::Placement::Header,
            oauth1_core::Placement::Query,
            oauth1_core::Placement::Body,
        ] {
            let request = http::Request::post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Full::new(Bytes::from_static(b"status=hello+world&a=1&a=")))
                .unwrap();
            let config = SignConfig::new().placement(placement);
            let (status, body) = echo(&provider, signer(), config, request).await;
            assert_eq!(status, 200, "{method} {placement:?}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert!(
                v["body"]
                    .as_str()
                    .unwrap()
                    .starts_with("status=hello+world&a=1&a="),
                "{body}"
            );
            let params = v["params"].as_array().unwrap();
            assert!(
                params.contains(&serde_json::json!(["status", "hello world"])),
                "{body}"
            );
            assert!(params.contains(&serde_json::json!(["a", ""])), "{body}");
        }

        // POST with a JSON body, streamed untouched; with and without oauth_body_hash.
        for config in [SignConfig::new(), SignConfig::new().body_hash()] {
            let json = r#"{"text":"hello"}"#;
            let request = http::Request::post(&url)
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from_static(json.as_bytes())))
                .unwrap();
            let (status, body) = echo(&provider, signer(), config.clone(), request).await;
            assert_eq!(status, 200, "{method} {config:?}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["body"], json);
            assert_eq!(v["content_type"], "application/json");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_gets_the_providers_401() {
    let provider = provider().await;
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong-secret"),
        None,
    )
    .unwrap();
    let request = http::Request::get(provider.echo_url())
        .body(Full::new(Bytes::new()))
        .unwrap();
    let mut client = SigningLayer::new(signer).layer(signing_http());
    let response = client.call(request).await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("OAuth realm=")
    );
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"oauth_problem=signature_invalid");

    // And the flow helpers turn it into a typed error.
    let consumer = Consumer::new(
        ClientCredentials::new("hmac-client", "wrong-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let err = oauth1_hyper::request_token(&http(), &consumer, "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "signature_invalid"),
        "{err:?}"
    );
    assert!(err.to_string().contains("signature_invalid"));

    // An unknown consumer key.
    let consumer = Consumer::new(
        ClientCredentials::new("nobody", "x"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let err = oauth1_hyper::request_token(&http(), &consumer, "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "consumer_key_unknown"),
        "{err:?}"
    );
}

#[test]
fn sign_one_request_in_memory() {
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("dpf43f3p2l4k3l03", "kd94hf93k423kf44"),
        Some(&TokenCredentials::new(
            "nnch734d00sl2jdk",
            "pfkkdhi9sl3r4s00",
        )),
    )
    .unwrap();
    let mut request = http::Request::post("https://api.example.com/statuses")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(String::from("status=hi"))
        .unwrap();
    let signed = oauth1_hyper::sign(
        &signer,
        &SignConfig::new().placement(oauth1_core::Placement::Body),
        &mut request,
    )
    .unwrap();
    assert!(
        request
            .body()
            .starts_with("status=hi&oauth_consumer_key=dpf43f3p2l4k3l03&")
    );
    assert!(signed.base_string().contains("status%3Dhi"));
    // Neither the layer nor the verifying layer shows a secret.
    let layer = SigningLayer::new(signer.clone());
    assert!(
        !format!("{layer:?}").contains("kd94hf93k423kf44")
            && !format!("{layer:?}").contains("pfkkdhi9sl3r4s00")
    );
    // A URL the core refuses is a typed error, not a panic.
    let mut request = http::Request::get("/relative").body(String::new()).unwrap();
    let err = oauth1_hyper::sign(&signer, &SignConfig::new(), &mut request).unwrap_err();
    assert!(matches!(err, Error::Sign(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_apply_even_after_the_layer_was_cloned() {
    let provider = provider().await;
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "hmac-secret"),
        None,
    )
    .unwrap();
    let layer = SigningLayer::new(signer);
    let _kept = layer.clone();
    let mut client = layer.body_limit(8).layer(signing_http());
    let request = http::Request::post(provider.echo_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Full::new(Bytes::from_static(
            b"status=longer-than-eight-bytes",
        )))
        .unwrap();
    let err = client.call(request).await.unwrap_err();
    assert!(err.to_string().contains("cannot read the body"), "{err}");
}
