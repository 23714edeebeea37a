//! G9 of the second security review: flow steps read a provider's answer without a limit, and
//! the middleware read a signed body without one. Both are bounded now.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_ureq::oauth1_core::client::{Consumer, Endpoints, FlowError};
use oauth1_ureq::oauth1_core::{ClientCredentials, SignatureMethodName, Signer};

use oauth1_testkit::endless_answer;

fn consumer(url: &str) -> Consumer {
    Consumer::new(
        ClientCredentials::new("key", "secret"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(url, url, url),
    )
}

#[test]
fn an_endless_token_response_is_refused_not_buffered() {
    let url = endless_answer().unwrap();
    let agent = ureq::Agent::new_with_defaults();
    let err = oauth1_ureq::request_token(&agent, &consumer(&url), "oob").unwrap_err();
    assert!(
        matches!(err, oauth1_ureq::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}

/// The middleware reads a form body to sign it: past its limit it refuses, and sends nothing.
#[test]
fn the_middleware_refuses_a_form_body_over_its_limit() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/echo", listener.local_addr().unwrap());
    let signer = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("key", "secret"),
        None,
    )
    .unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .middleware(oauth1_ureq::SigningMiddleware::new(signer).body_limit(1024))
        .build()
        .into();
    let form = format!("a={}", "b".repeat(2048));
    let err = agent
        .post(&url)
        .content_type("application/x-www-form-urlencoded")
        .send(form.as_bytes())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("longer than the limit of 1024 bytes"),
        "{text}"
    );
    // Nothing was sent: no connection reached the listener.
    listener.set_nonblocking(true).unwrap();
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "{accepted:?}"
    );
}
