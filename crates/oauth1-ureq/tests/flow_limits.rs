//! G9 of the second security review: flow steps read a provider's answer without a limit, and
//! the middleware read a signed body without one. Both are bounded now.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use oauth1_ureq::oauth1_core::client::{Consumer, Endpoints, FlowError};
use oauth1_ureq::oauth1_core::{ClientCredentials, SignatureMethodName, Signer};

/// G9 of the second review: a "provider" that answers a flow step with an endless body. It
/// serves one connection: reads the request head, then writes chunks until the client hangs up
/// (or 64 MiB, so that a client without a limit fails the test instead of hanging it).
fn endless_answer() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/oauth/request_token",
        listener.local_addr().unwrap()
    );
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 2 {
            line.clear();
        }
        let mut stream = stream;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                    Transfer-Encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let chunk = format!("4000\r\n{}\r\n", "a".repeat(0x4000));
        let mut written = 0;
        while written < 64 << 20 {
            if stream.write_all(chunk.as_bytes()).is_err() {
                break;
            }
            written += 0x4000;
        }
    });
    url
}

fn consumer(url: &str) -> Consumer {
    Consumer::new(
        ClientCredentials::new("key", "secret"),
        SignatureMethodName::HmacSha1,
        Endpoints::new(url, url, url),
    )
}

#[test]
fn an_endless_token_response_is_refused_not_buffered() {
    let url = endless_answer();
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
