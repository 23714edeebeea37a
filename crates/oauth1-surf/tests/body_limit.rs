//! The middleware reads a signed body within a limit (as the other adapters' middlewares do): a
//! form past it is refused, whether its length is known or it is a stream, and nothing is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use async_std::task::block_on;
use oauth1_core::client::Error;
use oauth1_core::{ClientCredentials, SignError, SignatureMethodName, Signer};
use oauth1_surf::SigningMiddleware;

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
    let client = surf::client().with(SigningMiddleware::new(signer).body_limit(1024));
    let form = format!("a={}", "b".repeat(2048));
    let known = surf::Body::from_bytes(form.clone().into_bytes());
    let stream = surf::Body::from_reader(futures_lite::io::Cursor::new(form.into_bytes()), None);
    for body in [known, stream] {
        let request = client
            .post(&url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        let e = block_on(request).unwrap_err();
        assert_eq!(u16::from(e.status()), 500, "{e}");
        match e.downcast::<oauth1_surf::Error>().unwrap() {
            Error::Sign(SignError::BodyTooLarge { limit: 1024 }) => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(oauth1_surf::DEFAULT_BODY_LIMIT, 16 << 20);
    // Nothing was sent: no connection reached the listener.
    listener.set_nonblocking(true).unwrap();
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "{accepted:?}"
    );
}
