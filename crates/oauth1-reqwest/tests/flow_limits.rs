//! G9 of the second security review: flow steps read a provider's answer without a limit (the
//! sign-in example reached 4.3 GB in 10 s against an endless one). They stop at
//! `MAX_TOKEN_RESPONSE` and say so: the blocking client here, the async one in the test kit's
//! scenarios (tests/scenarios.rs).
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_reqwest::oauth1_core::client::Endpoints;
use oauth1_reqwest::oauth1_core::{ClientCredentials, Consumer, FlowError, SignatureMethodName};

use oauth1_testkit::endless_answer;

#[test]
fn an_endless_token_response_is_refused_by_the_blocking_client() {
    let _ = rustls::ClientConfig::builder();
    let url = endless_answer().unwrap();
    let consumer = Consumer::new(
        ClientCredentials::new("key", "secret"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(url.as_str(), url.as_str(), url.as_str()),
    );
    let client = reqwest::blocking::Client::new();
    let err = oauth1_reqwest::blocking::request_token(&client, &consumer, "oob").unwrap_err();
    assert!(
        matches!(err, oauth1_reqwest::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}
