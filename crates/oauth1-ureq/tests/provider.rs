//! oauth1-ureq end to end against oauth1-provider on 127.0.0.1 (sync code): the three legs with a
//! callback URI and with `oob`, then signed GET / form POST / JSON POST (with and without body
//! hash) for HMAC-SHA1, HMAC-SHA256 and RSA-SHA256, and a wrong secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::{
    CallbackParams, ClientCredentials, Consumer, FlowError, Placement, RsaPrivateKey, RsaPublicKey,
    SignConfig, SignatureMethodName, Signer, TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig};
use oauth1_ureq::{Error, SigningMiddleware};
use serde_json::Value;

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../oauth1-core/tests/keys/");

fn provider() -> Provider {
    let public =
        RsaPublicKey::from_pem(&std::fs::read_to_string(format!("{KEYS}rsa2048.pub.pem")).unwrap())
            .unwrap();
    let config = ProviderConfig::new()
        .client("hmac-client", "hmac-secret")
        .rsa_client("rsa-client", public);
    Provider::start_blocking(config).unwrap()
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

fn plain_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn signing_agent(signer: Signer, config: SignConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .middleware(SigningMiddleware::with_config(signer, config))
        .build()
        .new_agent()
}

fn three_legs(consumer: &Consumer, callback: &str) -> TokenCredentials {
    let agent = plain_agent();
    let temporary = oauth1_ureq::request_token(&agent, consumer, callback).unwrap();
    let mut answer = agent
        .get(&consumer.authorize_url(temporary.credentials()))
        .call()
        .unwrap();
    let verifier = if callback == "oob" {
        assert_eq!(answer.status(), 200);
        let body = answer.body_mut().read_to_string().unwrap();
        body.rsplit("application: ")
            .next()
            .unwrap()
            .trim()
            .to_string()
    } else {
        assert_eq!(answer.status(), 302);
        let location = answer.headers()["location"].to_str().unwrap();
        assert!(location.starts_with(callback), "{location}");
        CallbackParams::from_url(location).unwrap().verifier
    };
    let token =
        oauth1_ureq::access_token(&agent, consumer, temporary.credentials(), &verifier).unwrap();
    assert_eq!(token.get("screen_name"), Some("ada"));
    let again = oauth1_ureq::access_token(&agent, consumer, temporary.credentials(), &verifier);
    assert!(
        matches!(&again, Err(Error::Flow(FlowError::Problem(p))) if p.problem == "token_rejected"),
        "{again:?}"
    );
    token.into_credentials()
}

#[test]
fn three_legged_flow_with_a_callback_uri_and_with_oob() {
    let provider = provider();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        three_legs(&consumer, "http://127.0.0.1:9/callback?state=x");
        three_legs(&consumer, "oob");
    }
}

#[test]
fn signed_requests_for_each_method_and_body() {
    let provider = provider();
    let url = provider.echo_url();
    for method in [
        SignatureMethodName::HmacSha1,
        SignatureMethodName::HmacSha256,
        SignatureMethodName::RsaSha256,
    ] {
        let consumer = consumer(&provider, method);
        let token = three_legs(&consumer, "oob");
        let agent =
            |config: SignConfig| signing_agent(consumer.signer(Some(&token)).unwrap(), config);

        let mut answer = agent(SignConfig::new())
            .get(&format!("{url}?q=caf%C3%A9%20%2B%20cr%C3%A8me&page=2"))
            .call()
            .unwrap();
        let body = answer.body_mut().read_to_string().unwrap();
        assert_eq!(answer.status(), 200, "{method}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["signature_method"], method.as_str());
        assert_eq!(
            v["params"],
            serde_json::json!([["q", "café + crème"], ["page", "2"]])
        );

        for placement in [Placement::Header, Placement::Query, Placement::Body] {
            let mut answer = agent(SignConfig::new().placement(placement))
                .post(&url)
                .content_type("application/x-www-form-urlencoded")
                .send("status=hello+world&a=1&a=")
                .unwrap();
            let body = answer.body_mut().read_to_string().unwrap();
            assert_eq!(answer.status(), 200, "{method} {placement:?}: {body}");
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
            let mut answer = agent(config.clone())
                .post(&url)
                .content_type("application/json")
                .send(json)
                .unwrap();
            let body = answer.body_mut().read_to_string().unwrap();
            assert_eq!(answer.status(), 200, "{method} {config:?}: {body}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["body"], json);
        }
    }
}

#[test]
fn a_wrong_secret_gets_the_providers_401() {
    let provider = provider();
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong"),
        None,
    )
    .unwrap();
    let mut answer = signing_agent(signer, SignConfig::new())
        .get(&provider.echo_url())
        .call()
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(
        answer.body_mut().read_to_string().unwrap(),
        "oauth_problem=signature_invalid"
    );

    // With ureq's default (statuses as errors) the 401 is a typed ureq error, not a panic.
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("hmac-client", "wrong"),
        None,
    )
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .middleware(SigningMiddleware::new(signer))
        .build()
        .into();
    assert!(matches!(
        agent.get(&provider.echo_url()).call(),
        Err(ureq::Error::StatusCode(401))
    ));

    let consumer = Consumer::new(
        ClientCredentials::new("hmac-client", "wrong"),
        SignatureMethodName::HmacSha1,
        provider.endpoints(),
    );
    let err = oauth1_ureq::request_token(&plain_agent(), &consumer, "oob").unwrap_err();
    assert!(
        matches!(&err, Error::Flow(FlowError::Problem(p)) if p.problem == "signature_invalid"),
        "{err:?}"
    );

    // A URL the core refuses surfaces as ureq::Error::Other holding our error.
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("k", "s"),
        None,
    )
    .unwrap();
    let agent = signing_agent(signer, SignConfig::new().placement(Placement::Body));
    let err = agent
        .post(&provider.echo_url())
        .content_type("application/json")
        .send("{}")
        .unwrap_err();
    match err {
        ureq::Error::Other(e) => assert!(
            matches!(e.downcast_ref::<Error>(), Some(Error::Sign(_))),
            "{e:?}"
        ),
        other => panic!("{other:?}"),
    }
}
