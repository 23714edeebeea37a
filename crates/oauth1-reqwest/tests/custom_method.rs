//! A custom signature method through the reqwest adapter: the middleware and a signed builder,
//! both with `Signer<ToySigner>`, checked by the embedded provider's verifier with the method's
//! `VerifyMethod` registered; a provider without it refuses it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{Placement, SignConfig, Signer};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_reqwest::{SignRequestBuilder as _, SigningMiddleware};
use serde_json::Value;

#[path = "../../oauth1-core/tests/support/toy.rs"]
mod toy;
use toy::{NAME, ToyCheck, ToySigner};

async fn start_provider(with_toy: bool) -> Provider {
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

fn client() -> reqwest::Client {
    // reqwest's rustls-no-provider (see tests/provider.rs): ring, installed before any client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn answer(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_toy_method_signs_through_the_middleware_and_a_builder() {
    let provider = start_provider(true).await;
    let url = provider.echo_url();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let config = SignConfig::new().placement(placement);
        let middleware = reqwest_middleware::ClientBuilder::new(client())
            .with(SigningMiddleware::with_config(
                signer("toy secret"),
                config.clone(),
            ))
            .build();
        let response = middleware
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("status=hello+world&a=1&a=")
            .send()
            .await
            .unwrap();
        let builder = client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("status=hello+world&a=1&a=")
            .sign_with(&signer("toy secret"), &config)
            .unwrap();
        for (status, body) in [
            answer(response).await,
            answer(builder.send().await.unwrap()).await,
        ] {
            assert_eq!(status, 200, "{placement:?}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["signature_method"], NAME);
            let params = v["params"].as_array().unwrap();
            assert!(
                params.contains(&serde_json::json!(["status", "hello world"])),
                "{body}"
            );
        }
    }
    let wrong = client()
        .get(&url)
        .sign(&signer("wrong secret"))
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(wrong).await,
        (401, "oauth_problem=signature_invalid".to_string())
    );

    let refusing = start_provider(false).await;
    let response = client()
        .get(refusing.echo_url())
        .sign(&signer("toy secret"))
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer(response).await,
        (400, "oauth_problem=signature_method_rejected".to_string())
    );
}
