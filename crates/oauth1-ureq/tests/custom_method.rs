//! A custom signature method through the ureq adapter: `SigningMiddleware<ToySigner>` signs, the
//! embedded provider's verifier (with the method's `VerifyMethod` registered) checks it, for a GET
//! with a query, a form POST in each placement and a JSON POST with a body hash; a provider
//! without the method refuses it, and a wrong secret gets the provider's 401.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{Placement, SignConfig, Signer};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::SigningMiddleware;
use serde_json::Value;

#[path = "../../oauth1-core/tests/support/toy.rs"]
mod toy;
use toy::{NAME, ToyCheck, ToySigner};

fn provider(with_toy: bool) -> Provider {
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

fn agent(client_secret: &str, config: SignConfig) -> ureq::Agent {
    let signer = Signer::with_method(
        "toy-client",
        Some("toy-token"),
        ToySigner::new(client_secret, Some("token secret")),
    );
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .middleware(SigningMiddleware::with_config(signer, config))
        .build()
        .new_agent()
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, String) {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

#[test]
fn a_toy_method_signs_through_the_middleware_and_the_provider_verifies_it() {
    let provider = provider(true);
    let url = provider.echo_url();

    let (status, body) = answer(
        agent("toy secret", SignConfig::new())
            .get(&format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2"))
            .call(),
    );
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["signature_method"], NAME);
    assert_eq!(v["token"], "toy-token");
    assert_eq!(
        v["params"],
        serde_json::json!([["q", "café + crème"], ["page", "2"]])
    );

    for placement in [Placement::Header, Placement::Query, Placement::Body] {
        let (status, body) = answer(
            agent("toy secret", SignConfig::new().placement(placement))
                .post(&url)
                .content_type("application/x-www-form-urlencoded")
                .send("status=hello+world&a=1&a="),
        );
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
    let (status, body) = answer(
        agent("toy secret", SignConfig::new().body_hash())
            .post(&url)
            .content_type("application/json")
            .send(json),
    );
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["body"], json);

    let (status, body) = answer(agent("wrong secret", SignConfig::new()).get(&url).call());
    assert_eq!(
        (status, body.as_str()),
        (401, "oauth_problem=signature_invalid")
    );
}

#[test]
fn a_provider_without_the_method_refuses_it() {
    let provider = provider(false);
    let (status, body) = answer(
        agent("toy secret", SignConfig::new())
            .get(&provider.echo_url())
            .call(),
    );
    assert_eq!(
        (status, body.as_str()),
        (400, "oauth_problem=signature_method_rejected")
    );
}

#[test]
fn sign_one_request_in_memory_with_a_toy_method() {
    let signer = Signer::with_method("toy-client", None, ToySigner::new("toy secret", None));
    let request = ureq::http::Request::get("https://api.example.com/items?page=2")
        .body(Vec::new())
        .unwrap();
    let (request, signed) =
        oauth1_ureq::sign_request(&signer, &SignConfig::new(), request).unwrap();
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
