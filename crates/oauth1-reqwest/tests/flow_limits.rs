//! G9 of the second security review: flow steps read a provider's answer without a limit (the
//! sign-in example reached 4.3 GB in 10 s against an endless one). They stop at
//! `MAX_TOKEN_RESPONSE` and say so, async and blocking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_reqwest::oauth1_core::client::{Consumer, Endpoints, FlowError};
use oauth1_reqwest::oauth1_core::{ClientCredentials, SignatureMethodName};

use oauth1_testkit::endless_answer;

fn consumer(url: &str) -> Consumer {
    Consumer::new(
        ClientCredentials::new("key", "secret"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(url, url, url),
    )
}

#[tokio::test]
async fn an_endless_token_response_is_refused_not_buffered() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = endless_answer().unwrap();
    let err = oauth1_reqwest::request_token(&reqwest::Client::new(), &consumer(&url), "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(err, oauth1_reqwest::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}

#[cfg(feature = "blocking")]
#[test]
fn an_endless_token_response_is_refused_by_the_blocking_client_too() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = endless_answer().unwrap();
    let client = reqwest::blocking::Client::new();
    let err = oauth1_reqwest::blocking::request_token(&client, &consumer(&url), "oob").unwrap_err();
    assert!(
        matches!(err, oauth1_reqwest::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}
