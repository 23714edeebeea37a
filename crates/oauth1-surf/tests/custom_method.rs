//! A custom signature method through the surf adapter: `SigningMiddleware<ToySigner>` signs, the
//! embedded provider's verifier (with the method's `VerifyMethod` registered) checks it; a
//! provider without it refuses it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{Placement, SignConfig, Signer};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_surf::SigningMiddleware;
use serde_json::Value;

#[path = "../../oauth1-core/tests/support/toy.rs"]
mod toy;
use toy::{NAME, ToyCheck, ToySigner};

fn start_provider(with_toy: bool) -> Provider {
    let config = ProviderConfig::new()
        .client("toy-client", "toy secret")
        .access_token("toy-token", "token secret", "toy-client");
    let config = if with_toy {
        config.custom_method(ToyCheck)
    } else {
        config
    };
    Provider::start_blocking(config).unwrap()
}

fn client(client_secret: &str, config: SignConfig) -> surf::Client {
    let signer = Signer::with_method(
        "toy-client",
        Some("toy-token"),
        ToySigner::new(client_secret, Some("token secret")),
    );
    surf::client().with(SigningMiddleware::with_config(signer, config))
}

#[async_std::test]
async fn a_toy_method_signs_through_the_middleware_and_the_provider_verifies_it() {
    let provider = start_provider(true);
    let url = provider.echo_url();
    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let mut response = client("toy secret", SignConfig::new().placement(placement))
            .post(&url)
            .content_type("application/x-www-form-urlencoded")
            .body_string("status=hello+world&a=1&a=".to_string())
            .await
            .unwrap();
        let body = response.body_string().await.unwrap();
        assert_eq!(u16::from(response.status()), 200, "{placement:?}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], NAME);
        let params = v["params"].as_array().unwrap();
        assert!(
            params.contains(&serde_json::json!(["status", "hello world"])),
            "{body}"
        );
    }
    let mut response = client("wrong secret", SignConfig::new())
        .get(&url)
        .await
        .unwrap();
    assert_eq!(u16::from(response.status()), 401);
    assert_eq!(
        response.body_string().await.unwrap(),
        "oauth_problem=signature_invalid"
    );

    let refusing = start_provider(false);
    let mut response = client("toy secret", SignConfig::new())
        .get(refusing.echo_url())
        .await
        .unwrap();
    assert_eq!(u16::from(response.status()), 400);
    assert_eq!(
        response.body_string().await.unwrap(),
        "oauth_problem=signature_method_rejected"
    );
}
