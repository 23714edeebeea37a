//! G10 of the second security review: with query placement the signed URL is what reqwest's
//! default `Referer` repeats to the next host on a redirect — with PLAINTEXT, both secrets. The
//! middleware refuses PLAINTEXT in the query unless told otherwise, and sends nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_reqwest::SigningMiddleware;
use oauth1_reqwest::oauth1_core::{
    ClientCredentials, Placement, SignError, SignatureMethodName, Signer,
};

fn signer(method: SignatureMethodName) -> Signer {
    Signer::new(method, &ClientCredentials::new("key", "secret"), None).unwrap()
}

#[tokio::test]
async fn plaintext_in_the_query_is_refused_unless_allowed() {
    let _ = rustls::ClientConfig::builder();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/api/echo", listener.local_addr().unwrap());
    let client = |middleware: SigningMiddleware| {
        reqwest_middleware::ClientBuilder::new(
            reqwest::Client::builder().referer(false).build().unwrap(),
        )
        .with(middleware)
        .build()
    };

    let refused = client(SigningMiddleware::new(
        signer(SignatureMethodName::Plaintext).with_placement(Placement::Query),
    ));
    // A timeout, so that a request sent (which nothing would answer) fails the test, not hangs it.
    let err = refused
        .get(&url)
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await
        .unwrap_err();
    let ours = match &err {
        reqwest_middleware::Error::Middleware(e) => e.downcast_ref::<oauth1_reqwest::Error>(),
        _ => None,
    };
    assert!(
        matches!(
            ours,
            Some(oauth1_reqwest::Error::Sign(SignError::PlaintextInQuery))
        ),
        "{err:?}"
    );
    // Nothing was sent.
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "{accepted:?}"
    );

    // HMAC in the query, or PLAINTEXT in the header, are not refused by this rule: they reach
    // the network (and fail there, as nothing answers on the listener; the error is not ours).
    for middleware in [
        SigningMiddleware::new(
            signer(SignatureMethodName::HmacSha1).with_placement(Placement::Query),
        ),
        SigningMiddleware::new(signer(SignatureMethodName::Plaintext)),
        SigningMiddleware::new(
            signer(SignatureMethodName::Plaintext).with_placement(Placement::Query),
        )
        .allow_plaintext_in_query(),
    ] {
        let sent = client(middleware)
            .get(&url)
            .timeout(std::time::Duration::from_millis(300))
            .send()
            .await;
        if let Err(reqwest_middleware::Error::Middleware(e)) = &sent {
            panic!("refused by the middleware: {e}");
        }
    }
}
