//! Regression tests for the security review's findings against the embedded provider: F1 (end to
//! end, the review's own repro), F2 (callbacks), F10 (exhaustion) and approving twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use oauth1_core::client::{BodyHash, Extras};
use oauth1_core::{
    ClientCredentials, Placement, Request, SignatureMethodName, Signer, TokenCredentials,
};
use oauth1_provider::{Provider, ProviderConfig};

fn raw(provider: &Provider, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // The server may answer (413) and close before it has read everything: ignore write errors.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn signer(token: Option<&TokenCredentials>) -> Signer {
    Signer::new(
        SignatureMethodName::HmacSha1,
        &ClientCredentials::new("client", "secret"),
        token,
    )
    .unwrap()
}

/// A signed POST to `path` with the given body and content type.
fn post(
    provider: &Provider,
    path: &str,
    authorization: &str,
    content_type: &str,
    body: &[u8],
) -> String {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: {authorization}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        provider.addr(),
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(provider, &request)
}

fn request_token(provider: &Provider, callback: &str) -> String {
    let url = provider.endpoints().request_token;
    let signed = signer(None)
        .sign_with(
            &Request::new("POST", &url),
            &Extras::new().callback(callback),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    post(
        provider,
        "/oauth/request_token",
        signed.authorization().unwrap(),
        "application/x-www-form-urlencoded",
        b"",
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

/// F1, the review's repro end to end: a body hash over an empty body, its name sent encoded, and
/// another body. The echo used to answer 200 with the attacker's body.
#[test]
fn an_encoded_body_hash_name_does_not_get_a_changed_body_to_the_echo() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("client", "secret")).unwrap();
    for placement in [Placement::Header, Placement::Query] {
        let url = provider.echo_url();
        let signed = signer(None)
            .with_placement(placement)
            .with_body_hash(BodyHash::MethodDigest)
            .sign(
                &Request::new("POST", &url).with_body(Some("application/json"), b""),
                &oauth1_core::client::nonce().unwrap(),
                oauth1_core::client::timestamp_now(),
            )
            .unwrap();
        let (target, authorization) = match placement {
            Placement::Header => (
                String::from("/api/echo"),
                signed
                    .authorization()
                    .unwrap()
                    .replace("oauth_body_hash=", "oauth%5Fbody%5Fhash="),
            ),
            _ => {
                let query = signed.url().split_once('?').unwrap().1;
                (
                    format!(
                        "/api/echo?{}",
                        query.replace("oauth_body_hash=", "oauth%5Fbody%5Fhash=")
                    ),
                    String::from("Basic none"),
                )
            }
        };
        let answer = post(
            &provider,
            &target,
            &authorization,
            "application/json",
            br#"{"amount":1000000}"#,
        );
        assert!(
            answer.starts_with("HTTP/1.1 401") && !answer.contains("amount"),
            "{placement:?}: {answer}"
        );
    }
}

/// F2: a callback that is not `http`/`https` (`javascript:`, `data:`) is refused.
#[test]
fn non_web_callbacks_are_refused() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("client", "secret")).unwrap();
    for callback in [
        "javascript://alert(document.cookie)",
        "data://text/html,x",
        "myapp://callback",
        "http://",
        "https://a b/",
    ] {
        let answer = request_token(&provider, callback);
        assert!(
            answer.starts_with("HTTP/1.1 400") && answer.contains("oauth_callback"),
            "{callback}: {answer}"
        );
    }
    assert!(request_token(&provider, "https://app.example/cb").starts_with("HTTP/1.1 200"));
    assert!(request_token(&provider, "oob").starts_with("HTTP/1.1 200"));
}

/// F2: a client with a registered callback cannot name another one.
#[test]
fn a_registered_callback_is_pinned() {
    let config = ProviderConfig::new()
        .client("client", "secret")
        .registered_callback("client", "https://app.example/callback");
    let provider = Provider::start_blocking(config).unwrap();
    let answer = request_token(&provider, "https://evil.example/callback");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(request_token(&provider, "https://app.example/callback").starts_with("HTTP/1.1 200"));
    assert!(request_token(&provider, "oob").starts_with("HTTP/1.1 200"));
}

/// A temporary token is approved once: a second approval used to replace the verifier the first
/// redirect had carried.
#[test]
fn a_temporary_token_is_approved_once() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("client", "secret")).unwrap();
    let token = temporary_token(&request_token(&provider, "oob"));
    let authorize = |token: &str| {
        raw(
            &provider,
            format!(
                "GET /oauth/authorize?oauth%5Ftoken={token} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                provider.addr()
            )
            .as_bytes(),
        )
    };
    assert!(authorize(&token).starts_with("HTTP/1.1 200"));
    let again = authorize(&token);
    assert!(
        again.starts_with("HTTP/1.1 401") && again.contains("token_rejected"),
        "{again}"
    );
}

