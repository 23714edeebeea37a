//! G9 of the second security review: the middleware read a signed body without a limit (the flow
//! steps' limit is a test kit scenario).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_ureq::oauth1_core::{ClientCredentials, SignatureMethodName, Signer};

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
