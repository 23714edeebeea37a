//! G9 of the second security review: flow steps read a provider's answer without a limit (the
//! sign-in example reached 4.3 GB in 10 s against an endless one). They stop at
//! `MAX_TOKEN_RESPONSE` and say so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use oauth1_hyper::oauth1_core::client::{Consumer, Endpoints, FlowError};
use oauth1_hyper::oauth1_core::{ClientCredentials, SignatureMethodName};

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

#[tokio::test]
async fn an_endless_token_response_is_refused_not_buffered() {
    let url = endless_answer();
    let client = Client::builder(TokioExecutor::new()).build_http();
    let err = oauth1_hyper::request_token(&client, &consumer(&url), "oob")
        .await
        .unwrap_err();
    assert!(
        matches!(err, oauth1_hyper::Error::Flow(FlowError::TooLarge)),
        "{err}"
    );
}