/// F10: bodies are read up to a limit (a 256 MiB body to the unauthenticated echo took 791 MB).
#[test]
fn bodies_over_the_limit_are_refused_unread() {
    let config = ProviderConfig::new()
        .client("client", "secret")
        .max_body_bytes(64 * 1024);
    let provider = Provider::start_blocking(config).unwrap();
    // A text body of `n` bytes to the public echo, its length declared.
    let public_text = |n: usize| {
        let head = format!(
            "POST /public/echo HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n",
            provider.addr(),
        );
        raw(&provider, &[head.into_bytes(), vec![b'a'; n]].concat())
    };
    let big = vec![b'a'; 256 * 1024];
    let answer = public_text(big.len());
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // The protected echo too, when the signature does not cover the body.
    let signed = signer(None)
        .sign(
            &Request::new("POST", &provider.echo_url()),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    let answer = post(
        &provider,
        "/api/echo",
        signed.authorization().unwrap(),
        "text/plain",
        &big,
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Under the limit, served.
    let answer = raw(
        &provider,
        format!(
            "POST /public/echo HTTP/1.1\r\nHost: {}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            provider.addr()
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // At the limit exactly, declared: served.
    let answer = public_text(64 * 1024);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Undeclared (chunked): refused as it is read, one chunk past the limit, the same 413.
    let chunk = format!("{:x}\r\n{}\r\n", 32 * 1024, "a".repeat(32 * 1024));
    let answer = raw(
        &provider,
        format!(
            "POST /public/echo HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{}0\r\n\r\n",
            provider.addr(),
            chunk.repeat(3)
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

/// A body cut short (the client stops sending before the length it declared) is answered 400,
/// "cannot read the body": not taken for a body too large.
#[test]
fn a_body_cut_short_is_answered_400() {
    let provider =
        Provider::start_blocking(ProviderConfig::new().client("client", "secret")).unwrap();
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let head = format!(
        "POST /public/echo HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nten bytes.",
        provider.addr()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.ends_with("cannot read the body\n"), "{answer}");
}

/// F10: a connection that never finishes its headers is closed after the header-read timeout
/// (200 slow connections were held for 45 s).
#[test]
fn slow_headers_are_cut_off() {
    let config = ProviderConfig::new()
        .client("client", "secret")
        .header_read_timeout(Duration::from_millis(300));
    let provider = Provider::start_blocking(config).unwrap();
    let mut stream = TcpStream::connect(provider.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /public/echo HTTP/1.1\r\nHo")
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(5),
        "the connection stayed open {waited:?}"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
}

/// F10: at most `max_connections` are served at once; the next waits until one ends.
#[test]
fn connections_are_capped() {
    let config = ProviderConfig::new()
        .client("client", "secret")
        .max_connections(1)
        .header_read_timeout(Duration::from_secs(30));
    let provider = Provider::start_blocking(config).unwrap();
    let holder = TcpStream::connect(provider.addr()).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let mut second = TcpStream::connect(provider.addr()).unwrap();
    second
        .write_all(
            format!(
                "GET /public/echo HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                provider.addr()
            )
            .as_bytes(),
        )
        .unwrap();
    second
        .set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    let mut buf = [0u8; 64];
    assert!(
        second.read(&mut buf).is_err(),
        "the second connection was served while the first held the only slot"
    );
    drop(holder);
    second
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = Vec::new();
    let _ = second.read_to_end(&mut answer);
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
}

/// F10: issued tokens expire (they never did).
#[test]
fn tokens_expire() {
    let config = ProviderConfig::new()
        .client("client", "secret")
        .token_lifetimes(Duration::from_millis(200), Duration::from_millis(200));
    let provider = Provider::start_blocking(config).unwrap();
    let token = temporary_token(&request_token(&provider, "oob"));
    std::thread::sleep(Duration::from_millis(400));
    let answer = raw(
        &provider,
        format!(
            "GET /oauth/authorize?oauth_token={token} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            provider.addr()
        )
        .as_bytes(),
    );
    assert!(answer.contains("token_rejected"), "{answer}");
    // A signed request with an expired token is refused by the verifier as well.
    let signed = signer(Some(&TokenCredentials::new(token.as_str(), "whatever")))
        .sign(
            &Request::new("GET", &provider.echo_url()),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    let answer = raw(
        &provider,
        format!(
            "GET /api/echo HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
            provider.addr(),
            signed.authorization().unwrap()
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}

/// A 401 the provider answers after verification (here: temporary credentials used on the
/// echo, which takes token credentials only) names the scheme and realm in `WWW-Authenticate`,
/// as RFC 7235 §3.1 asks of every 401 and as the verifier's own refusals do.
#[test]
fn a_401_after_verification_says_www_authenticate() {
    let provider = Provider::start_blocking(
        ProviderConfig::new()
            .client("client", "secret")
            .realm("Photos"),
    )
    .unwrap();
    let answer = request_token(&provider, "oob");
    let body = answer.split("\r\n\r\n").nth(1).unwrap();
    let temporary = oauth1_core::client::TokenResponse::parse(body.as_bytes())
        .unwrap()
        .credentials()
        .clone();
    let url = format!("{}/api/echo", provider.url());
    let signed = signer(Some(&temporary))
        .sign(
            &Request::new("POST", &url),
            &oauth1_core::client::nonce().unwrap(),
            oauth1_core::client::timestamp_now(),
        )
        .unwrap();
    let authorization = signed.authorization().unwrap();
    let answer = post(&provider, "/api/echo", authorization, "text/plain", b"");
    assert!(
        answer.starts_with("HTTP/1.1 401") && answer.contains("oauth_problem=token_rejected"),
        "{answer}"
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("\r\nwww-authenticate: oauth realm=\"photos\"\r\n"),
        "{answer}"
    );
}
