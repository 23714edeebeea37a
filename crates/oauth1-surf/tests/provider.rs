//! oauth1-surf end to end against oauth1-provider on 127.0.0.1 (surf's h1-client-no-tls): the three
//! legs with a callback URI and with `oob`, then signed GET / form POST / JSON POST (with and without
//! body hash) for HMAC-SHA1, HMAC-SHA256 and RSA-SHA256, and a wrong secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{
    CallbackParams, ClientCredentials, Consumer, FlowError, Placement, RsaPrivateKey, RsaPublicKey,
    SignConfig, SignatureMethodName, Signer, TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_surf::{Error, SigningMiddleware};
use serde_json::Value;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

fn provider() -> Provider {
    let public =
        RsaPublicKey::from_pem(&std::fs::read_to_string(format!("{KEYS}rsa2048.pub.pem")).unwrap())
            .unwrap();
    Provider::start_blocking(
        ProviderConfig::new()
            .client("hmac-client", "hmac-secret")
            .rsa_client("rsa-client", public),
    )
    .unwrap()
}

fn consumer(provider: &Provider, method: SignatureMethodName) -> Consumer {
    let client = if method.is_rsa() {
        let pem = std::fs::read_to_string(format!("{KEYS}rsa2048.pem")).unwrap();
        ClientCredentials::with_rsa_key("rsa-client", RsaPrivateKey::from_pem(&pem).unwrap())
    } else {
        ClientCredentials::new("hmac-client", "hmac-secret")
    };
    Consumer::new(client, method, provider.endpoints())
}

async fn three_legs(consumer: &Consumer, callback: &str) -> TokenCredentials {
    let client = surf::client();
    let temporary = oauth1_surf::request_token(&client, consumer, callback)
        .await
        .unwrap();
    let mut answer = client
        .get(consumer.authorize_url(temporary.credentials()))
        .await
        .unwrap();
    let verifier = if callback == "oob" {
        assert_eq!(u16::from(answer.status()), 200);
        let body = answer.body_string().await.unwrap();
        body.rsplit("application: ")
            .next()
            .unwrap()
            .trim()
            .to_string()
    } else {
        assert_eq!(u16::from(answer.status()), 302);
        let location = answer.header("location").unwrap().as_str().to_string();
        assert!(location.starts_with(callback), "{location}");
        CallbackParams::from_url(&location).unwrap().verifier
    };
    let token = oauth1_surf::access_token(&client, consumer, temporary.credentials(), &verifier)
        .await
        .unwrap();
    assert_eq!(token.get("screen_name"), Some("ada"));
    let again =
        oauth1_surf::access_token(&client, consumer, temporary.credentials(), &verifier).await;
    assert!(
        matches!(&again, Err(Error::Flow(FlowError::Problem(p))) if p.problem == "token_rejected"),
        "{again:?}"
    );
    token.into_credentials()
}

#[async_std::test]
async fn three_legged_flow_with_a_callback_uri_and_with_oob() {
    let provider = provider();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        three_legs(&consumer, "http://127.0.0.1:9/callback?state=x").await;
        three_legs(&consumer, "oob").await;
    }
}

#[async_std::test]
async fn signed_requests_for_each_method_and_body() {
    let provider = provider();
    let url = provider.echo_url();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        let token = three_legs(&consumer, "oob").await;
        let client = |config: SignConfig| {
            surf::client().with(SigningMiddleware::with_config(
                consumer.signer(Some(&token)).unwrap(),
                config,
            ))
        };

        let mut answer = client(SignConfig::new())
            .get(format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2"))
            .await
            .unwrap();
        let body = answer.body_string().await.unwrap();
        assert_eq!(u16::from(answer.status()), 200, "{method}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], method.as_str());
        assert_eq!(
            v["params"],
            serde_json::json!([["q", "café + crème"], ["page", "2"]])
        );

        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let mut answer = client(SignConfig::new().placement(placement))
                .post(&url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body_string("status=hello+world&a=1&a=".to_string())
                .await
                .unwrap();
            let body = answer.body_string().await.unwrap();
            assert_eq!(
                u16::from(answer.status()),
                200,
                "{method} {placement:?}: {body}"
            );
            let v: Value = serde_json::from_str(&body).unwrap();
            assert!(
                v["body"]
                    .as_str()
                    .unwrap()
                    .starts_with("status=hello+world&a=1&a="),
                "{body}"
            );
            assert!(
                v["params"]
                    .as_array()
                    .unwrap()
                    .contains(&serde_json::json!(["status", "hello world"]))
            );
        }

        for config in [SignConfig::new(), SignConfig::new().body_hash()] {
            let json = r#"{"text":"hello"}"#;
            let mut answer = client(config.clone())
                .post(&url)
                .header("Content-Type", "application/json")
                .body_string(json.to_string())
                .await
                .unwrap();
            let body = answer.body_string().await.unwrap();
            assert_eq!(
                u16::from(answer.status()),
                200,
                "{method} {config:?}: {body}"
            );
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["body"], json);
        }
    }
}

#[async_std::test]
async fn a_wrong_secret_gets_the_providers_401() {
    let provider = provider();
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong"),
        None,
    )
    .unwrap();
    let mut answer = surf::client()
        .with(SigningMiddleware::new(signer))
        .get(provider.echo_url())
        .await
        .unwrap();
    assert_eq!(u16::from(answer.status()), 401);
    assert_eq!(
        answer.body_string().await.unwrap(),
        "oauth_problem=signature_invalid"
    );

    let consumer = Consumer::new(
        ClientCredentials::new("hmac-client", "wrong"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let err = oauth1_surf::request_token(&surf::client(), &consumer, "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "signature_invalid"),
        "{err:?}"
    );

    // A request the core refuses (body placement with a JSON body) is a typed error, not a panic.
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    let client = surf::client().with(SigningMiddleware::with_config(
        signer,
        SignConfig::new().placement(Placement::Body),
    ));
    let err = client
        .post(provider.echo_url())
        .header("Content-Type", "application/json")
        .body_string("{}".into())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("cannot sign"), "{err}");
}
