//! oauth1-reqwest's `blocking` feature end to end against oauth1-provider on 127.0.0.1 (sync
//! code), over HTTP and HTTPS: the three legs, signed GET with a query, form POST and JSON POST with a body hash, a
//! wrong secret, and a reader body the signature needs.
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::{BodyHash, CallbackParams};
use oauth1_core::{
    ClientCredentials, Consumer, FlowError, Placement, SignError, SignatureMethodName, Signer,
    TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_reqwest::{Error, SignRequestBuilder as _};
use reqwest::blocking::Client;
use serde_json::Value;

/// How the client reaches the provider.
#[derive(Clone, Copy, Debug)]
enum Transport {
    Http,
    /// rustls (ring provider) on both sides; the client trusts the provider's per-run CA only.
    Https,
}

const TRANSPORTS: [Transport; 2] = [Transport::Http, Transport::Https];

/// The provider, and a blocking client that reaches it and does not follow redirects.
fn setup(transport: Transport) -> (Provider, Client) {
    // reqwest's `rustls-no-provider`: the application installs rustls's crypto provider (ring)
    // before building any client.
    let _ = rustls::ClientConfig::builder();
    let config = ProviderConfig::new().client("hmac-client", "hmac-secret");
    let builder = Client::builder().redirect(reqwest::redirect::Policy::none());
    match transport {
        Transport::Http => (
            Provider::start_blocking(config).unwrap(),
            builder.build().unwrap(),
        ),
        Transport::Https => {
            let provider = Provider::start_blocking(config.tls()).unwrap();
            let ca = provider.ca_certificate_pem().unwrap();
            let ca = reqwest::Certificate::from_pem(ca.as_bytes()).unwrap();
            (provider, builder.tls_certs_only([ca]).build().unwrap())
        }
    }
}

fn three_legs(client: &Client, consumer: &Consumer) -> TokenCredentials {
    let temporary =
        oauth1_reqwest::blocking::request_token(client, consumer, "http://127.0.0.1:9/cb").unwrap();
    let answer = client
        .get(consumer.authorize_url(temporary.credentials()))
        .send()
        .unwrap();
    assert_eq!(answer.status(), 302);
    let callback =
        CallbackParams::from_url(answer.headers()["location"].to_str().unwrap()).unwrap();
    let verifier = callback.verifier_for(temporary.credentials()).unwrap();
    let token =
        oauth1_reqwest::blocking::access_token(client, consumer, temporary.credentials(), verifier)
            .unwrap();
    assert_eq!(token.get("screen_name"), Some("ada"));
    token.into_credentials()
}

#[test]
fn the_flow_and_signed_requests_with_the_blocking_client() {
    for transport in TRANSPORTS {
        let (provider, client) = setup(transport);
        flow_and_signed_requests(&provider, &client);
    }
}

fn flow_and_signed_requests(provider: &Provider, client: &Client) {
    let url = provider.echo_url();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
    ] {
        let consumer = Consumer::new(
            ClientCredentials::new("hmac-client", "hmac-secret"),
            method,
            provider.endpoints(),
        );
        let token = three_legs(client, &consumer);
        let signer = consumer.signer(Some(&token)).unwrap();

        // GET with a query, through the builder.
        let answer = client
            .get(&url)
            .query(&[("q", "café + crème"), ("page", "2")])
            .sign(&signer)
            .unwrap()
            .send()
            .unwrap();
        assert_eq!(answer.status(), 200);
        let v: Value = serde_json::from_str(&answer.text().unwrap()).unwrap();
        assert_eq!(v["signature_method"], method.as_str());
        assert_eq!(
            v["params"],
            serde_json::json!([["q", "café + crème"], ["page", "2"]])
        );

        // A form POST in each placement, through a built request.
        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let mut request = client
                .post(&url)
                .form(&[("status", "hello world")])
                .build()
                .unwrap();
            let signer = signer.clone().with_placement(placement);
            oauth1_reqwest::blocking::sign(&signer, &mut request).unwrap();
            let answer = client.execute(request).unwrap();
            assert_eq!(answer.status(), 200, "{placement:?}");
            let v: Value = serde_json::from_str(&answer.text().unwrap()).unwrap();
            assert!(
                v["params"]
                    .as_array()
                    .unwrap()
                    .contains(&serde_json::json!(["status", "hello world"]))
            );
        }

        // JSON with a body hash.
        let json = r#"{"text":"hello"}"#;
        let answer = client
            .post(&url)
            .header("content-type", "application/json")
            .body(json)
            .sign(&signer.clone().with_body_hash(BodyHash::MethodDigest))
            .unwrap()
            .send()
            .unwrap();
        assert_eq!(answer.status(), 200);
        let v: Value = serde_json::from_str(&answer.text().unwrap()).unwrap();
        assert_eq!(v["body"], json);
    }
}

#[test]
fn a_wrong_secret_and_an_unreadable_body() {
    for transport in TRANSPORTS {
        let (provider, client) = setup(transport);
        wrong_secret_and_unreadable_body(&provider, &client);
    }
}

fn wrong_secret_and_unreadable_body(provider: &Provider, client: &Client) {
    let wrong = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong-secret"),
        None,
    )
    .unwrap();
    let answer = client
        .get(provider.echo_url())
        .sign(&wrong)
        .unwrap()
        .send()
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.text().unwrap(), "oauth_problem=signature_invalid");

    let consumer = Consumer::new(
        ClientCredentials::new("hmac-client", "wrong-secret"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let err = oauth1_reqwest::blocking::request_token(client, &consumer, "oob").unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "signature_invalid"),
        "{err:?}"
    );

    // A body from a reader is a stream: with a body hash asked, a typed error; buffered, signed.
    let good = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "hmac-secret"),
        None,
    )
    .unwrap()
    .with_body_hash(BodyHash::MethodDigest);
    let reader = || reqwest::blocking::Body::new(std::io::Cursor::new(b"{}".to_vec()));
    let mut request = client
        .post(provider.echo_url())
        .header("content-type", "application/json")
        .body(reader())
        .build()
        .unwrap();
    let err = oauth1_reqwest::blocking::sign(&good, &mut request).unwrap_err();
    assert!(matches!(err, SignError::StreamingBody), "{err:?}");
    assert!(!request.headers().contains_key("authorization"));
    request.body_mut().as_mut().unwrap().buffer().unwrap();
    oauth1_reqwest::blocking::sign(&good, &mut request).unwrap();
    let answer = client.execute(request).unwrap();
    assert_eq!(answer.status(), 200);
}
