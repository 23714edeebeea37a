//! G4 of security review issue 26: one client filled the provider's 100 000-token table in 41 s,
//! and every other client then got 503 on `request_token` for ten minutes, renewable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use oauth1_core::client::Extras;
use oauth1_core::{ClientCredentials, Request, SignatureMethodName, Signer};
use oauth1_provider::{Provider, ProviderConfig};

fn raw(provider: &Provider, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A signed `request_token` for client `key` (its secret is `key` + `-secret`).
fn request_token(provider: &Provider, key: &str) -> String {
    let url = provider.endpoints().request_token;
    let signed = Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new(key, format!("{key}-secret")),
        None,
    )
    .unwrap()
    .sign_with(
        &Request::new("POST", &url),
        &Extras::new().callback("oob"),
        &oauth1_core::client::nonce().unwrap(),
        oauth1_core::client::timestamp_now(),
    )
    .unwrap();
    raw(
        provider,
        format!(
            "POST /oauth/request_token HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            provider.addr(),
            signed.authorization().unwrap()
        )
        .as_bytes(),
    )
}

/// The temporary token of a request-token answer.
fn temporary_token(answer: &str) -> String {
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    oauth1_core::client::TokenResponse::parse(body.as_bytes())
        .unwrap()
        .credentials()
        .token()
        .to_string()
}

fn authorize(provider: &Provider, token: &str) -> String {
    raw(
        provider,
        format!(
            "GET /oauth/authorize?oauth_token={token} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            provider.addr()
        )
        .as_bytes(),
    )
}

fn config() -> ProviderConfig {
    ProviderConfig::new()
        .client("flood", "flood-secret")
        .client("other", "other-secret")
}

/// The review's attack, scaled down: the table holds 20 tokens, one client asks for 60. The
/// flooding client is served by giving up its own oldest temporary tokens, and the other client
/// still gets one.
#[test]
fn one_client_cannot_fill_the_token_table_for_the_others() {
    let provider = Provider::start_blocking(config().max_tokens(20)).unwrap();
    let issued: Vec<String> = (0..60)
        .map(|i| {
            let answer = request_token(&provider, "flood");
            assert!(answer.starts_with("HTTP/1.1 200"), "request {i}: {answer}");
            temporary_token(&answer)
        })
        .collect();
    let answer = request_token(&provider, "other");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The flood's oldest tokens made room; its newest still work.
    assert!(authorize(&provider, &issued[0]).contains("token_rejected"));
    assert!(authorize(&provider, &issued[59]).starts_with("HTTP/1.1 200"));
    // And the other client's token works.
    assert!(authorize(&provider, &temporary_token(&answer)).starts_with("HTTP/1.1 200"));
}

/// A client holds at most `max_tokens_per_client` tokens: past it, its own oldest temporary
/// tokens are dropped first, and the table has room for everyone else.
#[test]
fn a_client_keeps_its_quota_of_tokens() {
    let provider = Provider::start_blocking(config().max_tokens_per_client(5)).unwrap();
    let issued: Vec<String> = (0..12)
        .map(|_| temporary_token(&request_token(&provider, "flood")))
        .collect();
    for (i, token) in issued.iter().enumerate() {
        let answer = authorize(&provider, token);
        if i < 7 {
            assert!(answer.contains("token_rejected"), "token {i}: {answer}");
        } else {
            assert!(answer.starts_with("HTTP/1.1 200"), "token {i}: {answer}");
        }
    }
    assert!(request_token(&provider, "other").starts_with("HTTP/1.1 200"));
}
