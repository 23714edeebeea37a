//! A custom signature method on a plain client: a builder signed with `Signer<ToySigner>`
//! (`SignRequestBuilder::sign`), checked by the embedded provider's verifier with the method's
//! `VerifyMethod` registered. The middleware with a custom method, and a provider without it, run
//! the test kit's scenarios (tests/scenarios.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{Placement, Signer, Verifier};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_reqwest::SignRequestBuilder as _;
use oauth1_testkit::toy::{NAME, ToyCheck, ToySigner};
use serde_json::Value;

fn signer(client_secret: &str) -> Signer<ToySigner> {
    Signer::with_method(
        "toy-client",
        Some("toy-token"),
        ToySigner::new(client_secret, Some("token secret")),
    )
}

async fn answer(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_toy_method_signs_a_builder_of_a_plain_client() {
    let config = ProviderConfig::new()
        .client("toy-client", "toy secret")
        .access_token("toy-token", "token secret", "toy-client")
        .verifier(Verifier::new().custom_method(ToyCheck));
    let provider = Provider::start(config).await.unwrap();
    let url = provider.echo_url();
    // reqwest's `rustls-no-provider` (see tests/scenarios.rs): ring, installed before any client.
    let _ = rustls::ClientConfig::builder();
    let client = reqwest::Client::builder().referer(false).build().unwrap();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let builder = client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("status=hello+world&a=1&a=")
            .sign(&signer("toy secret").with_placement(placement))
            .unwrap();
        let (status, body) = answer(builder.send().await.unwrap()).await;
        assert_eq!(status, 200, "{placement:?}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], NAME);
        let params = v["params"].as_array().unwrap();
        assert!(
            params.contains(&serde_json::json!(["status", "hello world"])),
            "{body}"
        );
    }
    let wrong = client
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
}
