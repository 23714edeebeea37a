//! G9 of the second security review: flow steps read a provider's answer without a limit (the
//! sign-in example reached 4.3 GB in 10 s against an endless one). They stop at
//! `MAX_TOKEN_RESPONSE` and say so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_core::client::{Consumer, Endpoints, FlowError};
use oauth1_core::{ClientCredentials, SignatureMethodName};

use oauth1_testkit::endless_answer;

#[async_std::test]
async fn an_endless_token_response_is_refused_not_buffered() {
    let url = endless_answer().unwrap();
    let consumer = Consumer::new(
        ClientCredentials::new("key", "secret"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(&url, &url, &url),
    );
    let err = oauth1_surf::request_token(&surf::client(), &consumer, "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(err, oauth1_surf::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}
